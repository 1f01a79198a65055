"""plan(): what to fetch for each kind of post, in order, with the right parser."""

from __future__ import annotations

import pytest

from scrapers.platforms import (
    FetchStep,
    blogger,
    canvas,
    devto,
    feeds,
    github,
    medium,
    pdf,
    plan,
    web,
    wordpress,
    youtube,
)
from scrapers.urls import normalise

CASES = [
    (
        "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f",
        "medium",
        [
            ("medium_html", "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f", medium.story_from_html),
            (
                "medium_json",
                "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f?format=json",
                medium.story_from_json,
            ),
            ("medium_feed", "https://medium.com/feed/@ada", medium.story_from_feed),
        ],
    ),
    (
        "https://medium.com/p/1a2b3c4d5e6f",
        "medium",
        [
            ("medium_html", "https://medium.com/p/1a2b3c4d5e6f", medium.story_from_html),
            ("medium_json", "https://medium.com/p/1a2b3c4d5e6f?format=json", medium.story_from_json),
        ],
    ),
    (
        "https://ada.wordpress.com/2024/03/05/feast/",
        "wordpress",
        [
            (
                "wordpress_api",
                "https://public-api.wordpress.com/wp/v2/sites/ada.wordpress.com/posts?slug=feast&_embed=author",
                wordpress.post_from_api,
            ),
            ("wordpress_html", "https://ada.wordpress.com/2024/03/05/feast/", wordpress.post_from_html),
        ],
    ),
    (
        "https://ada.blogspot.com/2024/03/feast.html",
        "blogger",
        [
            (
                "blogger_feed",
                "https://ada.blogspot.com/feeds/posts/default?alt=json&path=%2F2024%2F03%2Ffeast.html",
                blogger.post_from_feed,
            ),
            ("blogger_html", "https://ada.blogspot.com/2024/03/feast.html", blogger.post_from_html),
        ],
    ),
    (
        "https://github.com/ada/blog/blob/main/feast.md",
        "github",
        [
            (
                "github_raw",
                "https://raw.githubusercontent.com/ada/blog/main/feast.md",
                github.article_from_raw,
            ),
            ("html", "https://github.com/ada/blog/blob/main/feast.md", web.page_from_html),
        ],
    ),
    (
        "https://github.com/ada/blog",
        "github",
        [
            ("github_pages_html", "https://ada.github.io/blog/", github.site_from_pages),
            (
                "github_readme",
                "https://raw.githubusercontent.com/ada/blog/HEAD/README.md",
                github.article_from_raw,
            ),
            ("html", "https://github.com/ada/blog", web.page_from_html),
        ],
    ),
    (
        "https://ada.github.io/feast-movies",
        "github_pages",
        [
            ("html", "https://ada.github.io/feast-movies", web.page_from_html),
            ("site_feed", "https://ada.github.io/feed.xml", feeds.post_from_site_feed),
        ],
    ),
    (
        "https://dev.to/ada/feast-1abc",
        "devto",
        [
            ("devto_api", "https://dev.to/api/articles/ada/feast-1abc", devto.post_from_api),
            ("devto_html", "https://dev.to/ada/feast-1abc", devto.post_from_html),
            ("devto_feed", "https://dev.to/feed/ada", feeds.post_from_site_feed),
        ],
    ),
    (
        "https://youtube.com/watch?v=srtMWzyqdp8",
        "youtube",
        [
            (
                "oembed",
                "https://www.youtube.com/oembed?url=https%3A%2F%2Fyoutube.com%2Fwatch%3Fv%3DsrtMWzyqdp8&format=json",
                youtube.video_article,
            ),
            ("video_html", "https://youtube.com/watch?v=srtMWzyqdp8", youtube.video_from_html),
        ],
    ),
    (
        "https://vimeo.com/123456789",
        "video",
        [
            (
                "oembed",
                "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F123456789",
                youtube.video_article,
            ),
            ("video_html", "https://vimeo.com/123456789", youtube.video_from_html),
        ],
    ),
    (
        "https://canvas.example.edu/courses/1/discussion_topics/2",
        "canvas",
        [
            (
                "canvas_api",
                "https://canvas.example.edu/api/v1/courses/1/discussion_topics/2",
                canvas.article_from_discussion,
            ),
            ("html", "https://canvas.example.edu/courses/1/discussion_topics/2", web.page_from_html),
        ],
    ),
    (
        "https://example.edu/~ada/post.pdf",
        "web",
        [("pdf", "https://example.edu/~ada/post.pdf", pdf.article_from_pdf)],
    ),
    ("https://example.edu/notes/feast.md", "web", [("markdown", "https://example.edu/notes/feast.md", None)]),
    (
        "https://example.edu/nb/feast.ipynb",
        "web",
        [("notebook", "https://example.edu/nb/feast.ipynb", github.article_from_notebook)],
    ),
    (
        "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit",
        "web",
        [
            (
                "document",
                "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/export?format=txt",
                web.document_from_bytes,
            ),
            ("html", "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit", web.page_from_html),
        ],
    ),
    (
        "https://lemire.me/blog/2019/08/02/json-parsing/",
        "web",
        [("html", "https://lemire.me/blog/2019/08/02/json-parsing/", web.page_from_html)],
    ),
]


@pytest.mark.parametrize(("url", "platform", "expected"), CASES)
def test_plan(url: str, platform: str, expected: list) -> None:
    steps = plan(url, platform)
    assert all(isinstance(step, FetchStep) for step in steps)
    assert [(s.kind, s.url) for s in steps] == [(kind, step_url) for kind, step_url, _ in expected]
    for step, (_, _, parser) in zip(steps, expected, strict=True):
        assert callable(step.parse)
        if parser is not None:
            assert step.parse is parser


@pytest.mark.parametrize(("url", "platform", "expected"), CASES)
def test_plan_is_pure_and_infers_the_platform(url: str, platform: str, expected: list) -> None:
    assert plan(url, platform) == plan(url, platform)
    link = normalise(url)
    assert [s.kind for s in plan(link.url, link.platform)] == [s.kind for s in plan(link.url)]


def test_plan_never_raises_on_odd_links() -> None:
    for url in ("", "not a url", "https://", "http://[::1", "https://medium.com/@a", "ftp://x/y.pdf"):
        steps = plan(url)
        assert steps and all(isinstance(s, FetchStep) for s in steps)


def test_markdown_step_parses_bytes() -> None:
    step = plan("https://example.edu/notes/feast.md", "web")[0]
    article = step.parse(b"# Feast\n\nFeature store.", "https://example.edu/notes/feast.md")
    assert (article.title, article.plain_text) == ("Feast", "Feature store.")


def test_steps_parse_their_captured_answers(platform_file) -> None:
    """The parser of each step reads the answer that step's URL gives (captured payloads)."""
    medium_url = "https://medium.com/@p/going-serverless-without-serverless-fcd5dd43ac86"
    steps = {s.kind: s for s in plan(medium_url, "medium")}
    json_answer = platform_file("medium", "mediumexporter_testpost_format-json.json")
    assert (
        steps["medium_json"].parse(json_answer, medium_url).title == "Going Serverless, without serverless."
    )
    wp_url = "https://demo.worona.org/the-beauties-of-gullfoss/"
    steps = {s.kind: s for s in plan(wp_url, "wordpress")}
    assert steps["wordpress_api"].url.endswith("posts?slug=the-beauties-of-gullfoss&_embed=author")
    wp_answer = platform_file("wordpress", "frontity_wp-v2-post-60.json")
    assert steps["wordpress_api"].parse(wp_answer, wp_url).title == "The Beauties of Gullfoss"
    dev_url = "https://dev.to/victoravelar/a-dev-to-api-client-is-born-29pj"
    steps = {s.kind: s for s in plan(dev_url, "devto")}
    dev_answer = platform_file("devto", "devto-api-go_api-articles-164198.json")
    assert steps["devto_api"].parse(dev_answer, dev_url).author == "Victor Hugo Avelar"
