{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}
select id, customer, amount from {{ ref('raw_orders') }}
{% if is_incremental() %}
where id >= (select max(id) from {{ this }})
{% endif %}
