{#- The nation as an area of the data-quality checks: its ONS code and how it is labelled. -#}
{% macro england_area_code() -%}
    'E92000001'
{%- endmacro %}
