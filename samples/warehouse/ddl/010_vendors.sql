-- Print labs and suppliers that fulfil our products. Small and joined everywhere: copied to every node.
CREATE TABLE sales.vendors (
    vendor_id       INTEGER      NOT NULL ENCODE raw,
    vendor_name     VARCHAR(128) NOT NULL ENCODE zstd,
    country         CHAR(2)               ENCODE lzo,
    contact_email   VARCHAR(256)          ENCODE zstd,
    lead_time_days  SMALLINT              ENCODE az64,
    is_active       BOOLEAN      DEFAULT TRUE,
    onboarded_on    DATE                  ENCODE az64,
    PRIMARY KEY (vendor_id)
)
DISTSTYLE ALL
SORTKEY (vendor_id);

COMMENT ON TABLE sales.vendors IS 'Print labs and suppliers; one row per vendor account';
