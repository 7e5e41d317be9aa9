{#- Fails when the total of column_name in this model differs from the total of
    compare_column in compare_model: no appointment may be lost or double counted
    between layers (of compare_model's rows that compare_where keeps, when given). -#}
{% test equal_column_total(
    model, column_name, compare_model, compare_column=none, compare_where=none
) %}

    with

    model_total as (

        select coalesce(sum({{ column_name }}), 0) as total
        from {{ model }}

    ),

    compare_total as (

        select coalesce(sum({{ compare_column or column_name }}), 0) as total
        from {{ compare_model }}
        where {{ compare_where or 'true' }}

    )

    select
        model_total.total as model_total,
        compare_total.total as compare_total
    from model_total
    cross join compare_total
    where model_total.total != compare_total.total

{% endtest %}
