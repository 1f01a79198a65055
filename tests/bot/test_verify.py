"""Comment verification over loopback: found, missing, unverified, late, mismatched, duplicates, Medium,
replies in the Canvas topic of a post hosted elsewhere, idempotence, an isolated failure, and the
sample course end to end. The judge is a small fake with
the real judge's methods, so these tests do not depend on the model."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fakes.canvas import FakeCanvas, serve
from fakes.shared import shared_path
from helpers import snapshot_tables
from pytest_httpserver import HTTPServer

from bot.config import Config, RosterSource, SheetSource, SourcesConfig
from bot.demo.server import CourseServer, course_files
from bot.fetching import PostFetcher
from bot.rounds import RoundService
from bot.snapshots import SnapshotStore
from bot.store import Store
from bot.sync import sync
from bot.verify import VerifyService, VerifySettings
from scrapers.fetch import Fetcher, FetchPolicy
from scrapers.urls import normalise

# Course: post deadline 2026-11-20 23:59 New York, comments due three days later: 2026-11-24T04:59Z.
ON_TIME = "2026-11-22T15:00:00Z"
IN_GRACE = "2026-11-24T10:00:00Z"  # after the deadline, within 12 hours of grace
LATE = "2026-11-25T09:00:00Z"
SUBSTANTIVE = (
    "Why a two day TTL on the online store? Viewers who binge on weekends and return on Tuesday get an "
    "empty list of recent movies; a week would cover them."
)
SUBSTANTIVE_2 = (
    "The drift test uses p_val=0.01 on a window of 5000 ratings: how often does it fire on a normal "
    "week, and did you try a smaller window for new releases?"
)


@dataclass
class Verdict:
    substantive: bool
    score: float
    reasons: list[str]


class FakeJudge:
    """The comment judge's interface: substantive when the comment shares enough words with the post."""

    MODEL_VERSION = "fake-judge-1"
    texts: ClassVar[list[str]] = []  # every text judged, across instances

    @classmethod
    def load(cls) -> FakeJudge:
        return cls()

    def encode_post(self, article: Any) -> set[str]:
        return set(article.plain_text.casefold().split())

    def judge_encoded(self, texts: list[str], post_encoding: Any) -> list[Verdict]:
        FakeJudge.texts.extend(texts)
        words = post_encoding or set()
        out = []
        for text in texts:
            shared = len(set(text.casefold().split()) & words)
            score = min(1.0, len(text.split()) / 20)
            out.append(Verdict(score >= 0.5, round(score, 2), [f"{shared} words in common with the post"]))
        return out

    def judge(self, text: str, post_article: Any) -> Verdict:
        encoding = self.encode_post(post_article) if post_article is not None else None
        return self.judge_encoded([text], encoding)[0]


@pytest.fixture(autouse=True)
def _fresh_judge() -> None:
    FakeJudge.texts = []


def fetcher() -> Fetcher:
    return Fetcher(FetchPolicy(allow_loopback=True, per_host_delay=0, respect_robots=False, backoff=0.01))


@pytest.fixture
def course(store: Store, make_config, tmp_path: Path) -> Config:  # type: ignore[no-untyped-def]
    config = make_config(
        storage={"snapshots": str(tmp_path / "snapshots")}, thresholds={"comment_grace_hours": 12}
    )
    people = [
        ("ana", "Ana Rivera", "ana.rivera@example.edu", "ana.rivera"),
        ("ben", "Ben Okafor", "ben.okafor@example.edu", ""),
        ("cy", "Cy Lindqvist", "cy.lindqvist@example.edu", ""),
        ("dee", "Dee Chen", "dee.chen@example.edu", ""),
    ]
    for key, name, email, discord in people:
        store.save(
            "students",
            {
                "key": key,
                "name": name,
                "email": email,
                "discord_handle": discord,
                "role": "student",
                "active": 1,
            },
            "key",
        )
    return config


def comment_page(title: str, comments: list[tuple[str, str, str, str]]) -> bytes:
    """A post page with comments the way the sample course prints them."""
    blocks = "".join(
        f'<div class="comment" id="{cid}"><span class="comment-author">{who}</span> '
        f'<time datetime="{when}">{when[:10]}</time><p>{text}</p></div>'
        for cid, who, when, text in comments
    )
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>Feast serves the last ten movie ids each viewer watched, with a TTL of two days, from Redis. "
        "Drift in ratings is tested with p_val=0.01 on windows of 5000 ratings.</p></article>"
        f'<section id="comments"><h2>Comments</h2>{blocks}</section></body></html>'
    ).encode()


def add_post(
    store: Store,
    config: Config,
    student: str,
    url: str,
    page: bytes | None = None,
    platform: str = "web",
    key: str | None = None,
) -> str:
    key = key or normalise(url, loopback_ok=True).key
    row: dict[str, Any] = {
        "key": key,
        "url": url,
        "student_key": student,
        "platform": platform,
        "status": "current",
    }
    if page is not None:
        row.update(
            sha256=SnapshotStore(config.snapshot_dir).put(page),
            snapshot_kind="html",
            fetch_status="ok",
            title=key,
        )
    store.save("posts", row, "key")
    return key


def publish(store: Store, pairs: list[tuple[str, str, str]]) -> list[int]:
    """A published round with these (reviewer, author, post key) reviews; their ids."""
    round_id = int(store.db["rounds"].insert({"status": "published", "seed": 0, "k": 2}).last_pk)  # type: ignore[union-attr]
    ids = []
    for reviewer, author, post in pairs:
        row = {
            "round_id": round_id, "revision": 0, "reviewer_key": reviewer, "author_key": author,
            "post_key": post, "status": "active", "reason": "initial",
            "lease_ends_at": "2026-11-22T04:59:00+00:00",
        }  # fmt: skip
        ids.append(int(store.db["assignments"].insert(row).last_pk))  # type: ignore[union-attr]
    return ids


def report_link(store: Store, student: str, slot: int, url: str) -> str:
    """A comment link from the claim sheet, stored the way sync stores it."""
    row_id = hashlib.sha1("\x1f".join((student, "slot", str(slot))).encode()).hexdigest()[:16]
    row = {
        "id": row_id,
        "reviewer_key": student,
        "slot": slot,
        "url": url,
        "source": "sheet",
        "status": "reported",
    }
    store.save("comments", row, "id")
    return row_id


def verify(store: Store, config: Config, **kw: Any) -> Any:
    return VerifyService(store, config, fetcher(), FakeJudge, env=kw.pop("env", {}), **kw).run()


def rows(store: Store) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in store.rows("comments")}


def of(store: Store, assignment: int) -> dict[str, Any]:
    [row] = [r for r in store.rows("comments", "assignment_id = ?", [assignment])]
    return row


def reasons(row: dict[str, Any]) -> str:
    return " | ".join(json.loads(row["reasons"] or "[]"))


# --- finding and matching --------------------------------------------------------------------------


@pytest.mark.parametrize("signature", ["Ana Rivera", "ana.rivera", "anarivera", "Ana R.", "ANA RIVERA"])
def test_comment_found_on_the_post_under_any_spelling_of_the_name(
    httpserver, store: Store, course: Config, signature: str
) -> None:  # type: ignore[no-untyped-def]
    page = comment_page(
        "Feast",
        [("comment-1", "Cy Lindqvist", ON_TIME, "Nice."), ("comment-2", signature, ON_TIME, SUBSTANTIVE)],
    )
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"), page)
    [review] = publish(store, [("ana", "ben", post)])
    report = verify(store, course)
    row = of(store, review)
    assert (row["status"], row["source"], row["author"], row["late"]) == ("found", "found", signature, 0)
    assert row["url"] == httpserver.url_for("/@ben/feast-1") + "#comment-2"
    assert row["text"] == SUBSTANTIVE and row["substantive"] == 1 and row["judge_version"] == "fake-judge-1"
    assert "by Ana Rivera" in reasons(row) and "words in common with the post" in reasons(row)
    assert report.counts == {
        "found": 1, "missing": 0, "unverified": 0, "late": 0, "mismatched": 0, "substantive": 1,
        "duplicates": 0,
    }  # fmt: skip
    assert httpserver.log == []  # the kept page was read, nothing fetched


def test_someone_elses_comment_is_not_the_reviewers(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    page = comment_page("Feast", [("comment-1", "Cy Lindqvist", ON_TIME, SUBSTANTIVE)])
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"), page)
    ana, _ = publish(store, [("ana", "ben", post), ("cy", "ben", post)])
    verify(store, course)
    row = of(store, ana)
    assert row["status"] == "missing" and row["text"] is None
    assert reasons(row) == "no comment by Ana Rivera among the 1 comments on the post"


def test_reported_link_to_someone_elses_comment_is_a_mismatch(
    httpserver, store: Store, course: Config
) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/@ben/feast-1")
    post = add_post(
        store,
        course,
        "ben",
        url,
        comment_page("Feast", [("comment-1", "Cy Lindqvist", ON_TIME, SUBSTANTIVE)]),
    )
    [review] = publish(store, [("ana", "ben", post)])
    link = report_link(store, "ana", 1, url + "#comment-1")
    report = verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["source"], row["text"]) == (
        "missing",
        review,
        "sheet",
        None,
    )
    assert "written by Cy Lindqvist" in reasons(row) and "not by Ana Rivera" in reasons(row)
    assert report.mismatched == 1 and report.missing == 1
    assert len(rows(store)) == 1  # the report covers the review: no second row for it


def test_signature_that_fits_nobody_is_left_to_a_ta(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/@ben/feast-1")
    page = comment_page("Feast", [("comment-7", "moviebuff42", ON_TIME, SUBSTANTIVE)])
    post = add_post(store, course, "ben", url, page)
    [review] = publish(store, [("ana", "ben", post)])
    link = report_link(store, "ana", 1, url + "#comment-7")
    verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["author"]) == ("unverified", review, "moviebuff42")
    assert "'moviebuff42'" in reasons(row) and "self-reported" in reasons(row)
    assert row["substantive"] == 1  # judged all the same: the TA only confirms who wrote it


def test_reported_link_to_another_post_is_a_mismatch_with_a_reason(
    httpserver, store: Store, course: Config
) -> None:  # type: ignore[no-untyped-def]
    ben_url, cy_url = httpserver.url_for("/@ben/feast-1"), httpserver.url_for("/@cy/dvc-2")
    ben = add_post(store, course, "ben", ben_url, comment_page("Feast", []))
    add_post(
        store, course, "cy", cy_url, comment_page("DVC", [("comment-3", "Ana Rivera", ON_TIME, SUBSTANTIVE)])
    )
    [review] = publish(store, [("ana", "ben", ben)])
    link = report_link(store, "ana", 1, cy_url + "#comment-3")
    report = verify(store, course)
    reported = rows(store)[link]
    assert (reported["status"], reported["assignment_id"]) == ("found", None)
    assert reported["post_key"] == normalise(cy_url, loopback_ok=True).key
    assert "not on a post assigned to this student (assigned: Ben Okafor's post)" in reasons(reported)
    assert of(store, review)["status"] == "missing"  # the assigned post still has nothing by Ana
    assert (report.mismatched, report.found, report.missing) == (1, 0, 1)


def test_link_to_a_page_outside_the_course_is_fetched(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    ben = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"), comment_page("Feast", []))
    publish(store, [("ana", "ben", ben)])
    page = comment_page("Elsewhere", [("comment-5", "Ana Rivera", ON_TIME, SUBSTANTIVE)])
    httpserver.expect_request("/somebody/else").respond_with_data(page, content_type="text/html")
    link = report_link(store, "ana", 2, httpserver.url_for("/somebody/else#comment-5"))
    verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["author"]) == ("found", None, "Ana Rivera")
    assert "not on a post assigned to this student" in reasons(row)


# --- deadlines and duplicates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "late", "words"),
    [
        (ON_TIME, 0, None),
        (IN_GRACE, 0, "within the 12-hour grace period"),
        (LATE, 1, "late: posted Wed 25 Nov 04:00 EST, after Mon 23 Nov 23:59 EST + 12 h grace"),
    ],
)
def test_late_comments_are_kept_and_marked(
    httpserver, store: Store, course: Config, posted: str, late: int, words: str | None
) -> None:  # type: ignore[no-untyped-def]
    page = comment_page("Feast", [("comment-1", "Ana Rivera", posted, SUBSTANTIVE)])
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"), page)
    [review] = publish(store, [("ana", "ben", post)])
    report = verify(store, course)
    row = of(store, review)
    assert (row["status"], row["late"], row["posted_at"]) == ("found", late, posted.replace("Z", "+00:00"))
    if words:
        assert words in reasons(row)
    assert report.late == late and report.found == 1


def test_same_text_on_both_posts_is_flagged(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    copied = SUBSTANTIVE.replace("Why", "why").replace("?", " ?")  # case and punctuation aside, the same
    ben = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"),
                   comment_page("Feast", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)]))  # fmt: skip
    later = "2026-11-23T09:00:00Z"
    cy = add_post(store, course, "cy", httpserver.url_for("/@cy/dvc-2"),
                  comment_page("DVC", [("comment-1", "Ana Rivera", later, copied)]))  # fmt: skip
    first, second = publish(store, [("ana", "ben", ben), ("ana", "cy", cy)])
    report = verify(store, course)
    a, b = of(store, first), of(store, second)
    assert "same text as the student's comment on Cy Lindqvist's post" in reasons(a)
    assert "same text as the student's comment on Ben Okafor's post" in reasons(b)
    assert "counted once" in reasons(b) and "counted once" not in reasons(a)
    assert (a["substantive"], b["substantive"]) == (1, 0)  # the later copy does not count
    assert report.duplicates == 1 and report.substantive == 1


def test_two_different_comments_are_not_duplicates(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    ben = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"),
                   comment_page("Feast", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)]))  # fmt: skip
    cy = add_post(store, course, "cy", httpserver.url_for("/@cy/drift-2"),
                  comment_page("Drift", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE_2)]))  # fmt: skip
    publish(store, [("ana", "ben", ben), ("ana", "cy", cy)])
    report = verify(store, course)
    assert report.duplicates == 0 and report.substantive == 2


# --- only what was really looked at ----------------------------------------------------------------


def test_missing_only_after_a_real_look(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    bare = b"<html><body><article><p>A post whose comments load with JavaScript.</p></article></body></html>"
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"), bare)
    publish(store, [("ana", "ben", post)])
    report = verify(store, course)
    assert rows(store) == {} and report.unchecked == 1  # nothing failed, nothing passed


def test_a_failing_post_never_stops_the_others(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/@ben/feast-1").respond_with_data("boom", status=500)
    broken = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"))  # no kept page: fetched
    good = add_post(store, course, "cy", httpserver.url_for("/@cy/dvc-2"),
                    comment_page("DVC", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)]))  # fmt: skip
    first, second = publish(store, [("ana", "ben", broken), ("ana", "cy", good)])
    report = verify(store, course)
    assert of(store, second)["status"] == "found"
    assert list(store.rows("comments", "assignment_id = ?", [first])) == []  # not marked missing
    assert report.unchecked == 1 and "server failed (HTTP 500)" in report.errors[0]


def test_a_found_comment_is_not_downgraded_when_the_post_cannot_be_read(
    httpserver, store: Store, course: Config
) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/@ben/feast-1")
    post = add_post(
        store, course, "ben", url, comment_page("Feast", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)])
    )
    [review] = publish(store, [("ana", "ben", post)])
    verify(store, course)
    before = of(store, review)
    store.save("posts", {"key": post, "sha256": None, "fetch_status": "failed"}, "key")
    httpserver.expect_request("/@ben/feast-1").respond_with_data("gone", status=503)
    verify(store, course)
    assert of(store, review) == before


def test_a_report_replaces_the_bots_missing_placeholder(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/@ben/feast-1")
    post = add_post(
        store, course, "ben", url, comment_page("Feast", [("comment-1", "moviebuff42", ON_TIME, SUBSTANTIVE)])
    )
    [review] = publish(store, [("ana", "ben", post)])
    verify(store, course)
    assert of(store, review)["status"] == "missing"
    link = report_link(store, "ana", 1, url + "#comment-1")  # "that one is mine"
    report = verify(store, course)
    assert of(store, review)["id"] == link and of(store, review)["status"] == "unverified"
    assert report.written["deleted"] == 1
    assert list(store.rows("comments", "status = 'missing'")) == []  # no stalled review on a false basis


# --- judging and idempotence -----------------------------------------------------------------------


def test_second_run_writes_nothing_and_judges_nothing(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    url = httpserver.url_for("/@ben/feast-1")
    page = comment_page(
        "Feast",
        [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE), ("comment-2", "Cy Lindqvist", LATE, "Nice!")],
    )
    post = add_post(store, course, "ben", url, page)
    publish(store, [("ana", "ben", post), ("cy", "ben", post), ("dee", "ben", post)])
    report_link(store, "cy", 1, url + "#comment-2")
    first = verify(store, course)
    assert first.judged == 2 and sorted(FakeJudge.texts) == ["Nice!", SUBSTANTIVE]
    before = snapshot_tables(store)
    second = verify(store, course)
    assert snapshot_tables(store) == before
    assert second.written["inserted"] == second.written["updated"] == second.written["deleted"] == 0
    assert (second.judged, second.cached) == (0, 2) and len(FakeJudge.texts) == 2
    assert second.counts == first.counts


def test_a_new_judge_version_judges_again(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"),
                    comment_page("Feast", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)]))  # fmt: skip
    [review] = publish(store, [("ana", "ben", post)])
    verify(store, course)

    class Newer(FakeJudge):
        MODEL_VERSION = "fake-judge-2"

    report = VerifyService(store, course, fetcher(), Newer, env={}).run()
    assert report.judged == 1 and of(store, review)["judge_version"] == "fake-judge-2"


def test_without_a_judge_comments_are_still_verified(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    post = add_post(store, course, "ben", httpserver.url_for("/@ben/feast-1"),
                    comment_page("Feast", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE)]))  # fmt: skip
    [review] = publish(store, [("ana", "ben", post)])

    class Broken:
        MODEL_VERSION = "broken-1"

        @classmethod
        def load(cls) -> Any:
            raise RuntimeError("weights missing")

    report = VerifyService(store, course, fetcher(), Broken, env={}).run()
    row = of(store, review)
    assert row["status"] == "found" and row["substantive"] is None and row["score"] is None
    assert "weights missing" in report.errors[0] and "comment judge unavailable" in report.summary()


def test_no_published_round_no_work(store: Store, course: Config) -> None:
    report = verify(store, course)
    assert report.counts["found"] == 0 and rows(store) == {}


# --- Medium ----------------------------------------------------------------------------------------

POST_ID = "3f9a1c2b7d4e"
RESPONSE_ID = "9a8b7c6d5e4f"


def medium_response(parent: str, name: str = "Ana Rivera", username: str = "ana.rivera") -> bytes:
    """Medium's captured `?format=json` story, made a response by `username` to `parent`."""
    raw = shared_path(
        "fixtures", "platforms", "medium", "mediumexporter_testpost_format-json.json"
    ).read_text()
    prefix, body = raw[: raw.index("{")], json.loads(raw[raw.index("{") :])
    value = body["payload"]["value"]
    value.update(id=RESPONSE_ID, inResponseToPostId=parent, firstPublishedAt=1_795_000_000_000)  # 2026-11-18
    user = body["payload"]["references"]["User"][value["creatorId"]]
    user.update(name=name, username=username)
    return (prefix + json.dumps(body)).encode()


def medium_feed(base: str) -> bytes:
    """The captured Medium feed, its first item turned into Ana's response on the loopback host."""
    raw = shared_path("fixtures", "platforms", "medium", "jekyll-import_medium_feed.xml").read_text()
    raw = raw.replace(
        "https://example.com/blog/this-is-a-dummy-post-50703370aea7", f"{base}/@ana.rivera/re-{RESPONSE_ID}"
    )
    return raw.replace("50703370aea7", RESPONSE_ID).replace("John Doe", "Ana Rivera").encode()


CHALLENGE = (
    b"<html><head><title>Just a moment...</title></head>"
    b"<body><div id='cf-challenge-running'></div></body></html>"
)


@pytest.fixture
def medium_course(httpserver, store: Store, course: Config) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """Ben's post is on Medium (as sync stores one: key medium.com/p/<id>); Ana reviews it."""
    url = httpserver.url_for(f"/@ben/feast-{POST_ID}")
    add_post(store, course, "ben", url, platform="medium", key=f"medium.com/p/{POST_ID}")
    [review] = publish(store, [("ana", "ben", f"medium.com/p/{POST_ID}")])
    return httpserver.url_for("").rstrip("/"), review


def test_medium_reported_response_is_read(httpserver, store: Store, course: Config, medium_course) -> None:  # type: ignore[no-untyped-def]
    base, review = medium_course
    path = f"/@ana.rivera/re-{RESPONSE_ID}"
    httpserver.expect_request(path, query_string="format=json").respond_with_data(
        medium_response(POST_ID), content_type="application/json"
    )
    link = report_link(store, "ana", 1, base + path)
    report = verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["author"]) == ("found", review, "Ana Rivera")
    assert row["text"].startswith("Going Serverless") and "Medium response, by Ana Rivera" in reasons(row)
    assert report.found == 1


def test_medium_response_to_another_post_is_a_mismatch(
    httpserver, store: Store, course: Config, medium_course
) -> None:  # type: ignore[no-untyped-def]
    base, _ = medium_course
    path = f"/@ana.rivera/re-{RESPONSE_ID}"
    httpserver.expect_request(path, query_string="format=json").respond_with_data(
        medium_response("0123456789ab"), content_type="application/json"
    )
    link = report_link(store, "ana", 1, base + path)
    report = verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["post_key"]) == (
        "found",
        None,
        "medium.com/p/0123456789ab",
    )
    assert "not on a post assigned to this student" in reasons(row) and report.mismatched == 1


def test_medium_response_found_through_the_feed(
    httpserver, store: Store, course: Config, medium_course
) -> None:  # type: ignore[no-untyped-def]
    base, review = medium_course
    add_post(store, course, "ana", f"{base}/@ana.rivera/my-post-1234abcd5678", platform="medium",
             key="medium.com/p/1234abcd5678")  # fmt: skip  # her own post tells her handle
    httpserver.expect_request("/feed/@ana.rivera").respond_with_data(
        medium_feed(base), content_type="application/rss+xml"
    )
    httpserver.expect_request(f"/@ana.rivera/re-{RESPONSE_ID}", query_string="format=json").respond_with_data(
        medium_response(POST_ID), content_type="application/json"
    )
    httpserver.expect_request("/@ana.rivera/how-i-cross-post-medium-articles-to-github-pages-1cdf174bc674",
                              query_string="format=json").respond_with_data(
        medium_response(""), content_type="application/json")  # fmt: skip  # a story: answers nothing
    report = verify(store, course)
    row = of(store, review)
    assert (row["status"], row["source"], row["author"]) == ("found", "found", "Ana Rivera")
    assert "found in the reviewer's feed" in reasons(row) and report.found == 1


def test_medium_unreadable_response_is_unverified_but_seen_in_the_feed(
    httpserver, store: Store, course: Config, medium_course
) -> None:  # type: ignore[no-untyped-def]
    base, review = medium_course
    path = f"/@ana.rivera/re-{RESPONSE_ID}"
    httpserver.expect_request(path).respond_with_data(CHALLENGE, status=403, content_type="text/html")
    httpserver.expect_request("/feed/@ana.rivera").respond_with_data(
        medium_feed(base), content_type="application/rss+xml"
    )
    link = report_link(store, "ana", 1, base + path)
    report = verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["author"]) == ("unverified", review, "Ana Rivera")
    assert "in its writer's Medium feed (2022-11-22)" in reasons(row) and "self-reported" in reasons(row)
    assert row["text"] == "The quick brown fox jumps over the lazy dog" and row["substantive"] == 0
    assert report.unverified == 1 and report.missing == 0


def test_medium_nothing_readable_is_unverified_never_failed(
    httpserver, store: Store, course: Config, medium_course
) -> None:  # type: ignore[no-untyped-def]
    base, review = medium_course
    httpserver.expect_request(f"/@ana.rivera/re-{RESPONSE_ID}").respond_with_data(CHALLENGE, status=403)
    httpserver.expect_request("/feed/@ana.rivera").respond_with_data("no", status=404)
    link = report_link(store, "ana", 1, f"{base}/@ana.rivera/re-{RESPONSE_ID}")
    verify(store, course)
    row = rows(store)[link]
    assert (row["status"], row["assignment_id"], row["text"]) == ("unverified", review, None)
    assert "Medium could not be read" in reasons(row) and "self-reported" in reasons(row)


def test_medium_post_without_report_or_feed_is_left_alone(
    store: Store, course: Config, medium_course
) -> None:  # type: ignore[no-untyped-def]
    report = verify(store, course)
    assert rows(store) == {} and report.unchecked == 1 and report.missing == 0  # nothing to read: no verdict


# --- Canvas and GitHub through the service ---------------------------------------------------------


def test_canvas_replies_with_the_course_token(httpserver, store: Store, make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = httpserver.url_for("").rstrip("/")
    config = make_config(
        storage={"snapshots": str(tmp_path / "s")}, sources={"canvas": {"url": base, "course_id": 1}}
    )
    store.save(
        "students",
        {"key": "canvas:7", "name": "Ana Rivera", "canvas_id": 7, "role": "student", "active": 1},
        "key",
    )
    store.save(
        "students",
        {"key": "canvas:8", "name": "Ben Okafor", "canvas_id": 8, "role": "student", "active": 1},
        "key",
    )
    view = {"participants": [{"id": 7, "display_name": "A. R."}], "view": [
        {"id": 31, "user_id": 7, "created_at": ON_TIME, "message": f"<p>{SUBSTANTIVE}</p>"}]}  # fmt: skip
    httpserver.expect_request(
        "/api/v1/courses/1/discussion_topics/5/view", headers={"Authorization": "Bearer c-token"}
    ).respond_with_json(view)
    post = add_post(store, config, "canvas:8", f"{base}/courses/1/discussion_topics/5", platform="canvas")
    [review] = publish(store, [("canvas:7", "canvas:8", post)])
    VerifyService(store, config, fetcher(), FakeJudge, env={"CANVAS_TOKEN": "c-token"}).run()
    row = of(store, review)
    assert (row["status"], row["source"], row["author"]) == ("found", "canvas", "A. R.")
    assert (
        "same Canvas account" in reasons(row)
        and row["url"] == f"{base}/courses/1/discussion_topics/5#entry-31"
    )


def test_utterances_comment_through_the_service(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    api = httpserver.url_for("/gh").rstrip("/")
    page = (
        b"<html><head><title>Feast</title></head><body><article><p>Feast post.</p></article>"
        b'<script src="https://utteranc.es/client.js" repo="ben/blog" issue-term="pathname"></script>'
        b"</body></html>"
    )
    post = add_post(store, course, "ben", "https://ben.github.io/feast", page, platform="github_pages")
    [review] = publish(store, [("ana", "ben", post)])
    httpserver.expect_request("/gh/search/issues").respond_with_json(
        {"items": [{"number": 2, "title": "feast"}]}
    )
    user = {"login": "ana-rivera", "html_url": "https://github.com/ana-rivera"}
    link = "https://github.com/ben/blog/issues/2#issuecomment-42"
    answer = [{"id": 42, "html_url": link, "body": SUBSTANTIVE, "user": user, "created_at": ON_TIME}]
    httpserver.expect_request("/gh/repos/ben/blog/issues/2/comments").respond_with_json(answer)
    settings = VerifySettings(github_api=api)
    VerifyService(store, course, fetcher(), FakeJudge, env={}, settings=settings).run()
    row = of(store, review)
    assert (row["status"], row["author"]) == ("found", "ana-rivera")
    assert row["url"] == "https://github.com/ben/blog/issues/2#issuecomment-42"


# --- the sample course, end to end -----------------------------------------------------------------


def test_sample_course_end_to_end(store: Store, make_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = course_files()
    with CourseServer(files, port=0) as server:
        config = make_config(storage={"snapshots": str(tmp_path / "snapshots")})
        config = dataclasses.replace(
            config,
            sources=SourcesConfig(
                roster=RosterSource(path=str(files.joinpath("roster.csv"))),
                sheet=SheetSource(url=f"{server.base}/claims.csv"),
            ),
            fetch=dataclasses.replace(config.fetch, per_host_delay=0.0, respect_robots=False),
        )
        assert not sync(config, store, env={}).failed_sources
        PostFetcher(store, config, fetcher()).run()
        rounds = RoundService(store, config)
        rounds.publish(rounds.preview().round_id)
        report = VerifyService(store, config, fetcher(), FakeJudge, env={}).run()
        names = {s["key"]: s["name"] for s in store.rows("students")}
        claimed = list(store.rows("comments", "source = 'sheet'"))
        assert len(claimed) == 16  # 8 students filled in both comment links
        for row in claimed:
            assert row["status"] == "found", (row["url"], reasons(row))
            assert row["author"] == names[row["reviewer_key"]]  # each link points at a comment by its student
            assert row["post_key"] == normalise(row["url"].split("#")[0], loopback_ok=True).key
            assert row["text"] and row["score"] is not None
        assigned = [r for r in claimed if r["assignment_id"] is not None]
        assert report.mismatched == 16 - len(assigned)  # the round was drawn after the sheet was filled
        reviews = list(store.rows("assignments", "status = 'active'"))
        bot = list(store.rows("comments", "source = 'found'"))
        assert report.found + report.missing + report.unchecked == len(reviews) == 24
        assert {r["status"] for r in bot} <= {"found", "missing"}
        before = snapshot_tables(store)
        again = VerifyService(store, config, fetcher(), FakeJudge, env={}).run()
        assert snapshot_tables(store) == before and again.judged == 0


# --- who wrote it ----------------------------------------------------------------------------------

ROSTER = [
    {"key": "ana", "name": "Ana Rivera", "email": "ana.rivera@example.edu", "discord_handle": "anarv"},
    {"key": "anr", "name": "Ana Rossi", "email": "a.rossi@example.edu"},
    {"key": "mei", "name": "Mei-Ling Chen", "email": "meiling.chen@example.edu"},
    {"key": "dan", "name": "Daniel Okafor", "email": "daniel.okafor@example.edu"},
    {"key": "jon", "name": "Jonas Becker", "email": "jonas.becker@example.edu"},
]
OWN_POSTS = [{"student_key": "dan", "url": "https://medium.com/@dokafor/mlflow-fbd260fc5940"}]


@pytest.mark.parametrize(
    ("signature", "handle", "profile", "reviewer", "verdict"),
    [
        ("Ana Rivera", "", "", "ana", "reviewer"),
        ("ana.rivera", "", "", "ana", "reviewer"),  # the e-mail's local part
        ("anarv", "", "", "ana", "reviewer"),  # the Discord handle
        ("ana.rivera@example.edu", "", "", "ana", "reviewer"),
        ("Ana Rivera-Lopez", "", "", "ana", "unknown"),  # more than the roster says: not assumed
        ("Ana R.", "", "", "ana", "unknown"),  # Ana Rossi fits as well
        ("Ana Rossi", "", "", "ana", "other"),
        ("Mei Chen", "", "", "mei", "reviewer"),  # a part of the hyphenated name
        ("Mei-Ling", "", "", "mei", "reviewer"),
        ("M. Chen", "", "", "mei", "reviewer"),  # weak, and nobody else fits
        ("D.O.", "dokafor", "", "dan", "reviewer"),  # the handle of his own post
        ("", "", "https://medium.com/@dokafor", "dan", "reviewer"),
        ("Daniel Okafor", "", "", "jon", "other"),
        ("moviebuff42", "", "", "jon", "unknown"),
        ("Jonas", "", "", "jon", "reviewer"),  # first name only, no other Jonas
    ],
)
def test_who_wrote_it(signature: str, handle: str, profile: str, reviewer: str, verdict: str) -> None:
    from bot.comment_match import Matcher, identities
    from scrapers.comments import Comment

    matcher = Matcher(identities(ROSTER, OWN_POSTS))
    comment = Comment("web", "c1", author=signature, handle=handle, author_url=profile)
    assert matcher.attribute(comment, reviewer).verdict == verdict


# --- what students and TAs then see ----------------------------------------------------------------


def test_discord_report_then_reviews_and_the_ta_report(httpserver, store: Store, course: Config) -> None:  # type: ignore[no-untyped-def]
    from bot.discord.coursework import report_comment
    from bot.reminders import review_lines
    from bot.report import coverage

    url = httpserver.url_for("/@ben/feast-1")
    other = httpserver.url_for("/@cy/dvc-2")
    page = comment_page(
        "Feast", [("comment-1", "Dee Chen", ON_TIME, "Nice!"), ("comment-2", "Ana R.", LATE, SUBSTANTIVE)]
    )
    ben = add_post(store, course, "ben", url, page)
    add_post(
        store, course, "cy", other, comment_page("DVC", [("comment-1", "Ana Rivera", ON_TIME, SUBSTANTIVE_2)])
    )
    [review] = publish(store, [("ana", "ben", ben)])
    report_comment(store, course, "ana", f"a:{review}", url + "#comment-2")
    report_link(store, "ana", 2, other + "#comment-1")  # on the sheet: a post not assigned to her
    verify(store, course)
    [line] = review_lines(store, "ana")
    assert (line.comment_status, line.substantive, line.done) == ("found", True, True)
    assert any("late: posted" in r for r in line.reasons)
    row = next(r for r in coverage(store, config=course).rows if r.student == "ana")
    assigned = [r for r in row.reviews_given if r.assigned]
    unasked = [r for r in row.reviews_given if not r.assigned]
    assert [(r.status, r.on_time, r.substantive) for r in assigned] == [("found", False, True)]
    assert [(r.status, r.author_name) for r in unasked] == [("found", "Cy Lindqvist")]


# --- replies in the Canvas topic of a post hosted elsewhere ----------------------------------------

COURSE_ID = 110000000
TOKEN = {"CANVAS_TOKEN": "fake-canvas-token"}
BEN_MEDIUM = f"https://medium.com/@ben.okafor/feast-for-movies-{POST_ID}"


@dataclass
class TopicCourse:
    """A Canvas course synced from the fake Canvas: Ben's "Blog:" topic (1) links to his Medium post,
    Dee's (2) to her own site on another host. Ana reviews Ben's post, Cy reviews Dee's."""

    fake: FakeCanvas
    config: Config
    base: str
    site: HTTPServer
    ben: str
    dee: str
    ana_on_ben: int
    cy_on_dee: int

    def topic(self, number: int) -> str:
        return f"{self.base}/courses/{COURSE_ID}/discussion_topics/{number}"


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    """Another loopback host (another port, so another host for credentials): Dee's own blog."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def topics(httpserver, site: HTTPServer, store: Store, make_config, tmp_path: Path) -> TopicCourse:  # type: ignore[no-untyped-def]
    fake = FakeCanvas()
    for user_id, name in ((301, "Ana Rivera"), (302, "Ben Okafor"), (303, "Cy Lindqvist"), (304, "Dee Chen")):
        fake.add_student(user_id, name, f"{name.split()[0].lower()}@example.edu")
    dee_url = site.url_for("/dee/dvc")
    fake.add_topic(302, "Ben Okafor", "Blog: Feast", f'<p>My post: <a href="{BEN_MEDIUM}">Feast</a></p>')
    fake.add_topic(304, "Dee Chen", "Blog: DVC", f"<p>Read it at {dee_url}</p>")
    site.expect_request("/dee/dvc").respond_with_data(comment_page("DVC", []), content_type="text/html")
    base = serve(httpserver, fake)
    config = make_config(
        storage={"snapshots": str(tmp_path / "snapshots")},
        thresholds={"comment_grace_hours": 12},
        sources={"canvas": {"url": base, "course_id": COURSE_ID}},
    )
    assert not sync(config, store, env=TOKEN).failed_sources
    ben, dee = f"medium.com/p/{POST_ID}", normalise(dee_url, loopback_ok=True).key
    assert store.get("posts", ben)["discussion_url"] == f"{base}/courses/{COURSE_ID}/discussion_topics/1"
    ana_on_ben, cy_on_dee = publish(
        store, [("canvas:301", "canvas:302", ben), ("canvas:303", "canvas:304", dee)]
    )
    return TopicCourse(fake, config, base, site, ben, dee, ana_on_ben, cy_on_dee)


def no_token_left_the_course(course: TopicCourse) -> bool:
    return all("Authorization" not in request.headers for request, _ in course.site.log)


def test_a_reply_in_the_topic_of_a_medium_post_is_found(store: Store, topics: TopicCourse) -> None:
    topics.fake.add_reply(1, 301, "Ana Rivera", f"<p>{SUBSTANTIVE}</p>", at=ON_TIME)
    topics.fake.add_reply(1, 302, "Ben Okafor", "<p>Thanks! A week it is, then.</p>", at=ON_TIME, parent=1)
    report = verify(store, topics.config, env=TOKEN)
    row = of(store, topics.ana_on_ben)
    assert (row["status"], row["source"], row["author"], row["late"]) == ("found", "canvas", "Ana Rivera", 0)
    assert row["url"] == topics.topic(1) + "#entry-1" and row["text"] == SUBSTANTIVE
    assert "found in the post's Canvas discussion, by Ana Rivera (same Canvas account)" in reasons(row)
    assert row["score"] is not None and report.found == 1
    view = f"/api/v1/courses/{COURSE_ID}/discussion_topics/1/view?"
    assert view in topics.fake.requests  # the fake answers 401 without the course's token
    assert not any(r["text"] and "A week it is" in r["text"] for r in rows(store).values()), (
        "the author's own reply"
    )
    before = snapshot_tables(store)
    again = verify(store, topics.config, env=TOKEN)
    assert snapshot_tables(store) == before and again.judged == 0 and again.counts == report.counts


def test_the_topic_is_read_alongside_the_posts_own_comments(store: Store, topics: TopicCourse) -> None:
    topics.fake.add_reply(2, 303, "Cy Lindqvist", f"<p>{SUBSTANTIVE_2}</p>", at=IN_GRACE)
    verify(store, topics.config, env=TOKEN)
    row = of(store, topics.cy_on_dee)
    assert (row["status"], row["url"]) == ("found", topics.topic(2) + "#entry-1")
    assert "within the 12-hour grace period" in reasons(row)
    assert [r.path for r, _ in topics.site.log] == ["/dee/dvc"]  # her page was read too...
    assert no_token_left_the_course(topics)  # ...without the course's token


def test_replies_by_the_author_or_someone_not_assigned_do_not_count(
    store: Store, topics: TopicCourse
) -> None:
    topics.fake.add_reply(2, 304, "Dee Chen", f"<p>{SUBSTANTIVE} (a note to my readers)</p>", at=ON_TIME)
    topics.fake.add_reply(2, 301, "Ana Rivera", f"<p>{SUBSTANTIVE_2}</p>", at=ON_TIME)  # not assigned Dee
    topics.fake.add_reply(1, 303, "Cy Lindqvist", f"<p>{SUBSTANTIVE}</p>", at=ON_TIME)  # not assigned Ben
    report = verify(store, topics.config, env=TOKEN)
    row = of(store, topics.cy_on_dee)
    assert (row["status"], row["text"]) == ("missing", None)  # her page and her topic were both read
    assert reasons(row) == (
        "no comment by Cy Lindqvist among the 2 comments on the post and in its Canvas discussion"
    )
    assert list(store.rows("comments", "assignment_id = ?", [topics.ana_on_ben])) == []
    assert report.unchecked == 1  # Ana's review: Medium itself could not be looked at, so no verdict
    assert len(rows(store)) == 1 and no_token_left_the_course(topics)


def test_reported_links_to_topic_replies(store: Store, topics: TopicCourse) -> None:
    topics.fake.add_reply(1, 301, "Ana Rivera", f"<p>{SUBSTANTIVE}</p>", at=ON_TIME)  # entry 1
    topics.fake.add_reply(1, 303, "Cy Lindqvist", "<p>Nice post!</p>", at=ON_TIME)  # entry 2
    topics.fake.add_reply(2, 301, "Ana Rivera", f"<p>{SUBSTANTIVE_2}</p>", at=ON_TIME)  # entry 3
    wrong = report_link(store, "canvas:301", 1, topics.topic(1) + "/entries/2")  # Cy's, not hers
    elsewhere = report_link(store, "canvas:301", 2, topics.topic(2) + "#entry-3")  # on Dee's post
    report = verify(store, topics.config, env=TOKEN)
    first, second = rows(store)[wrong], rows(store)[elsewhere]
    assert (first["status"], first["assignment_id"], first["text"]) == (
        "found",
        topics.ana_on_ben,
        SUBSTANTIVE,
    )
    assert "written by Cy Lindqvist" in reasons(first) and "own comment was found on the post" in reasons(
        first
    )
    assert (second["status"], second["assignment_id"], second["post_key"]) == ("found", None, topics.dee)
    assert "not on a post assigned to this student (assigned: Ben Okafor's post)" in reasons(second)
    assert report.mismatched == 2 and len(rows(store)) == 3  # the third: Cy's review of Dee, missing


def test_an_unreadable_topic_is_never_taken_for_a_missing_comment(store: Store, topics: TopicCourse) -> None:
    topics.fake.add_reply(1, 301, "Ana Rivera", f"<p>{SUBSTANTIVE}</p>", at=ON_TIME)
    report = verify(store, topics.config, env={})  # no token: Canvas refuses the topics
    assert rows(store) == {} and report.unchecked == 2
    assert any("Canvas discussion: not public" in e for e in report.errors)
    assert no_token_left_the_course(topics)
