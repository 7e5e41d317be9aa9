{#- Lineage columns the loader appends to every landed file. -#}
{% macro lineage_columns() -%}
    source_file,
    cast(source_row as bigint) as source_row
{%- endmacro %}
