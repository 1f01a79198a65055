"""WordPress: REST API answers (wp/v2 and WordPress.com v1.1) and post pages."""

from __future__ import annotations

import json

import pytest

from scrapers.platforms import wordpress
from scrapers.platforms.errors import PlatformError


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.org/2024/03/05/mlflow-for-movies/",
            "https://example.org/wp-json/wp/v2/posts?slug=mlflow-for-movies&_embed=author",
        ),
        (
            "https://example.org/2024/03/mlflow-for-movies",
            "https://example.org/wp-json/wp/v2/posts?slug=mlflow-for-movies&_embed=author",
        ),
        (
            "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/",
            "https://lemire.me/blog/wp-json/wp/v2/posts?slug=json-parsing-simdjson-vs-json-for-modern-c&_embed=author",
        ),
        (
            "https://demo.worona.org/the-beauties-of-gullfoss/",
            "https://demo.worona.org/wp-json/wp/v2/posts?slug=the-beauties-of-gullfoss&_embed=author",
        ),
        ("https://example.org/?p=60", "https://example.org/wp-json/wp/v2/posts/60?_embed=author"),
        (
            "https://student.wordpress.com/2024/03/05/feast-features/",
            "https://public-api.wordpress.com/wp/v2/sites/student.wordpress.com/posts?slug=feast-features&_embed=author",
        ),
        (
            "http://127.0.0.1:8080/2024/03/05/feast-features/",
            "http://127.0.0.1:8080/wp-json/wp/v2/posts?slug=feast-features&_embed=author",
        ),
        ("https://example.org/", None),
        ("https://example.org/category/", None),
        ("::not a url", None),
    ],
)
def test_api_url(url: str, expected: str | None) -> None:
    assert wordpress.api_url(url) == expected


def test_single_post_from_rest(platform_file) -> None:
    url = "https://demo.worona.org/the-beauties-of-gullfoss/"
    article = wordpress.post_from_api(platform_file("wordpress", "frontity_wp-v2-post-60.json"), url)
    assert article.platform == "wordpress"
    assert article.title == "The Beauties of Gullfoss"
    assert article.author == "Alan Martin"  # from _embedded.author
    assert article.published == "2016-11-25T18:31:11+00:00"
    assert "Gullfoss is a waterfall located in the canyon of the Hvítá river" in article.plain_text
    assert "During the first half of the 20th century" in article.plain_text  # text in a bare <div>
    kinds = {(b.kind, b.level, b.text) for b in article.blocks}
    assert ("heading", 3, "An iconic waterfall of Iceland") in kinds
    assert ("list_item", 1, "Geography of Iceland") in kinds
    assert ("quote", 0, "Iceland is not a destination. It’s an adventure set in stunning scenery.") in kinds
    assert "Gullfoss, an iconic waterfall of Iceland." not in article.plain_text  # a figure caption


def test_post_list_picks_the_post_by_link(platform_file) -> None:
    body = platform_file("wordpress", "frontity_wp-v2-posts.json")
    article = wordpress.post_from_api(body, "http://frontity.test/veniam-reiciendis-esse-aliquid/")
    assert article.title == "Veniam reiciendis esse aliquid"
    assert article.author == "admin"
    assert [b.kind for b in article.blocks] == ["quote"]
    first = wordpress.post_from_api(body, "http://frontity.test/no-such-post/")
    assert first.title == "Hello world!"
    assert first.plain_text.startswith("Welcome to WordPress.")


def test_wordpress_com_v1_shape(platform_file) -> None:
    body = platform_file("wordpress", "wordpresskit_reader-posts-success.json")
    url = "https://minnesotamuckraker.wordpress.com/2020/09/30/with-150-dog-deaths-time-to-get-dogs-out-of-the-iditarod-peta/"
    article = wordpress.post_from_api(body, url)
    assert article.title == "With 150+ Dog Deaths, Time to Get Dogs Out of the Iditarod | PETA"
    assert article.author == "Mark Battiste"
    assert article.published == "2020-09-30T18:24:19+00:00"
    assert "Please urge the Iditarod Trail Committee" in article.plain_text


def test_rest_code_blocks_and_entities() -> None:
    post = {
        "id": 7,
        "slug": "feast",
        "link": "https://blog.example/feast/",
        "date_gmt": "2024-03-05T10:00:00",
        "title": {"rendered": "Feast &#8211; features for movies"},
        "content": {
            "rendered": "<h2>Problem</h2><p>Features drift.</p>"
            '<pre class="wp-block-code"><code>feast apply\nfeast materialize</code></pre>'
            "<ol><li>first</li><li>second<ul><li>nested</li></ul></li></ol>"
            '<div class="sharedaddy"><h3>Share this:</h3><ul><li>Twitter</li></ul></div>'
        },
        "_embedded": {"author": [{"code": "rest_user_invalid_id", "message": "Invalid user ID."}]},
    }
    article = wordpress.post_from_api(json.dumps([post]).encode(), "https://blog.example/feast/")
    assert article.title == "Feast – features for movies"
    assert article.author == ""
    assert article.published == "2024-03-05T10:00:00+00:00"
    assert [(b.kind, b.level, b.text) for b in article.blocks] == [
        ("heading", 2, "Problem"),
        ("paragraph", 0, "Features drift."),
        ("code", 0, "feast apply\nfeast materialize"),
        ("list_item", 1, "first"),
        ("list_item", 1, "second"),
        ("list_item", 2, "nested"),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[]", "no post at this address"),
        (
            b'{"code":"rest_no_route","message":"No route was found matching the URL and request method.",'
            b'"data":{"status":404}}',
            "No route was found",
        ),
        (
            b'{"content": {"rendered": "", "protected": true}, "title": {"rendered": "x"}}',
            "password-protected",
        ),
        (b'"just a string"', "not a WordPress REST answer"),
        (b"<html><body>Not here</body></html>", "HTML"),
    ],
)
def test_rest_errors(body: bytes, message: str) -> None:
    with pytest.raises(PlatformError, match=message):
        wordpress.post_from_api(body, "https://blog.example/x/")


def test_comments_answer_is_not_a_post(platform_file) -> None:
    body = platform_file("wordpress", "frontity_wp-v2-comments-post-60.json")
    with pytest.raises(PlatformError, match="not a WordPress REST answer"):
        wordpress.post_from_api(body, "https://blog.example/x/")


# file, url, title, author, published, sentence, comment text that must stay out
PAGES = [
    (
        "wordpress",
        "readability_wordpress_wptavern_source.html",
        "https://wptavern.com/stack-overflow-jobs-data-shows-reactjs-skills-in-high-demand-wordpress-market-oversaturated-with-developers",
        "Stack Overflow Jobs Data Shows ReactJS Skills in High Demand,"
        " WordPress Market Oversaturated with Developers",
        "Sarah Gooding",
        "2017-03-09T23:16:02+00:00",
        "Stack Overflow published its analysis of 2017 hiring trends",
        "If there were really no demand for WordPress developers, I would not be so busy.",
    ),
    (
        "wordpress",
        "trafilatura_en.blog.wordpress.com_with-comments.html",
        "https://en.blog.wordpress.com/2019/06/19/want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/",
        "Want to See a More Diverse WordPress Contributor Community? So Do We.",
        "Andrea Middleton",
        "2019-06-19T19:38:08+00:00",
        "The mission of WordPress is to democratize publishing",
        "Are there workshops available for an 80 year-old WordPress enthusiast",
    ),
    (
        "personal",
        "trafilatura_lemire.me_with-comments.html",
        "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/",
        "JSON parsing: simdjson vs. JSON for Modern C++",
        "Daniel Lemire",
        "2019-08-02T15:57:41+00:00",
        "JSON is the ubiquitous data format on the Internet.",
        "vcpkg has simdjson in its repo",
    ),
]


@pytest.mark.parametrize(
    ("folder", "name", "url", "title", "author", "published", "sentence", "comment"), PAGES
)
def test_post_page(platform_file, folder, name, url, title, author, published, sentence, comment) -> None:
    article = wordpress.post_from_html(platform_file(folder, name), url)
    assert article.platform == "wordpress"
    assert (article.title, article.author, article.published) == (title, author, published)
    assert sentence in article.plain_text
    assert comment not in article.plain_text
    assert article.words > 200


def test_post_page_headings_and_tables(platform_file) -> None:
    url = "https://en.blog.wordpress.com/2019/06/19/want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/"
    article = wordpress.post_from_html(
        platform_file("wordpress", "trafilatura_en.blog.wordpress.com_with-comments.html"), url
    )
    assert ("heading", 3, "Breaking Down Barriers") in {(b.kind, b.level, b.text) for b in article.blocks}
    url = "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/"
    article = wordpress.post_from_html(
        platform_file("personal", "trafilatura_lemire.me_with-comments.html"), url
    )
    table = next(b for b in article.blocks if b.kind == "table")
    assert table.text.splitlines()[0] == "file | simdjson | JSON for Modern C++"


def test_synthetic_theme_page_code_and_comments() -> None:
    page = b"""<html><head><meta name="generator" content="WordPress 6.5">
    <meta property="og:title" content="Locust for load tests"></head><body>
    <article><header><h1 class="entry-title">Locust for load tests</h1>
    <span class="byline">by <span class="author vcard"><a class="url fn n" href="/a">Di Wu</a></span></span>
    <time class="entry-date published" datetime="2024-03-01T09:00:00+00:00">March 1</time></header>
    <div class="entry-content"><p>Locust sends many requests to the movie API at once.</p>
    <pre class="wp-block-code"><code>locust -f locustfile.py --users 100</code></pre>
    <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3></div></div></article>
    <div id="comments" class="comments-area"><ol class="comment-list"><li class="comment">
    <div class="comment-author vcard"><b class="fn">Ed Lam</b></div>
    <div class="comment-content"><p>Great post, thanks for sharing!</p></div></li></ol></div>
    </body></html>"""
    article = wordpress.post_from_html(page, "https://di.example/2024/03/01/locust/")
    assert article.title == "Locust for load tests"
    assert article.author == "Di Wu"
    assert article.published == "2024-03-01T09:00:00+00:00"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Locust sends many requests to the movie API at once."),
        ("code", "locust -f locustfile.py --users 100"),
    ]
