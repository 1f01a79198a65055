"""Coverage report rows, totals and the table/CSV/JSON renderings, from rows inserted into a fresh store.

`CourseBuilder` and `sample_course` are shared with the HTML, grading and browser tests
(they load this file by its path: tests/bot is not a package).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from bot.config import Config
from bot.report import (
    SECTIONS,
    Coverage,
    coverage,
    evidence_link,
    fragment_start,
    render_csv,
    render_json,
    render_table,
    safe_url,
)
from bot.store import Store

BEFORE = "2026-11-19T12:00:00+00:00"  # before the test course's post deadline (2026-11-20 23:59 New York)
AFTER = "2026-11-22T12:00:00+00:00"  # after it, before the comment deadline (2026-11-23 23:59)
WAY_AFTER = "2026-11-26T12:00:00+00:00"  # after the comment deadline
HOSTILE = "<img src=x onerror=alert(1)>"


class CourseBuilder:
    """Inserts students, posts, checks, flags, assignments and comments the way the pipeline stores them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db
        self._round: int | None = None

    def student(self, name: str, *, team: str = "", tool: str = "", key: str = "", **extra: Any) -> str:
        key = key or name.lower().replace(" ", ".") + "@x.edu"
        row = {
            "key": key,
            "name": name,
            "email": key if "@" in key else "",
            "role": "student",
            "active": 1,
            "team": team,
            "tool": tool,
            "first_seen": BEFORE,
            **extra,
        }
        self.db["students"].insert(row, pk="key")
        return key

    def post(
        self,
        student: str,
        url: str,
        *,
        fetch_status: str | None = "ok",
        fetch_reason: str = "",
        first_seen: str = BEFORE,
        changed_at: str | None = None,
        published: str = "",
        title: str = "",
        words: int = 650,
        post_flags: list[str] | None = None,
        platform: str = "web",
        status: str = "current",
        sha256: str | None = None,
    ) -> str:
        key = url.split("://", 1)[1]
        if fetch_status == "ok" and sha256 is None:
            sha256 = hashlib.sha256(url.encode()).hexdigest()
        self.db["posts"].insert(
            {
                "key": key,
                "url": url,
                "submitted_url": url,
                "student_key": student,
                "platform": platform,
                "status": status,
                "source": "claim sheet",
                "first_seen": first_seen,
                "fetch_status": fetch_status,
                "fetch_reason": fetch_reason,
                "sha256": sha256,
                "changed_at": changed_at or (first_seen if fetch_status == "ok" else None),
                "published": published,
                "title": title,
                "words": words if fetch_status == "ok" else None,
                "post_flags": json.dumps(post_flags or []),
            },
            pk="key",
        )
        if sha256:
            self.snapshot(key, sha256, changed_at or first_seen)
        return key

    def snapshot(self, post_key: str, sha256: str, fetched_at: str) -> None:
        self.db["snapshots"].insert(
            {"post_key": post_key, "sha256": sha256, "url": "https://" + post_key, "status": 200,
             "fetched_at": fetched_at},
        )  # fmt: skip

    def sha(self, post_key: str) -> str:
        return self.store.get("posts", post_key)["sha256"]

    def check(
        self,
        post_key: str,
        sections: dict[str, tuple[float, str] | tuple[float, str, str]],
        *,
        flags: tuple[str, ...] = (),
        model_version: str = "rubric-test-1",
        created_at: str = AFTER,
        sha256: str | None = None,
        threshold: float = 0.5,
    ) -> None:
        """sections: name -> (confidence, evidence[, heading]); absent names get confidence 0.05."""
        result = {"source": "https://" + post_key, "title": "", "words": 650, "sections": {}}
        for name in SECTIONS:
            conf, evidence, heading = (*sections.get(name, (0.05, "")), "")[:3]
            present = conf >= threshold
            result["sections"][name] = {
                "present": present,
                "confidence": conf,
                "evidence": evidence if present else "",
                "heading": heading,
            }
        result["flags"] = list(flags)
        result["model_version"] = model_version
        self.db["checks"].insert(
            {
                "post_key": post_key,
                "sha256": sha256 or self.sha(post_key),
                "model_version": model_version,
                "result": json.dumps(result),
                "created_at": created_at,
            }
        )

    def flag(self, student: str, kind: str, detail: str, *, resolved: bool = False) -> None:
        self.db["flags"].insert(
            {
                "id": hashlib.sha256(f"{student}{kind}{detail}".encode()).hexdigest()[:16],
                "student_key": student,
                "kind": kind,
                "detail": detail,
                "source": "sync",
                "first_seen": BEFORE,
                "resolved_at": AFTER if resolved else None,
            },
            pk="id",
        )

    def assign(self, reviewer: str, author: str, post_key: str, *, status: str = "active") -> int:
        if self._round is None:
            table = self.db["rounds"].insert(
                {"status": "published", "seed": 0, "k": 2, "constraint_log": "[]"}
            )
            self._round = int(table.last_pk)
        table = self.db["assignments"].insert(
            {
                "round_id": self._round,
                "revision": 0,
                "reviewer_key": reviewer,
                "author_key": author,
                "post_key": post_key,
                "status": status,
                "reason": "initial",
            }
        )
        return int(table.last_pk)

    def comment(
        self,
        reviewer: str,
        url: str,
        *,
        assignment_id: int | None = None,
        post_key: str | None = None,
        status: str = "found",
        posted_at: str | None = AFTER,
        substantive: int | None = 1,
        score: float | None = 0.9,
        reasons: list[str] | None = None,
    ) -> None:
        self.db["comments"].insert(
            {
                "id": hashlib.sha256(f"{reviewer}{url}".encode()).hexdigest()[:16],
                "assignment_id": assignment_id,
                "reviewer_key": reviewer,
                "post_key": post_key,
                "url": url,
                "source": "sheet",
                "status": status,
                "posted_at": posted_at,
                "substantive": substantive,
                "score": score,
                "reasons": json.dumps(reasons if reasons is not None else ["grounded in the post"]),
                "first_seen": BEFORE,
                "updated_at": AFTER,
            },
            pk="id",
        )


EVIDENCE = {
    "problem": (0.93, "Serving features that match training is hard - every team rewrites them.", "Why"),
    "movie_example": (0.88, "For our movie recommender we keep the last 10 watched movie ids per user …",
                      "Demo"),
    "strengths_limitations": (0.81, "Strengths: one definition. Limitations: another service to run.",
                              "Trade-offs"),
}  # fmt: skip


def sample_course(store: Store) -> dict[str, str]:
    """Seven students covering the cases the report must show; returns name -> key."""
    b = CourseBuilder(store)
    k = {}
    k["ana"] = b.student("Ana Rivera", team="team-1", tool="Feast")
    k["ben"] = b.student("Ben Ode", team="team-1", tool="MLflow")
    k["cy"] = b.student("Cy Lam", team="team-2", tool="mlflow")
    k["dee"] = b.student("Dee Quinn", team="team-2", tool="DVC")
    k["eve"] = b.student(HOSTILE, team="team-3", tool="Locust", key="eve@x.edu")
    k["fay"] = b.student("Fay Ng", team="team-3", tool="Evidently")
    k["gus"] = b.student("Gus Ito", team="team-3", tool="Airflow")
    b.student("Tara TA", role="ta")
    b.student("Old Student", active=0)
    posts = {}
    posts["ana"] = b.post(k["ana"], "https://blog.example.com/ana/feast", title="Feast for movie features")
    posts["ben"] = b.post(k["ben"], "https://blog.example.com/ben/mlflow", title="MLflow sweeps")
    posts["cy"] = b.post(
        k["cy"], "https://blog.example.com/cy/mlflow", title="Getting started", first_seen=AFTER
    )
    posts["dee"] = b.post(
        k["dee"], "https://blog.example.com/dee/gone", fetch_status="failed",
        fetch_reason="not found (HTTP 404): deleted, or the link is wrong",
    )  # fmt: skip
    posts["eve"] = b.post(
        k["eve"], "https://blog.example.com/eve/locust", title='</script><script>alert("t")</script>'
    )
    posts["fay"] = b.post(
        k["fay"], "https://youtube.com/watch?v=abc", platform="youtube", post_flags=["video_post"], words=0
    )
    b.check(posts["ana"], EVIDENCE)
    b.check(posts["ben"], {**EVIDENCE, "strengths_limitations": (0.2, "")})
    b.check(posts["cy"], {"problem": EVIDENCE["problem"]}, flags=("draft_placeholder", "too_short"))
    b.check(posts["eve"], {**EVIDENCE, "problem": (0.9, f"{HOSTILE} javascript:alert(1) is the problem")})
    b.check(posts["fay"], {}, flags=("video_post", "not_judged"))
    b.flag(k["ben"], "duplicate_tool", "'MLflow' is also claimed by Cy Lam")
    b.flag(k["cy"], "duplicate_tool", "'mlflow' is also claimed by Ben Ode")
    b.flag(k["cy"], "earlier_term_tool", "'MLflow' was covered in an earlier term")
    b.flag(k["fay"], "video_post", "https://youtube.com/watch?v=abc is a video, not a written post")
    b.flag(k["gus"], "no_link", "no post link submitted yet")
    b.flag(k["gus"], "malformed_link", "resolved long ago", resolved=True)
    # Reviews: each student gives two; a ring over the students with posts.
    ring = ["ana", "ben", "cy", "eve", "dee"]
    ids = {}
    for i, who in enumerate(ring):
        for step in (1, 2):
            author = ring[(i + step) % len(ring)]
            ids[who, author] = b.assign(k[who], k[author], posts[author])
    b.assign(k["gus"], k["ana"], posts["ana"], status="replaced")
    url = {name: store.get("posts", key)["url"] for name, key in posts.items()}
    # Ana: both found, substantive, on time (one by assignment id, one matched by its URL only).
    b.comment(k["ana"], url["ben"] + "#c1", assignment_id=ids["ana", "ben"])
    b.comment(k["ana"], url["cy"] + "#c2")
    # Ben: one found on time but generic, one found late and substantive.
    b.comment(k["ben"], url["cy"] + "#c1", assignment_id=ids["ben", "cy"], substantive=0, score=0.2,
              reasons=["generic praise", "names nothing from the post"])  # fmt: skip
    b.comment(k["ben"], url["eve"] + "#c1", post_key=posts["eve"], posted_at=WAY_AFTER)
    # Cy: one missing, one only reported; plus an unasked comment on Ana's post.
    b.comment(k["cy"], url["eve"] + "#c2", assignment_id=ids["cy", "eve"], status="missing",
              posted_at=None, substantive=None, score=None, reasons=["no comment by Cy Lam"])  # fmt: skip
    b.comment(k["cy"], url["dee"] + "#c1", assignment_id=ids["cy", "dee"], status="reported",
              posted_at=None, substantive=None, score=None, reasons=[])  # fmt: skip
    b.comment(k["cy"], url["ana"] + "#c9")
    # Eve: a comment whose link is javascript: (stored by some other path): never a link.
    b.comment(k["eve"], "javascript:alert(1)", assignment_id=ids["eve", "dee"], status="unverified",
              posted_at=None, substantive=None, score=None, reasons=[HOSTILE])  # fmt: skip
    return k


@pytest.fixture
def course(store: Store) -> dict[str, str]:
    return sample_course(store)


COURSE = {
    "name": "Test course",
    "timezone": "America/New_York",
    "post_deadline": dt.datetime(2026, 11, 20, 23, 59),
    "comment_deadline": dt.datetime(2026, 11, 23, 23, 59),
}


@pytest.fixture
def config(make_config: Callable[..., Config]) -> Config:
    return make_config(course=dict(COURSE))


def rows_by_key(report: Coverage) -> dict[str, Any]:
    return {row.student: row for row in report.rows}


# --- rows -------------------------------------------------------------------------------------


def test_one_row_per_active_student_sorted_by_name(store: Store, course: dict, config: Config) -> None:
    report = coverage(store, "Test course", config)
    assert [r.name for r in report.rows] == sorted(r.name for r in report.rows)
    assert {r.student for r in report.rows} == set(course.values())  # no TA, no inactive student


CASES: list[tuple[str, str, dict[str, Any]]] = [
    # (student, attribute path, expected)
    ("ana", "post_status", "ok"),
    ("ana", "reachable", True),
    ("ana", "public", True),
    ("ana", "sections", {"problem": "yes", "movie_example": "yes", "strengths_limitations": "yes"}),
    ("ana", "flag_kinds", []),
    ("ana", "late", ""),
    ("ben", "sections", {"problem": "yes", "movie_example": "yes", "strengths_limitations": "no"}),
    ("ben", "flag_kinds", ["duplicate_tool"]),
    ("cy", "sections", {"problem": "yes", "movie_example": "no", "strengths_limitations": "no"}),
    ("cy", "flag_kinds", ["draft_placeholder", "duplicate_tool", "earlier_term_tool", "late", "too_short"]),
    ("cy", "late", "late"),
    ("dee", "post_status", "unreachable"),
    ("dee", "reachable", False),
    ("dee", "public", None),
    ("dee", "sections", {s: "not checked" for s in SECTIONS}),
    ("dee", "flag_kinds", ["unreachable"]),
    ("fay", "sections", {s: "not judged" for s in SECTIONS}),
    ("fay", "flag_kinds", ["not_judged", "video_post"]),
    ("gus", "post_status", "no post"),
    ("gus", "sections", {s: "no post" for s in SECTIONS}),
    ("gus", "flag_kinds", ["no_link"]),  # the resolved flag is gone
    ("gus", "reviews_to_give", 0),
]


@pytest.mark.parametrize(("who", "attr", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_row_fields(store: Store, course: dict, config: Config, who: str, attr: str, expected: Any) -> None:
    row = rows_by_key(coverage(store, "Test course", config))[course[who]]
    assert getattr(row, attr) == expected


def test_verdict_carries_confidence_evidence_heading_and_link(store: Store, course: dict, config) -> None:
    row = rows_by_key(coverage(store, "Test course", config))[course["ana"]]
    verdict = row.verdicts["movie_example"]
    assert verdict.confidence == 0.88 and verdict.certainty == 0.88
    assert verdict.heading == "Demo" and verdict.evidence.startswith("For our movie recommender")
    assert verdict.link == (
        "https://blog.example.com/ana/feast#:~:text=For%20our%20movie%20recommender%20we%20keep%20the%20last"
    )
    missing = rows_by_key(coverage(store, "Test course", config))[course["ben"]].verdicts[
        "strengths_limitations"
    ]
    assert missing.status == "no" and missing.certainty == 0.8 and missing.link == ""


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no check at all", "not checked"),
        ("a check of an older version only", "not checked"),
        ("two checks of the current bytes: the newest wins", "no"),
        ("threshold from bot.toml above the confidence", "no"),
        ("no config: the check's own present", "yes"),
    ],
)
def test_which_check_is_the_verdict(store: Store, make_config, setup: str, expected: str) -> None:
    b = CourseBuilder(store)
    who = b.student("Solo Student", tool="Feast")
    post = b.post(who, "https://blog.example.com/solo/post")
    config = make_config()
    if setup == "a check of an older version only":
        b.check(post, EVIDENCE, sha256="0" * 64)
    elif setup.startswith("two checks"):
        b.check(post, EVIDENCE, created_at=BEFORE, model_version="old")
        b.check(post, {}, created_at=AFTER, model_version="new")
    elif setup.startswith("threshold"):
        b.check(post, {"problem": (0.6, "Some problem text.")})
        config = make_config(thresholds={"section_confidence": 0.7})
    elif setup.startswith("no config"):
        b.check(post, {"problem": (0.6, "Some problem text.")})
        config = None
    row = coverage(store, "Test course", config).rows[0]
    assert row.sections["problem"] == expected


def test_unreadable_check_is_a_flag_not_a_crash(store: Store, config: Config) -> None:
    b = CourseBuilder(store)
    who = b.student("Solo Student")
    post = b.post(who, "https://blog.example.com/solo/post")
    store.db["checks"].insert(
        {
            "post_key": post,
            "sha256": b.sha(post),
            "model_version": "m",
            "result": "{not json",
            "created_at": AFTER,
        }
    )
    row = coverage(store, "Test course", config).rows[0]
    assert row.sections["problem"] == "not checked" and row.flag_kinds == ["check_unreadable"]


def test_not_public_and_member_only(store: Store, config: Config) -> None:
    b = CourseBuilder(store)
    a = b.student("Ann Locked")
    b.post(
        a,
        "https://medium.com/@a/x-1",
        fetch_status="failed",
        fetch_reason="not public: login wall (HTTP 403)",
    )
    c = b.student("Cat Partial")
    b.post(c, "https://medium.com/@c/y-2", post_flags=["member_only_partial"])
    d = b.student("Dan Pending")
    b.post(d, "https://blog.example.com/d", fetch_status=None)
    rows = rows_by_key(coverage(store, "Test course", config))
    assert (rows[a].post_status, rows[a].public, rows[a].flag_kinds) == ("not public", False, ["not_public"])
    assert (rows[c].post_status, rows[c].public, rows[c].flag_kinds) == ("ok", False, ["member_only_partial"])
    assert (rows[d].post_status, rows[d].reachable, rows[d].sections["problem"]) == (
        "not fetched",
        None,
        "not checked",
    )


# --- lateness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_seen", "changed_at", "versions", "published", "runs", "expected"),
    [
        (BEFORE, None, 1, "", [], ""),
        (AFTER, None, 1, "", [], "late"),
        (BEFORE, AFTER, 2, "", [], "edited late"),  # changed after the deadline, older version kept
        (BEFORE, AFTER, 1, "", [], ""),  # first fetch after the deadline: not an edit
        # The bot first ran after the deadline: first_seen says nothing, and the platform's date
        # (which students can set) decides nothing either.
        (WAY_AFTER, None, 1, AFTER, [WAY_AFTER], "unknown"),
        (WAY_AFTER, None, 1, "", [WAY_AFTER], "unknown"),
        (WAY_AFTER, "2026-11-28T12:00:00+00:00", 2, "", [WAY_AFTER], "edited late"),
        (WAY_AFTER, WAY_AFTER, 2, BEFORE, [BEFORE, WAY_AFTER], "late"),  # the earlier run did not see it
        # ...but a post first seen at a later run than the first one is late.
        ("2026-11-27T12:00:00+00:00", None, 1, BEFORE, [WAY_AFTER], "late"),
    ],
)
def test_late_and_edited_late(
    store: Store, config: Config, first_seen, changed_at, versions, published, runs, expected
) -> None:
    b = CourseBuilder(store)
    who = b.student("Solo Student")
    post = b.post(who, "https://blog.example.com/solo/post", first_seen=first_seen,
                  changed_at=changed_at, published=published)  # fmt: skip
    for i in range(1, versions):
        b.snapshot(post, f"{i:064d}", BEFORE)
    for started in runs:
        store.db["audit_runs"].insert(
            {"kind": "sync", "started_at": started, "finished_at": started, "status": "ok"}
        )
    row = coverage(store, "Test course", config).rows[0]
    assert row.late == expected
    assert ("late" in row.flag_kinds or "edited_late" in row.flag_kinds) == (
        expected in ("late", "edited late")
    )
    assert row.published == published


def test_without_config_nothing_is_late(store: Store, course: dict) -> None:
    report = coverage(store, "Test course")
    assert all(not r.late for r in report.rows) and report.post_due == ""
    assert all(review.on_time is None for r in report.rows for review in r.reviews_given)


# --- reviews -----------------------------------------------------------------------------------


def outcomes(row) -> list[tuple[str, str, bool | None, bool]]:  # type: ignore[no-untyped-def]
    return [(r.author_name, r.outcome, r.on_time, r.assigned) for r in row.reviews_given]


def test_reviews_given_per_assignment(store: Store, course: dict, config: Config) -> None:
    rows = rows_by_key(coverage(store, "Test course", config))
    assert outcomes(rows[course["ana"]]) == [
        ("Ben Ode", "substantive", True, True),  # by assignment id
        ("Cy Lam", "substantive", True, True),  # by the comment's URL
    ]
    assert outcomes(rows[course["ben"]]) == [
        ("Cy Lam", "not substantive", True, True),
        (HOSTILE, "substantive", False, True),  # by post_key; posted after the deadline
    ]
    assert outcomes(rows[course["cy"]]) == [
        (HOSTILE, "missing", None, True),
        ("Dee Quinn", "reported", None, True),
        ("Ana Rivera", "substantive", True, False),  # unasked
    ]
    assert outcomes(rows[course["dee"]]) == [
        ("Ana Rivera", "nothing yet", None, True),
        ("Ben Ode", "nothing yet", None, True),
    ]
    ben = rows[course["ben"]]
    assert ben.reviews_given[0].reasons == ["generic praise", "names nothing from the post"]
    assert (ben.reviews_found, ben.reviews_on_time, ben.reviews_substantive) == (2, 1, 1)
    assert rows[course["gus"]].reviews_given == []  # the replaced assignment does not count


def test_grace_hours_make_a_late_comment_on_time(store: Store, course: dict, make_config) -> None:
    config = make_config(course=dict(COURSE), thresholds={"comment_grace_hours": 72})
    ben = rows_by_key(coverage(store, "T", config))[course["ben"]]
    assert [r.on_time for r in ben.reviews_given] == [True, True]


def test_comments_received(store: Store, course: dict, config: Config) -> None:
    rows = rows_by_key(coverage(store, "Test course", config))
    ana = rows[course["ana"]]
    assert [(r.reviewer_name, r.outcome, r.assigned) for r in ana.reviews_received] == [
        (HOSTILE, "nothing yet", True),
        ("Dee Quinn", "nothing yet", True),
        ("Cy Lam", "substantive", False),
    ]
    assert ana.comments_received == 1 and ana.reviews_to_receive == 2
    cy = rows[course["cy"]]
    assert cy.comments_received == 2  # both assigned reviewers commented


def test_report_and_reviews_count_the_same_comment(store: Store, course: dict, config: Config) -> None:
    """The TA report and a student's /reviews (bot.reminders) agree on every review's comment."""
    from bot.reminders import review_lines

    b = CourseBuilder(store)
    # Ben's generic comment on Cy's post, then a newer link he reported: the report counts the report.
    b.comment(course["ben"], "https://blog.example.com/cy/mlflow?replytocom=3#c7", status="reported",
              substantive=None, score=None, reasons=[])  # fmt: skip
    rows = coverage(store, "Test course", config).rows
    report = {(r.reviewer, r.author): (r.status, r.comment_url) for row in rows for r in row.assigned_given}
    lines = {(x.reviewer_key, x.author_key): (x.comment_status, x.comment_url) for x in review_lines(store)}
    assert report == lines
    assert report[course["ben"], course["cy"]][0] == "reported"


# --- totals and renderings ---------------------------------------------------------------------


def test_totals(store: Store, course: dict, config: Config) -> None:
    totals = coverage(store, "Test course", config).totals()
    expected = {
        "students": 7,
        "with_post": 6,
        "reachable": 5,
        "checked": 4,
        "problem": 4,
        "problem_missing": 0,
        "problem_unchecked": 3,
        "movie_example": 3,
        "movie_example_missing": 1,
        "strengths_limitations": 2,
        "strengths_limitations_missing": 2,
        "reviews_assigned": 10,
        "reviews_found": 4,
        "reviews_on_time": 3,
        "reviews_substantive": 3,
        "reviews_missing": 1,
        "reviews_pending": 5,
        "comments_unassigned": 1,
        "comment_links": 8,
        "flag:duplicate_tool": 2,
        "flag:late": 1,
        "flag:no_link": 1,
        "flag:unreachable": 1,
        "flag:video_post": 1,
    }
    assert {k: totals[k] for k in expected} == expected


def test_table(store: Store, course: dict, config: Config) -> None:
    text = render_table(coverage(store, "Test course", config))
    lines = text.splitlines()
    assert lines[0] == "Coverage: Test course"
    assert lines[1].split() == [
        "student",
        "team",
        "tool",
        "post",
        "problem",
        "example",
        "s&l",
        "given",
        "got",
        "flags",
    ]
    rows = {line.split("  ")[0]: line for line in lines[3:]}
    assert (
        "Y.93" in rows["Ana Rivera"] and "2/2 s2" in rows["Ana Rivera"] and rows["Ana Rivera"].endswith("ok")
    )
    assert rows["Cy Lam"].endswith("draft_placeholder, duplicate_tool, earlier_term_tool, late, too_short")
    assert "web (x)" in rows["Dee Quinn"] and "unreachable" in rows["Dee Quinn"]
    assert " ?  " in rows["Fay Ng"]
    assert "7 students, 6 with a post link, 8 comment links reported" in text
    assert "sections present: problem 4/7 (3 not checked), example 3/7" in text
    assert "reviews: 4/10 found, 3 on time, 3 substantive, 1 missing, 5 not verified yet" in text


def test_csv_shape(store: Store, course: dict, config: Config) -> None:
    text = render_csv(coverage(store, "Test course", config))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].startswith("student,name,team,tool,post_url,platform,problem,")
    assert len(rows) == 7 and len({len(r) for r in rows}) == 1
    ana = next(r for r in rows if r["name"] == "Ana Rivera")
    assert ana["problem"] == "yes" and ana["problem_confidence"] == "0.93"
    assert ana["movie_example_link"].startswith("https://blog.example.com/ana/feast#:~:text=For%20our")
    assert ana["reviews_detail"].split(" | ") == [
        "Ben Ode: substantive, on time (grounded in the post)",
        "Cy Lam: substantive, on time (grounded in the post)",
    ]
    eve = next(r for r in rows if r["student"] == "eve@x.edu")
    assert eve["name"] == HOSTILE  # CSV keeps the text; escaping is the HTML page's job


def test_csv_neutralises_spreadsheet_formulas(store: Store, config: Config) -> None:
    b = CourseBuilder(store)
    b.student('=HYPERLINK("http://evil.example","x")', key="f@x.edu", tool="+cmd")
    row = next(csv.DictReader(io.StringIO(render_csv(coverage(store, "T", config)))))
    assert row["name"].startswith("'=") and row["tool"] == "'+cmd"


def test_json_shape(store: Store, course: dict, config: Config) -> None:
    data = json.loads(render_json(coverage(store, "Test course", config)))
    assert set(data) >= {"course", "students", "totals", "post_due", "comments_due", "generated_at"}
    assert data["post_due"] == "2026-11-20T23:59:00-05:00"
    ana = next(s for s in data["students"] if s["name"] == "Ana Rivera")
    assert ana["verdicts"]["problem"] == {
        "status": "yes",
        "confidence": 0.93,
        "evidence": EVIDENCE["problem"][1],
        "heading": "Why",
        "link": ana["verdicts"]["problem"]["link"],
        "certainty": 0.93,
    }
    assert ana["reviews_given"][0]["outcome"] == "substantive" and ana["reviews_substantive"] == 2
    assert data["totals"]["students"] == 7


def test_existing_callers_still_work(store: Store, course: dict) -> None:
    report = coverage(store, "Test course")  # the old two-argument call
    for render in (render_table, render_csv, render_json):
        assert "Ana Rivera" in render(report)


def test_empty_store(store: Store, config: Config) -> None:
    report = coverage(store, None, config)
    assert report.course == "Test course" and report.rows == []
    assert "0 students" in render_table(report)
    assert render_csv(report).count("\n") == 1
    assert json.loads(render_json(report))["students"] == []


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "evidence", "expected"),
    [
        ("https://b.example/p", "Plain words here.", "https://b.example/p#:~:text=Plain%20words%20here"),
        ("https://b.example/p#old", "a-b, c & d", "https://b.example/p#:~:text=a%2Db%2C%20c%20%26%20d"),
        ("https://b.example/p", "- list item …", "https://b.example/p#:~:text=list%20item"),
        ("https://b.example/p", "one two three four five six seven eight nine ten",
         "https://b.example/p#:~:text=one%20two%20three%20four%20five%20six%20seven%20eight"),
        ("https://b.example/p", "", "https://b.example/p"),
        ("javascript:alert(1)", "x", ""),
        ("data:text/html,<b>x</b>", "x", ""),
        ("https://b.example/p q", "x", ""),
        ("//b.example/p", "x", ""),
    ],
)  # fmt: skip
def test_evidence_link(url: str, evidence: str, expected: str) -> None:
    assert evidence_link(url, evidence) == expected


def test_fragment_start_is_short() -> None:
    assert fragment_start("x" * 500) == ""  # one giant word: no fragment, the link opens the post
    assert fragment_start("Ends with an ellipsis …") == "Ends with an ellipsis"


@pytest.mark.parametrize(
    "url", ["JavaScript:alert(1)", " javascript:alert(1)", "vbscript:x", "file:///etc/passwd"]
)
def test_safe_url_rejects(url: str) -> None:
    assert safe_url(url) == ""
