"""Video posts: link recognition, oEmbed, the watch page."""

from __future__ import annotations

import json

import pytest

from scrapers.platforms import youtube
from scrapers.platforms.errors import PlatformError


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=srtMWzyqdp8", True),
        ("https://youtube.com/watch?v=srtMWzyqdp8&t=10s", True),
        ("https://m.youtube.com/watch?v=srtMWzyqdp8", True),
        ("https://youtu.be/srtMWzyqdp8", True),
        ("https://www.youtube.com/shorts/abcdefghijk", True),
        ("https://www.youtube.com/embed/srtMWzyqdp8", True),
        ("https://vimeo.com/123456789", True),
        ("https://www.loom.com/share/0123abcd", True),
        ("https://www.youtube.com/@Confreaks", False),
        ("https://www.youtube.com/watch", False),
        ("https://medium.com/@a/watch-1a2b3c4d5e6f", False),
        ("", False),
    ],
)
def test_is_video_url(url: str, expected: bool) -> None:
    assert youtube.is_video_url(url) is expected


def test_oembed_url() -> None:
    assert youtube.oembed_url("https://youtube.com/watch?v=srtMWzyqdp8") == (
        "https://www.youtube.com/oembed?url=https%3A%2F%2Fyoutube.com%2Fwatch%3Fv%3DsrtMWzyqdp8&format=json"
    )
    assert youtube.oembed_url("https://vimeo.com/123456789").startswith(
        "https://vimeo.com/api/oembed.json?url="
    )


def test_video_article_from_oembed() -> None:
    oembed = {
        "title": "ElixirConf 2016 - Keynote by José Valim",
        "author_name": "Confreaks",
        "author_url": "https://www.youtube.com/@Confreaks",
        "type": "video",
        "provider_name": "YouTube",
        "html": "<iframe></iframe>",
    }
    url = "https://youtube.com/watch?v=srtMWzyqdp8"
    article = youtube.video_article(json.dumps(oembed).encode(), url)
    assert (article.platform, article.title, article.author) == ("youtube", oembed["title"], "Confreaks")
    assert article.blocks == []
    assert article.flags == ["video_post"]
    vimeo = youtube.video_article(
        json.dumps({**oembed, "provider_name": "Vimeo"}).encode(), "https://vimeo.com/1234567"
    )
    assert vimeo.platform == "video"


@pytest.mark.parametrize(
    ("body", "message"), [(b"Unauthorized", "private"), (b"Not Found", "private"), (b"[1]", "oEmbed")]
)
def test_oembed_errors(body: bytes, message: str) -> None:
    with pytest.raises(PlatformError, match=message):
        youtube.video_article(body, "https://youtube.com/watch?v=srtMWzyqdp8")


def test_watch_page(platform_file) -> None:
    body = platform_file("youtube", "postlight_www.youtube.com_watch.html")
    article = youtube.video_from_html(body, "https://youtube.com/watch?v=srtMWzyqdp8")
    assert article.platform == "youtube"
    assert article.title == "ElixirConf 2016 - Keynote by José Valim"
    assert article.author == "Confreaks"
    assert article.published == "2016-09-27"
    assert article.flags == ["video_post"]
    assert article.blocks == []


def test_not_a_video_page() -> None:
    with pytest.raises(PlatformError, match="not a video page"):
        youtube.video_from_html(
            b"<html><head><title>Blog</title></head><body><p>x</p></body></html>", "https://a.b/c"
        )
