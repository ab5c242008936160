<?php

namespace PhotoPrint\Finance;

use Illuminate\Support\Facades\DB;

/**
 * Monthly payouts to fulfilment vendors, read by the finance back office (Laravel query builder).
 */
final class VendorPayouts
{
    public static function forMonth(string $month): array
    {
        return DB::table('sales.orderinfo as o')
            ->join('sales.vendors as v', 'v.vendor_id', '=', 'o.vendor_id')
            ->leftJoin('sales.shipments as s', function ($join) {
                $join->on('s.order_id', '=', 'o.order_id');
            })
            ->where(DB::raw("to_char(o.order_ts, 'YYYY-MM')"), $month)
            ->groupBy('v.vendor_id', 'v.vendor_name')
            ->select('v.vendor_id', 'v.vendor_name', DB::raw('sum(o.quantity * o.unit_price) as gross'))
            ->get()
            ->all();
    }
}
