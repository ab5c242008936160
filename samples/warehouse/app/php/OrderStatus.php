<?php

namespace PhotoPrint\Orders;

/**
 * Values of sales.orderinfo.order_status, as written by the storefront checkout.
 */
final class OrderStatus
{
    const STATUS_PENDING = 1;
    const STATUS_PAID = 2;
    const STATUS_PRINTING = 3;
    const STATUS_SHIPPED = 4;
    const STATUS_DELIVERED = 5;
    const STATUS_CANCELLED = 6;
    const STATUS_REFUNDED = 7;

    /** Statuses that count towards revenue. */
    const REVENUE_STATUSES = [self::STATUS_PAID, self::STATUS_PRINTING, self::STATUS_SHIPPED, self::STATUS_DELIVERED];

    public static function isFinal(int $status): bool
    {
        return in_array($status, [self::STATUS_DELIVERED, self::STATUS_CANCELLED, self::STATUS_REFUNDED], true);
    }
}
