with

national_category_appointments as (

    select * from {{ ref('int_national_category_appointments_deduplicated') }}

),

category_months as (

    select
        appointment_month,
        service_setting,
        context_type,
        national_category,
        {{ sum_as_bigint('count_of_appointments') }} as count_of_appointments
    from national_category_appointments
    group by appointment_month, service_setting, context_type, national_category

),

final as (

    select
        appointment_month,
        service_setting,
        context_type,
        national_category,
        count_of_appointments,
        {{ safe_ratio(
            'count_of_appointments',
            'sum(count_of_appointments) over (partition by appointment_month)'
        ) }} as share_of_month_appointments,
        -- rank() is a BIGINT on DuckDB and an INT on Spark
        cast(rank() over (
            partition by appointment_month
            order by count_of_appointments desc
        ) as bigint) as month_rank
    from category_months

)

select * from final
