select
    shipment_id,
    order_id,
    carrier,
    tracking_no,
    shipment_state,
    shipped_at,
    promised_by,
    delivered_at,
    case
        when delivered_at is not null and cast(delivered_at as date) > promised_by then true
        else false
    end             as is_late
from {{ source('sales', 'shipments') }}
