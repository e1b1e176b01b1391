{{ config(materialized='view') }}
select id, customer, amount from {{ ref('raw_orders') }} where amount > 8
