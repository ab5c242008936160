-- From the 2017 loyalty report: columns written bare where only one table has them, and the loyal customers picked
-- by a subquery. Quarry still reads its joins: USING, and IN (SELECT …) as a semi-join.
select order_id, order_ts, carrier, shipped_at
from sales.orderinfo
join sales.shipments using (order_id)
where customer_id in (select customer_id from sales.customers where loyalty_tier >= 3)
  and order_status = 5
order by shipped_at desc;
