-- Revenue by product category and month, 2024 onwards. Asked for by finance every month-end.
-- Note: orderinfo.product_id holds the SKU id (it joins skuinfo.sku_id).
SELECT
    DATE_TRUNC('month', o.order_ts)      AS order_month,
    s.category,
    COUNT(*)                             AS orders,
    SUM(o.quantity)                      AS units,
    SUM(o.quantity * o.unit_price)       AS revenue,
    ROUND(AVG(o.unit_price), 2)          AS avg_unit_price
FROM sales.orderinfo o
JOIN sales.skuinfo s ON o.product_id = s.sku_id
WHERE o.order_status NOT IN (6, 7)          -- cancelled, refunded
  AND o.order_ts >= '2024-01-01'
GROUP BY 1, 2
ORDER BY order_month, revenue DESC;
