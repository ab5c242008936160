-- Raw schema of the storefront, loaded nightly by the ETL job (COPY from S3).
CREATE SCHEMA sales;
