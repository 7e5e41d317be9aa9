with

source as (

    select * from {{ source('build', 'rejects') }}

),

renamed as (

    select
        source_name,
        source_file,
        cast(source_row as bigint) as source_row,
        column_name,
        bad_value,
        reason
    from source

)

select * from renamed
