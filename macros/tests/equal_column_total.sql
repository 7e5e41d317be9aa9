{#- Fails when the total of column_name in this model differs from the total of
    compare_column in compare_model: no appointment may be lost or double counted
    between layers. Worth a test only where the model can lose or repeat rows (an inner
    join, a filter, a join on a key not known to be unique); a plain select or a sum with
    left joins on unique keys keeps the total by construction. -#}
{% test equal_column_total(model, column_name, compare_model, compare_column=none) %}

    with

    model_total as (

        select coalesce(sum({{ column_name }}), 0) as total
        from {{ model }}

    ),

    compare_total as (

        select coalesce(sum({{ compare_column or column_name }}), 0) as total
        from {{ compare_model }}

    )

    select
        model_total.total as model_total,
        compare_total.total as compare_total
    from model_total
    cross join compare_total
    where model_total.total != compare_total.total

{% endtest %}
