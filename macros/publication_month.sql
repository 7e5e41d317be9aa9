{#- A publisher's file belongs to a publication: the files of one zip archive as downloaded (the
    lineage name of an archive's file is <archive>/<member>), or a file on its own, named by
    the latest month they hold. The loader groups the files the same way when it checks that
    one publication gives an area and month once (scripts/loader/value_checks.py). -#}
{% macro publication_month(month_column, source_file_column='source_file') -%}
    max({{ month_column }}) over (partition by split_part({{ source_file_column }}, '/', 1))
{%- endmacro %}
