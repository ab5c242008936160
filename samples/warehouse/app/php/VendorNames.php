<?php

namespace PhotoPrint\Catalog;

/**
 * Display names of fulfilment vendors, keyed by sales.vendors.vendor_id.
 * Kept in code because the invoice PDF renderer cannot reach the warehouse.
 */
final class VendorNames
{
    public static function nameFor(int $vendorId): string
    {
        switch ($vendorId) {
            case 101:
                return 'Lumen Print, Ltd.';
            case 102:
                return 'Silverhalide Works';
            case 103:
                return 'Northlight Canvas Co.';
            case 104:
                return 'Papier & Encre "Atelier"';
            case 105:
                return 'Drukarnia Świt';
            case 106:
                return 'Fotolabor Größe GmbH';
            case 107:
                return 'Tōkyō Print Works';
            case 108:
                return 'Harbor & Pine Framing';
            case 109:
                return 'Ceramica Bella S.r.l.';
            case 110:
                return 'Bluewater Mugs';
            case 111:
                return 'Nordisk Fotobok AB';
            case 112:
                return 'Grainhouse Posters';
            case 113:
                return 'Estudio Revelado';
            case 114:
                return 'Maple Leaf Imaging';
            case 115:
                return 'Southern Cross Prints Pty';
            case 116:
                return 'Alpine Frames AG';
            case 117:
                return 'Kiwi Photo Co-op';
            case 118:
                return 'Brightline Canvas';
            case 119:
                return 'Copperplate Press';
            case 120:
                return 'Old Dock Printers (legacy)';
            default:
                return 'Unknown vendor #' . $vendorId;
        }
    }
}
