with

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

integrated_care_boards as (

    select * from {{ ref('integrated_care_boards') }}

),

final as (

    select
        national_category_appointments.appointment_date,
        national_category_appointments.appointment_month,
        national_category_appointments.sub_icb_location_code,
        national_category_appointments.icb_ons_code,
        integrated_care_boards.region_ons_code,
        national_category_appointments.service_setting,
        national_category_appointments.context_type,
        national_category_appointments.national_category,
        national_category_appointments.count_of_appointments
    from national_category_appointments
    left join integrated_care_boards
        on national_category_appointments.icb_ons_code = integrated_care_boards.icb_ons_code

)

select * from final
