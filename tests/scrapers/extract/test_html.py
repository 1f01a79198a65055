"""extract_html: hostile input never raises; real captured blog pages keep their structure."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from scrapers.article import BLOCK_KINDS, Article, Block
from scrapers.extract import extract_html
from scrapers.extract.decode import decode_html

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
PLATFORMS = SHARED / "fixtures" / "platforms"

PARAGRAPH = "<p>" + "The quick brown fox jumps over the lazy dog, again and again. " * 6 + "</p>\n"
ARTICLE = f"<html><head><title>T</title></head><body><article>{PARAGRAPH * 3}</article></body></html>"


def _big_page() -> bytes:
    """About 10 MB: a navigation block and thousands of paragraphs."""
    nav = "<nav>" + '<a href="/x">link</a> ' * 2000 + "</nav>"
    return f"<html><body>{nav}<article>{PARAGRAPH * 27_000}</article></body></html>".encode()


def _many_elements_page() -> bytes:
    """About 10 MB of tiny elements: the worst case for per-element work."""
    return b"<html><body><div>" + b"<span>ab</span><div>c d</div>" * 330_000 + b"</div></body></html>"


HOSTILE: list[tuple[str, object]] = [
    ("empty bytes", b""),
    ("empty string", ""),
    ("whitespace", b"   \n\t  "),
    ("binary served as html", random.Random(7).randbytes(200_000)),
    ("png bytes", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50),
    ("nul bytes", b"\x00" * 5000),
    ("control characters", "<p>a\x01b\x02c\x1b</p>" * 100),
    ("broken html", b"<html><body><div><p>Hello <b>world<div><p>unclosed <<<>>> </td></tr><tr>" * 50),
    ("only a tag", b"<"),
    ("xml declaration in a str", '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>'),
    (
        "script and style only",
        b"<html><head><style>p{}</style><script>var a=1;</script></head>"
        b"<body><script>x()</script></body></html>",
    ),
    (
        "deeply nested divs",
        b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>",
    ),
    (
        "deeply nested mixed",
        b"<html><body>" + b"<div><ul><li><span><table><tr><td>x" * 20_000 + b"</body></html>",
    ),
    ("nested tables", b"<table><tr><td>" * 5000 + b"cell"),
    (
        "bad json-ld",
        b'<script type="application/ld+json">{"@type":"Article","author":[[[[[]]]]],"headline":5,</script>'
        b"<p>t</p>",
    ),
    ("deep json-ld", b'<script type="application/ld+json">' + b"[" * 100_000 + b"</script><p>t</p>"),
    ("huge attribute", b'<div class="' + b"a" * 2_000_000 + b'">text</div>'),
    ("frameset", b"<html><frameset><frame src='a'></frameset></html>"),
]


@pytest.mark.parametrize(("name", "data"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_input_never_raises(name: str, data: str | bytes) -> None:
    start = time.perf_counter()
    article = extract_html(data, "https://example.org/post")
    assert isinstance(article, Article)
    assert article.source == "https://example.org/post"
    assert all(block.kind in BLOCK_KINDS for block in article.blocks)
    assert time.perf_counter() - start < 3.0


@pytest.mark.parametrize("data", [b"", random.Random(1).randbytes(50_000), b"\x00" * 100])
def test_garbage_gives_an_empty_article(data: bytes) -> None:
    article = extract_html(data)
    assert article.blocks == []
    assert article.title == ""


def test_script_and_style_text_never_reaches_the_body() -> None:
    page = b"<html><body><script>var secret = 1;</script><style>.x{color:red}</style></body></html>"
    assert extract_html(page).blocks == []


@pytest.mark.parametrize(
    ("name", "build"), [("10 MB of paragraphs", _big_page), ("10 MB of tiny elements", _many_elements_page)]
)
def test_huge_pages_return_within_a_couple_of_seconds(name: str, build) -> None:
    data = build()
    assert len(data) > 9_000_000
    start = time.perf_counter()
    article = extract_html(data)
    assert time.perf_counter() - start < 3.0
    assert isinstance(article, Article)


def test_huge_article_is_extracted() -> None:
    article = extract_html(_big_page())
    assert len(article.blocks) > 1000
    assert "link link" not in article.plain_text


LATIN1_TEXT = "Ce café est très déjà vu, naïve garçon. " * 10


@pytest.mark.parametrize(
    ("data", "encoding", "expected"),
    [
        # Wrong declaration: says UTF-8, bytes are Latin-1.
        (f'<meta charset="utf-8"><p>{LATIN1_TEXT}</p>'.encode("latin-1"), None, "café"),
        # No declaration at all, Latin-1 bytes.
        (f"<p>{LATIN1_TEXT}</p>".encode("latin-1"), None, "garçon"),
        # Declared Latin-1 (http-equiv), bytes really UTF-8: valid UTF-8 wins.
        (
            (
                '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                f"<p>{LATIN1_TEXT}</p>"
            ).encode(),
            None,
            "naïve",
        ),
        # The HTTP charset given by the caller.
        ("<p>" + "Привет, мир! Это тест. " * 10 + "</p>", "windows-1251", "Привет"),
        # Byte order marks.
        (f"<p>{LATIN1_TEXT}</p>".encode("utf-16"), None, "déjà"),
        (b"\xef\xbb\xbf" + f"<p>{LATIN1_TEXT}</p>".encode(), None, "très"),
        # An unknown charset name.
        (f'<meta charset="x-no-such-charset"><p>{LATIN1_TEXT}</p>'.encode(), "bogus", "café"),
    ],
)
def test_charsets(data: str | bytes, encoding: str | None, expected: str) -> None:
    if isinstance(data, str):
        data = data.encode(encoding or "utf-8")
    article = extract_html(data, encoding=encoding)
    assert expected in article.plain_text
    assert "\ufffd" not in article.plain_text


def test_decode_falls_back_to_utf8_with_replacement() -> None:
    # 0x81 is undefined in cp1252 and invalid UTF-8: nothing decodes it strictly.
    assert decode_html(b"<p>a\x81b</p>") == "<p>a\ufffdb</p>"


def test_structure_of_a_simple_post() -> None:
    page = """<html><head><title>My post | Blog</title>
    <meta name="author" content="Ada Lovelace">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><header><nav><a href="/">Home</a> <a href="/about">About</a></nav></header>
    <article><h1>My post</h1>
    <p>Intro paragraph with enough words to look like a real paragraph of prose, twice over.</p>
    <h2>Setup</h2>
    <p>Install the tool and configure it for the movie-streaming service we run in production.</p>
    <pre><code>pip install tool
tool --init</code></pre>
    <ul><li>first point</li><li>second point<ul><li>nested point</li></ul></li></ul>
    <blockquote><p>A quoted sentence from someone else.</p></blockquote>
    <table><tr><th>name</th><th>score</th></tr><tr><td>a</td><td>1</td></tr></table>
    </article>
    <section class="comments"><h3>3 comments</h3><p>Great post!!! Loved it so much, thanks.</p></section>
    <footer>Copyright 2024</footer></body></html>"""
    article = extract_html(page, "https://blog.example/my-post")
    assert article.title == "My post"
    assert article.author == "Ada Lovelace"
    assert article.published == "2024-03-05T10:00:00+00:00"
    assert article.blocks == [
        Block(
            "paragraph",
            "Intro paragraph with enough words to look like a real paragraph of prose, twice over.",
        ),
        Block("heading", "Setup", 2),
        Block(
            "paragraph",
            "Install the tool and configure it for the movie-streaming service we run in production.",
        ),
        Block("code", "pip install tool\ntool --init"),
        Block("list_item", "first point", 1),
        Block("list_item", "second point", 1),
        Block("list_item", "nested point", 2),
        Block("quote", "A quoted sentence from someone else."),
        Block("table", "name | score\na | 1"),
    ]


def test_json_ld_metadata() -> None:
    page = (
        b"""<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Site"},
     {"@type": "BlogPosting", "headline": "Graph headline", "datePublished": "2023-01-02",
      "author": [{"@type": "Person", "name": "Grace Hopper"}]}]}</script></head>
    <body><article><p>"""
        + b"Body text of the post, long enough to be kept. " * 5
        + b"</p></article></body></html>"
    )
    article = extract_html(page)
    assert (article.title, article.author, article.published) == (
        "Graph headline",
        "Grace Hopper",
        "2023-01-02",
    )


def test_time_element_date() -> None:
    page = (
        b"<html><body><article><time datetime='2021-11-30'>Nov 30</time><p>"
        + b"Words here. " * 20
        + b"</p></article></body></html>"
    )
    assert extract_html(page).published == "2021-11-30"


def test_line_breaks_and_br_paragraphs() -> None:
    page = (
        b"<html><body><div class='post-body'>"
        + b"First paragraph of text that goes on. " * 4
        + b"<br><br>"
        + (b"Second paragraph line one<br>line two. " * 4)
        + b"</div></body></html>"
    )
    blocks = extract_html(page).blocks
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]
    assert blocks[0].text.startswith("First paragraph")
    assert "\n" in blocks[1].text


def _page(*parts: str) -> bytes:
    path = PLATFORMS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} absent: the captured platform pages live in ../shared beside the repository")
    return path.read_bytes()


def test_jekyll_post_title_date_and_code_blocks() -> None:
    article = extract_html(
        _page("jekyll", "01shobitha_minima_post_Solving-Two-Sum.html"), "https://x.github.io/Solving-Two-Sum"
    )
    assert article.title == "Solving Two-Sum"
    assert article.published.startswith("2020-07-20")
    assert article.author == ""  # the only rel=author link is the site title
    assert article.blocks[0] == Block("paragraph", "You may find the link to the question here.")
    assert article.blocks[-1] == Block("paragraph", "Hope it helps.")
    codes = [b.text for b in article.blocks if b.kind == "code"]
    assert len(codes) == 4
    assert codes[0].startswith("Given array = [7, 11, 15,2] target = 9,\n\nBecause")
    assert "    Find the difference: diff = target - array[i]" in codes[2]
    assert codes[3].startswith("vector<int> twoSum(vector<int>& a, int target) {")
    assert "\n    vector<int> v;\n    map<int,int> m;" in codes[3]
    assert not any(b.kind == "heading" for b in article.blocks)  # the <h1> title is not repeated
    assert "A Developer's blog" not in article.text


def test_personal_blog_headings() -> None:
    article = extract_html(_page("personal", "trafilatura_gregoryszorc.com_post.html"))
    assert article.title == "Mercurial's Journey to and Reflections on Python 3"
    headings = [(b.text, b.level) for b in article.blocks if b.kind == "heading"]
    assert headings == [
        ("Porting Mercurial to Python 3", 2),
        ("The Future of Python 3 and Mercurial", 2),
        ("Commentary on Python 3", 2),
    ]
    assert article.blocks[0].text.startswith("Mercurial 5.2 was released on November 5, 2019.")
    assert article.words > 5000


def test_medium_code_blocks_keep_their_lines() -> None:
    article = extract_html(_page("medium", "postlight_medium.com--another.html"))
    assert article.title == "Flag Attributes in Android — How to Use Them"
    codes = [b.text for b in article.blocks if b.kind == "code"]
    assert len(codes) >= 10
    assert any(c.startswith("public MyView extends View{\n    // Constants for the flags\n") for c in codes)
    headings = [b.text for b in article.blocks if b.kind == "heading"]
    assert "What Are Bit Flags?" in headings
    assert "Remove a Flag From the Set" in headings
    assert article.blocks[-1].text == "Happy coding 💻."


def test_medium_story_metadata_and_quotes() -> None:
    article = extract_html(_page("medium", "readability_medium-2_source.html"))
    assert article.title == "On Behalf of “Literally”"
    assert article.author == "Courtney Kirchoff"
    assert article.published.startswith("2015-02-24")
    assert article.blocks[0].text.startswith("You either are a “literally” abuser or know of one.")
    assert any(b.kind == "quote" and b.text.startswith("Literally means actually.") for b in article.blocks)


def test_blogger_post_without_paragraph_tags() -> None:
    article = extract_html(_page("blogger", "readability_blogger_source.html"))
    assert article.title == "Open Verilog flow for Silego GreenPak4 programmable logic devices"
    assert article.author == "Andrew Zonenberg"
    assert article.published.startswith("2016-05-08")
    assert Block("heading", "So what's a GreenPak?", 2) in article.blocks
    assert article.words > 2000


def test_blogger_headings_and_title_not_repeated() -> None:
    article = extract_html(_page("blogger", "trafilatura_emacspeak.blogspot_post.html"))
    assert article.title == "Meta-Programming In Emacs Using Defadvice"
    assert article.author == "T. V. Raman"
    assert article.blocks[0] == Block("heading", "1 Introduction", 2)
    assert not any(b.kind == "heading" and b.level == 1 for b in article.blocks)


def test_blogger_comments_stay_out_of_the_body() -> None:
    article = extract_html(_page("blogger", "trafilatura_plentylife.blogspot_with-comments.html"))
    assert article.title == "Strong & Beautiful - Pamela Reif [Rezension]"
    assert article.blocks[0].text.startswith("Vielen Dank an den den Verlag")
    assert "Great post, I like your blog" not in article.text
    assert "mybeautydiary123" not in article.text


def test_wordpress_comments_stay_out_of_the_body() -> None:
    article = extract_html(_page("wordpress", "trafilatura_en.blog.wordpress.com_with-comments.html"))
    assert article.title == "Want to See a More Diverse WordPress Contributor Community? So Do We."
    assert article.published.startswith("2019-06-19")
    assert [b.text for b in article.blocks if b.kind == "heading"] == [
        "Breaking Down Barriers",
        "Why WordCamps?",
        "Help Us Grow This Work",
    ]
    for comment in (
        "What an incredible idea",
        "Diversity is always a good thing",
        "I definitely support and agree",
    ):
        assert comment not in article.text


def test_self_hosted_wordpress_comments_stay_out() -> None:
    article = extract_html(_page("wordpress", "readability_wordpress_wptavern_source.html"))
    assert article.author == "Sarah Gooding"
    assert article.blocks[0].text.startswith("Stack Overflow published its analysis of 2017 hiring trends")
    assert "I would not be so busy" not in article.text
    assert "One nuance of over saturation number" not in article.text


def test_personal_blog_table_and_comments() -> None:
    article = extract_html(_page("personal", "trafilatura_lemire.me_with-comments.html"))
    assert article.title == "JSON parsing: simdjson vs. JSON for Modern C++"
    assert article.author == "Daniel Lemire"
    tables = [b.text for b in article.blocks if b.kind == "table"]
    assert tables and tables[0].startswith("file | simdjson | JSON for Modern C++\napache_builds | 2.3 GB/s")
    assert "That is well a mega difference" not in article.text
    assert "vcpkg has simdjson" not in article.text


PROSE = (
    "<p>"
    + "Our team tried the tool on the movie-streaming service and wrote down what happened. " * 3
    + "</p>"
)


def test_boilerplate_regions_are_removed() -> None:
    page = f"""<html><body>
    <div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
    <div class="container has-sidebar"><main><article class="post">
    <h1>Title</h1>{PROSE * 3}
    <div class="share-buttons"><a href="/s">Share on Twitter</a> <a href="/f">Facebook</a></div>
    <div class="newsletter-signup"><p>Subscribe to our newsletter for weekly tips and tricks!</p></div>
    <div class="related-posts"><h3>Related posts</h3><p>Another post you will surely love to read.</p></div>
    <p style="display:none">Hidden tracking text that no reader sees.</p>
    </article></main><div class="sidebar"><p>{"About me and my blog. " * 10}</p></div></div>
    <div id="disqus_thread"><p>{"A long comment from a reader. " * 10}</p></div>
    </body></html>"""
    text = extract_html(page).text
    assert text.count("movie-streaming") == 9
    for chrome in ("cookies", "Share on", "newsletter", "Related", "Hidden", "About me", "comment from"):
        assert chrome not in text


def test_heading_permalinks_are_not_link_lists() -> None:
    section = '<h2 id="s{0}"><a href="#s{0}">Section {0}</a></h2>' + PROSE
    page = "<html><body><article>" + "".join(section.format(i) for i in range(3)) + "</article></body></html>"
    blocks = extract_html(page).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["Section 0", "Section 1", "Section 2"]


def test_layout_tables_are_containers_and_data_tables_are_rows() -> None:
    page = f"""<html><body><table><tr><td>{PROSE * 2}
    <table><tr><th>tool</th><th>latency</th></tr><tr><td>A</td><td>3 ms</td></tr></table>
    </td><td><a href="/a">nav</a></td></tr></table></body></html>"""
    blocks = extract_html(page).blocks
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "table"]
    assert blocks[-1].text == "tool | latency\nA | 3 ms"


def test_code_tables_and_bare_multiline_code() -> None:
    page = f"""<html><body><article>{PROSE}
    <table class="highlight"><tr><td class="blob-num">1</td><td class="blob-code">def f():</td></tr>
    <tr><td class="blob-num">2</td><td class="blob-code">    return 1</td></tr></table>
    <p>{"And then we ran it with a second snippet to compare the results. " * 2}</p>
    <div><code>docker run \\
  --rm image</code></div></article></body></html>"""
    codes = [b.text for b in extract_html(page).blocks if b.kind == "code"]
    assert codes == ["def f():\n    return 1", "docker run \\\n  --rm image"]


def test_json_ld_article_body_when_the_page_renders_with_scripts() -> None:
    body = (
        "First paragraph of the story, told in plain words.\\nSecond paragraph. " + "More words here. " * 20
    )
    page = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", '
        f'"articleBody": "{body}"}}</script></head><body><div id="root"></div></body></html>'
    )
    article = extract_html(page)
    assert article.title == "H"
    assert article.blocks[0] == Block("paragraph", "First paragraph of the story, told in plain words.")
    assert len(article.blocks) == 2
