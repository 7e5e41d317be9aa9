with

rejects as (

    select * from {{ ref('stg_build__rejects') }}

),

final as (

    select
        source_name,
        source_file,
        source_row,
        column_name,
        bad_value,
        reason
    from rejects

)

select * from final
