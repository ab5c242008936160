-- One row per storefront order (the shop sells one SKU per order; quantity can be more than one).
CREATE TABLE sales.orderinfo (
    order_id      BIGINT        NOT NULL ENCODE az64,
    customer_id   INTEGER       NOT NULL ENCODE az64,
    product_id    INTEGER                ENCODE az64,
    vendor_id     INTEGER                ENCODE az64,
    order_status  SMALLINT      NOT NULL ENCODE az64,
    quantity      INTEGER       NOT NULL ENCODE az64,
    unit_price    NUMERIC(10,2) NOT NULL ENCODE az64,
    promo_code    VARCHAR(32)            ENCODE zstd,
    order_ts      TIMESTAMP     NOT NULL ENCODE raw,
    ship_country  CHAR(2)                ENCODE lzo,
    gift_message  VARCHAR(512)           ENCODE zstd,
    loaded_at     TIMESTAMP     DEFAULT GETDATE() ENCODE az64,
    PRIMARY KEY (order_id)
)
DISTSTYLE KEY
DISTKEY (order_id)
COMPOUND SORTKEY (order_ts, customer_id);

COMMENT ON TABLE sales.orderinfo IS 'Storefront orders, one SKU per order; loaded nightly from the shop database';
COMMENT ON COLUMN sales.orderinfo.product_id IS 'Product ordered';
COMMENT ON COLUMN sales.orderinfo.order_status IS 'Order lifecycle code, see order_status_codes seed';
COMMENT ON COLUMN sales.orderinfo.unit_price IS 'Price paid per unit after promo discount, in USD';
