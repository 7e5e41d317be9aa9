{#- Text from a printf-style pattern and a list of SQL expressions, for people-facing messages:
    %s, %,d (thousands separators) and %+.1f work on both engines (DuckDB's printf, Spark's
    format_string, which share the pattern language). -#}
{% macro format_text(pattern, arguments) -%}
    {{ return(adapter.dispatch('format_text')(pattern, arguments)) }}
{%- endmacro %}

{% macro duckdb__format_text(pattern, arguments) -%}
    printf({{ pattern }}, {{ arguments | join(', ') }})
{%- endmacro %}

{% macro spark__format_text(pattern, arguments) -%}
    format_string({{ pattern }}, {{ arguments | join(', ') }})
{%- endmacro %}
