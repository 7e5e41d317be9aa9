with

source as (

    select * from {{ source('build', 'rejects') }}

),

renamed as (

    select
        source_name,
        {{ lineage_columns() }},
        column_name,
        bad_value,
        reason
    from source

)

select * from renamed
