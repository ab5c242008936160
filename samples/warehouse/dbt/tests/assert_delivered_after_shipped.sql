-- A parcel cannot arrive before it left the lab.
select shipment_id, shipped_at, delivered_at
from {{ ref('stg_shipments') }}
where delivered_at < shipped_at
