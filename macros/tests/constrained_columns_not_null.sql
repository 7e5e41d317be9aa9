{#- Fails with every row in which a column that the model's contract declares not_null holds
    a null. DuckDB enforces those constraints while it writes the table, so there the contract
    already guarantees them and the test is not built (a node costs dbt ~35 ms); Spark's
    Parquet tables accept the constraints but do not enforce them, so this test is where they
    hold on every other engine. It reads the columns from the model's own constraints (one
    list to keep), and checks them all in one scan: one test node per model, not one per
    column. The var check_enforced_constraints builds it on DuckDB too (its own test in
    tests/python/build/test_not_null_constraints.py does). -#}
{% test constrained_columns_not_null(model) %}

    {{ config(enabled=(target.type != 'duckdb' or var('check_enforced_constraints', false))) }}

    {{ rows_with_a_null(model, not_null_constrained_columns(model)) }}

{% endtest %}

{#- The columns of the model built into relation that carry a not_null constraint. dbt's
    graph is empty while it parses, so they are only known (and checked to exist) when the
    test runs. -#}
{% macro not_null_constrained_columns(relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias == relation.identifier
            and node.schema == relation.schema -%}
            {%- for column in node.columns.values() -%}
                {%- if column.constraints | selectattr('type', 'equalto', 'not_null') | list -%}
                    {%- do columns.append(column.name) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not columns -%}
        {{ exceptions.raise_compiler_error(
            'constrained_columns_not_null on ' ~ relation ~ ': no column has a not_null constraint'
        ) }}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
