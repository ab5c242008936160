-- Parcels delivered after the promised date, worst first, with who to apologise to.
SELECT
    sh.shipment_id,
    sh.order_id,
    sh.carrier,
    sh.tracking_no,
    c.email,
    o.ship_country,
    sh.promised_by,
    sh.delivered_at,
    DATEDIFF(day, sh.promised_by, sh.delivered_at)  AS days_late
FROM sales.shipments sh
JOIN sales.orderinfo o  ON o.order_id = sh.order_id
JOIN sales.customers c  ON c.customer_id = o.customer_id
WHERE sh.delivered_at IS NOT NULL
  AND CAST(sh.delivered_at AS DATE) > sh.promised_by
ORDER BY days_late DESC, sh.delivered_at
LIMIT 100;
