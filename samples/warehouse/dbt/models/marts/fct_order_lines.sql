{{
    config(
        materialized='incremental',
        unique_key='order_id',
        on_schema_change='append_new_columns',
        dist='order_id',
        sort=['order_date']
    )
}}

with orders as (

    select * from {{ ref('stg_orders') }}
    {% if is_incremental() %}
    -- only rows loaded since the last run; the nightly load is append-only
    where loaded_at > (select coalesce(max(loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {% endif %}

),

skus as (
    select * from {{ ref('stg_skus') }}
),

statuses as (
    select * from {{ ref('order_status_codes') }}
),

shipments as (
    select * from {{ ref('stg_shipments') }}
)

select
    o.order_id,
    o.customer_id,
    o.sku_id,
    s.category,
    o.vendor_id,
    o.order_status_code,
    st.label                as order_status,
    o.quantity,
    o.unit_price,
    o.line_amount,
    o.promo_code,
    o.ordered_at,
    o.order_date,
    o.ship_country,
    sh.carrier,
    sh.shipped_at,
    sh.delivered_at,
    coalesce(sh.is_late, false) as is_late,
    o.loaded_at
from orders o
left join skus s        on o.sku_id = s.sku_id
left join statuses st   on st.code = o.order_status_code
left join shipments sh  on sh.order_id = o.order_id
