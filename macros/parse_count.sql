{#- The loader has already refused blank, negative and fractional counts; the cast to BIGINT
    (not the HUGEINT that DuckDB sums default to) keeps BI drivers happy downstream. -#}
{% macro parse_count(column_name) -%}
    cast({{ column_name }} as bigint)
{%- endmacro %}
