-- Catalogue of sellable items (stock keeping units). Primary key is added in 070_skuinfo_constraints.sql.
CREATE TABLE IF NOT EXISTS sales.skuinfo (
    sku_id           INTEGER       NOT NULL ENCODE raw,
    sku_name         VARCHAR(256)  NOT NULL ENCODE zstd,
    category         VARCHAR(32)            ENCODE lzo,
    vendor_id        INTEGER                ENCODE az64,
    list_price       NUMERIC(10,2)          ENCODE az64,
    sku_description  VARCHAR(MAX)           ENCODE zstd,
    is_discontinued  BOOLEAN       DEFAULT FALSE,
    created_at       TIMESTAMP     DEFAULT GETDATE() ENCODE az64
)
DISTSTYLE ALL
SORTKEY (sku_id);
