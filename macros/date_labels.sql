{#- Dates as people read them in messages: "March 2022", "Wednesday 16 March 2022". -#}
{% macro month_label(date_expression) -%}
    {{ month_name(date_expression) }} || ' ' || cast(year({{ date_expression }}) as string)
{%- endmacro %}

{% macro day_label(date_expression) -%}
    {{ weekday_name(date_expression) }} || ' ' || cast(day({{ date_expression }}) as string)
    || ' ' || {{ month_label(date_expression) }}
{%- endmacro %}
