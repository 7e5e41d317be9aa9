with

tweets as (

    select * from {{ ref('stg_nhs__tweets') }}

),

tweet_hashtags as (

    select * from {{ ref('int_tweet_hashtags_extracted') }}

),

hashtags_per_tweet as (

    select
        tweet_id,
        {{ ordered_list('hashtag', 'hashtag_position') }} as hashtags
    from tweet_hashtags
    group by tweet_id

),

final as (

    select
        tweets.tweet_id,
        tweets.tweet_text,
        tweets.tweet_lang,
        tweets.is_retweet,
        tweets.retweet_count,
        tweets.favorite_count,
        coalesce(hashtags_per_tweet.hashtags, {{ empty_text_list() }}) as hashtags,
        coalesce({{ list_size('hashtags_per_tweet.hashtags') }}, 0) as hashtag_count
    from tweets
    left join hashtags_per_tweet
        on tweets.tweet_id = hashtags_per_tweet.tweet_id

)

select * from final
