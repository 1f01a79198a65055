"""dev.to: the articles API (body_markdown, else body_html), the page, the author's RSS feed."""

from __future__ import annotations

import json

import pytest

from scrapers.platforms import devto, feeds
from scrapers.platforms.errors import PlatformError

URL = "https://dev.to/victoravelar/a-dev-to-api-client-is-born-29pj"


@pytest.mark.parametrize(
    ("url", "api", "feed"),
    [
        (
            URL,
            "https://dev.to/api/articles/victoravelar/a-dev-to-api-client-is-born-29pj",
            "https://dev.to/feed/victoravelar",
        ),
        (
            "http://127.0.0.1:7000/ada/feast-1k2j",
            "http://127.0.0.1:7000/api/articles/ada/feast-1k2j",
            "http://127.0.0.1:7000/feed/ada",
        ),
        ("https://dev.to/victoravelar", None, None),
        ("https://dev.to/t/python/top", None, None),
        ("https://dev.to/api/articles", None, None),
    ],
)
def test_urls(url: str, api: str | None, feed: str | None) -> None:
    assert devto.api_url(url) == api
    assert devto.feed_url(url) == feed


def test_article_from_api(platform_file) -> None:
    article = devto.post_from_api(platform_file("devto", "devto-api-go_api-articles-164198.json"), URL)
    assert article.platform == "devto"
    assert article.title == "A DEV.to API client is born"
    assert article.author == "Victor Hugo Avelar"
    assert article.published == "2019-09-03T11:07:53Z"
    assert "be sure to have golang installed in your computer" in article.plain_text
    blocks = {(b.kind, b.level, b.text) for b in article.blocks}
    assert ("code", 0, "brew install go") in blocks
    assert ("code", 0, "module github.com/VictorAvelar/devto-api-go\n\ngo 1.12") in blocks
    assert ("heading", 1, "Episode 2 - Project foundation") in blocks  # not the title: it stays
    assert ("heading", 2, "The API client") in blocks
    assert any(b.kind == "quote" and "This is important" in b.text for b in article.blocks)


def test_body_html_when_markdown_is_missing(platform_file) -> None:
    data = json.loads(platform_file("devto", "devto-api-go_api-articles-164198.json"))
    del data["body_markdown"]
    article = devto.post_from_api(json.dumps(data).encode(), URL)
    assert "be sure to have golang installed in your computer" in article.plain_text
    assert ("code", "brew install go") in {(b.kind, b.text) for b in article.blocks}
    assert "The API client" in [b.text for b in article.blocks if b.kind == "heading"]


def test_front_matter_in_body_markdown() -> None:
    data = {
        "title": "Ray Serve for movies",
        "user": {"name": "Ed Lam"},
        "published_at": "2024-03-01T00:00:00Z",
        "body_markdown": "---\ntitle: Ray Serve for movies\npublished: true\n---\n\n"
        "Ray Serve scales the model.",
    }
    article = devto.post_from_api(json.dumps(data).encode(), "https://dev.to/ed/ray-serve-1abc")
    assert article.plain_text == "Ray Serve scales the model."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": "not found", "status": 404}', "not found"),
        (b"[]", "answered with a list"),
        (b'{"id": 1}', "no title or body"),
    ],
)
def test_api_errors(body: bytes, message: str) -> None:
    with pytest.raises(PlatformError, match=message):
        devto.post_from_api(body, URL)


def test_author_rss_feed(platform_file) -> None:
    body = platform_file("devto", "blog-post-workflow_devto-rss-sample.xml")
    url = "https://dev.to/gautamkrishnar/god-mode-in-browsers-document-designmode-on-2pmo"
    article = feeds.post_from_site_feed(body, url)
    assert article.title == 'God Mode in browsers: document.designMode = "on"'
    assert article.author == "Gautam krishna.R"
    assert article.published == "2020-07-16T10:40:11+00:00"
    assert 'Just type document.designMode = "on"' in article.plain_text
    with pytest.raises(PlatformError, match="not in the site's feed"):
        feeds.post_from_site_feed(body, "https://dev.to/gautamkrishnar/not-there-1abc")


def test_post_page() -> None:
    page = b"""<html><head><meta property="og:title" content="Feast for movies - DEV Community">
    <meta property="og:site_name" content="DEV Community"><meta name="author" content="Ada Park"></head>
    <body><header>nav</header><div class="crayons-article__main"><div id="article-body">
    <h2>Why</h2><p>Feast keeps features consistent.</p>
    <div class="highlight"><pre><code>feast apply</code></pre></div>
    </div></div><section id="comments"><p>Nice post!</p></section></body></html>"""
    article = devto.post_from_html(page, "https://dev.to/ada/feast-1abc")
    assert (article.title, article.author) == ("Feast for movies", "Ada Park")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("heading", "Why"),
        ("paragraph", "Feast keeps features consistent."),
        ("code", "feast apply"),
    ]
