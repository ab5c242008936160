-- Signup cohorts: how many customers came back for a second order, and how fast.
WITH ranked AS (
    SELECT
        o.customer_id,
        o.order_ts,
        ROW_NUMBER() OVER (PARTITION BY o.customer_id ORDER BY o.order_ts) AS order_seq
    FROM sales.orderinfo o
    WHERE o.order_status <> 6
),
firsts AS (
    SELECT
        r1.customer_id,
        r1.order_ts                  AS first_order_ts,
        r2.order_ts                  AS second_order_ts
    FROM ranked r1
    LEFT JOIN ranked r2 ON r2.customer_id = r1.customer_id AND r2.order_seq = 2
    WHERE r1.order_seq = 1
)
SELECT
    DATE_TRUNC('quarter', c.signup_ts)                                         AS signup_quarter,
    COUNT(*)                                                                   AS buyers,
    COUNT(f.second_order_ts)                                                   AS repeat_buyers,
    ROUND(100.0 * COUNT(f.second_order_ts) / COUNT(*), 1)                      AS repeat_pct,
    ROUND(AVG(DATEDIFF(day, f.first_order_ts, f.second_order_ts) * 1.0), 1)   AS avg_days_to_repeat
FROM firsts f
JOIN sales.customers c ON c.customer_id = f.customer_id
GROUP BY 1
ORDER BY 1;
