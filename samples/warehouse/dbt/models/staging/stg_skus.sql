select
    sku_id,
    sku_name,
    category,
    vendor_id,
    list_price,
    is_discontinued,
    created_at
from {{ source('sales', 'skuinfo') }}
