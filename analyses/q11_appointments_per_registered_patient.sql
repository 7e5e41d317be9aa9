-- Question: Which regions and ICBs give the most appointments per 1,000 registered patients?
-- Raw totals favour big areas; dividing by the patients registered at the practices the counts
-- cover (the publisher's coverage files) makes regions and ICBs of different sizes comparable.
-- Over the months with coverage: each region's appointments per 1,000 patients in a month (all
-- appointments over all registered patient-months), then the three ICBs with the highest and
-- the three with the lowest. Without an APPOINTMENTS_GP_COVERAGE file in the build the rates are
-- null and months_with_coverage is 0.
with

regions as (

    select * from {{ ref('utilisation_monthly_by_region') }}

),

icbs as (

    select * from {{ ref('utilisation_monthly_by_icb') }}

),

region_rates as (

    select
        'region' as area_type,
        region_name as area_name,
        min(appointment_month) filter (where registered_patients is not null) as first_month,
        max(appointment_month) filter (where registered_patients is not null) as last_month,
        count(registered_patients) as months_covered,
        1000.0
        * sum(total_appointments) filter (where registered_patients is not null)
        / sum(registered_patients) as appointments_per_1000,
        avg(registered_patients) as average_registered_patients,
        min(practice_coverage) as lowest_practice_coverage
    from regions
    group by region_name

),

icb_rates as (

    select
        'ICB' as area_type,
        icb_name as area_name,
        min(appointment_month) as first_month,
        max(appointment_month) as last_month,
        count(*) as months_covered,
        1000.0 * sum(total_appointments) / sum(registered_patients) as appointments_per_1000,
        avg(registered_patients) as average_registered_patients,
        min(practice_coverage) as lowest_practice_coverage
    from icbs
    where registered_patients is not null
    group by icb_name

),

icb_ranked as (

    select
        *,
        row_number() over (order by appointments_per_1000 desc) as rank_from_top,
        row_number() over (order by appointments_per_1000) as rank_from_bottom
    from icb_rates

),

areas as (

    select * from region_rates
    union all
    select
        area_type,
        area_name,
        first_month,
        last_month,
        months_covered,
        appointments_per_1000,
        average_registered_patients,
        lowest_practice_coverage
    from icb_ranked
    where rank_from_top <= 3 or rank_from_bottom <= 3

)

select
    area_type,
    area_name,
    first_month,
    last_month,
    months_covered as months_with_coverage,
    round(appointments_per_1000, 1) as appointments_per_1000_patients_a_month,
    round(average_registered_patients) as average_registered_patients,
    round(lowest_practice_coverage, 3) as lowest_practice_coverage
from areas
order by area_type desc, appointments_per_1000_patients_a_month desc nulls last, area_name asc
