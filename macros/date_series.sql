{#- One row per step (day or month) from start_date to end_date, both included, as a DATE
    column: the calendar the data-quality checks hold the reported days and months against.
    Engine-specific (DuckDB's generate_series and unnest), hence dispatched. -#}
{% macro date_series(start_date, end_date, step='day') -%}
    {{ return(adapter.dispatch('date_series')(start_date, end_date, step)) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date, step) -%}
    cast(unnest(generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval 1 {{ step }}
    )) as date)
{%- endmacro %}
