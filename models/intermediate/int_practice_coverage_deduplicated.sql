{#- Each coverage file re-issues the months of its window; for each sub-ICB location and month
    keep the figures of the latest publication that covers it. -#}
with

practice_coverage as (

    select * from {{ ref('stg_nhs__practice_coverage') }}

),

ranked as (

    select
        appointment_month,
        sub_icb_location_code,
        icb_ons_code,
        included_practices,
        open_practices,
        patients_at_included_practices,
        patients_at_open_practices,
        publication_month,
        source_file,
        row_number() over (
            partition by sub_icb_location_code, appointment_month
            order by publication_month desc, source_file desc
        ) as publication_rank
    from practice_coverage

),

latest as (

    select
        appointment_month,
        sub_icb_location_code,
        icb_ons_code,
        included_practices,
        open_practices,
        patients_at_included_practices,
        patients_at_open_practices,
        publication_month,
        source_file
    from ranked
    where publication_rank = 1

)

select * from latest
