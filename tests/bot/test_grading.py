"""The grading sheet: a suggestion (yes/no/unknown), a confidence and a reason per rubric criterion."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import pytest

from bot.config import Config
from bot.grading import CRITERIA, grade, grading_columns, hands_on_signals, render_grading_csv
from bot.report import coverage
from bot.store import Store

_spec = importlib.util.spec_from_file_location("report_builder", Path(__file__).with_name("test_report.py"))
builder = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(builder)  # type: ignore[union-attr]


@pytest.fixture
def config(make_config) -> Config:  # type: ignore[no-untyped-def]
    return make_config(course=dict(builder.COURSE))


@pytest.fixture
def sheet(store: Store, config: Config) -> dict[str, dict]:
    """student name -> criterion -> (value, confidence, why)."""
    builder.sample_course(store)
    return {
        row.name: {c: (s.value, s.confidence, s.why) for c, s in row.suggestions.items()}
        for row in grade(coverage(store, None, config))
    }


CASES = [
    # student, criterion, value, confidence, a phrase of the reason
    ("Ana Rivera", "sheet_filled", "yes", 1.0, "claimed 'Feast'"),
    ("Gus Ito", "sheet_filled", "no", 1.0, "no post link"),
    ("Ana Rivera", "tool_unique", "yes", 0.9, "no other claim"),
    ("Ben Ode", "tool_unique", "no", 0.5, "also claimed by Cy Lam; the first claim keeps"),
    ("Cy Lam", "tool_unique", "no", 0.9, "earlier term"),
    ("Ana Rivera", "problem", "yes", 0.93, 'under "Why": "Serving features that match training is hard'),
    ("Ben Ode", "strengths_limitations", "no", 0.8, "no passage found (confidence 0.20"),
    ("Cy Lam", "movie_example", "no", 0.95, "no passage found"),
    ("Dee Quinn", "problem", "unknown", None, "post unreachable"),
    ("Fay Ng", "movie_example", "unknown", None, "could not be judged"),
    ("Gus Ito", "strengths_limitations", "unknown", None, "no post"),
    ("Ana Rivera", "tried_tool", "unknown", None, "no code, commands, config or numbers"),
    ("Gus Ito", "tried_tool", "unknown", None, "no post"),
    ("Dee Quinn", "tried_tool", "unknown", None, "post not checked yet"),
    ("Ana Rivera", "two_comments", "yes", 0.9, "2 of 2 found, 2 substantive"),
    ("Ben Ode", "two_comments", "no", 0.8, "1 posted after the comment deadline; Cy Lam: generic praise"),
    ("Cy Lam", "two_comments", "unknown", None, "1 missing; 1 not verified yet; 1 substantive on posts not"),
    ("Dee Quinn", "two_comments", "unknown", None, "0 of 2 found, 0 substantive; 2 not verified yet"),
    ("Gus Ito", "two_comments", "unknown", None, "no reviews assigned"),
    ("Ana Rivera", "public_post", "yes", 0.95, "fetched without logging in"),
    ("Fay Ng", "public_post", "yes", 0.95, "a video, not a written post"),
    ("Dee Quinn", "public_post", "no", 0.7, "unreachable at the last fetch: not found (HTTP 404)"),
    ("Gus Ito", "public_post", "no", 1.0, "no post link"),
]


@pytest.mark.parametrize(
    ("name", "criterion", "value", "confidence", "why"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_suggestion(sheet: dict, name: str, criterion: str, value: str, confidence, why: str) -> None:  # type: ignore[no-untyped-def]
    got_value, got_confidence, got_why = sheet[name][criterion]
    assert got_value == value
    assert got_confidence == (pytest.approx(confidence) if confidence is not None else None)
    assert why in got_why


def test_every_student_gets_every_criterion(sheet: dict) -> None:
    assert len(sheet) == 7
    assert all(set(row) == set(CRITERIA) for row in sheet.values())
    assert all(v[0] in ("yes", "no", "unknown") for row in sheet.values() for v in row.values())


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We ran `mlflow ui` and opened the dashboard.", {"code"}),
        ("wait_time = between(1, 3) keeps the users polite.", {"code"}),
        ("First pip install feast, then apply.", {"commands"}),
        ("Run it with locust --headless --users 500.", {"commands"}),
        ("Locust simulated 500 users; the median was 95 ms.", {"numbers"}),
        ("Our feature_store.yaml names the online store.", {"config"}),
        ("p95 latency dropped from 410 ms to 120 ms.", {"numbers"}),
        ("A nice tool that many teams like for their work.", set()),
        ("It helps in 2024 with a lot of things.", set()),
    ],
)
def test_hands_on_signals(text: str, kinds: set[str]) -> None:
    assert set(hands_on_signals(text)) == kinds


def test_tried_tool_from_evidence_and_from_check_flags(store: Store, config: Config) -> None:
    b = builder.CourseBuilder(store)
    doer = b.student("Doer", tool="Locust")
    b.check(
        b.post(doer, "https://b.example/doer"),
        {"movie_example": (0.9, "We ran locust --users 500 against /recommend and p95 was 180 ms.")},
    )
    flagged = b.student("Flagged", tool="DVC")
    b.check(b.post(flagged, "https://b.example/flagged"), {}, flags=("no_hands_on",))
    rows = {r.name: r.suggestions["tried_tool"] for r in grade(coverage(store, None, config))}
    assert (rows["Doer"].value, rows["Doer"].confidence) == ("yes", 0.65)
    assert rows["Doer"].why == 'commands ("--users"); numbers ("p95")'
    assert (rows["Flagged"].value, rows["Flagged"].confidence) == ("no", 0.8)


def test_unasked_comments_are_for_the_ta_to_count(store: Store, config: Config) -> None:
    b = builder.CourseBuilder(store)
    a, r1, r2 = b.student("Author"), b.student("Helper"), b.student("Other")
    post = b.post(a, "https://b.example/author")
    b.post(r1, "https://b.example/helper")
    b.comment(r2, "https://b.example/author#c1")
    b.comment(r2, "https://b.example/helper#c1")
    b.assign(r1, a, post)
    rows = {r.name: r.suggestions["two_comments"] for r in grade(coverage(store, None, config))}
    assert rows["Other"].value == "yes" and rows["Other"].confidence == 0.5
    assert "no reviews assigned" in rows["Other"].why
    assert rows["Helper"].value == "no" and "0 of 1 found" in rows["Helper"].why


def test_csv_shape(store: Store, config: Config) -> None:
    builder.sample_course(store)
    text = render_grading_csv(coverage(store, None, config))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == grading_columns()
    assert len(rows) == 7
    for criterion in CRITERIA:
        assert {r[criterion] for r in rows} <= {"yes", "no", "unknown"}
        assert all(r[f"{criterion}_ta"] == "" for r in rows)
        assert all(
            r[f"{criterion}_confidence"] == "" or 0 <= float(r[f"{criterion}_confidence"]) <= 1 for r in rows
        )
    ana = next(r for r in rows if r["name"] == "Ana Rivera")
    assert (ana["problem"], ana["problem_confidence"]) == ("yes", "0.93")
    assert ana["email"] == "ana.rivera@x.edu" and ana["ta_notes"] == ""
    cy = next(r for r in rows if r["name"] == "Cy Lam")
    assert cy["late"] == "late" and "duplicate_tool:" in cy["flags"]


def test_empty_report_is_a_header(store: Store, config: Config) -> None:
    assert render_grading_csv(coverage(store, None, config)).splitlines() == [",".join(grading_columns())]


def _article(*blocks: tuple[str, str]):  # type: ignore[no-untyped-def]
    from scrapers.article import Article, Block

    return Article(blocks=[Block(kind, text) for kind, text in blocks])


@pytest.mark.parametrize(
    ("blocks", "value", "confidence", "why"),
    [
        ((("paragraph", "We tried it."), ("code", "mlflow.log_metric('rmse', 0.87)")), "yes", 0.85,
         "1 code block"),
        ((("paragraph", "Then pip install dvc and 12 ms per call."),), "yes", 0.7,
         'commands ("pip install"); numbers ("12 ms")'),
        ((("paragraph", "A tool many teams like. It is useful for everyone."),), "no", 0.6, "no code block"),
    ],
)  # fmt: skip
def test_tried_tool_on_the_whole_post(store: Store, config: Config, blocks, value, confidence, why) -> None:  # type: ignore[no-untyped-def]
    b = builder.CourseBuilder(store)
    b.post(b.student("Writer", tool="MLflow"), "https://b.example/w")
    (row,) = grade(coverage(store, None, config), article_of=lambda row: _article(*blocks))
    got = row.suggestions["tried_tool"]
    assert (got.value, got.confidence) == (value, confidence) and why in got.why


def test_articles_are_read_from_the_kept_snapshot(store: Store, config: Config) -> None:
    from bot.grading import articles_from_snapshots
    from bot.snapshots import SnapshotStore

    page = (
        b"<html><head><title>Tracking with MLflow</title></head><body><article><h1>Tracking with MLflow</h1>"
        + b"<p>We logged every run of the recommender while tuning it for the movie service.</p>" * 8
        + b"<pre><code>mlflow.log_param('rank', 64)</code></pre></article></body></html>"
    )
    sha = SnapshotStore(config.snapshot_dir).put(page)
    b = builder.CourseBuilder(store)
    key = b.post(b.student("Writer", tool="MLflow"), "https://b.example/w", sha256=sha)
    store.db["posts"].update(key, {"snapshot_kind": "html"})
    missing = b.post(b.student("Ghost"), "https://b.example/g", sha256="f" * 64)  # bytes not on disk
    assert missing
    rows = {r.name: r.suggestions["tried_tool"] for r in grade(
        coverage(store, None, config), article_of=articles_from_snapshots(store, config)
    )}  # fmt: skip
    assert rows["Writer"].value == "yes" and rows["Writer"].why.startswith("1 code block")
    assert rows["Ghost"].value == "unknown"  # no snapshot: back to the (absent) evidence


@pytest.mark.parametrize(
    "text",
    [
        "A plain Python dict would do; make sure to git good.",
        "Back in the 1990s, in 2024 and in 3 steps, python is everywhere.",
        "Tools (like this one) help teams.",
        "Ana Rivera · 7 min read",
    ],
)
def test_prose_is_no_evidence(text: str) -> None:
    assert hands_on_signals(text) == {}


@pytest.mark.parametrize(
    ("text", "example"),
    [
        ("It cut latency by 30% overall.", "30%"),
        ("About 10x faster than before.", "10x"),
        ("Each run took 2.5s on a laptop.", "2.5s"),
        ("The p99 stayed flat.", "p99"),
    ],
)
def test_measured_numbers(text: str, example: str) -> None:
    assert hands_on_signals(text) == {"numbers": example}
