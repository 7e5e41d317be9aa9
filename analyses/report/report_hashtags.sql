-- The report's hashtag chart (scripts/report/mix_charts.py): the 15 most used hashtags, with
-- the number of tweets of all for the share in its reading.
with

tweets as (

    select count(*) as all_tweets from {{ ref('fct_tweets') }}

)

select
    hashtags.hashtag,
    hashtags.tweets,
    hashtags.tweets_rank,
    tweets.all_tweets
from {{ ref('tweet_hashtags') }} as hashtags
cross join tweets
order by hashtags.tweets_rank, hashtags.hashtag
limit 15
