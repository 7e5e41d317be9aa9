with

provenance as (

    select * from {{ ref('stg_build__provenance') }}

),

final as (

    select
        source_name,
        source_file,
        sha256,
        size_bytes,
        is_synthetic
    from provenance

)

select * from final
