{#- Fails with every group whose shares (column_name) do not add up to 1, within a rounding
    tolerance: a share must be a part of its own group's whole, nothing lost or counted twice.
    Groups whose shares are all null (nothing to share out) are left alone. -#}
{% test shares_sum_to_one(model, column_name, group_by_columns, tolerance=0.000001) %}

    select
        {{ group_by_columns | join(', ') }},
        sum({{ column_name }}) as total_share
    from {{ model }}
    group by {{ group_by_columns | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > {{ tolerance }}

{% endtest %}
