{#- Every day from first_day to last_day (both included) of the one-row relation bounds: like
    days_between, but for bounds computed in SQL rather than known when the model compiles. -#}
{% macro days_in_bounds(bounds, column_name='date_day') -%}
    {{ return(adapter.dispatch('days_in_bounds')(bounds, column_name)) }}
{%- endmacro %}

{% macro duckdb__days_in_bounds(bounds, column_name) -%}
    select cast(unnest(range(first_day, last_day + interval 1 day, interval 1 day)) as date)
        as {{ column_name }}
    from {{ bounds }}
{%- endmacro %}

{% macro spark__days_in_bounds(bounds, column_name) -%}
    select explode(sequence(first_day, last_day, interval 1 day)) as {{ column_name }}
    from {{ bounds }}
{%- endmacro %}
