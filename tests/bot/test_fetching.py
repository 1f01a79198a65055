"""The fetch step: each post through its platform's plan over loopback, snapshots kept, failures named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.shared import shared_path
from werkzeug import Request, Response

from bot.fetching import PostFetcher
from bot.store import Store
from scrapers.fetch import Fetcher, FetchPolicy

CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
<div id="cf-challenge-running">Checking your browser before accessing medium.com.</div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>"""
PAGE = b"""<html><head><title>Drift in movie ratings</title><meta name="author" content="Jo Lee"></head><body>
<article><h1>Drift in movie ratings</h1><h2>The problem</h2><p>%s</p>
<h2>Strengths and limitations</h2><p>Alibi Detect is quick to set up but needs a reference window.</p>
</article></body></html>"""

LONG_AGO = "2000-01-01T00:00:00+00:00"


def fetcher() -> Fetcher:
    policy = FetchPolicy(
        allow_loopback=True, per_host_delay=0, backoff=0.01, respect_robots=False, read_timeout=3
    )
    return Fetcher(policy, sleep=lambda s: None)


@pytest.fixture
def course(store: Store, make_config, tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(storage={"snapshots": str(tmp_path / "snapshots")})
    for name in ("ada", "ben", "cy"):
        store.save("students", {"key": name, "name": name, "role": "student", "active": 1}, "key")
    return config


def add_post(store: Store, student: str, url: str, platform: str = "web") -> None:
    store.save(
        "posts",
        {
            "key": f"{student}-post",
            "url": url,
            "student_key": student,
            "platform": platform,
            "status": "current",
        },
        "key",
    )


def test_medium_challenge_falls_back_to_format_json(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    payload = shared_path(
        "fixtures", "platforms", "medium", "mediumexporter_testpost_format-json.json"
    ).read_bytes()
    path = "/@patrick/going-serverless-1a2b3c4d5e6f"
    httpserver.expect_request(path, query_string="format=json").respond_with_data(
        payload, content_type="application/json"
    )
    httpserver.expect_request(path).respond_with_data(CHALLENGE, status=403, content_type="text/html")
    add_post(store, "ada", httpserver.url_for(path), platform="medium")
    [outcome] = PostFetcher(store, course, fetcher()).run()
    assert outcome.status == "ok" and outcome.kind == "medium_json", outcome.reason
    post = store.get("posts", "ada-post")
    assert post["title"] == "Going Serverless, without serverless." and post["words"] > 500
    assert post["fetch_status"] == "ok" and post["snapshot_kind"] == "medium_json"
    snapshot = next(store.rows("snapshots"))
    assert snapshot["sha256"] == post["sha256"] and snapshot["url"].endswith("?format=json")
    assert (
        Path(course.snapshot_dir) / post["sha256"][:2] / post["sha256"][2:4] / post["sha256"]
    ).read_bytes() == payload


def test_challenge_everywhere_is_named(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/@a/story-1a2b3c4d5e6f").respond_with_data(
        CHALLENGE, status=403, content_type="text/html"
    )
    add_post(store, "ada", httpserver.url_for("/@a/story-1a2b3c4d5e6f"), platform="medium")
    [outcome] = PostFetcher(store, course, fetcher()).run()
    assert outcome.status == "failed" and outcome.reason.startswith("challenge page")
    assert store.get("posts", "ada-post")["fetch_reason"].startswith("challenge page")


def test_unchanged_post_costs_one_conditional_request(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    body = PAGE % b"Ratings drift when a new season drops."
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match", ""))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body, content_type="text/html", headers={"ETag": '"v1"'})

    httpserver.expect_request("/post").respond_with_handler(handler)
    add_post(store, "ada", httpserver.url_for("/post"))
    first = PostFetcher(store, course, fetcher()).run()[0]
    before = store.get("posts", "ada-post")
    second = PostFetcher(store, course, fetcher()).run()[0]
    assert (first.status, second.status) == ("ok", "unchanged")
    assert seen == ["", '"v1"'], "the second fetch is one conditional request"
    assert store.get("posts", "ada-post") == before, "an unchanged post writes nothing"
    assert second.article is None, "an unchanged post is not read again"
    article = PostFetcher(store, course, fetcher()).article_of(store.get("posts", "ada-post"))
    assert article is not None and "Ratings drift" in article.text  # from the kept snapshot


def test_edited_post_keeps_both_versions(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    versions = iter([PAGE % b"First draft of the problem.", PAGE % b"Rewritten problem after the deadline."])
    httpserver.expect_request("/post").respond_with_handler(
        lambda request: Response(next(versions), content_type="text/html")
    )
    add_post(store, "ada", httpserver.url_for("/post"))
    PostFetcher(store, course, fetcher()).run()
    first = store.get("posts", "ada-post")
    PostFetcher(store, course, fetcher()).run()
    second = store.get("posts", "ada-post")
    assert first["sha256"] != second["sha256"] and second["changed_at"] >= first["changed_at"]
    assert {s["sha256"] for s in store.rows("snapshots")} == {first["sha256"], second["sha256"]}


def test_new_comments_on_the_page_are_not_an_edit(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Classmates' comments arrive after the post deadline; the post itself did not change."""
    body = PAGE % b"Ratings drift when tastes change."
    pages = iter(
        [
            body,
            body.replace(b"</body>", b'<section id="comments"><p>Great post, Jo!</p></section></body>'),
            body.replace(b"</body>", b"<script>var claps = 42;</script></body>"),
        ]
    )
    httpserver.expect_request("/post").respond_with_handler(
        lambda request: Response(next(pages), content_type="text/html")
    )
    add_post(store, "ada", httpserver.url_for("/post"))
    PostFetcher(store, course, fetcher()).run()
    store.save("posts", {"key": "ada-post", "changed_at": LONG_AGO, "fetched_at": LONG_AGO}, "key")
    first = store.get("posts", "ada-post")
    for _ in range(2):
        PostFetcher(store, course, fetcher()).run()
    last = store.get("posts", "ada-post")
    assert len(list(store.rows("snapshots"))) == 3, "every version of the page is kept"
    assert last["sha256"] != first["sha256"] and last["fetched_at"] > LONG_AGO
    assert last["changed_at"] == LONG_AGO, "new bytes around the same text are no edit"
    assert last["text_sha256"] == first["text_sha256"]


def test_edit_of_a_post_fetched_before_text_digests_is_still_seen(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    pages = iter([PAGE % b"First draft of the problem.", PAGE % b"Rewritten problem after the deadline."])
    httpserver.expect_request("/post").respond_with_handler(
        lambda request: Response(next(pages), content_type="text/html")
    )
    add_post(store, "ada", httpserver.url_for("/post"))
    PostFetcher(store, course, fetcher()).run()
    # as an older database left it: no text digest
    store.save("posts", {"key": "ada-post", "text_sha256": None, "changed_at": LONG_AGO}, "key")
    PostFetcher(store, course, fetcher()).run()
    second = store.get("posts", "ada-post")
    assert second["changed_at"] > LONG_AGO, "the kept snapshot is read to compare the text"
    assert second["text_sha256"]


def test_another_fetch_step_is_not_an_edit(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The page was down, so the post came from the site's feed; later the page itself answers.
    A different reading of the same post, not the student's edit: kept, but no change recorded."""
    url = httpserver.url_for("/drift-in-movie-ratings")
    feed = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Jo's blog</title><entry><title>Drift in movie ratings</title><link href="{url}" rel="alternate"/>
<id>{url}</id><updated>2026-11-20T10:00:00Z</updated><author><name>Jo Lee</name></author>
<content type="html">&lt;p&gt;Ratings drift when tastes change.&lt;/p&gt;</content></entry></feed>"""
    page_up = {"value": False}

    def page(request: Request) -> Response:
        if not page_up["value"]:
            return Response("", status=404)
        return Response(PAGE % b"Ratings drift when tastes change.", content_type="text/html")

    httpserver.expect_request("/drift-in-movie-ratings").respond_with_handler(page)
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/atom+xml")
    add_post(store, "ada", url, platform="github_pages")
    PostFetcher(store, course, fetcher()).run()
    store.save("posts", {"key": "ada-post", "changed_at": LONG_AGO}, "key")
    first = store.get("posts", "ada-post")
    page_up["value"] = True
    PostFetcher(store, course, fetcher()).run()
    second = store.get("posts", "ada-post")
    assert (first["snapshot_kind"], second["snapshot_kind"]) == ("site_feed", "html")
    assert second["text_sha256"] != first["text_sha256"], "the page reads more than the feed"
    assert second["changed_at"] == LONG_AGO, "a change of source is not an edit"


@pytest.mark.parametrize(
    ("nights", "seen"),
    [
        # page A; page down, feed A; page down, feed B (edited): seen; page back with B: the page
        # differs from its own last reading (A), so the change is seen again (changed_at moves on)
        ([("page", "A"), ("feed", "A"), ("feed", "B"), ("page", "B")], [True, False, True, True]),
        # page A; page down, feed B (edited that day: no earlier feed reading); page back with B
        ([("page", "A"), ("feed", "B"), ("page", "B")], [True, False, True]),
        # page A; page down, feed A; page back with A: different readings, no edit
        ([("page", "A"), ("feed", "A"), ("page", "A")], [True, False, False]),
    ],
)
def test_an_edit_while_the_page_is_down_is_still_seen(  # type: ignore[no-untyped-def]
    httpserver, course, store: Store, nights: list[tuple[str, str]], seen: list[bool]
) -> None:
    """Each reading is compared with the last one through the same fetch step, so switching between
    the page and the feed hides no edit (at worst it is seen when the page is back)."""
    url = httpserver.url_for("/drift-in-movie-ratings")
    texts = {"A": "Ratings drift when tastes change.", "B": "Rewritten: ratings drift with the seasons."}
    tonight = {"step": "page", "text": "A"}

    def page(request: Request) -> Response:
        if tonight["step"] != "page":
            return Response("", status=404)
        return Response(PAGE % texts[tonight["text"]].encode(), content_type="text/html")

    def feed(request: Request) -> Response:
        entry = f"""<entry><title>Drift in movie ratings</title><link href="{url}" rel="alternate"/>
<id>{url}</id><updated>2026-11-20T10:00:00Z</updated>
<content type="html">&lt;p&gt;{texts[tonight["text"]]}&lt;/p&gt;</content></entry>"""
        return Response(
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Jo</title>{entry}</feed>',
            content_type="application/atom+xml",
        )

    httpserver.expect_request("/drift-in-movie-ratings").respond_with_handler(page)
    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    add_post(store, "ada", url, platform="github_pages")
    changed = []
    for step, text in nights:
        tonight.update(step=step, text=text)
        PostFetcher(store, course, fetcher()).run()
        post = store.get("posts", "ada-post")
        assert post["snapshot_kind"] == ("html" if step == "page" else "site_feed")
        changed.append(post["changed_at"] != LONG_AGO)
        store.save("posts", {"key": "ada-post", "changed_at": LONG_AGO}, "key")
    assert changed == seen


def test_one_failure_never_stops_the_others(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    httpserver.expect_request("/binary").respond_with_data(bytes(range(256)) * 50, content_type="text/html")
    httpserver.expect_request("/fine").respond_with_data(PAGE % b"Fine post.", content_type="text/html")
    add_post(store, "ada", httpserver.url_for("/gone"))
    add_post(store, "ben", httpserver.url_for("/binary"))
    add_post(store, "cy", httpserver.url_for("/fine"))
    outcomes = {o.post_key: o for o in PostFetcher(store, course, fetcher()).run()}
    assert outcomes["ada-post"].reason.startswith("gone (HTTP 410)")
    assert outcomes["ben-post"].status == "failed" and outcomes["ben-post"].reason
    assert outcomes["cy-post"].status == "ok"
    assert store.get("posts", "ben-post")["fetch_status"] == "failed"
    assert any(s["post_key"] == "ben-post" for s in store.rows("snapshots")), "unreadable bytes are kept too"


def test_same_bytes_stored_once(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    body = PAGE % b"Identical posts."
    httpserver.expect_request("/a").respond_with_data(body, content_type="text/html")
    httpserver.expect_request("/b").respond_with_data(body, content_type="text/html")
    add_post(store, "ada", httpserver.url_for("/a"))
    add_post(store, "ben", httpserver.url_for("/b"))
    PostFetcher(store, course, fetcher()).run()
    files = [p for p in Path(course.snapshot_dir).rglob("*") if p.is_file()]
    assert len(files) == 1 and len(list(store.rows("snapshots"))) == 2


def test_video_post_without_network(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    add_post(store, "ada", "https://youtube.com/watch?v=dQw4w9WgXcQ", platform="youtube")
    policy = FetchPolicy(per_host_delay=0, respect_robots=False, connect_timeout=0.5)
    [outcome] = PostFetcher(store, course, Fetcher(policy)).run()
    assert outcome.status == "ok" and "video post" in outcome.reason
    assert json.loads(store.get("posts", "ada-post")["post_flags"]) == ["video_post"]


def test_canvas_discussion_post_uses_the_course_token(
    httpserver, store: Store, make_config, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    base = httpserver.url_for("/").rstrip("/")
    config = make_config(
        storage={"snapshots": str(tmp_path / "snap")},
        sources={"canvas": {"url": base, "course_id": 7, "token_env": "TEST_CANVAS_TOKEN"}},
    )
    monkeypatch.setenv("TEST_CANVAS_TOKEN", "canvas-secret")
    topic = {
        "id": 3,
        "title": "Blog: Feast",
        "user_name": "Ada Park",
        "posted_at": "2026-11-19T12:00:00Z",
        "message": "<h2>The problem</h2><p>Features computed twice drift apart in our recommender.</p>",
    }
    httpserver.expect_request(
        "/api/v1/courses/7/discussion_topics/3", headers={"Authorization": "Bearer canvas-secret"}
    ).respond_with_json(topic)
    store.save("students", {"key": "ada", "name": "Ada", "role": "student", "active": 1}, "key")
    add_post(store, "ada", f"{base}/courses/7/discussion_topics/3", platform="canvas")
    [outcome] = PostFetcher(store, config, fetcher()).run()
    assert outcome.status == "ok" and outcome.kind == "canvas_api", outcome.reason
    assert store.get("posts", "ada-post")["title"] == "Blog: Feast"
