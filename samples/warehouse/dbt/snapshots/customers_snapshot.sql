-- Loyalty tiers and marketing consent change over time: keep their history (dbt snapshot, check strategy).
{% snapshot customers_snapshot %}
{{
    config(
      target_schema='snapshots',
      unique_key='customer_id',
      strategy='check',
      check_cols=['loyalty_tier', 'marketing_opt_in'],
    )
}}
select customer_id, email, loyalty_tier, marketing_opt_in
from {{ source('sales', 'customers') }}
{% endsnapshot %}
