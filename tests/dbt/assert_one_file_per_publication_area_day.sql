-- Two files of one publication covering the same ICB and day would be counted twice: the build
-- stops and names both files. The loader refuses this within the publisher's files; this
-- catches it between the course's files (the June 2022 publication) and a publisher's file of
-- the same publication, for national categories and actual durations.
with

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

appointment_durations as (

    select * from {{ ref('int_appointment_durations_deduplicated') }}

),

days_by_file as (

    select distinct
        'national categories' as measure,
        publication_month,
        icb_ons_code,
        appointment_date,
        source_file
    from national_category_appointments

    union all

    select distinct
        'actual durations' as measure,
        publication_month,
        icb_ons_code,
        appointment_date,
        source_file
    from appointment_durations

)

select
    measure,
    publication_month,
    icb_ons_code,
    appointment_date,
    {{ sorted_distinct_text('source_file', ' and ') }} as files
from days_by_file
group by measure, publication_month, icb_ons_code, appointment_date
having count(*) > 1
