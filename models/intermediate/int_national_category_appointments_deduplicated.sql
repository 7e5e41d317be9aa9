{#- The course's national_categories workbook (the June 2022 publication) and the publisher's
    National_Categories_CSV files in one grain: for each month and ICB, the rows of the latest
    publication that covers it (earlier publications' rows are dropped; their monthly totals by
    ICB are kept in regional_appointment_revisions). -#}
{{ latest_publication_rows(
    ref('stg_nhs__national_category_appointments'),
    ref('stg_nhs__publisher_national_category_appointments'),
    [
        'appointment_date',
        'appointment_month',
        'sub_icb_location_code',
        'sub_icb_location_name',
        'icb_ons_code',
        'service_setting',
        'context_type',
        'national_category',
        'count_of_appointments',
    ],
) }}
