-- Daily revenue by category for the finance dashboard. Cancelled (6) and refunded (7) orders are excluded.
CREATE VIEW sales.v_daily_revenue AS
SELECT
    CAST(o.order_ts AS DATE)                 AS order_date,
    s.category,
    COUNT(DISTINCT o.order_id)               AS orders,
    SUM(o.quantity)                          AS units,
    SUM(o.quantity * o.unit_price)           AS revenue
FROM sales.orderinfo o
JOIN sales.skuinfo s ON o.product_id = s.sku_id
WHERE o.order_status NOT IN (6, 7)
GROUP BY 1, 2;
