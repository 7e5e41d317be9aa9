{#- Fails with every row in which any of the given columns is null: dbt's not_null for several
    columns in one scan (one test node, not one per column). -#}
{% test not_null_columns(model, columns) %}

    {{ rows_with_a_null(model, columns) }}

{% endtest %}

{#- The rows of relation in which any of columns is null (shared with
    constrained_columns_not_null). -#}
{% macro rows_with_a_null(relation, columns) -%}
    select *
    from {{ relation }}
    where {{ columns | join(' is null or ') }} is null
{%- endmacro %}
