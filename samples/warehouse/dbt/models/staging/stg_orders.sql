with source as (

    select * from {{ source('sales', 'orderinfo') }}

),

renamed as (

    select
        order_id,
        customer_id,
        product_id                      as sku_id,
        vendor_id,
        order_status                    as order_status_code,
        quantity,
        unit_price,
        quantity * unit_price           as line_amount,
        promo_code,
        order_ts                        as ordered_at,
        cast(order_ts as date)          as order_date,
        ship_country,
        loaded_at
    from source

)

select * from renamed
