"""Blogger: the JSON and Atom feeds, and post pages (comments kept out)."""

from __future__ import annotations

import json

import pytest

from scrapers.platforms import blogger
from scrapers.platforms.errors import PlatformError

POST_URL = "https://ada-ml.blogspot.com/2024/03/great-expectations-for-movies.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            POST_URL,
            "https://ada-ml.blogspot.com/feeds/posts/default?alt=json"
            "&path=%2F2024%2F03%2Fgreat-expectations-for-movies.html",
        ),
        (
            "http://127.0.0.1:9000/2016/05/open-verilog.html?m=1",
            "http://127.0.0.1:9000/feeds/posts/default?alt=json&path=%2F2016%2F05%2Fopen-verilog.html",
        ),
        ("https://ada-ml.blogspot.com/", None),
        ("https://ada-ml.blogspot.com/p/about.html", None),
        ("https://ada-ml.blogspot.com/search/label/mlops", None),
    ],
)
def test_feed_url(url: str, expected: str | None) -> None:
    assert blogger.feed_url(url) == expected


def json_feed(content_key: str = "content") -> dict:
    entry = {
        "id": {"$t": "tag:blogger.com,1999:blog-1.post-2"},
        "published": {"$t": "2024-03-05T10:00:00.000-08:00"},
        "title": {"type": "text", "$t": "Great Expectations for movies"},
        content_key: {
            "type": "html",
            "$t": "<h2>The problem</h2>Bad rows break the recommender.<br /><br />"
            "<pre>ge.validate(df)</pre><ul><li>fast</li><li>clear</li></ul>",
        },
        "link": [
            {
                "rel": "replies",
                "type": "application/atom+xml",
                "href": "https://ada-ml.blogspot.com/feeds/2/comments/default",
            },
            {
                "rel": "alternate",
                "type": "text/html",
                "href": POST_URL,
                "title": "Great Expectations for movies",
            },
        ],
        "author": [{"name": {"$t": "Ada Park"}, "email": {"$t": "noreply@blogger.com"}}],
    }
    other = json.loads(json.dumps(entry))
    other["title"]["$t"] = "Another post"
    other["link"][1]["href"] = "https://ada-ml.blogspot.com/2024/02/another.html"
    return {
        "version": "1.0",
        "encoding": "UTF-8",
        "feed": {"author": [{"name": {"$t": "Blog Owner"}}], "entry": [other, entry]},
    }


def test_json_feed() -> None:
    article = blogger.post_from_feed(json.dumps(json_feed()).encode(), POST_URL)
    assert article.platform == "blogger"
    assert article.title == "Great Expectations for movies"
    assert article.author == "Ada Park"
    assert article.published == "2024-03-05T10:00:00.000-08:00"
    assert [(b.kind, b.level, b.text) for b in article.blocks] == [
        ("heading", 2, "The problem"),
        ("paragraph", 0, "Bad rows break the recommender."),
        ("code", 0, "ge.validate(df)"),
        ("list_item", 1, "fast"),
        ("list_item", 1, "clear"),
    ]


def test_json_in_script_and_http_link() -> None:
    body = "gdata.io.handleScriptLoaded(" + json.dumps(json_feed()) + ");"
    article = blogger.post_from_feed(body.encode(), POST_URL.replace("https://", "http://") + "?m=1")
    assert article.title == "Great Expectations for movies"


def test_json_feed_errors() -> None:
    with pytest.raises(PlatformError, match="only a summary"):
        blogger.post_from_feed(json.dumps(json_feed("summary")).encode(), POST_URL)
    with pytest.raises(PlatformError, match="not in the blog's feed"):
        blogger.post_from_feed(
            json.dumps(json_feed()).encode(), "https://ada-ml.blogspot.com/2024/03/nope.html"
        )
    with pytest.raises(PlatformError, match="not a Blogger JSON feed"):
        blogger.post_from_feed(b'{"kind": "blogger#post"}', POST_URL)
    with pytest.raises(PlatformError, match="truncated JSON"):
        blogger.post_from_feed(json.dumps(json_feed()).encode()[:300], POST_URL)


def test_atom_export_feed(platform_file) -> None:
    """A Blogger Atom export: posts, pages, a comment and settings entries; slightly broken XML."""
    body = platform_file("blogger", "pelican_bloggerexport.xml")
    url = "http://youngdoctornotes.blogspot.com/2010/11/the-steel-windpipe.html"
    article = blogger.post_from_feed(body, url)
    assert article.title == "The Steel Windpipe"
    assert article.author == "Mikhail Afanasyevich Bulgakov"
    assert article.published == "2010-11-27T07:12:00.000-08:00"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "It was a cold Winter's night."),
        ("list_item", "Very cold indeed."),
        ("list_item", "Note to self: pad out ending"),
    ]
    with pytest.raises(PlatformError, match="not in the blog's feed"):
        blogger.post_from_feed(body, "http://youngdoctornotes.blogspot.com/2010/11/missing.html")


def test_atom_summary_only_feed() -> None:
    atom = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <title>Short feed</title><link rel="alternate" type="text/html" href="{POST_URL}"/>
    <summary>Only the first lines...</summary></entry></feed>""".encode()
    with pytest.raises(PlatformError, match="only a summary"):
        blogger.post_from_feed(atom, POST_URL)


# file, url, title, author, published, sentence, heading, comment text that must stay out
PAGES = [
    (
        "readability_blogger_source.html",
        "http://siliconexposed.blogspot.com/2016/05/open-verilog-flow-for-silego-greenpak4.html",
        "Open Verilog flow for Silego GreenPak4 programmable logic devices",
        "Andrew Zonenberg",
        "2016-05-08T00:55:00-07:00",
        "Silego Technology is a fabless semiconductor company located in the SF Bay area",
        "So what's a GreenPak?",
        "No comments:",
    ),
    (
        "trafilatura_emacspeak.blogspot_post.html",
        "https://emacspeak.blogspot.com/2019/10/meta-programming-in-emacs-using.html",
        "Meta-Programming In Emacs Using Defadvice",
        "T. V. Raman",
        "2019-10-16T14:33:00-07:00",
        "Advice came to Emacs lisp in the summer of 1994",
        "2 Advice And Emacs Lisp",
        "Post a Comment",
    ),
    (
        "trafilatura_plentylife.blogspot_with-comments.html",
        "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html",
        "Strong & Beautiful - Pamela Reif [Rezension]",
        "Sandra",
        None,
        "Am Anfang des Buches erzählt Pamela ihre eigene Geschichte.",
        None,
        "Great post, I like your blog and I just followed you.",
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "title", "author", "published", "sentence", "heading", "comment"), PAGES
)
def test_post_page(platform_file, name, url, title, author, published, sentence, heading, comment) -> None:
    article = blogger.post_from_html(platform_file("blogger", name), url)
    assert article.platform == "blogger"
    assert (article.title, article.author) == (title, author)
    if published is not None:
        assert article.published == published
    assert sentence in article.plain_text
    assert comment not in article.text
    if heading:
        assert heading in [b.text for b in article.blocks if b.kind == "heading"]


def test_line_breaks_do_not_split_paragraphs(platform_file) -> None:
    """Blogger's "convert line breaks" writes <br> at each source line end: one paragraph stays one."""
    url = "https://emacspeak.blogspot.com/2019/10/meta-programming-in-emacs-using.html"
    article = blogger.post_from_html(
        platform_file("blogger", "trafilatura_emacspeak.blogspot_post.html"), url
    )
    assert (
        "This blog article Meta Programming In Python reminded me to write up the equivalent for Emacs Lisp."
        in article.plain_text
    )
    assert sum(b.kind == "list_item" for b in article.blocks) >= 4
