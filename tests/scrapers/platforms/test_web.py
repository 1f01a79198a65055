"""Any other page: the engine is recognised from the page, else the generic extractor; site feeds;
shared documents (Drive, Google Docs)."""

from __future__ import annotations

import pytest

from scrapers.platforms import feeds, web
from scrapers.platforms.errors import PlatformError

# folder, file, url, engine, platform, title, sentence
PAGES = [
    (
        "personal",
        "trafilatura_lemire.me_with-comments.html",
        "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/",
        "wordpress",
        "wordpress",
        "JSON parsing: simdjson vs. JSON for Modern C++",
        "Let us run some benchmarks",
    ),
    (
        "blogger",
        "trafilatura_emacspeak.blogspot_post.html",
        "https://emacspeak.blogspot.com/2019/10/meta-programming-in-emacs-using.html",
        "blogger",
        "blogger",
        "Meta-Programming In Emacs Using Defadvice",
        "Advice came to Emacs lisp in the summer of 1994",
    ),
    (
        "medium",
        "readability_medium-3_source.html",
        "https://medium.com/@johncwelch/samantha-and-the-great-big-lie-d146a92473a1",
        "medium",
        "medium",
        "Samantha and The Great Big Lie",
        "That, readers, is “The Big Lie”.",
    ),
    (
        "medium",
        "readability_medium-1_source.html",
        "https://example.org/some-post",
        "medium",
        "medium",
        "The Open Journalism Project: Better Student Journalism",
        "In late 2011 I sat in the design room",
    ),
    (
        "youtube",
        "postlight_www.youtube.com_watch.html",
        "https://youtube.com/watch?v=srtMWzyqdp8",
        "youtube",
        "youtube",
        "ElixirConf 2016 - Keynote by José Valim",
        None,
    ),
    (
        "jekyll",
        "01shobitha_minima_post_Solving-Two-Sum.html",
        "https://01shobitha.github.io/Solving-Two-Sum",
        "",
        "github_pages",
        "Solving Two-Sum",
        "Given an array of integers, return indices of the two numbers",
    ),
    (
        "personal",
        "trafilatura_gregoryszorc.com_post.html",
        "https://gregoryszorc.com/blog/2020/01/13/mercurial's-journey-to-and-reflections-on-python-3/",
        "",
        "web",
        None,
        "Mercurial 5.2 was released on November 5, 2019.",
    ),
]


@pytest.mark.parametrize(("folder", "name", "url", "engine", "platform", "title", "sentence"), PAGES)
def test_page_from_html(platform_file, folder, name, url, engine, platform, title, sentence) -> None:
    body = platform_file(folder, name)
    assert web.engine(body) == engine
    article = web.page_from_html(body, url)
    assert article.platform == platform
    assert article.source == url
    if title is not None:
        assert article.title == title
    if sentence is not None:
        assert sentence in article.plain_text


def test_generic_page_keeps_code_and_headings(platform_file) -> None:
    body = platform_file("jekyll", "01shobitha_minima_post_Solving-Two-Sum.html")
    article = web.page_from_html(body, "https://01shobitha.github.io/Solving-Two-Sum")
    assert article.published.startswith("2020-07-20")
    codes = [b.text for b in article.blocks if b.kind == "code"]
    assert any(code.startswith("vector<int> twoSum(vector<int>& a, int target) {") for code in codes)
    assert len(codes) >= 4
    text = article.plain_text
    assert "Hope it helps." in text


def test_generic_page_without_comments(platform_file) -> None:
    body = platform_file("personal", "trafilatura_gregoryszorc.com_post.html")
    article = web.page_from_html(body, "https://gregoryszorc.com/blog/2020/01/13/x/")
    assert "Porting Mercurial to Python 3" in [b.text for b in article.blocks if b.kind == "heading"]
    assert article.words > 3000


def test_challenge_page_on_any_site() -> None:
    page = (
        b"<html><head><title>Just a moment...</title></head>"
        b"<body><script>window._cf_chl_opt={}</script></body></html>"
    )
    with pytest.raises(PlatformError, match="challenge page"):
        web.page_from_html(page, "https://blog.example/post")


def test_site_feed_jekyll(platform_file) -> None:
    body = platform_file("jekyll", "01shobitha_jekyll-feed.xml")
    article = feeds.post_from_site_feed(body, "https://01shobitha.github.io/Solving-Two-Sum")
    assert article.platform == "github_pages"
    assert article.title == "Solving Two-Sum"
    assert article.published == "2020-07-20T00:00:00+05:30"
    assert "Problem statement: Given an array of integers" in article.plain_text
    assert sum(b.kind == "code" for b in article.blocks) >= 4
    other = feeds.post_from_site_feed(body, "http://localhost:4000/Solving-Two-Strings/")
    assert other.title == "Solving Two Strings"
    with pytest.raises(PlatformError, match="not in the site's feed"):
        feeds.post_from_site_feed(body, "https://01shobitha.github.io/Not-There")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ada.github.io/mlflow-movies/", "https://ada.github.io/feed.xml"),
        ("https://ada.github.io/2024/03/05/mlflow.html", "https://ada.github.io/feed.xml"),
        ("https://ada.github.io/blog/2024/03/05/mlflow.html", "https://ada.github.io/blog/feed.xml"),
        ("http://127.0.0.1:4000/Solving-Two-Sum", "http://127.0.0.1:4000/feed.xml"),
    ],
)
def test_site_feed_url(url: str, expected: str) -> None:
    assert feeds.site_feed_url(url) == expected


def test_atom_xhtml_content() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Site Owner</name></author><entry>
    <title>Post</title><link href="https://a.github.io/post"/><updated>2024-01-01T00:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First.</p><pre>code here</pre>
    </div></content>
    </entry></feed>"""
    article = feeds.post_from_site_feed(atom, "https://a.github.io/post/")
    assert article.author == "Site Owner"
    assert article.published == "2024-01-01T00:00:00Z"
    assert [(b.kind, b.text) for b in article.blocks] == [("paragraph", "First."), ("code", "code here")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=sharing",
            "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjKlMnOp",
        ),
        (
            "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit",
            "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/export?format=txt",
        ),
        ("https://example.org/post", None),
    ],
)
def test_document_url(url: str, expected: str | None) -> None:
    assert web.document_url(url) == expected


def test_document_from_bytes(make_pdf) -> None:
    pdf = web.document_from_bytes(
        make_pdf([["Title line", "", "Body of the PDF post."]]), "https://drive.google.com/x"
    )
    assert pdf.platform == "pdf"
    text = web.document_from_bytes(
        "\ufeffMy Google Doc\n\nIt talks about Feast.".encode(), "https://docs.google.com/x"
    )
    assert "It talks about Feast." in text.plain_text
    with pytest.raises(PlatformError, match="not shared publicly"):
        web.document_from_bytes(
            b"<!DOCTYPE html><html><body><a href='https://accounts.google.com/ServiceLogin'>Sign in</a>"
            b" signin</body></html>",
            "https://drive.google.com/x",
        )


def test_without_the_generic_extractor(platform_file, monkeypatch) -> None:
    """When scrapers.extract is missing or fails, the structural walker still reads the page."""
    from scrapers.platforms import _html

    monkeypatch.setattr(_html, "_extract", lambda *args, **kwargs: None)
    body = platform_file("jekyll", "01shobitha_minima_post_Solving-Two-Sum.html")
    article = web.page_from_html(body, "https://01shobitha.github.io/Solving-Two-Sum")
    assert article.title == "Solving Two-Sum"
    assert "Given an array of integers, return indices of the two numbers" in article.plain_text
    assert sum(b.kind == "code" for b in article.blocks) >= 4


def test_a_failing_extractor_does_not_escape(monkeypatch) -> None:
    import scrapers.extract

    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(scrapers.extract, "extract_html", broken)
    blocks = web.page_from_html(
        b"<html><body><article><h2>Why</h2><p>Because the movie model drifts.</p></article></body></html>",
        "https://blog.example/post",
    ).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Why"),
        ("paragraph", "Because the movie model drifts."),
    ]
