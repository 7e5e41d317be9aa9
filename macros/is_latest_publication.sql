{#- True on the rows of the latest publication among the rows that share the partition_by
    columns (a list): a month of an area is published several times, each publication revising
    the last, and the latest is the one to use. -#}
{% macro is_latest_publication(partition_by) -%}
    publication_month = max(publication_month) over (partition by {{ partition_by | join(', ') }})
{%- endmacro %}
