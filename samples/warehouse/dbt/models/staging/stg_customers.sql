select
    customer_id,
    first_name,
    last_name,
    trim(first_name || ' ' || last_name)   as full_name,
    lower(email)                            as email,
    company_name,
    city,
    country                                 as country_code,
    loyalty_tier,
    marketing_opt_in,
    signup_ts                               as signed_up_at
from {{ source('sales', 'customers') }}
