with

sub_icb_locations as (

    select * from {{ ref('sub_icb_locations') }}

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

nhs_regions as (

    select * from {{ ref('nhs_regions') }}

),

final as (

    select
        sub_icb_locations.sub_icb_location_code,
        sub_icb_locations.sub_icb_location_ons_code,
        sub_icb_locations.sub_icb_location_name,
        sub_icb_locations.icb_ons_code,
        integrated_care_boards.icb_name,
        integrated_care_boards.region_ons_code,
        nhs_regions.region_name
    from sub_icb_locations
    left join integrated_care_boards
        on sub_icb_locations.icb_ons_code = integrated_care_boards.icb_ons_code
    left join nhs_regions
        on integrated_care_boards.region_ons_code = nhs_regions.region_ons_code

)

select * from final
