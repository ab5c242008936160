"""Weekly country report for the growth team. Runs against Redshift with a DB-API connection."""

from datetime import date

from order_status import OrderStatus

COUNTRY_REVENUE_SQL = """
    SELECT c.country,
           COUNT(DISTINCT c.customer_id)          AS buyers,
           COUNT(o.order_id)                      AS orders,
           SUM(o.quantity * o.unit_price)         AS revenue
    FROM sales.orderinfo o
    INNER JOIN sales.customers c ON c.customer_id = o.customer_id
    WHERE o.order_ts >= %(start)s
      AND o.order_ts <  %(end)s
      AND o.order_status = %(status)s
    GROUP BY c.country
    ORDER BY revenue DESC
"""

LAPSED_CUSTOMERS_SQL = (
    "select c.customer_id, c.email, max(o.order_ts) as last_order_ts "
    "from sales.customers c left join sales.orderinfo o on o.customer_id = c.customer_id "
    "where c.marketing_opt_in "
    "group by c.customer_id, c.email "
    "having max(o.order_ts) < %(cutoff)s or max(o.order_ts) is null"
)


def country_revenue(conn, start: date, end: date):
    with conn.cursor() as cur:
        cur.execute(COUNTRY_REVENUE_SQL, {"start": start, "end": end, "status": int(OrderStatus.DELIVERED)})
        return cur.fetchall()


def lapsed_customers(conn, cutoff: date):
    with conn.cursor() as cur:
        cur.execute(LAPSED_CUSTOMERS_SQL, {"cutoff": cutoff})
        return cur.fetchall()
