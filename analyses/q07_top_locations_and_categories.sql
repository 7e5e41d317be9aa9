-- Question: What are the top locations and national categories?
-- The ten sub-ICB locations with the most appointments (actual_duration, December 2021 to June
-- 2022) and the ten national categories with the most appointments (national_categories,
-- SYNTHETIC, August 2021 to June 2022), each with its share of its source's total.
with

durations as (

    select * from {{ ref('fct_appointment_duration_daily') }}

),

locations as (

    select * from {{ ref('dim_location') }}

),

categories as (

    select * from {{ ref('national_category_monthly') }}

),

location_totals as (

    select
        durations.sub_icb_location_code,
        sum(durations.count_of_appointments) as appointments
    from durations
    group by durations.sub_icb_location_code

),

category_totals as (

    select
        national_category,
        sum(count_of_appointments) as appointments
    from categories
    group by national_category

),

ranked as (

    select
        'sub-ICB location' as ranking,
        locations.sub_icb_location_name || ' (' || locations.region_name || ')' as item,
        location_totals.appointments,
        location_totals.appointments / sum(location_totals.appointments) over () as share_of_source,
        rank() over (order by location_totals.appointments desc) as item_rank
    from location_totals
    inner join locations
        on location_totals.sub_icb_location_code = locations.sub_icb_location_code

    union all

    select
        'national category' as ranking,
        national_category as item,
        appointments,
        appointments / sum(appointments) over () as share_of_source,
        rank() over (order by appointments desc) as item_rank
    from category_totals

)

select
    ranking,
    item_rank,
    item,
    appointments,
    round(share_of_source, 4) as share_of_source
from ranked
where item_rank <= 10
order by ranking desc, item_rank asc
