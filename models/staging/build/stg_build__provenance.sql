with

source as (

    select * from {{ source('build', 'provenance') }}

),

renamed as (

    select
        source_name,
        source_file,
        sha256,
        cast(size_bytes as bigint) as size_bytes,
        cast(is_synthetic as boolean) as is_synthetic
    from source

)

select * from renamed
