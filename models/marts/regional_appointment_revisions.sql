with

regional_appointments as (

    select * from {{ ref('int_regional_appointments_unioned') }}

),

course_categories as (

    select * from {{ ref('stg_nhs__national_category_appointments') }}

),

publisher_categories as (

    select * from {{ ref('stg_nhs__publisher_national_category_appointments') }}

),

course_durations as (

    select * from {{ ref('stg_nhs__appointment_durations') }}

),

publisher_durations as (

    select * from {{ ref('stg_nhs__publisher_appointment_durations') }}

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

published as (

    select
        appointment_month,
        icb_ons_code,
        publication_month,
        bool_or(is_latest_publication) as is_latest_publication,
        {{ sorted_distinct_text('source_file', ', ') }} as source_files,
        {{ pivot_appointment_outcomes() }}
    from regional_appointments
    group by appointment_month, icb_ons_code, publication_month

),

-- the national-category and actual-duration rows of every publication (the course's files
-- are the June 2022 publication), to be totalled by month and ICB
daily_rows as (

    select
        'national_category_appointments' as measure,
        appointment_month,
        icb_ons_code,
        {{ course_publication_month() }} as publication_month,
        source_file,
        count_of_appointments
    from course_categories
    union all
    select
        'national_category_appointments' as measure,
        appointment_month,
        icb_ons_code,
        publication_month,
        source_file,
        count_of_appointments
    from publisher_categories
    union all
    select
        'duration_appointments' as measure,
        appointment_month,
        icb_ons_code,
        {{ course_publication_month() }} as publication_month,
        source_file,
        count_of_appointments
    from course_durations
    union all
    select
        'duration_appointments' as measure,
        appointment_month,
        icb_ons_code,
        publication_month,
        source_file,
        count_of_appointments
    from publisher_durations

),

daily_published as (

    select
        appointment_month,
        icb_ons_code,
        measure,
        publication_month,
        {{ sum_as_bigint('count_of_appointments') }} as published_figure,
        {{ sorted_distinct_text('source_file', ', ') }} as source_files
    from daily_rows
    group by appointment_month, icb_ons_code, measure, publication_month

),

-- one row per measure, so each publication's figure of a measure sits in one column
measures as (

    -- the SQL-standard unpivot, which DuckDB and Spark both read
    select
        appointment_month,
        icb_ons_code,
        measure,
        publication_month,
        is_latest_publication,
        published_figure,
        source_files
    from published
    unpivot (
        published_figure for measure in (
            total_appointments,
            attended_appointments,
            dna_appointments,
            unknown_status_appointments
        )
    )
    union all
    -- as int_national_category_appointments_deduplicated and
    -- int_appointment_durations_deduplicated keep them: the latest publication of a month and
    -- ICB
    select
        appointment_month,
        icb_ons_code,
        measure,
        publication_month,
        {{ is_latest_publication(['appointment_month', 'icb_ons_code', 'measure']) }}
            as is_latest_publication,
        published_figure,
        source_files
    from daily_published

),

compared as (

    select
        measures.appointment_month,
        measures.icb_ons_code,
        integrated_care_boards.icb_name,
        measures.measure,
        measures.publication_month,
        measures.is_latest_publication,
        cast(measures.published_figure as bigint) as published_figure,
        cast(
            measures.published_figure - lag(measures.published_figure) over by_publication
            as bigint
        ) as change_from_previous_publication,
        cast(
            measures.published_figure
            - last_value(measures.published_figure) over every_publication
            as bigint
        ) as difference_from_latest,
        measures.source_files,
        lag(measures.publication_month) over by_publication as previous_publication_month,
        count(*) over (
            partition by measures.appointment_month, measures.icb_ons_code, measures.measure
        ) as publications
    from measures
    left join integrated_care_boards
        on measures.icb_ons_code = integrated_care_boards.icb_ons_code
    -- two windows, not one extended with a frame in over (...): Spark reads only the former
    window
        by_publication as (
            partition by measures.appointment_month, measures.icb_ons_code, measures.measure
            order by measures.publication_month
        ),
        every_publication as (
            partition by measures.appointment_month, measures.icb_ons_code, measures.measure
            order by measures.publication_month
            rows between unbounded preceding and unbounded following
        )

),

final as (

    select
        appointment_month,
        icb_ons_code,
        icb_name,
        measure,
        publication_month,
        is_latest_publication,
        published_figure,
        previous_publication_month,
        change_from_previous_publication,
        difference_from_latest,
        publications,
        source_files
    from compared

)

select * from final
