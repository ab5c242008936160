-- Carrier operations snapshot: parcels per carrier, destination and state, how long they were out,
-- how many missed the promise by more than a day, and which labs shipped them.
WITH per_vendor AS (
    SELECT
        sh.carrier,
        o.ship_country,
        DECODE(sh.shipment_state,
               1, 'label created',
               2, 'in transit',
               3, 'out for delivery',
               4, 'delivered',
               5, 'returned',
               6, 'lost',
               'unknown')                                                     AS state_label,
        NVL(v.vendor_name, '(unknown vendor)')                                AS vendor_name,
        COUNT(*)                                                              AS parcels,
        SUM(DATEDIFF(day, sh.shipped_at, NVL(sh.delivered_at, GETDATE())))    AS days_out,
        SUM(CASE WHEN NVL(sh.delivered_at, GETDATE()) > DATEADD(day, 1, sh.promised_by)
                 THEN 1 ELSE 0 END)                                           AS past_promise
    FROM sales.shipments sh
    JOIN sales.orderinfo o     ON o.order_id = sh.order_id
    LEFT JOIN sales.vendors v  ON v.vendor_id = o.vendor_id
    GROUP BY 1, 2, 3, 4
)
SELECT
    carrier,
    ship_country,
    state_label,
    SUM(parcels)                                                  AS parcels,
    ROUND(1.0 * SUM(days_out) / SUM(parcels), 1)                  AS avg_days_out,
    SUM(past_promise)                                             AS past_promise,
    LISTAGG(vendor_name, '; ') WITHIN GROUP (ORDER BY vendor_name) AS vendors
FROM per_vendor
GROUP BY carrier, ship_country, state_label
ORDER BY parcels DESC;
