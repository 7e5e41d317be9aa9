{#- The course's cleaned files are one extract, counted as the publication of the var
    course_publication_month (June 2022; dbt_project.yml): that month as a DATE, for the
    course's rows wherever a publication month is compared or carried. -#}
{% macro course_publication_month() -%}
    cast('{{ var("course_publication_month") }}' as date)
{%- endmacro %}
