"""The check step with the real rubric classifier, on posts fetched over loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug import Response

from bot.checking import CheckService, latest_verdict, load_checker
from bot.fetching import PostFetcher
from bot.snapshots import SnapshotStore
from bot.store import Store
from scrapers.fetch import Fetcher, FetchPolicy

POST = """<html><head><title>Feast: one feature store for a movie recommender</title></head><body>
<article><h1>Feast: one feature store for a movie recommender</h1>
<h2>The problem</h2><p>{problem}</p>
<h2>Feast on our movie-streaming service</h2><p>In our movie-streaming scenario, I defined a feature
view with each user's number of movies watched in the last 7 days and their favourite genre, computed
from the watch logs. When user 4021 finishes The Matrix, the online store updates within a minute,
and the recommendation service reads the fresh features with get_online_features() to rank the next
movies on the home screen.</p>
<h2>Strengths and limitations</h2><p>Feast is easy to start with and keeps training and serving
consistent; its limitation is that it needs a separate online store and has little monitoring.</p>
</article>{extra}</body></html>"""
PROBLEM = "Features computed differently in training and serving make recommendations drift."


class Counting:
    """The real checker, counting the posts it is asked to classify."""

    def __init__(self) -> None:
        self.checker = load_checker()
        self.posts = 0

    def __call__(self) -> Counting:
        return self

    def check_many(self, items: list[Any]) -> list[Any]:
        self.posts += len(items)
        return self.checker.check_many(items)


@pytest.fixture
def course(store: Store, make_config, tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(storage={"snapshots": str(tmp_path / "snapshots")})
    store.save(
        "students", {"key": "ada", "name": "Ada", "role": "student", "active": 1, "tool": "Feast"}, "key"
    )
    return config


def serve(httpserver, pages: list[str]) -> str:  # type: ignore[no-untyped-def]
    versions = iter(pages)
    httpserver.expect_request("/post").respond_with_handler(
        lambda request: Response(next(versions), content_type="text/html")
    )
    return httpserver.url_for("/post")


def fetch(store: Store, config) -> None:  # type: ignore[no-untyped-def]
    policy = FetchPolicy(allow_loopback=True, per_host_delay=0, respect_robots=False, read_timeout=3)
    PostFetcher(store, config, Fetcher(policy, sleep=lambda s: None)).run()


def add_post(store: Store, url: str) -> None:
    store.save(
        "posts",
        {"key": "ada-post", "url": url, "student_key": "ada", "platform": "web", "status": "current"},
        "key",
    )


def test_a_post_is_classified_once_per_text(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    page = POST.format(problem=PROBLEM, extra="")
    with_comment = POST.format(problem=PROBLEM, extra='<section id="comments"><p>Nice post!</p></section>')
    edited = POST.format(problem="Rewritten after the deadline: " + PROBLEM, extra="")
    add_post(store, serve(httpserver, [page, page, with_comment, edited]))
    counting = Counting()
    service = CheckService(store, course, checker_factory=counting)  # type: ignore[arg-type]
    runs = []
    for _ in range(4):
        fetch(store, course)
        report = service.run()
        runs.append((report.checked, report.cached, counting.posts))
    assert runs == [(1, 0, 1), (0, 1, 1), (0, 1, 1), (1, 0, 2)], (
        "same bytes and same text reuse the verdict; only the edit is classified again"
    )
    checks = list(store.rows("checks", order_by="id"))
    assert len(checks) == 3, "one verdict per snapshot: first, with the comment (copied), edited"
    assert checks[1]["result"] == checks[0]["result"] and checks[1]["sha256"] != checks[0]["sha256"]
    post = store.get("posts", "ada-post")
    verdict = latest_verdict(store, post)
    assert verdict is not None and verdict == json.loads(checks[2]["result"])
    sections = verdict["sections"]
    assert set(sections) == {"problem", "movie_example", "strengths_limitations"}
    assert sections["problem"]["evidence"].startswith("Rewritten after the deadline"), "from the edit"


def test_a_new_tool_claim_is_checked_again(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The claimed tool decides `tool_not_mentioned`: the same text under another claim is re-read."""
    page = POST.format(problem=PROBLEM, extra="")
    with_comment = POST.format(problem=PROBLEM, extra='<section id="comments"><p>Nice post!</p></section>')
    add_post(store, serve(httpserver, [page, with_comment]))
    counting = Counting()
    service = CheckService(store, course, checker_factory=counting)  # type: ignore[arg-type]
    fetch(store, course)
    first = service.run()
    store.save("students", {"key": "ada", "tool": "Great Expectations"}, "key")
    fetch(store, course)
    second = service.run()
    assert (first.checked, second.checked, second.cached, counting.posts) == (1, 1, 0, 2)
    flags = [json.loads(c["result"])["flags"] for c in store.rows("checks", order_by="id")]
    assert "tool_not_mentioned" not in flags[0] and "tool_not_mentioned" in flags[1]


def test_a_post_without_its_snapshot_is_skipped(httpserver, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    add_post(store, serve(httpserver, [POST.format(problem=PROBLEM, extra="")]))
    fetch(store, course)
    sha = store.get("posts", "ada-post")["sha256"]
    SnapshotStore(course.snapshot_dir).path(sha).unlink()
    report = CheckService(store, course, checker_factory=Counting()).run()  # type: ignore[arg-type]
    assert (report.checked, report.skipped) == (0, ["ada-post"])


def test_nothing_to_check_loads_no_model(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    def factory() -> Any:
        raise AssertionError("the model must not be loaded when no post needs it")

    report = CheckService(store, course, checker_factory=factory).run()
    assert (report.checked, report.cached, report.skipped) == (0, 0, [])
