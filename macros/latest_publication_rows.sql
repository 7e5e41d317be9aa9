{#- The course's rows (the June 2022 publication, var course_publication_month) and a
    publisher's rows of the same grain in one: for each month and ICB, the rows of the latest
    publication that covers it. columns: the grain's columns but publication_month and the
    lineage, which follow them. Written as joins on the few publisher months rather than a
    window over every course row, which is most of the rows and nearly always kept. Shared by
    the national-category and actual-duration models, whose publications work alike. -#}
{% macro latest_publication_rows(course_relation, publisher_relation, columns) -%}
    {%- set course_publication = course_publication_month() -%}

with

course_rows as (

    select * from {{ course_relation }}

),

publisher_rows as (

    select * from {{ publisher_relation }}

),

-- the latest publisher publication of each month and ICB (a few rows, or none)
publisher_publications as (

    select
        appointment_month,
        icb_ons_code,
        max(publication_month) as latest_publication_month
    from publisher_rows
    group by appointment_month, icb_ons_code

),

-- the months and ICBs of the course's files
course_months as (

    select distinct
        appointment_month,
        icb_ons_code
    from course_rows

),

-- the course's rows, unless a later publication covers their month and ICB
course_kept as (

    select
    {%- for column in columns %}
        course_rows.{{ column }},
    {%- endfor %}
    {{ course_publication }} as publication_month,
        course_rows.source_file,
        course_rows.source_row
    from course_rows
    left join publisher_publications
        on
            course_rows.appointment_month = publisher_publications.appointment_month
            and course_rows.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_publications.latest_publication_month > {{ course_publication }}
    where publisher_publications.appointment_month is null

),

-- the publisher's rows of the latest publisher publication, unless the course's is later
publisher_kept as (

    select
    {%- for column in columns %}
        publisher_rows.{{ column }},
    {%- endfor %}
        publisher_rows.publication_month,
        publisher_rows.source_file,
        publisher_rows.source_row
    from publisher_rows
    inner join publisher_publications
        on
            publisher_rows.appointment_month = publisher_publications.appointment_month
            and publisher_rows.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_rows.publication_month
            = publisher_publications.latest_publication_month
    left join course_months
        on
            publisher_rows.appointment_month = course_months.appointment_month
            and publisher_rows.icb_ons_code = course_months.icb_ons_code
    where
        course_months.appointment_month is null
        or publisher_rows.publication_month >= {{ course_publication }}

),

latest as (

    select * from course_kept
    union all
    select * from publisher_kept

)

select * from latest
{%- endmacro %}
