with

tweet_hashtags as (

    select * from {{ ref('int_tweet_hashtags_extracted') }}

),

aggregated as (

    select
        hashtag,
        count(*) as tweets,
        count(*) filter (where not is_retweet) as original_tweets,
        count(*) filter (where is_retweet) as retweets,
        {{ sum_as_bigint('retweet_count', where='not is_retweet') }} as times_retweeted,
        {{ sum_as_bigint('favorite_count') }} as favourites
    from tweet_hashtags
    group by hashtag

),

final as (

    select
        hashtag,
        tweets,
        original_tweets,
        retweets,
        times_retweeted,
        favourites,
        -- rank() is a BIGINT on DuckDB and an INT on Spark
        cast(rank() over (order by tweets desc) as bigint) as tweets_rank
    from aggregated

)

select * from final
