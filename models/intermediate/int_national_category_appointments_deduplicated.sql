{#- The course's national_categories workbook (the June 2022 publication) and the publisher's
    National_Categories_CSV files in one grain. Each publication re-issues a window of past
    months; for each month and ICB, keep the rows of the latest publication that covers it
    (earlier publications' rows are dropped; their monthly totals by ICB are kept in
    regional_appointment_revisions). Written as joins on the few publisher months rather
    than a window over every course row, which is most of the rows and nearly always kept. -#}
with

course_categories as (

    select * from {{ ref('stg_nhs__national_category_appointments') }}

),

publisher_categories as (

    select * from {{ ref('stg_nhs__publisher_national_category_appointments') }}

),

-- the latest publisher publication of each month and ICB (a few rows, or none)
publisher_publications as (

    select
        appointment_month,
        icb_ons_code,
        max(publication_month) as latest_publication_month
    from publisher_categories
    group by appointment_month, icb_ons_code

),

-- the months and ICBs of the course's files (the June 2022 publication)
course_months as (

    select distinct
        appointment_month,
        icb_ons_code
    from course_categories

),

-- the course's rows, unless a later publication covers their month and ICB
course_kept as (

    select
        course_categories.appointment_date,
        course_categories.appointment_month,
        course_categories.sub_icb_location_code,
        course_categories.sub_icb_location_name,
        course_categories.icb_ons_code,
        course_categories.service_setting,
        course_categories.context_type,
        course_categories.national_category,
        course_categories.count_of_appointments,
        cast('{{ var("course_publication_month") }}' as date) as publication_month,
        course_categories.source_file,
        course_categories.source_row
    from course_categories
    left join publisher_publications
        on
            course_categories.appointment_month = publisher_publications.appointment_month
            and course_categories.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_publications.latest_publication_month
            > cast('{{ var("course_publication_month") }}' as date)
    where publisher_publications.appointment_month is null

),

-- the publisher's rows of the latest publisher publication, unless the course's is later
publisher_kept as (

    select
        publisher_categories.appointment_date,
        publisher_categories.appointment_month,
        publisher_categories.sub_icb_location_code,
        publisher_categories.sub_icb_location_name,
        publisher_categories.icb_ons_code,
        publisher_categories.service_setting,
        publisher_categories.context_type,
        publisher_categories.national_category,
        publisher_categories.count_of_appointments,
        publisher_categories.publication_month,
        publisher_categories.source_file,
        publisher_categories.source_row
    from publisher_categories
    inner join publisher_publications
        on
            publisher_categories.appointment_month = publisher_publications.appointment_month
            and publisher_categories.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_categories.publication_month
            = publisher_publications.latest_publication_month
    left join course_months
        on
            publisher_categories.appointment_month = course_months.appointment_month
            and publisher_categories.icb_ons_code = course_months.icb_ons_code
    where
        course_months.appointment_month is null
        or publisher_categories.publication_month
        >= cast('{{ var("course_publication_month") }}' as date)

),

latest as (

    select * from course_kept
    union all
    select * from publisher_kept

)

select * from latest
