select
    vendor_id,
    vendor_name,
    country         as country_code,
    lead_time_days,
    is_active,
    onboarded_on
from {{ source('sales', 'vendors') }}
