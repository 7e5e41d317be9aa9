{#- The landed CSVs as tables, run on-run-start. DuckDB reads each file where it is used,
    through the sources' external_location (read_csv), so it needs nothing here. dbt-spark
    ignores external_location: on Spark every source becomes a table over its landed file
    (the file is only read, never moved), every column as text like DuckDB's all_varchar,
    with the loader's quoting rules (double quotes, doubled to escape one, newlines allowed
    inside them) and FAILFAST, so a malformed line stops the build instead of turning into
    nulls. -#}
{% macro create_landed_source_tables() -%}
    {{ return(adapter.dispatch('create_landed_source_tables')()) }}
{%- endmacro %}

{% macro default__create_landed_source_tables() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__create_landed_source_tables() -%}
    {%- if execute -%}
        {%- set landing_dir = env_var('NHS_LANDING_DIR', 'warehouse/landing') -%}
        {%- for source_node in graph.sources.values() -%}
            {%- do run_query('create database if not exists ' ~ source_node.schema) -%}
            {%- do run_query('drop table if exists ' ~ source_node.schema ~ '.' ~ source_node.identifier) -%}
            {%- call statement('create_' ~ source_node.identifier) -%}
                create table {{ source_node.schema }}.{{ source_node.identifier }}
                using csv
                options (
                    path '{{ landing_dir }}/{{ source_node.identifier }}.csv',
                    header 'true',
                    multiLine 'true',
                    quote '"',
                    escape '"',
                    mode 'FAILFAST'
                )
            {%- endcall -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
