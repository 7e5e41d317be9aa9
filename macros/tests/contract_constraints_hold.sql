{#- Fails with every row that breaks a constraint of the model's contract: a null in a column
    declared not_null, or a check (column- or model-level) whose expression is false. Each
    failing row comes with broken_constraints, the rules it breaks: a check's name, or its
    expression when it has none, and "<column> is not null".
    DuckDB enforces these constraints while it writes the table (a breaking row stops the
    build, naming the table and the expression), so there the contract already guarantees
    them and the test is not built (a node costs dbt ~35 ms). Spark's Parquet tables accept
    the constraints but do not enforce them, so this test is where they hold on every other
    engine. It reads the rules from the model's own contract (one list to keep) and checks
    them all in one scan: one test node per model, not one per column or rule. Like a CHECK
    constraint, a check whose expression is null (a null value) passes. The var
    check_enforced_constraints builds it on DuckDB too (as
    tests/python/build/test_contract_constraints.py does). -#}
{% test contract_constraints_hold(model) %}
{{- config(enabled=(target.type != 'duckdb' or var('check_enforced_constraints', false))) }}

    with

    checked as (

        select
            {{ broken_constraints(model) }} as broken_constraints,
            *
        from {{ model }}

    )

    select *
    from checked
    where broken_constraints != ''

{% endtest %}

{#- SQL giving, for a row of relation, the labels of the rules of its contract that the row
    breaks, joined by '; ' ('' when it breaks none). -#}
{% macro broken_constraints(relation) -%}
    {%- set labels_if_broken = [] -%}
    {%- for rule in contract_rules(relation) -%}
        {%- do labels_if_broken.append(
            'case when not (' ~ rule.holds ~ ') then '
            ~ dbt.string_literal(dbt.escape_single_quotes(rule.label)) ~ ' end'
        ) -%}
    {%- endfor -%}
    concat_ws(
        '; ',
        {{ labels_if_broken | join(',\n        ') }}
    )
{%- endmacro %}

{#- The not_null and check constraints of the contract of the model built into relation, as
    rules: {holds: a SQL predicate, label: how a failure names it}. dbt's graph is empty while
    it parses, so they are only known (and a model without any is only refused) when the test
    runs. -#}
{% macro contract_rules(relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set rules = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias == relation.identifier
            and node.schema == relation.schema -%}
            {%- for column in node.columns.values() -%}
                {%- for constraint in column.constraints -%}
                    {%- do rules.extend(constraint_rules(constraint, [column.name])) -%}
                {%- endfor -%}
            {%- endfor -%}
            {%- for constraint in node.constraints -%}
                {%- do rules.extend(constraint_rules(constraint, constraint.columns or [])) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not rules -%}
        {{ exceptions.raise_compiler_error(
            'contract_constraints_hold on ' ~ relation ~ ': its contract has no not_null or check constraint'
        ) }}
    {%- endif -%}
    {{ return(rules) }}
{%- endmacro %}

{#- The rules of one constraint: one per column for not_null, its expression for a check
    (labelled with its name when it has one); none for the other types. -#}
{% macro constraint_rules(constraint, columns) -%}
    {%- set rules = [] -%}
    {%- if constraint.type == 'not_null' -%}
        {%- for column in columns -%}
            {%- set rule = column ~ ' is not null' -%}
            {%- do rules.append({'holds': rule, 'label': rule}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if constraint.type == 'check' -%}
        {%- set label = constraint.name or constraint.expression.split() | join(' ') -%}
        {%- do rules.append({'holds': constraint.expression, 'label': label}) -%}
    {%- endif -%}
    {{ return(rules) }}
{%- endmacro %}
