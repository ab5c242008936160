package com.photoprint.storefront.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A storefront order (sales.orderinfo). The warehouse declares no key to customers; this mapping does. */
@Entity
@Table(name = "orderinfo", schema = "sales")
public class OrderRecord {
    @Id
    @Column(name = "order_id")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id")
    private CustomerRecord customer;

    @Column(name = "order_status", nullable = false)
    private short status;

    public CustomerRecord getCustomer() {
        return customer;
    }
}
