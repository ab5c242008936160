-- Parcels handed to carriers. The only foreign key the team ever declared.
CREATE TABLE sales.shipments (
    shipment_id     BIGINT IDENTITY(1,1) NOT NULL ENCODE az64,
    order_id        BIGINT        NOT NULL ENCODE az64,
    carrier         VARCHAR(16)   NOT NULL ENCODE lzo,
    tracking_no     BIGINT                 ENCODE az64,
    shipment_state  SMALLINT      NOT NULL ENCODE az64,
    shipped_at      TIMESTAMP              ENCODE az64,
    promised_by     DATE                   ENCODE az64,
    delivered_at    TIMESTAMP              ENCODE az64,
    weight_grams    INTEGER                ENCODE az64,
    shipping_cost   NUMERIC(8,2)           ENCODE az64,
    PRIMARY KEY (shipment_id),
    CONSTRAINT shipments_order_fk FOREIGN KEY (order_id) REFERENCES sales.orderinfo (order_id)
)
DISTSTYLE KEY
DISTKEY (order_id)
INTERLEAVED SORTKEY (carrier, shipped_at);

COMMENT ON COLUMN sales.shipments.tracking_no IS 'Carrier tracking number; most exceed 2^53, read it as text in JavaScript';
