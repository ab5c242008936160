-- Orders placed in a period, for the ops weekly. Bind :start_date and :end_date (end exclusive)
-- and optionally :country (two-letter code) when running.
SELECT
    o.order_id,
    o.order_ts,
    o.order_status,
    o.customer_id,
    c.email,
    o.product_id,
    s.sku_name,
    o.quantity,
    o.unit_price,
    o.promo_code
FROM sales.orderinfo o
JOIN sales.customers c     ON c.customer_id = o.customer_id
LEFT JOIN sales.skuinfo s  ON s.sku_id = o.product_id
WHERE o.order_ts >= :start_date
  AND o.order_ts <  :end_date
  AND o.ship_country = :country
ORDER BY o.order_ts;
