with

source as (

    select * from {{ source('nhs', 'tweets') }}

),

renamed as (

    select
        cast(tweet_id as bigint) as tweet_id,
        tweet_full_text as tweet_text,
        tweet_entities,
        nullif(trim(tweet_entities_hashtags), '') as hashtags_text,
        tweet_metadata,
        {{ parse_count('tweet_retweet_count') }} as retweet_count,
        {{ parse_count('tweet_favorite_count') }} as favorite_count,
        lower(trim(tweet_favorited)) = 'true' as is_favorited,
        lower(trim(tweet_retweeted)) = 'true' as is_retweeted_by_collector,
        -- the API flags only the collector's own retweets; a retweet in the stream starts "RT @"
        tweet_full_text like 'RT @%' as is_retweet,
        trim(tweet_lang) as tweet_lang,
        {{ lineage_columns() }}
    from source

)

select * from renamed
