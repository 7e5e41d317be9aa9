{#- Raw labels arrive with stray and doubled spaces ("15  to 21 Days"); collapse them so one
    band or category has exactly one spelling everywhere downstream. -#}
{% macro normalise_label(column_name) -%}
    regexp_replace(trim({{ column_name }}), '\s+', ' ', 'g')
{%- endmacro %}
