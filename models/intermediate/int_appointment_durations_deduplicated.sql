{#- The course's actual_duration.csv (the June 2022 publication) and the publisher's
    Actual_Duration_CSV files in one grain: for each month and ICB, the rows of the latest
    publication that covers it (earlier publications' rows are dropped; their monthly totals by
    ICB are kept in regional_appointment_revisions). -#}
{{ latest_publication_rows(
    ref('stg_nhs__appointment_durations'),
    ref('stg_nhs__publisher_appointment_durations'),
    [
        'appointment_date',
        'appointment_month',
        'sub_icb_location_code',
        'sub_icb_location_ons_code',
        'sub_icb_location_name',
        'icb_ons_code',
        'region_ons_code',
        'duration_band',
        'duration_band_order',
        'duration_min_minutes',
        'duration_max_minutes',
        'count_of_appointments',
    ],
) }}
