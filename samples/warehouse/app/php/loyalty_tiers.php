<?php

// Labels of sales.customers.loyalty_tier shown in the account page and the CRM export.
$LOYALTY_TIER_LABELS = [
    0 => 'None',
    1 => 'Silver',
    2 => 'Gold',
    3 => 'Platinum',
];

// Free-shipping threshold in USD per tier (null: never free).
$FREE_SHIPPING_FROM = array(
    0 => null,
    1 => 75.00,
    2 => 40.00,
    3 => 0.00,
);

function loyalty_label(int $tier): string
{
    global $LOYALTY_TIER_LABELS;
    return $LOYALTY_TIER_LABELS[$tier] ?? 'Unknown';
}
