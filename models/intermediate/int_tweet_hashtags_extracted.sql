with

tweets as (

    select * from {{ ref('stg_nhs__tweets') }}

),

split_hashtags as (

    select
        tweet_id,
        {{ split_with_positions('hashtags_text', ',', 'raw_hashtag', 'raw_position') }}
    from tweets
    where hashtags_text is not null

),

-- #NHS and #nhs are one hashtag to a reader, so they are counted as one
normalised as (

    select
        tweet_id,
        raw_position,
        lower(trim(leading '#' from trim(raw_hashtag))) as hashtag
    from split_hashtags

),

-- a tweet that repeats a hashtag carries it once, where it first appears
deduplicated as (

    select
        tweet_id,
        hashtag,
        min(raw_position) as first_raw_position
    from normalised
    where hashtag != ''
    group by tweet_id, hashtag

),

final as (

    select
        deduplicated.tweet_id,
        deduplicated.hashtag,
        tweets.is_retweet,
        tweets.retweet_count,
        tweets.favorite_count,
        row_number() over (
            partition by deduplicated.tweet_id
            order by deduplicated.first_raw_position
        ) as hashtag_position
    from deduplicated
    inner join tweets
        on deduplicated.tweet_id = tweets.tweet_id

)

select * from final
