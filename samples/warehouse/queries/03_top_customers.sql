-- Top 25 customers by lifetime spend (completed orders only), for the loyalty team.
SELECT
    c.customer_id,
    c.first_name || ' ' || c.last_name        AS customer_name,
    c.company_name,
    c.country,
    c.loyalty_tier,
    COUNT(o.order_id)                          AS orders,
    SUM(o.quantity * o.unit_price)             AS lifetime_spend,
    MIN(o.order_ts)                            AS first_order_ts,
    MAX(o.order_ts)                            AS last_order_ts
FROM sales.customers c
JOIN sales.orderinfo o ON o.customer_id = c.customer_id
WHERE o.order_status = 5                       -- delivered
GROUP BY c.customer_id, c.first_name, c.last_name, c.company_name, c.country, c.loyalty_tier
ORDER BY lifetime_spend DESC
LIMIT 25;
