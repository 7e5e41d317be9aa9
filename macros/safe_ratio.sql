{#- A ratio that is null, not an error, when the denominator is zero (e.g. a month with no
    known outcomes), and that is never integer division. -#}
{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
