-- Question: What do the healthcare tweets talk about? The leading hashtags
-- Hashtags (lower case) of the tweets collected in September 2022, ranked by how many tweets
-- carry them; times_retweeted sums the retweet counts of the original tweets only.
with

hashtags as (

    select * from {{ ref('tweet_hashtags') }}

),

tweets as (

    select * from {{ ref('fct_tweets') }}

),

collection as (

    select count(*) as all_tweets
    from tweets

)

select
    hashtags.tweets_rank,
    hashtags.hashtag,
    hashtags.tweets,
    hashtags.original_tweets,
    hashtags.retweets,
    hashtags.times_retweeted,
    hashtags.favourites,
    round(hashtags.tweets / collection.all_tweets, 3) as share_of_tweets
from hashtags
cross join collection
where hashtags.tweets_rank <= 15
order by hashtags.tweets_rank asc, hashtags.hashtag asc
