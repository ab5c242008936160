"""Order lifecycle codes stored in sales.orderinfo.order_status."""

from enum import IntEnum


class OrderStatus(IntEnum):
    PENDING = 1
    PAID = 2
    PRINTING = 3
    SHIPPED = 4
    DELIVERED = 5
    CANCELLED = 6
    REFUNDED = 7


# Labels used by the customer-service dashboard.
ORDER_STATUS_LABELS = {
    1: "Pending payment",
    2: "Paid",
    3: "Printing",
    4: "Shipped",
    5: "Delivered",
    6: "Cancelled",
    7: "Refunded",
}

# Django-style choices for the admin's order model (status = models.SmallIntegerField(choices=ORDER_STATUS_CHOICES)).
ORDER_STATUS_CHOICES = [
    (1, "pending"),
    (2, "paid"),
    (3, "printing"),
    (4, "shipped"),
    (5, "delivered"),
    (6, "cancelled"),
    (7, "refunded"),
]

OPEN_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.PRINTING, OrderStatus.SHIPPED})


def label(code: int) -> str:
    return ORDER_STATUS_LABELS.get(code, f"Unknown ({code})")
