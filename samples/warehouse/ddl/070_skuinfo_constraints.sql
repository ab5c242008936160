-- Added after the 2023 catalogue migration. Redshift does not enforce it; the planner trusts it.
ALTER TABLE sales.skuinfo ADD CONSTRAINT skuinfo_pkey PRIMARY KEY (sku_id);
