{#- The course's national_categories workbook (the June 2022 publication) and the publisher's
    National_Categories_CSV files in one grain. Each publication re-issues a window of past
    months; for each month and ICB, keep the rows of the latest publication that covers it
    (earlier publications' rows are dropped: revisions are kept for the regional measures only,
    in regional_appointment_revisions). -#}
with

course_categories as (

    select * from {{ ref('stg_nhs__national_category_appointments') }}

),

publisher_categories as (

    select * from {{ ref('stg_nhs__publisher_national_category_appointments') }}

),

unioned as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        -- the course's files are one extract, counted as the June 2022 publication
        cast('{{ var("course_publication_month") }}' as date) as publication_month,
        source_file,
        source_row
    from course_categories

    union all

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        publication_month,
        source_file,
        source_row
    from publisher_categories

),

flagged as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        publication_month,
        source_file,
        source_row,
        max(publication_month) over (
            partition by appointment_month, icb_ons_code
        ) as latest_publication_month
    from unioned

),

latest as (

    select
        appointment_date,
        appointment_month,
        sub_icb_location_code,
        sub_icb_location_name,
        icb_ons_code,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        publication_month,
        source_file,
        source_row
    from flagged
    where publication_month = latest_publication_month

)

select * from latest
