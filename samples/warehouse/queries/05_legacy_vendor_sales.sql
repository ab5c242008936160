-- Inherited from the old reporting box (2019). Kept as is because the monthly PDF depends on it.
select v.vendor_name, s.category, count(*) as order_cnt, sum(o.quantity * o.unit_price) as gross
from sales.orderinfo o, sales.skuinfo s, sales.vendors v
where o.product_id = s.sku_id
  and s.vendor_id = v.vendor_id
  and o.order_status in (4, 5)
group by v.vendor_name, s.category
order by gross desc;
