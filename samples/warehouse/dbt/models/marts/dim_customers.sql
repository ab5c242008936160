with customers as (
    select * from {{ ref('stg_customers') }}
),

orders as (
    select * from {{ ref('stg_orders') }}
),

countries as (
    select * from {{ ref('country_codes') }}
),

order_summary as (
    select
        customer_id,
        min(ordered_at)                                              as first_order_at,
        max(ordered_at)                                              as last_order_at,
        count(*)                                                     as orders,
        sum(case when order_status_code = 5 then line_amount else 0 end) as lifetime_value
    from orders
    group by customer_id
)

select
    c.customer_id,
    c.full_name,
    c.email,
    c.company_name,
    c.city,
    c.country_code,
    k.country_name,
    c.loyalty_tier,
    c.signed_up_at,
    s.first_order_at,
    s.last_order_at,
    coalesce(s.orders, 0)           as orders,
    coalesce(s.lifetime_value, 0)   as lifetime_value
from customers c
left join order_summary s on s.customer_id = c.customer_id
left join countries k     on k.country_code = c.country_code
