-- Nightly job on the ops cluster: retires the SKUs of vendors that have left, and logs how many of their orders are
-- still open. Its joins are evidence like any query's: Quarry reads the SQL inside procedure bodies.
CREATE OR REPLACE PROCEDURE sales.sp_retire_vendor_skus(p_as_of DATE)
AS $$
DECLARE
  open_orders INTEGER;
BEGIN
  SELECT count(*) INTO open_orders
  FROM sales.orderinfo o
  JOIN sales.skuinfo s ON s.sku_id = o.product_id
  JOIN sales.vendors v ON v.vendor_id = s.vendor_id
  WHERE NOT v.is_active
    AND o.order_status < 4;

  UPDATE sales.skuinfo
     SET is_discontinued = TRUE
    FROM sales.vendors v
   WHERE sales.skuinfo.vendor_id = v.vendor_id
     AND NOT v.is_active
     AND v.onboarded_on <= p_as_of;

  RAISE INFO 'retired the SKUs of inactive vendors; % of their orders still open', open_orders;
END;
$$ LANGUAGE plpgsql;
