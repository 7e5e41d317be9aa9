{#- Replace every match of a regular expression. DuckDB replaces only the first match unless
    given 'g'; Spark always replaces every match (its fourth argument is a start position) and
    reads backslashes in string literals as escapes, so they are doubled for it. -#}
{% macro regexp_replace_all(text_expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all')(text_expression, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regexp_replace_all(text_expression, pattern, replacement) -%}
    regexp_replace({{ text_expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(text_expression, pattern, replacement) -%}
    regexp_replace(
        {{ text_expression }}, '{{ pattern | replace("\\", "\\\\") }}', '{{ replacement }}'
    )
{%- endmacro %}
