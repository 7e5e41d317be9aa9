{#- Analysts and BI tools query fixed schema names (staging, intermediate, marts, reference),
    so a custom schema is used as-is rather than prefixed with the target schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
