{#- Lists (DuckDB) and arrays (Spark) of text: how each engine splits text into positioned
    rows, gathers rows back into an ordered list, writes an empty list and counts a list. -#}

{#- Select-list items turning each row into one row per delimited part of text_expression:
    value_alias holds the part, position_alias its place (only its order is meant to be used:
    DuckDB counts from 1, Spark from 0). The delimiter must be a literal character with no
    meaning in a regular expression (Spark's split takes a pattern). -#}
{% macro split_with_positions(text_expression, delimiter, value_alias, position_alias) -%}
    {{ return(adapter.dispatch('split_with_positions')(
        text_expression, delimiter, value_alias, position_alias
    )) }}
{%- endmacro %}

{% macro duckdb__split_with_positions(text_expression, delimiter, value_alias, position_alias) -%}
    unnest(string_split({{ text_expression }}, '{{ delimiter }}')) as {{ value_alias }},
    generate_subscripts(string_split({{ text_expression }}, '{{ delimiter }}'), 1)
    as {{ position_alias }}
{%- endmacro %}

{% macro spark__split_with_positions(text_expression, delimiter, value_alias, position_alias) -%}
    posexplode(split({{ text_expression }}, '{{ delimiter }}'))
    as ({{ position_alias }}, {{ value_alias }})
{%- endmacro %}

{#- Aggregate: the group's values as one list in order_expression's order. -#}
{% macro ordered_list(value_expression, order_expression) -%}
    {{ return(adapter.dispatch('ordered_list')(value_expression, order_expression)) }}
{%- endmacro %}

{% macro duckdb__ordered_list(value_expression, order_expression) -%}
    list({{ value_expression }} order by {{ order_expression }})
{%- endmacro %}

{% macro spark__ordered_list(value_expression, order_expression) -%}
    transform(
        array_sort(collect_list(named_struct(
            'sort_key', {{ order_expression }}, 'item', {{ value_expression }}
        ))),
        entry -> entry.item
    )
{%- endmacro %}

{% macro empty_text_list() -%}
    {{ return(adapter.dispatch('empty_text_list')()) }}
{%- endmacro %}

{% macro duckdb__empty_text_list() -%}
    cast([] as varchar [])
{%- endmacro %}

{% macro spark__empty_text_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{#- Number of items as a BIGINT, null for a null list (Spark's array_size, not its size,
    which returns -1 for null; both return an INT there). -#}
{% macro list_size(list_expression) -%}
    {{ return(adapter.dispatch('list_size')(list_expression)) }}
{%- endmacro %}

{% macro duckdb__list_size(list_expression) -%}
    cast(len({{ list_expression }}) as bigint)
{%- endmacro %}

{% macro spark__list_size(list_expression) -%}
    cast(array_size({{ list_expression }}) as bigint)
{%- endmacro %}

{#- Aggregate: the group's distinct values of a text expression, sorted, joined by delimiter
    (a literal string). -#}
{% macro sorted_distinct_text(text_expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_distinct_text')(text_expression, delimiter)) }}
{%- endmacro %}

{% macro duckdb__sorted_distinct_text(text_expression, delimiter) -%}
    string_agg(
        distinct {{ text_expression }}, '{{ delimiter }}' order by {{ text_expression }}
    )
{%- endmacro %}

{% macro spark__sorted_distinct_text(text_expression, delimiter) -%}
    array_join(array_sort(collect_set({{ text_expression }})), '{{ delimiter }}')
{%- endmacro %}
