{#- The course's actual_duration.csv (the June 2022 publication) and the publisher's
    Actual_Duration_CSV files in one grain. Each publication re-issues a window of past
    months; for each month and ICB, keep the rows of the latest publication that covers it
    (earlier publications' rows are dropped; their monthly totals by ICB are kept in
    regional_appointment_revisions). Written as joins on the few publisher months rather
    than a window over every course row, which is most of the rows and nearly always kept. -#}
with

course_durations as (

    select * from {{ ref('stg_nhs__appointment_durations') }}

),

publisher_durations as (

    select * from {{ ref('stg_nhs__publisher_appointment_durations') }}

),

-- the latest publisher publication of each month and ICB (a few rows, or none)
publisher_publications as (

    select
        appointment_month,
        icb_ons_code,
        max(publication_month) as latest_publication_month
    from publisher_durations
    group by appointment_month, icb_ons_code

),

-- the months and ICBs of the course's files (the June 2022 publication)
course_months as (

    select distinct
        appointment_month,
        icb_ons_code
    from course_durations

),

-- the course's rows, unless a later publication covers their month and ICB
course_kept as (

    select
        course_durations.appointment_date,
        course_durations.appointment_month,
        course_durations.sub_icb_location_code,
        course_durations.sub_icb_location_ons_code,
        course_durations.sub_icb_location_name,
        course_durations.icb_ons_code,
        course_durations.region_ons_code,
        course_durations.duration_band,
        course_durations.duration_band_order,
        course_durations.duration_min_minutes,
        course_durations.duration_max_minutes,
        course_durations.count_of_appointments,
        cast('{{ var("course_publication_month") }}' as date) as publication_month,
        course_durations.source_file,
        course_durations.source_row
    from course_durations
    left join publisher_publications
        on
            course_durations.appointment_month = publisher_publications.appointment_month
            and course_durations.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_publications.latest_publication_month
            > cast('{{ var("course_publication_month") }}' as date)
    where publisher_publications.appointment_month is null

),

-- the publisher's rows of the latest publisher publication, unless the course's is later
publisher_kept as (

    select
        publisher_durations.appointment_date,
        publisher_durations.appointment_month,
        publisher_durations.sub_icb_location_code,
        publisher_durations.sub_icb_location_ons_code,
        publisher_durations.sub_icb_location_name,
        publisher_durations.icb_ons_code,
        publisher_durations.region_ons_code,
        publisher_durations.duration_band,
        publisher_durations.duration_band_order,
        publisher_durations.duration_min_minutes,
        publisher_durations.duration_max_minutes,
        publisher_durations.count_of_appointments,
        publisher_durations.publication_month,
        publisher_durations.source_file,
        publisher_durations.source_row
    from publisher_durations
    inner join publisher_publications
        on
            publisher_durations.appointment_month = publisher_publications.appointment_month
            and publisher_durations.icb_ons_code = publisher_publications.icb_ons_code
            and publisher_durations.publication_month
            = publisher_publications.latest_publication_month
    left join course_months
        on
            publisher_durations.appointment_month = course_months.appointment_month
            and publisher_durations.icb_ons_code = course_months.icb_ons_code
    where
        course_months.appointment_month is null
        or publisher_durations.publication_month
        >= cast('{{ var("course_publication_month") }}' as date)

),

latest as (

    select * from course_kept
    union all
    select * from publisher_kept

)

select * from latest
