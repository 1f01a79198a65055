"""Medium: story pages (Apollo state and markup), ?format=json, RSS, member-only, challenge pages."""

from __future__ import annotations

import json

import pytest

from scrapers.article import Block
from scrapers.platforms import medium
from scrapers.platforms.errors import PlatformError

# file, url, title, author, published, a sentence of the body, (kind, text) blocks that must be there
PAGES = [
    (
        "readability_medium-1_source.html",
        "https://medium.com/@pippinlee/the-open-journalism-project-better-student-journalism-fb39f4f701bb",
        "The Open Journalism Project: Better Student Journalism",
        "Pippin Lee",
        "2015-03-17T16:27:40.294Z",
        "In late 2011 I sat in the design room of our university’s student newsroom",
        [("heading", "Circa 2011"), ("heading", "We don’t know what we don’t know")],
    ),
    (
        "readability_medium-2_source.html",
        "https://medium.com/@ckirchoff/on-behalf-of-literally-429fab868ca8",
        "On Behalf of “Literally”",
        "Courtney Kirchoff",
        "2015-02-24T19:56:33.374Z",
        "Maybe I should define literally.",
        [("heading", "When in Doubt, Leave it Out"), ("quote", "Literally means actually.")],
    ),
    (
        "readability_medium-3_source.html",  # Apollo state (2020)
        "https://medium.com/@johncwelch/samantha-and-the-great-big-lie-d146a92473a1",
        "Samantha and The Great Big Lie",
        "John C. Welch",
        "2015-10-15T02:19:15.607Z",
        "That, readers, is “The Big Lie”.",
        [("list_item", "With the release of Overcast 2.0"), ("quote", "don’t preach to me Mr. integrity")],
    ),
    (
        "postlight_medium.com--another.html",  # pw-post-body markup, scripts stripped
        "https://medium.com/@JakobUlbrich/flag-attributes-in-android-how-to-use-them-ac4ec8aee7d1",
        "Flag Attributes in Android — How to Use Them",
        "Jakob Ulbrich",
        "2018-01-19T17:06:07.358Z",
        "Generally you can see Bit Flags as a number of boolean values stored in one single value.",
        [("code", 'attribute="option1|option2"'), ("heading", "What Are Bit Flags?")],
    ),
    (
        "postlight_medium.com_custom-domain.html",  # a custom-domain publication is a Medium page
        "https://wtfeconomy.com/wtf-whats-the-future-e52ab9515573",
        "WTF? What’s The Future?",
        "Tim O'Reilly",
        "2016-10-19T14:30:56.529Z",
        "Last Thursday, I had the honor to be one of the warmup acts for President Obama",
        [("heading", "My talk at the White House Frontiers Conference")],
    ),
    (
        "postlight_medium.com--mtg.html",  # member-only: the Apollo state holds the preview only
        "https://humanparts.medium.com/the-mtg-color-wheel-c9700a7cf36d",
        "How the ‘Magic: The Gathering’ Color Wheel Explains Humanity",
        "Duncan A Sabien",
        "2018-04-03T01:29:03.912Z",
        "Magic: The Gathering is a fantasy card game by Richard Garfield",
        [("heading", "Move over, Myers-Briggs")],
    ),
    (
        "pelican_medium-export-post.html",  # Medium's account export
        "https://medium.com/@user/a-title-d1bf01d62ba3",
        "A name (like title)",
        "User Name",
        "2017-04-21T17:11:55.799Z",
        "A paragraph of content.",
        [("list_item", "Two."), ("quote", "quote words strong words"), ("heading", "Header 2")],
    ),
]


def has_block(blocks: list[Block], kind: str, text: str) -> bool:
    return any(b.kind == kind and text in b.text for b in blocks)


@pytest.mark.parametrize(("name", "url", "title", "author", "published", "sentence", "expected"), PAGES)
def test_story_page(platform_file, name, url, title, author, published, sentence, expected) -> None:
    article = medium.story_from_html(platform_file("medium", name), url)
    assert article.platform == "medium"
    assert article.source == url
    assert article.title == title
    assert article.author == author
    assert article.published == published
    assert sentence in article.plain_text
    for kind, text in expected:
        assert has_block(article.blocks, kind, text), (kind, text)
    # the title is the Article's title, not repeated as the first heading; no byline left over
    assert not (article.blocks[0].kind == "heading" and article.blocks[0].text == title)
    assert not any(b.text in ("7 min read", author) for b in article.blocks[:5])


def test_readability_ground_truth_metadata(platform_file) -> None:
    expected = json.loads(platform_file("medium", "readability_medium-1_expected-metadata.json"))
    url = "https://medium.com/@pippinlee/the-open-journalism-project-better-student-journalism-fb39f4f701bb"
    article = medium.story_from_html(platform_file("medium", "readability_medium-1_source.html"), url)
    assert (article.title, article.author, article.published) == (
        expected["title"],
        expected["byline"],
        expected["publishedTime"],
    )
    third = json.loads(platform_file("medium", "readability_medium-3_expected-metadata.json"))
    url = "https://medium.com/@johncwelch/samantha-and-the-great-big-lie-d146a92473a1"
    article = medium.story_from_html(platform_file("medium", "readability_medium-3_source.html"), url)
    assert third["title"].startswith(article.title)  # readability keeps " - John C. Welch - Medium"
    assert (article.author, article.published) == (third["byline"], third["publishedTime"])


def test_apollo_state_reads_only_the_story(platform_file) -> None:
    """Related stories and responses share the Apollo state; none of their text enters the body."""
    url = "https://medium.com/@johncwelch/samantha-and-the-great-big-lie-d146a92473a1"
    article = medium.story_from_html(platform_file("medium", "readability_medium-3_source.html"), url)
    text = article.plain_text
    for other in (
        "The Pinterest Paradox",
        "TypeScript 4.0 finally delivers",
        "America and the Axis of Idiots",
    ):
        assert other not in text
    assert len(article.blocks) > 150
    assert article.flags == []


def test_member_only_story_page_is_flagged(platform_file) -> None:
    url = "https://humanparts.medium.com/the-mtg-color-wheel-c9700a7cf36d"
    article = medium.story_from_html(platform_file("medium", "postlight_medium.com--mtg.html"), url)
    assert "member_only_partial" in article.flags
    assert article.words < 200  # the preview, not the 29-minute story


def _apollo_page(state: dict) -> str:
    return (
        "<html><head><title>x</title></head><body><div id='root'></div>"
        f"<script>window.__APOLLO_STATE__ = {json.dumps(state)}</script></body></html>"
    )


def _apollo_state(locked: bool) -> dict:
    paragraphs = [
        ("H3", "Tracking movie models with MLflow"),
        ("P", "MLflow records every training run of our movie recommender."),
        ("IMG", "A caption that is not body text"),
        ("H4", "Setup"),
        ("PRE", "pip install mlflow\nmlflow ui --port 5000"),
        ("ULI", "tracking server"),
        ("OLI", "log the parameters"),
        ("BQ", "A quote from the docs."),
        ("PQ", "A pull quote."),
        ("P", ""),
    ]
    state: dict = {
        "ROOT_QUERY": {'postResult({"id":"1a2b3c4d5e6f"})': {"__ref": "Post:1a2b3c4d5e6f"}},
        "User:u1": {"__typename": "User", "name": "Ada Park"},
        "Post:1a2b3c4d5e6f": {
            "__typename": "Post",
            "title": "Tracking movie models with MLflow",
            "creator": {"__ref": "User:u1"},
            "firstPublishedAt": 1700000000000,
            "isLocked": locked,
            'content({"postMeteringOptions":{}})': {
                "isLockedPreviewOnly": locked,
                "bodyModel": {"paragraphs": [{"__ref": f"Paragraph:p{i}"} for i in range(len(paragraphs))]},
            },
        },
        "Post:ffffffffffff": {"__typename": "Post", "title": "Another story"},
    }
    for i, (kind, text) in enumerate(paragraphs):
        state[f"Paragraph:p{i}"] = {"__typename": "Paragraph", "type": kind, "text": text}
    return state


def test_apollo_paragraph_types() -> None:
    url = "https://medium.com/@ada/tracking-movie-models-1a2b3c4d5e6f"
    article = medium.story_from_html(_apollo_page(_apollo_state(locked=False)).encode(), url)
    assert article.title == "Tracking movie models with MLflow"
    assert article.author == "Ada Park"
    assert article.published == "2023-11-14T22:13:20.000Z"
    assert [(b.kind, b.level) for b in article.blocks] == [
        ("paragraph", 0),
        ("heading", 3),
        ("code", 0),
        ("list_item", 1),
        ("list_item", 1),
        ("quote", 0),
        ("quote", 0),
    ]
    assert article.blocks[2].text == "pip install mlflow\nmlflow ui --port 5000"
    assert "caption" not in article.plain_text
    assert article.flags == []


def test_apollo_member_only_flag() -> None:
    url = "https://medium.com/@ada/tracking-movie-models-1a2b3c4d5e6f"
    article = medium.story_from_html(_apollo_page(_apollo_state(locked=True)).encode(), url)
    assert article.flags == ["member_only_partial"]


def test_member_only_marker_in_markup() -> None:
    page = (
        "<html><head><meta property='og:title' content='Partial'></head><body><article>"
        "<h1>Partial</h1><div>Member-only story</div><p>The first paragraph of a long story about Feast.</p>"
        "</article></body></html>"
    )
    article = medium.story_from_html(page.encode(), "https://medium.com/@a/partial-1a2b3c4d5e6f")
    assert article.flags == ["member_only_partial"]
    assert article.plain_text == "The first paragraph of a long story about Feast."


# --- ?format=json -----------------------------------------------------------------------------------

JSON_CASES = [
    (
        "mediumexporter_testpost_format-json.json",
        "Going Serverless, without serverless.",
        "Patrick Heneise",
        "2018-08-31T12:54:44.256Z",
        "On Google Cloud, the best way to deal with a staging and production environment",
        [("list_item", "Travis-CI Pro"), ("heading", "Requirements & Setup")],
    ),
    (
        "mediumexporter_vipassana_format-json.json",
        "My 10-day meditation retreat in silence",
        "Xavier Damman",
        "2015-05-04T08:26:13.085Z",
        "The Vipassana 10-day Meditation Retreat is like a bootcamp.",
        [("list_item", "I absolutely recommend it"), ("heading", "Daily schedule")],
    ),
    (
        "mediumexporter_nativearticle_format-json.json",
        "Bye bye publishers’ mobile website",
        "Xavier Damman",
        "2015-06-23T14:24:01.334Z",
        "I can’t remember the last time I actually opened the mobile website of a publisher.",
        [("quote", "300M people have downloaded an ad blocker")],
    ),
]


@pytest.mark.parametrize(("name", "title", "author", "published", "sentence", "expected"), JSON_CASES)
def test_story_json(platform_file, name, title, author, published, sentence, expected) -> None:
    url = "https://medium.com/@someone/story-fcd5dd43ac86"
    article = medium.story_from_json(platform_file("medium", name), url)
    assert (article.title, article.author, article.published) == (title, author, published)
    assert article.platform == "medium"
    assert sentence in article.plain_text
    for kind, text in expected:
        assert has_block(article.blocks, kind, text), (kind, text)
    assert article.blocks[0].text != title
    assert article.flags == []


def test_xssi_prefix_is_optional(platform_file) -> None:
    raw = platform_file("medium", "mediumexporter_testpost_format-json.json")
    assert raw.startswith(medium.XSSI_PREFIX.encode())
    url = "https://medium.com/@p/going-serverless-fcd5dd43ac86"
    with_prefix = medium.story_from_json(raw, url)
    without = medium.story_from_json(raw[len(medium.XSSI_PREFIX) :], url)
    as_text = medium.story_from_json(raw.decode("utf-8"), url)
    assert with_prefix == without == as_text
    with pytest.raises(PlatformError, match="not Medium's story JSON"):
        medium.story_from_json(medium.XSSI_PREFIX.encode() + b'{"success": true}', url)
    with pytest.raises(PlatformError, match="truncated JSON"):
        medium.story_from_json(raw[: len(raw) // 2], url)


def _json_payload(**value: object) -> bytes:
    paragraphs = [
        {"type": 3, "text": "Feast for movies"},
        {"type": 1, "text": "Feast serves features to the recommender."},
        {"type": 13, "text": "Install"},
        {"type": 8, "text": "pip install feast\nfeast apply"},
        {"type": 9, "text": "online store"},
        {"type": 10, "text": "first step"},
        {"type": 4, "text": "image caption"},
        {"type": 6, "text": "a block quote"},
    ]
    body = {
        "success": True,
        "payload": {
            "value": {
                "id": "1a2b3c4d5e6f",
                "title": "Feast for movies",
                "creatorId": "u1",
                "firstPublishedAt": 1700000000000,
                "content": {"bodyModel": {"paragraphs": paragraphs}},
                **value,
            },
            "references": {"User": {"u1": {"name": "Ben Ode"}}},
        },
    }
    return (medium.XSSI_PREFIX + json.dumps(body)).encode()


def test_json_paragraph_types() -> None:
    article = medium.story_from_json(_json_payload(), "https://medium.com/@ben/feast-1a2b3c4d5e6f")
    assert article.author == "Ben Ode"
    assert [(b.kind, b.level, b.text) for b in article.blocks] == [
        ("paragraph", 0, "Feast serves features to the recommender."),
        ("heading", 3, "Install"),
        ("code", 0, "pip install feast\nfeast apply"),
        ("list_item", 1, "online store"),
        ("list_item", 1, "first step"),
        ("quote", 0, "a block quote"),
    ]


@pytest.mark.parametrize(
    "marker", [{"isSubscriptionLocked": True}, {"isLocked": True}, {"isMarkedPaywallOnly": True}]
)
def test_json_member_only(marker: dict) -> None:
    article = medium.story_from_json(_json_payload(**marker), "https://medium.com/@ben/feast-1a2b3c4d5e6f")
    assert article.flags == ["member_only_partial"]


def test_json_refusal_and_web_page() -> None:
    url = "https://medium.com/@ben/feast-1a2b3c4d5e6f"
    refused = (medium.XSSI_PREFIX + json.dumps({"success": False, "error": "Post not found"})).encode()
    with pytest.raises(PlatformError, match="Post not found"):
        medium.story_from_json(refused, url)
    with pytest.raises(PlatformError, match="web page"):
        medium.story_from_json(b"<!doctype html><html><body>Sign in</body></html>", url)


# --- RSS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("post_id", "title"),
    [
        ("50703370aea7", "This is a Dummy Post"),
        ("1cdf174bc674", "How I cross post Medium articles to GitHub Pages"),
    ],
)
def test_feed_lookup_by_post_id(platform_file, post_id: str, title: str) -> None:
    feed = platform_file("medium", "jekyll-import_medium_feed.xml")
    url = f"https://medium.com/@John.Doe/some-slug-{post_id}"
    article = medium.story_from_feed(feed, url)
    assert article.title == title
    assert article.author == "John Doe"
    assert article.published.startswith("2022-11-")
    assert article.plain_text == "The quick brown fox jumps over the lazy dog"


def test_feed_without_the_post(platform_file) -> None:
    feed = platform_file("medium", "jekyll-import_medium_feed.xml")
    with pytest.raises(PlatformError, match="not in the author's feed"):
        medium.story_from_feed(feed, "https://medium.com/@John.Doe/another-0123456789ab")


def test_feed_member_only_teaser() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Stories by Ada</title><item>
    <title>Locked story</title><link>https://medium.com/@ada/locked-story-0a1b2c3d4e5f?source=rss</link>
    <guid isPermaLink="false">https://medium.com/p/0a1b2c3d4e5f</guid><dc:creator>Ada Park</dc:creator>
    <pubDate>Tue, 22 Nov 2022 08:01:46 GMT</pubDate>
    <content:encoded><![CDATA[<p>The opening paragraph only.</p>
    <p><a href="https://medium.com/@ada/locked-story-0a1b2c3d4e5f">
    Continue reading on Medium \xc2\xbb</a></p>]]>
    </content:encoded></item></channel></rss>"""
    article = medium.story_from_feed(feed, "https://medium.com/@ada/locked-story-0a1b2c3d4e5f")
    assert article.plain_text == "The opening paragraph only."
    assert article.flags == ["member_only_partial"]


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        (
            "https://medium.com/@pippinlee/the-open-journalism-project-fb39f4f701bb",
            "https://medium.com/feed/@pippinlee",
        ),
        (
            "https://humanparts.medium.com/the-mtg-color-wheel-c9700a7cf36d",
            "https://humanparts.medium.com/feed",
        ),
        ("https://medium.com/heneise/going-serverless-fcd5dd43ac86", "https://medium.com/feed/heneise"),
        ("https://towardsdatascience.com/some-story-1a2b3c4d5e6f", "https://towardsdatascience.com/feed"),
        (
            "https://towardsdatascience.com/@ada/some-story-1a2b3c4d5e6f",
            "https://towardsdatascience.com/feed/@ada",
        ),
        ("http://127.0.0.1:8123/@ada/some-story-1a2b3c4d5e6f", "http://127.0.0.1:8123/feed/@ada"),
        ("https://medium.com/p/1a2b3c4d5e6f", None),
        ("https://medium.com/@ada", None),
        ("https://medium.com/some-story-1a2b3c4d5e6f", None),
        ("not a url", None),
    ],
)
def test_feed_url(url: str, feed: str | None) -> None:
    assert medium.feed_url(url) == feed


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://medium.com/@a/story-1a2b3c4d5e6f", "https://medium.com/@a/story-1a2b3c4d5e6f?format=json"),
        (
            "https://medium.com/@a/story-1a2b3c4d5e6f?source=rss",
            "https://medium.com/@a/story-1a2b3c4d5e6f?format=json",
        ),
        (
            "https://pub.towardsai.net/story-1a2b3c4d5e6f",
            "https://pub.towardsai.net/story-1a2b3c4d5e6f?format=json",
        ),
    ],
)
def test_json_url(url: str, expected: str) -> None:
    assert medium.json_url(url) == expected


# --- challenge pages ------------------------------------------------------------------------------

CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<h1 class="zone-name-title h1">medium.com</h1><h2 class="h2" id="challenge-running">Checking if the site
connection is secure</h2><noscript><div id="challenge-error-title">Enable JavaScript and cookies to
continue</div></noscript></div><script>(function(){window._cf_chl_opt={cvId: '2',cZone: 'medium.com'};
}());</script></body></html>"""


def test_challenge_page_detection(platform_file) -> None:
    assert medium.is_challenge_page(CLOUDFLARE, 403)
    assert medium.is_challenge_page(CLOUDFLARE, 200)
    assert medium.is_challenge_page(b"<html><body>Error 1020 Access denied | cloudflare</body></html>", 403)
    assert medium.is_challenge_page(b"<html><body>Please solve this captcha</body></html>", 429)
    assert not medium.is_challenge_page(b"<html><body>Please solve this captcha</body></html>", 200)
    for name, *_ in PAGES:
        assert not medium.is_challenge_page(platform_file("medium", name), 200), name
    assert not medium.is_challenge_page(
        platform_file("wordpress", "readability_wordpress_wptavern_source.html"), 200
    )


def test_challenge_page_is_a_platform_error() -> None:
    with pytest.raises(PlatformError, match="challenge page"):
        medium.story_from_html(CLOUDFLARE, "https://medium.com/@a/story-1a2b3c4d5e6f")
    with pytest.raises(PlatformError, match="challenge page"):
        medium.story_from_json(CLOUDFLARE, "https://medium.com/@a/story-1a2b3c4d5e6f")


def test_page_without_article_uses_generic_extraction() -> None:
    page = (
        "<html><head><meta property='og:title' content='Plain'><meta name='author' content='Cy Ruiz'></head>"
        "<body><div class='story'><h2>Why Evidently</h2>"
        + "<p>Evidently watches the drift of our movie ratings model every night and tells us.</p>" * 6
        + "</div></body></html>"
    )
    article = medium.story_from_html(page.encode(), "https://medium.com/@cy/plain-1a2b3c4d5e6f")
    assert article.title == "Plain"
    assert article.author == "Cy Ruiz"
    assert "Evidently watches the drift" in article.plain_text
