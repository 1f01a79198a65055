"""Hostile and broken input: every parser returns an Article or raises PlatformError, nothing else;
XML entities never expand; huge answers are refused quickly."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.article import Article
from scrapers.platforms import blogger, canvas, devto, feeds, github, medium, pdf, web, wordpress, youtube
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.markdown import article_from_markdown

URL = "https://blog.example/2024/03/post-1a2b3c4d5e6f.html"

PARSERS: list[tuple[str, Callable[[bytes, str], Article]]] = [
    ("medium.story_from_html", medium.story_from_html),
    ("medium.story_from_json", medium.story_from_json),
    ("medium.story_from_feed", medium.story_from_feed),
    ("wordpress.post_from_api", wordpress.post_from_api),
    ("wordpress.post_from_html", wordpress.post_from_html),
    ("blogger.post_from_feed", blogger.post_from_feed),
    ("blogger.post_from_html", blogger.post_from_html),
    ("devto.post_from_api", devto.post_from_api),
    ("devto.post_from_html", devto.post_from_html),
    ("github.article_from_raw", github.article_from_raw),
    ("github.article_from_notebook", github.article_from_notebook),
    ("pdf.article_from_pdf", pdf.article_from_pdf),
    ("canvas.article_from_discussion", canvas.article_from_discussion),
    ("youtube.video_article", youtube.video_article),
    ("youtube.video_from_html", youtube.video_from_html),
    ("feeds.post_from_site_feed", feeds.post_from_site_feed),
    ("web.page_from_html", web.page_from_html),
    ("web.document_from_bytes", web.document_from_bytes),
    ("markdown", lambda body, url: article_from_markdown(body, url)),
]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>
<link>https://blog.example/2024/03/post-1a2b3c4d5e6f.html</link>
<guid>https://medium.com/p/1a2b3c4d5e6f</guid>
<description>&lol9;</description></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">
<!ENTITY remote SYSTEM "http://10.255.255.1/x">]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a&secret;b&remote;</title>
<link rel="alternate" href="https://blog.example/2024/03/post-1a2b3c4d5e6f.html"/>
<content type="html">&lt;p&gt;x&secret;&lt;/p&gt;</content></entry></feed>"""

BAD_INPUTS = {
    "empty": b"",
    "blank": b"   \n\t ",
    "nul bytes": b"\x00" * 64,
    "binary": bytes(range(256)) * 8,
    "truncated json": b'{"payload": {"value": {"title": "x", "content": {"bodyModel": {"paragraphs": [',
    "json scalar": b"42",
    "json null": b"null",
    "deep json": b"[" * 50_000 + b"]" * 50_000,
    "deep json object": b'{"a":' * 30_000 + b"1" + b"}" * 30_000,
    "truncated xml": b'<?xml version="1.0"?><rss><channel><item><title>x</ti',
    "billion laughs": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "html garbage": b"<html><body><div><p><span>" * 2000,
    "deep html": b"<div>" * 20_000 + b"text" + b"</div>" * 20_000,
    "latin-1 html": "<html><body><p>caf\xe9 cr\xe8me</p></body></html>".encode("latin-1"),
    "utf-16 bom": "\ufeff<html><body><p>hi</p></body></html>".encode("utf-16"),
    "xml decl in html": b'<?xml version="1.0" encoding="utf-8"?><html><body><p>hi</p></body></html>',
    "wrong json shape": json.dumps({"feed": {"entry": [{"link": "nope", "content": 3}]}}).encode(),
    "lists of nulls": json.dumps([None, None, {"title": None, "content": None}]).encode(),
}


def outcome(parse: Callable[[bytes, str], Article], body: bytes) -> Article | PlatformError:
    try:
        result = parse(body, URL)
    except PlatformError as exc:
        assert str(exc), "a PlatformError needs a message a TA can read"
        return exc
    assert isinstance(result, Article)
    return result


@pytest.mark.parametrize("case", list(BAD_INPUTS))
@pytest.mark.parametrize(("name", "parse"), PARSERS, ids=[n for n, _ in PARSERS])
def test_bad_input_gives_article_or_platform_error(name: str, parse, case: str) -> None:
    started = time.perf_counter()
    outcome(parse, BAD_INPUTS[case])
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("name", "parse"), PARSERS, ids=[n for n, _ in PARSERS])
def test_huge_answer_is_refused_quickly(name: str, parse) -> None:
    huge = b"<html><body>" + b"<p>" + b"word " * 2_600_000 + b"</p></body></html>"
    started = time.perf_counter()
    result = outcome(parse, huge)
    assert time.perf_counter() - started < 10
    if isinstance(result, PlatformError):
        assert "too large" in str(result) or "not" in str(result)


def test_entities_do_not_expand() -> None:
    started = time.perf_counter()
    feed = feeds.parse_feed(BILLION_LAUGHS)
    assert time.perf_counter() - started < 2
    assert all(len(e.title) < 100 and len(e.html) < 100 for e in feed.entries)
    assert len(feed.title) < 100
    for parse in (medium.story_from_feed, blogger.post_from_feed, feeds.post_from_site_feed):
        result = outcome(parse, BILLION_LAUGHS)  # libxml2 stops at the entity loop: no post, no blow-up
        if isinstance(result, Article):
            assert "lollol" not in result.title + result.plain_text


def test_external_entities_are_not_read() -> None:
    feed = feeds.parse_feed(EXTERNAL_ENTITY)
    entry = feed.entries[0]
    assert "root:" not in entry.title and "root:" not in entry.html
    article = blogger.post_from_feed(EXTERNAL_ENTITY, URL)
    assert "root:" not in article.plain_text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600))
@pytest.mark.parametrize(("name", "parse"), PARSERS, ids=[n for n, _ in PARSERS])
def test_random_bytes(name: str, parse, data: bytes) -> None:
    outcome(parse, data)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "content",
                    "rendered",
                    "message",
                    "payload",
                    "value",
                    "feed",
                    "entry",
                    "$t",
                    "link",
                    "href",
                    "rel",
                    "user",
                    "name",
                    "body_markdown",
                    "body_html",
                    "posts",
                    "view",
                    "cells",
                    "source",
                    "bodyModel",
                    "paragraphs",
                    "type",
                    "text",
                    "author",
                    "_embedded",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSONISH)
@pytest.mark.parametrize(("name", "parse"), PARSERS, ids=[n for n, _ in PARSERS])
def test_random_json(name: str, parse, value: object) -> None:
    body = json.dumps(value).encode()
    outcome(parse, body)
    outcome(parse, medium.XSSI_PREFIX.encode() + body)
