"""Comment sources over loopback HTTP: captured payloads served under their original paths, fetched
with the real client (the project's Fetcher on requests) and walked like the audit walks them."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from bot.comment_fetch import CommentFetcher, Credentials
from scrapers.comments import combine, discussion_plan, plan
from scrapers.fetch import Fetcher, FetchPolicy

PLENTY_PATH = "/2017/05/strong-beautiful-pamela-reif-rezension.html"
BLOGGER_POST_ID = "1635172696041005740"


def fetcher() -> Fetcher:
    return Fetcher(FetchPolicy(allow_loopback=True, per_host_delay=0, respect_robots=False, backoff=0.01))


def walker(**credentials: str) -> CommentFetcher:
    return CommentFetcher(fetcher(), Credentials(**credentials))


@pytest.fixture
def other_server() -> Iterator[HTTPServer]:
    """A second loopback host (another port: another netloc, so another host for credentials)."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def wordpress_page(base: str, post_id: int, comments: str = "") -> bytes:
    return (
        f"<html><head><link rel='https://api.w.org/' href='{base}/wp-json/' />"
        f"<link rel='stylesheet' href='{base}/wp-content/themes/t/style.css' /></head>"
        f"<body class='post-template-default single postid-{post_id}'><article><p>Gullfoss.</p></article>"
        f"{comments}<form id='commentform'>"
        f"<input type='hidden' name='comment_post_ID' value='{post_id}' /></form>"
        "</body></html>"
    ).encode()


def test_wordpress_rest_comments(httpserver, payload) -> None:  # type: ignore[no-untyped-def]
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request(
        "/wp-json/wp/v2/comments",
        query_string={"post": "60", "per_page": "100", "orderby": "date_gmt", "order": "asc"},
    ).respond_with_data(
        payload("wordpress", "frontity_wp-v2-comments-post-60.json"), content_type="application/json"
    )
    post = f"{base}/2016/the-beauties-of-gullfoss/"
    listing = walker().walk(plan(post, "web", wordpress_page(base, 60), "html"))
    assert listing.ok and listing.complete and listing.source == "wordpress_api"
    assert [(c.id, c.author) for c in listing.comments] == [
        ("129", "David Arenas"),
        ("124", "Mario"),
        ("5", "Reyes Martinez"),
    ]


def test_wordpress_rest_refused_falls_back_to_the_page(httpserver, payload) -> None:  # type: ignore[no-untyped-def]
    refused = {
        "code": "rest_cannot_read",
        "message": "Sorry, you cannot list comments.",
        "data": {"status": 401},
    }
    httpserver.expect_request("/blog/wp-json/wp/v2/comments").respond_with_json(refused, status=401)
    page = payload("personal", "trafilatura_lemire.me_with-comments.html")  # its API link is on lemire.me
    post = httpserver.url_for("/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/")
    listing = walker().walk(plan(post, "web", page, "html"))
    assert listing.ok and listing.source == "html" and len(listing.comments) == 5
    assert listing.notes[0] == "WordPress comments API: not public: login wall or access denied (HTTP 401)"
    [request] = [r for r, _ in httpserver.log]
    assert request.path == "/blog/wp-json/wp/v2/comments"  # asked on the post's own host, not lemire.me


def test_blogger_comment_feed(httpserver, payload, build) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request(
        f"/feeds/{BLOGGER_POST_ID}/comments/default", query_string={"alt": "json", "max-results": "500"}
    ).respond_with_data(build.blogger_json(), content_type="application/json")
    page = payload("blogger", "trafilatura_plentylife.blogspot_with-comments.html")
    listing = walker().walk(plan(httpserver.url_for(PLENTY_PATH), "blogger", page, "blogger_html"))
    assert listing.ok and listing.source == "blogger_feed"
    [comment] = listing.comments
    assert (
        comment.author == "Thomas Isidore Noël Sankara" and comment.posted_at == "2010-11-29T20:35:44+00:00"
    )


def test_devto_comments_from_the_kept_article(httpserver, payload, build) -> None:  # type: ignore[no-untyped-def]
    article = payload("devto", "devto-api-go_api-articles-164198.json")
    httpserver.expect_request("/api/comments", query_string="a_id=164198").respond_with_data(
        build.devto_comments(json.loads(article)), content_type="application/json"
    )
    post = httpserver.url_for("/victoravelar/a-dev-to-api-client-is-born-29pj")
    listing = walker().walk(plan(post, "devto", article, "devto_api"))
    assert [(c.id, c.handle) for c in listing.comments] == [("1a2b", "anarivera"), ("1b2c", "victoravelar")]
    assert listing.comments[0].url == httpserver.url_for("/anarivera/comment/1a2b")


def test_devto_without_a_kept_article_asks_the_api_first(httpserver, payload, build) -> None:  # type: ignore[no-untyped-def]
    article = payload("devto", "devto-api-go_api-articles-164198.json")
    httpserver.expect_request(
        "/api/articles/victoravelar/a-dev-to-api-client-is-born-29pj"
    ).respond_with_data(article, content_type="application/json")
    httpserver.expect_request("/api/comments", query_string="a_id=164198").respond_with_data(
        build.devto_comments(json.loads(article)), content_type="application/json"
    )
    post = httpserver.url_for("/victoravelar/a-dev-to-api-client-is-born-29pj")
    listing = walker().walk(plan(post, "devto"))
    assert listing.ok and len(listing.comments) == 2


def utterances_page(term: str = "pathname") -> bytes:
    return (
        "<html><head><title>Issue 28</title></head><body><article><p>Post.</p></article>"
        f'<script src="https://utteranc.es/client.js" repo="PyGithub/PyGithub" issue-term="{term}" '
        'theme="github-light" crossorigin="anonymous" async></script></body></html>'
    ).encode()


def test_utterances_issue_comments_with_the_token_on_the_api_host_only(
    httpserver, other_server, payload, build
) -> None:  # type: ignore[no-untyped-def]
    api = httpserver.url_for("").rstrip("/")
    body = build.replay(payload("github_comments", "pygithub_Issue.testGetComments.txt").decode())
    httpserver.expect_request("/search/issues").respond_with_json(
        {"total_count": 1, "items": [{"number": 28, "title": "posts/issue-28"}]}
    )
    httpserver.expect_request("/repos/PyGithub/PyGithub/issues/28/comments").respond_with_data(
        body, content_type="application/json"
    )
    other_server.expect_request("/posts/issue-28").respond_with_data(
        utterances_page(), content_type="text/html"
    )
    post = other_server.url_for("/posts/issue-28")  # no snapshot: the page is fetched, then the API asked
    net = walker(github_host=api.split("://", 1)[1], github_token="gh-secret")
    listing = net.walk(plan(post, "github_pages", github_api=api))
    assert listing.ok and [c.handle for c in listing.comments] == ["jacquev6", "roskakori"]
    search, comments = (r for r, _ in httpserver.log)
    assert search.args["q"] == '"posts/issue-28" repo:PyGithub/PyGithub in:title type:issue'
    assert search.headers["Authorization"] == "Bearer gh-secret" == comments.headers["Authorization"]
    [page] = (r for r, _ in other_server.log)
    assert "Authorization" not in page.headers  # the blog never sees the token


def test_giscus_is_skipped_cleanly_without_a_token(httpserver) -> None:  # type: ignore[no-untyped-def]
    page = (
        b'<html><body><script src="https://giscus.app/client.js" data-repo="ana/blog"></script></body></html>'
    )
    api = httpserver.url_for("").rstrip("/")
    steps = plan("https://ana.github.io/feast", "github_pages", page, "html", github_api=api)
    listing = walker(github_host=api.split("://", 1)[1], github_token_env="REVIEWBOT_GH").walk(steps[:1])
    assert not listing.ok and listing.comments == []
    assert "need a GitHub token in $REVIEWBOT_GH" in listing.notes[0]
    assert httpserver.log == []  # nothing was asked


def test_giscus_discussion_over_graphql(httpserver, build) -> None:  # type: ignore[no-untyped-def]
    api = httpserver.url_for("").rstrip("/")

    def answer(request: Request) -> Response:
        if request.headers.get("Authorization") != "Bearer gh-secret":
            return Response('{"message": "Bad credentials"}', status=401, content_type="application/json")
        return Response(build.giscus(), content_type="application/json")

    httpserver.expect_request("/graphql", method="POST").respond_with_handler(answer)
    page = (
        b'<html><body><script src="https://giscus.app/client.js" data-repo="Codertocat/Hello-World" '
        b'data-mapping="number" data-term="4"></script></body></html>'
    )
    steps = plan("https://codertocat.github.io/hello", "github_pages", page, "html", github_api=api)
    listing = walker(github_host=api.split("://", 1)[1], github_token="gh-secret").walk(steps)
    assert listing.ok and listing.source == "giscus_graphql"
    assert [(c.id, c.handle) for c in listing.comments] == [("discussioncomment-550062", "Codertocat")]
    [(request, _)] = httpserver.log
    sent = json.loads(request.get_data())
    assert sent["variables"] == {"owner": "Codertocat", "name": "Hello-World", "number": 4}


def test_canvas_discussion_with_the_course_token(httpserver, build) -> None:  # type: ignore[no-untyped-def]
    def view(request: Request) -> Response:
        if request.headers.get("Authorization") != "Bearer canvas-secret":
            return Response(
                '{"errors": [{"message": "unauthorized"}]}', status=401, content_type="application/json"
            )
        return Response(build.canvas_view(), content_type="application/json")

    httpserver.expect_request("/api/v1/courses/1/discussion_topics/1/view").respond_with_handler(view)
    post = httpserver.url_for("/courses/1/discussion_topics/1")
    host = post.split("/")[2]
    listing = walker(canvas_host=host, canvas_token="canvas-secret").walk(plan(post, "canvas"))
    assert listing.ok and [c.author for c in listing.comments] == [
        "John Doe",
        "John Smith",
        "John Doe",
        "John Smith",
    ]
    elsewhere = walker(canvas_host="canvas.example.edu", canvas_token="canvas-secret").walk(
        plan(post, "canvas")
    )
    assert not elsewhere.ok
    assert elsewhere.notes == ["Canvas discussion: not public: login wall or access denied (HTTP 401)"]
    assert "Authorization" not in httpserver.log[-1][0].headers  # not the course's host: no token


def test_a_post_elsewhere_and_its_canvas_topic(httpserver, other_server, build) -> None:  # type: ignore[no-untyped-def]
    """A post on the student's own site and the Canvas topic that links to it: both are read, and the
    course token goes to the course's Canvas host only, never to the student's site."""

    def view(request: Request) -> Response:
        if request.headers.get("Authorization") != "Bearer canvas-secret":
            return Response('{"errors": [{"message": "unauthorized"}]}', status=401)
        return Response(build.canvas_view(), content_type="application/json")

    httpserver.expect_request("/api/v1/courses/1/discussion_topics/1/view").respond_with_handler(view)
    comments = (
        "<section id='comments'><div class='comment' id='comment-9'>"
        "<span class='comment-author'>Ana Rivera</span><p>Which TTL did you pick?</p></div></section>"
    )
    other_server.expect_request("/feast").respond_with_data(
        f"<html><body><article><p>Feast.</p></article>{comments}</body></html>", content_type="text/html"
    )
    host = httpserver.url_for("/").split("/")[2]
    net = walker(canvas_host=host, canvas_token="canvas-secret")
    own = net.walk(plan(other_server.url_for("/feast"), "web"))
    topic = net.walk(discussion_plan(httpserver.url_for("/courses/1/discussion_topics/1")))
    joined = combine(own, topic)
    assert joined.ok and joined.complete
    assert [(c.platform, c.author) for c in joined.comments] == [
        ("web", "Ana Rivera"),
        ("canvas", "John Doe"),
        ("canvas", "John Smith"),
        ("canvas", "John Doe"),
        ("canvas", "John Smith"),
    ]
    [(page, _)] = other_server.log
    assert "Authorization" not in page.headers


def test_a_failing_source_is_named_and_the_next_one_tried(httpserver) -> None:  # type: ignore[no-untyped-def]
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/wp-json/wp/v2/comments").respond_with_data("oops", status=500)
    comments = (
        "<section id='comments'><div class='comment' id='comment-9'>"
        "<span class='comment-author'>Ana Rivera</span><p>Which TTL did you pick?</p></div></section>"
    )
    page = wordpress_page(base, 7, comments)
    listing = walker().walk(plan(f"{base}/2024/05/feast/", "web", page, "html"))
    assert listing.ok and listing.source == "html" and [c.id for c in listing.comments] == ["comment-9"]
    assert listing.notes and listing.notes[0].startswith("WordPress comments API:")
