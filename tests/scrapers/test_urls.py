"""Link hygiene: one post is one key, whatever the spelling; bad links are named."""

from __future__ import annotations

import pytest

from scrapers.urls import BadLink, links_in_text, medium_post_id, normalise

MEDIUM_KEY = "medium.com/p/c78691c76c37"


@pytest.mark.parametrize(
    "link",
    [
        "https://medium.com/@emehrotr/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37",
        "http://medium.com/@emehrotr/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37/",
        "https://emehrotr.medium.com/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37",
        "https://medium.com/p/c78691c76c37",
        "medium.com/@emehrotr/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37?source=friends_link&sk=9f8e",
        "https://www.medium.com/some-publication/renamed-slug-c78691c76c37?utm_source=twitter#comments",
        "https://towardsdatascience.com/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37",
        " <https://medium.com/@emehrotr/know-if-your-ml-model-is-fair-using-aequitas-c78691c76c37> ",
    ],
)
def test_medium_spellings_share_one_key(link: str) -> None:
    post = normalise(link)
    assert post.key == MEDIUM_KEY and post.platform == "medium"
    assert "?" not in post.url and "#" not in post.url and post.url.startswith("https://")


def test_generic_link_cleanup() -> None:
    a = normalise("HTTP://WWW.Example.com:443//blog/post/?utm_campaign=x&id=7&fbclid=abc#top")
    b = normalise("https://example.com/blog/post?id=7")
    assert a.key == b.key == "example.com/blog/post?id=7" and a.platform == "web"


@pytest.mark.parametrize(
    ("link", "platform"),
    [
        ("https://ada.github.io/mlflow-movies/", "github_pages"),
        ("https://github.com/ada/blog/blob/main/post.md", "github"),
        ("https://ada.wordpress.com/2026/11/20/feast/", "wordpress"),
        ("https://ada.blogspot.com/2026/11/feast.html", "blogger"),
        ("https://dev.to/ada/feast-for-movies-3kd9", "devto"),
        ("https://canvas.cmu.edu/courses/1/discussion_topics/2", "canvas"),
        ("https://ada.dev/posts/feast", "web"),
    ],
)
def test_platforms(link: str, platform: str) -> None:
    assert normalise(link).platform == platform


@pytest.mark.parametrize(
    "link",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://m.youtube.com/shorts/dQw4w9WgXcQ",
    ],
)
def test_youtube_is_a_video_with_one_key(link: str) -> None:
    post = normalise(link)
    assert post.is_video and post.key == "https://youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("", "empty"),
        ("javascript:alert(1)", "not a web link"),
        ("ftp://files.example.com/post.pdf", "not a web link"),
        ("file:///etc/passwd", "not a web link"),
        ("https://my blog.com/post", "spaces"),
        ("https://", "no host"),
        ("https://localhost/post", "not valid"),
        ("http://127.0.0.1:8080/post", "bare IP"),
        ("http://2130706433/post", "bare IP"),
        ("http://0x7f.1/post", "bare IP"),
        ("http://[::1]/post", "bare IP"),
        ("https://user:pw@example.com/post", "user name or password"),
        ("https://example.com:99999/post", "malformed"),
        ("https://medium.com/@emehrotr", "not a story"),
        ("https://" + "a" * 3000 + ".com", "characters long"),
        ("https://exa_mple.com/x", "not valid"),
        ("https://youtube.com/watch?v=<script>", "no valid video id"),
        ("https://example.com/\x00", "control characters"),
    ],
)
def test_bad_links_say_why(link: str, reason: str) -> None:
    with pytest.raises(BadLink, match=reason):
        normalise(link)


def test_loopback_allowed_only_when_asked() -> None:
    post = normalise("http://127.0.0.1:8765/@ada/feast-1a2b3c4d5e6f?source=x", loopback_ok=True)
    assert post.url == "http://127.0.0.1:8765/@ada/feast-1a2b3c4d5e6f"
    assert post.key == "127.0.0.1/@ada/feast-1a2b3c4d5e6f"  # the port changes from run to run


def test_medium_post_id() -> None:
    assert medium_post_id("/@a/slug-fc15ceada23") == "fc15ceada23"
    assert medium_post_id("/@a/slug-deadbeef") is None  # all letters: a word, not an id
    assert medium_post_id("/@a") is None


def test_links_in_text() -> None:
    text = 'See https://a.dev/x, and (www.b.org/y). Also "https://a.dev/x".'
    assert links_in_text(text) == ["https://a.dev/x", "www.b.org/y"]
