"""Synthetic healthcare tweets in the layout of the published tweets.csv.

Every text says it is synthetic and names only invented organisations, places and accounts.
The entity columns are derived from the final text the way the Twitter API does it: hashtag,
mention and link positions are character offsets into the text, and `tweet_entities` is the
Python repr of a dict (single quotes), not JSON.
"""

from __future__ import annotations

import re

import numpy as np

TWEET_METADATA = "{'iso_language_code': 'en', 'result_type': 'recent'}"
# The published tweets were collected over a few hours in September 2022.
FIRST_TWEET_ID, LAST_TWEET_ID = 1567574368858914816, 1567655472005582851
RETWEET_SHARE, NEWLINE_SHARE, MEDIA_SHARE = 0.44, 0.45, 0.12
RETWEET_TEXT_LIMIT = 140

ORGANISATIONS = (
    "Examplefield Health",
    "Northwind Clinic",
    "Synthetic Valley Hospital",
    "Placeholder Primary Care",
    "Sampleton GP Practice",
    "Demo Health Partners",
    "Fictional Care Group",
    "Mockford Medical Centre",
)
ROLES = (
    "Practice Nurse",
    "Healthcare Assistant",
    "Data Analyst",
    "Salaried GP",
    "Clinical Pharmacist",
    "Care Coordinator",
    "Physiotherapist",
    "Receptionist",
)
PLACES = ("Exampletown", "Sampleford", "Mockbury", "Testington", "Dataville", "Placeholm")
TOPICS = (
    "appointment waiting times",
    "telephone triage",
    "digital health records",
    "patient safety",
    "nurse staffing",
    "mental health services",
    "vaccination clinics",
    "AI in healthcare",
    "health data quality",
    "access to primary care",
    "missed appointments",
    "social prescribing",
)
# Case variants are deliberate: the published data has #healthcare, #Healthcare and #HealthCare.
HASHTAGS = (
    ("healthcare", 0.28),
    ("Healthcare", 0.12),
    ("HealthCare", 0.04),
    ("hiring", 0.07),
    ("NHS", 0.06),
    ("nursing", 0.05),
    ("DigitalHealth", 0.05),
    ("AI", 0.05),
    ("MedTwitter", 0.04),
    ("PublicHealth", 0.04),
    ("health", 0.05),
    ("SyntheticData", 0.05),
    ("jobs", 0.03),
    ("mentalhealth", 0.03),
    ("HealthTech", 0.02),
    ("covid", 0.02),
)
# Real originals are often long; an optional closing line gets the length distribution closer.
CLOSING_LINES = (
    "This account is a synthetic test fixture; none of these figures are real.",
    "Nothing here is real patient data - it was generated for a data pipeline test.",
    "Share your (synthetic) experience below and tag a colleague who should see this.",
    "Full details are in the synthetic job pack; applications close next Friday.",
)
EMOJIS = ("🚨", "💉", "🩺", "📢", "✅")
HANDLE_WORDS = ("health", "care", "clinic", "nurse", "data", "gp", "med", "news")
NAME_WORDS = ("Example", "Sample", "Mock", "Placeholder", "Demo", "Testing", "Fictional")
ALPHANUMERIC = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))

HASHTAG_PATTERN = re.compile(r"(?<!\w)#(\w+)")
MENTION_PATTERN = re.compile(r"(?<!\w)@(\w+)")
LINK_PATTERN = re.compile(r"https://t\.co/\w+")


class _Writer:
    """Draws the random parts of one tweet from a shared generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.handles: dict[str, tuple[str, int]] = {}

    def pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.integers(len(options)))]

    def token(self, length: int) -> str:
        return "".join(ALPHANUMERIC[self.rng.integers(len(ALPHANUMERIC), size=length)])

    def link(self) -> str:
        return f"https://t.co/{self.token(10)}"

    def handle(self) -> str:
        handle = f"synth_{self.pick(HANDLE_WORDS)}{int(self.rng.integers(1, 999))}"
        if handle not in self.handles:
            name = f"Synthetic {self.pick(NAME_WORDS)} {self.pick(HANDLE_WORDS).title()}"
            self.handles[handle] = (name, int(self.rng.integers(10**7, 10**18)))
        return handle

    def hashtags(self) -> str:
        count = int(self.rng.choice([0, 1, 1, 1, 2, 2, 3, 4, 6]))
        if count == 0:
            return ""
        names = [name for name, _ in HASHTAGS]
        weights = np.array([weight for _, weight in HASHTAGS])
        chosen = self.rng.choice(len(names), size=count, replace=False, p=weights / weights.sum())
        return " ".join(f"#{names[i]}" for i in chosen)

    def body(self) -> str:
        """The text of an original tweet, always saying it is synthetic."""
        org, role, place = self.pick(ORGANISATIONS), self.pick(ROLES), self.pick(PLACES)
        topic, other_topic = self.pick(TOPICS), self.pick(TOPICS)
        tags = self.hashtags()
        gap = "\n\n" if self.rng.random() < NEWLINE_SHARE else " "
        templates = (
            lambda: (
                f"[Synthetic tweet] {org} is #hiring a {role} in {place}. Apply via {self.link()}"
            ),
            lambda: (
                f"Synthetic example: {topic} keeps coming up at {org}. What would you "
                f"change first?{gap}{tags}"
            ),
            lambda: (
                f"This synthetic post is about {topic} &amp; {other_topic}.{gap}{tags} "
                f"{self.link()}"
            ),
            lambda: (
                f"{self.pick(EMOJIS)} Synthetic update from {org}: free {topic} session "
                f"in {place} this week.{gap}{tags}"
            ),
            lambda: (
                f"Synthetic thread 1/3 on {topic} in {place}.\nNo real data here, only "
                f"test text from @{self.handle()}.{gap}{tags}"
            ),
            lambda: (
                f"Made-up statistic for testing: 4 in 10 people in {place} mention "
                f"{topic}. (synthetic) {tags} {self.link()}"
            ),
        )
        text = templates[int(self.rng.integers(len(templates)))]().strip()
        if self.rng.random() < 0.5:
            text = f"{text}\n\n{self.pick(CLOSING_LINES)}"
        return text


def _truncate(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis, as the API does for retweets."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut[: max(cut.rfind(" "), cut.rfind("\n"), len("RT @x: "))].rstrip()
    return f"{cut}…"


def _entities(text: str, writer: _Writer, media_link: str | None) -> dict:
    hashtags = [
        {"text": match.group(1), "indices": [match.start(), match.end()]}
        for match in HASHTAG_PATTERN.finditer(text)
    ]
    mentions = []
    for match in MENTION_PATTERN.finditer(text):
        handle = match.group(1)
        name, user_id = writer.handles.get(handle, (f"Synthetic {handle}", 10**9))
        mentions.append(
            {
                "screen_name": handle,
                "name": name,
                "id": user_id,
                "id_str": str(user_id),
                "indices": [match.start(), match.end()],
            }
        )
    urls, media = [], []
    for match in LINK_PATTERN.finditer(text):
        indices = [match.start(), match.end()]
        if match.group(0) == media_link:
            media_id = int(writer.rng.integers(FIRST_TWEET_ID, LAST_TWEET_ID))
            image = f"example.org/synthetic/media/{writer.token(15)}.jpg"
            media.append(
                {
                    "id": media_id,
                    "id_str": str(media_id),
                    "indices": indices,
                    "media_url": f"http://{image}",
                    "media_url_https": f"https://{image}",
                    "url": match.group(0),
                    "display_url": f"pic.example.org/{writer.token(10)}",
                    "expanded_url": f"https://example.org/synthetic/status/{media_id}/photo/1",
                    "type": "photo",
                    "sizes": {
                        "thumb": {"w": 150, "h": 150, "resize": "crop"},
                        "medium": {"w": 1200, "h": 675, "resize": "fit"},
                        "small": {"w": 680, "h": 383, "resize": "fit"},
                        "large": {"w": 1600, "h": 900, "resize": "fit"},
                    },
                }
            )
            continue
        slug = writer.token(7)
        urls.append(
            {
                "url": match.group(0),
                "expanded_url": f"https://example.org/synthetic/{slug}",
                "display_url": f"example.org/synthetic/{slug}",
                "indices": indices,
            }
        )
    entities = {"hashtags": hashtags, "symbols": [], "user_mentions": mentions, "urls": urls}
    if media:
        entities["media"] = media
    return entities


def tweet_rows(count: int, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """`count` synthetic tweets as CSV rows in the published column order, newest first."""
    writer = _Writer(rng)
    ids = np.unique(rng.integers(FIRST_TWEET_ID, LAST_TWEET_ID, size=count * 2))
    ids = rng.permutation(ids)[:count]
    ids = np.sort(ids)[::-1]
    rows, retweet_texts = [], []
    for index, tweet_id in enumerate(ids):
        media_link = None
        if rng.random() < RETWEET_SHARE:
            if retweet_texts and rng.random() < 0.25:
                # Popular retweets show up many times in a keyword search.
                text, retweets = retweet_texts[int(rng.integers(len(retweet_texts)))]
            else:
                text = _truncate(f"RT @{writer.handle()}: {writer.body()}", RETWEET_TEXT_LIMIT)
                retweets = int(min(np.floor(rng.lognormal(1.0, 1.4)), 400))
                retweet_texts.append((text, retweets))
            favourites = 0
        else:
            text = writer.body()
            if rng.random() < MEDIA_SHARE:
                media_link = writer.link()
                text = f"{text} {media_link}"
            retweets = int(rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 5]))
            favourites = 0 if rng.random() < 0.75 else int(min(rng.geometric(0.35), 42))
        entities = _entities(text, writer, media_link)
        hashtags = ", ".join(f"#{tag['text']}" for tag in entities["hashtags"])
        # The collector almost never favourited or retweeted; one of each keeps True in use.
        favourited = index == count // 3 or rng.random() < 0.003
        retweeted = index == (2 * count) // 3 or rng.random() < 0.003
        rows.append(
            (
                str(tweet_id),
                text,
                str(entities),
                hashtags,
                TWEET_METADATA,
                str(retweets),
                str(favourites),
                str(bool(favourited)),
                str(bool(retweeted)),
                "en",
            )
        )
    return rows
