with

tweets as (

    select * from {{ ref('stg_nhs__tweets') }}

),

hashtag_lists as (

    select
        tweet_id,
        string_split(hashtags_text, ',') as raw_hashtags
    from tweets
    where hashtags_text is not null

),

positioned as (

    select
        tweet_id,
        raw_hashtags,
        generate_subscripts(raw_hashtags, 1) as raw_position
    from hashtag_lists

),

-- #NHS and #nhs are one hashtag to a reader, so they are counted as one
normalised as (

    select
        tweet_id,
        raw_position,
        lower(ltrim(trim(raw_hashtags[raw_position]), '#')) as hashtag
    from positioned

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
