"""Posts written inside Canvas: discussion topics, entries, the full /view, wiki pages, bare HTML."""

from __future__ import annotations

import json

import pytest

from scrapers.platforms import canvas
from scrapers.platforms.errors import PlatformError

TOPIC_URL = "https://canvas.example.edu/courses/1/discussion_topics/1"


def canvasapi_data(raw: bytes, key: str) -> bytes:
    return json.dumps(json.loads(raw)[key]["data"]).encode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (TOPIC_URL, "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1"),
        (TOPIC_URL + "#entry-2", "https://canvas.example.edu/api/v1/courses/1/discussion_topics/1/view"),
        (
            "https://x.instructure.com/groups/5/discussion_topics/9",
            "https://x.instructure.com/api/v1/groups/5/discussion_topics/9",
        ),
        (
            "https://x.instructure.com/courses/3/pages/my-blog-post",
            "https://x.instructure.com/api/v1/courses/3/pages/my-blog-post",
        ),
        ("https://x.instructure.com/courses/3/assignments/4", None),
    ],
)
def test_api_url(url: str, expected: str | None) -> None:
    assert canvas.api_url(url) == expected


def test_topic_as_the_api_returns_it() -> None:
    topic = {
        "id": 1,
        "title": "Blog: Prometheus",
        "message": "<h2>The problem</h2><p>Our movie API slows down at night.</p>"
        "<pre>rate(http_requests_total[5m])</pre>",
        "html_url": TOPIC_URL,
        "posted_at": "2026-11-18T21:00:00Z",
        "user_name": None,
        "author": {"id": 205, "display_name": "Ed Lam"},
    }
    article = canvas.article_from_discussion(json.dumps(topic).encode(), TOPIC_URL)
    assert article.platform == "canvas"
    assert (article.title, article.author, article.published) == (
        "Blog: Prometheus",
        "Ed Lam",
        "2026-11-18T21:00:00Z",
    )
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("heading", "The problem"),
        ("paragraph", "Our movie API slows down at night."),
        ("code", "rate(http_requests_total[5m])"),
    ]


def test_canvasapi_fixture_entries(platform_file) -> None:
    raw = platform_file("canvas", "canvasapi_discussion_topic.json")
    entries = canvasapi_data(raw, "list_topic_entries")
    second = canvas.article_from_discussion(entries, TOPIC_URL + "#entry-2")
    assert (second.author, second.plain_text) == ("John Smith", "Top Level Entry #2")
    with pytest.raises(PlatformError, match="names no entry"):
        canvas.article_from_discussion(entries, TOPIC_URL)
    with pytest.raises(PlatformError, match="entry 9 is not in"):
        canvas.article_from_discussion(entries, TOPIC_URL + "#entry-9")
    posted = canvas.article_from_discussion(canvasapi_data(raw, "post_entry"), TOPIC_URL)
    assert (posted.author, posted.published, posted.plain_text) == (
        "John Doe",
        "2017-01-30T20:18:20Z",
        "Test Message",
    )
    deleted = canvasapi_data(raw, "delete_entry")
    with pytest.raises(PlatformError, match="deleted"):
        canvas.article_from_discussion(deleted, TOPIC_URL)


def test_full_view(platform_file) -> None:
    bare = canvasapi_data(platform_file("canvas", "canvasapi_course.json"), "get_full_discussion_topic")
    with pytest.raises(PlatformError, match="no message"):
        canvas.article_from_discussion(bare, TOPIC_URL + "#entry-1")
    view = {
        "participants": [{"id": 7, "display_name": "Di Wu"}, {"id": 8, "display_name": "Cy Ruiz"}],
        "view": [
            {
                "id": 1,
                "user_id": 7,
                "message": "<p>My Locust post.</p>",
                "created_at": "2026-11-18T10:00:00Z",
                "replies": [{"id": 3, "user_id": 8, "message": "<p>Nice, but what about ramp-up?</p>"}],
            },
        ],
    }
    reply = canvas.article_from_discussion(json.dumps(view).encode(), TOPIC_URL + "#entry-3")
    assert (reply.author, reply.plain_text) == ("Cy Ruiz", "Nice, but what about ramp-up?")
    post = canvas.article_from_discussion(json.dumps(view).encode(), TOPIC_URL + "#entry-1")
    assert (post.author, post.published) == ("Di Wu", "2026-11-18T10:00:00Z")


def test_wiki_page_locked_topic_and_bare_html() -> None:
    page = {
        "title": "My blog post",
        "body": "<p>Written as a Canvas page.</p>",
        "updated_at": "2026-11-19T08:00:00Z",
    }
    article = canvas.article_from_discussion(
        json.dumps(page).encode(), "https://c.edu/courses/3/pages/my-blog-post"
    )
    assert (article.title, article.plain_text) == ("My blog post", "Written as a Canvas page.")
    locked = {
        "id": 1,
        "title": "Blog",
        "message": None,
        "locked_for_user": True,
        "lock_explanation": "This topic is locked until Nov 20.",
    }
    with pytest.raises(PlatformError, match="locked until"):
        canvas.article_from_discussion(json.dumps(locked).encode(), TOPIC_URL)
    html = canvas.article_from_discussion(b"<p>Just the message.</p><ul><li>one</li></ul>", TOPIC_URL)
    assert [(b.kind, b.text) for b in html.blocks] == [
        ("paragraph", "Just the message."),
        ("list_item", "one"),
    ]
