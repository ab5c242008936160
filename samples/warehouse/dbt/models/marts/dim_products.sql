{{ config(dist='all', sort=['sku_id']) }}

with skus as (
    select * from {{ ref('stg_skus') }}
),

vendors as (
    select * from {{ ref('stg_vendors') }}
),

sales as (
    select
        sku_id,
        count(*)            as orders,
        sum(quantity)       as units_sold,
        sum(line_amount)    as gross_revenue,
        max(ordered_at)     as last_ordered_at
    from {{ ref('stg_orders') }}
    where order_status_code not in (6, 7)
      and sku_id is not null
    group by sku_id
)

select
    s.sku_id,
    s.sku_name,
    s.category,
    s.list_price,
    s.is_discontinued,
    s.vendor_id,
    v.vendor_name,
    v.country_code          as vendor_country_code,
    coalesce(x.orders, 0)         as orders,
    coalesce(x.units_sold, 0)     as units_sold,
    coalesce(x.gross_revenue, 0)  as gross_revenue,
    x.last_ordered_at
from skus s
left join vendors v on v.vendor_id = s.vendor_id
left join sales x   on x.sku_id = s.sku_id
