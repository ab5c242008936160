-- MetricFlow's time spine, one row per day: the semantic layer needs one (see semantic_models.yml).
{{ config(materialized='table') }}

with recursive days (date_day) as (
    select date '2015-01-01'
    union all
    select date_day + 1 from days where date_day < date '2030-12-31'
)

select date_day from days
