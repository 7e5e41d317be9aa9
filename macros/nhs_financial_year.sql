{#- NHS financial years run April to March and are written '2021-22'. Shifting the date back
    three months lands April-March in one calendar year (the start year); shifting it forward
    nine months lands them in the next one (the end year). -#}
{% macro nhs_financial_year(date_expression) -%}
    {{ format_date(date_expression ~ ' - interval 3 month', '%Y') }}
    || '-'
    || {{ format_date(date_expression ~ ' + interval 9 month', '%y') }}
{%- endmacro %}
