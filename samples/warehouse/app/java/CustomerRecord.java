package com.photoprint.storefront.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A storefront customer, as the checkout service maps sales.customers (JPA). */
@Entity
@Table(name = "customers", schema = "sales")
public class CustomerRecord {
    @Id
    @Column(name = "customer_id")
    private Integer id;

    @Column(name = "email", nullable = false)
    private String email;

    public Integer getId() {
        return id;
    }
}
