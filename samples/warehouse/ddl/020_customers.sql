-- Storefront accounts. Guest checkouts get an account too, so every order has a customer.
CREATE TABLE sales.customers (
    customer_id      INTEGER      NOT NULL ENCODE raw,
    first_name       VARCHAR(64)           ENCODE zstd,
    last_name        VARCHAR(64)           ENCODE zstd,
    email            VARCHAR(256) NOT NULL ENCODE zstd,
    company_name     VARCHAR(128)          ENCODE zstd,
    city             VARCHAR(64)           ENCODE lzo,
    country          CHAR(2)               ENCODE lzo,
    loyalty_tier     SMALLINT     DEFAULT 0 ENCODE az64,
    marketing_opt_in BOOLEAN      DEFAULT FALSE,
    signup_ts        TIMESTAMP             ENCODE az64,
    CONSTRAINT customers_pkey PRIMARY KEY (customer_id)
)
DISTSTYLE EVEN
COMPOUND SORTKEY (customer_id);

COMMENT ON COLUMN sales.customers.loyalty_tier IS '0 = none, 1 = silver, 2 = gold, 3 = platinum';
