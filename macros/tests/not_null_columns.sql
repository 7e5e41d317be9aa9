{#- Fails with every row in which any of the given columns is null: dbt's not_null for several
    columns in one scan (one test node, not one per column). -#}
{% test not_null_columns(model, columns) %}

    select *
    from {{ model }}
    where {{ columns | join(' is null or ') }} is null

{% endtest %}
