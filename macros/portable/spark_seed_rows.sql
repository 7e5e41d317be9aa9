{#- dbt-spark's own seed loader hands each value to the driver as a binding, and its session
    method pastes bindings into the SQL unescaped, so a value with an apostrophe ("New Year's
    Day") breaks the insert. This one writes every value as an escaped Spark string literal
    cast to the column's type (the seeds' column_types), which every connection method reads
    the same way. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do column_types.append(model['config'].get('column_types', {}).get(
            column_name, adapter.convert_type(agate_table, loop.index0)
        )) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set row_values = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- do values.append(spark_seed_value(value, column_types[loop.index0])) -%}
            {%- endfor -%}
            {%- do row_values.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ row_values | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {#- the SQL of the first batch, for the compiled files, as dbt's own loader returns -#}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- One seed value as a Spark literal of the given type: backslashes and apostrophes escaped
    (Spark string literals take backslash escapes). -#}
{% macro spark_seed_value(value, type) -%}
    {%- if value is none -%}
        cast(null as {{ type }})
    {%- else -%}
        {%- set text = value | string | replace('\\', '\\\\') | replace("'", "\\'") -%}
        cast('{{ text }}' as {{ type }})
    {%- endif -%}
{%- endmacro %}
