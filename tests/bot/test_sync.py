"""Sync: people and claims from any mix of sources, idempotent, flags raised and resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.canvas import FakeCanvas, serve
from helpers import snapshot_tables

from bot.store import Store
from bot.sync import sync

ROSTER = """student,email,team
Ada Park,ada@x.edu,t1
Ben Ode,ben@x.edu,t1
Cy Ruiz,cy@x.edu,t2
Di Wu,di@x.edu,t2
Ed Lam,ed@x.edu,t3
Flo Diaz,flo@x.edu,t3
"""
HEADER = "Timestamp,Student,Tool,Blog post link,Comment link 1,Comment link 2\n"
SHEET = HEADER + (
    "t,Ada Park,Feast,https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f?source=friends_link,"
    "https://ben.github.io/mlflow/#c1,\n"
    "t,Ben Ode,MLflow,https://ben.github.io/mlflow/,,\n"
    "t,Cy Ruiz,mlflow ,https://www.youtube.com/watch?v=dQw4w9WgXcQ,,\n"
    "t,Di Wu,Apache Airflow,htps:/broken link,,\n"
    "t,Ed Lam,Locust,https://ed.dev/locust,,\n"
    "t,Ed Lam,Locust,https://ed.dev/locust-v2,,\n"
    "t,Gus Who,Kafka,https://gus.dev/kafka,,\n"
)


@pytest.fixture
def course(tmp_path: Path, make_config):  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "claims.csv").write_text(SHEET)
    return make_config(sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv"}})


def flags(store: Store) -> set[tuple[str, str]]:
    return {(f["student_key"], f["kind"]) for f in store.rows("flags", "resolved_at is null")}


def test_people_posts_and_flags(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    report = sync(course, store, env={})
    assert not report.failed_sources
    posts = {p["student_key"]: p for p in store.rows("posts", "status = 'current'")}
    assert posts["ada@x.edu"]["key"] == "medium.com/p/1a2b3c4d5e6f"
    assert posts["ada@x.edu"]["url"] == "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f"
    assert posts["ada@x.edu"]["submitted_url"].endswith("?source=friends_link")
    assert posts["ed@x.edu"]["url"] == "https://ed.dev/locust-v2"  # the later row wins
    assert store.get("students", "ada@x.edu")["tool"] == "Feast"
    assert flags(store) == {
        ("cy@x.edu", "video_post"),
        ("ben@x.edu", "duplicate_tool"),
        ("cy@x.edu", "duplicate_tool"),
        ("ben@x.edu", "earlier_term_tool"),  # MLflow
        ("cy@x.edu", "earlier_term_tool"),
        ("di@x.edu", "earlier_term_tool"),  # Apache Airflow
        ("di@x.edu", "malformed_link"),
        ("di@x.edu", "no_link"),
        ("ed@x.edu", "two_links"),
        ("flo@x.edu", "no_link"),
        ("name:gus who", "not_on_roster"),
    }
    malformed = next(store.rows("flags", "kind = 'malformed_link'"))
    assert "claim sheet row 5" in malformed["detail"] and "htps:/broken link" in malformed["detail"]
    comment = next(store.rows("comments"))
    assert comment["reviewer_key"] == "ada@x.edu" and comment["url"] == "https://ben.github.io/mlflow#c1"


def test_second_sync_changes_nothing(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    before = snapshot_tables(store)
    changes = store.db.conn.total_changes
    report = sync(course, store, env={})
    assert report.changed == 0
    assert snapshot_tables(store) == before
    assert store.db.conn.total_changes - changes == 2, "only the run log is written (start, finish)"


def test_changed_link_keeps_the_old_post(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    (tmp_path / "claims.csv").write_text(SHEET.replace("https://ben.github.io/mlflow/", "https://ben.dev/v2"))
    sync(course, store, env={})
    ben = {p["url"]: p["status"] for p in store.rows("posts", "student_key = 'ben@x.edu'")}
    assert ben == {"https://ben.github.io/mlflow": "replaced", "https://ben.dev/v2": "current"}


def test_fixed_problem_resolves_its_flag(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    (tmp_path / "claims.csv").write_text(SHEET + "t,Flo Diaz,Evidently,https://flo.dev/evidently,,\n")
    sync(course, store, env={})
    resolved = list(store.rows("flags", "student_key = 'flo@x.edu' and kind = 'no_link'"))
    assert resolved[0]["resolved_at"] is not None, "kept, marked resolved"


@pytest.mark.parametrize(
    "bad",
    [b"", b"\x00\x01binary", b"Name,Link\nAda,x\n", b"\xff\xfe\x00garbage"],
    ids=["empty", "binary", "unknown columns", "utf16ish"],
)
def test_failed_source_loses_nothing(course, store: Store, tmp_path: Path, bad: bytes) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    before = snapshot_tables(store)
    (tmp_path / "claims.csv").write_bytes(bad)
    report = sync(course, store, env={})
    assert report.failed_sources == ["claim sheet"]
    assert report.problems and "claim sheet" in report.problems[0]
    assert snapshot_tables(store) == before
    assert store.last_run("sync")["status"] == "failed"


def test_bad_row_keeps_the_students_earlier_post(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    (tmp_path / "claims.csv").write_text(SHEET.replace("https://ed.dev/locust-v2", "not a link at all"))
    report = sync(course, store, env={})
    ed = {p["url"]: p["status"] for p in store.rows("posts", "student_key = 'ed@x.edu'")}
    assert ed["https://ed.dev/locust-v2"] == "current" or ed["https://ed.dev/locust"] == "current"
    assert any(f["kind"] == "malformed_link" for f in store.rows("flags", "student_key = 'ed@x.edu'"))
    assert not report.failed_sources


def test_departed_student_is_kept_inactive(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    (tmp_path / "roster.csv").write_text(ROSTER.replace("Ben Ode,ben@x.edu,t1\n", ""))
    sync(course, store, env={})
    ben = store.get("students", "ben@x.edu")
    assert ben["active"] == 0 and store.get("posts", "ben.github.io/mlflow")["student_key"] == "ben@x.edu"


def test_duplicate_roster_rows_and_unicode(store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_bytes(b"student,email\nZo\xeb M\xfcller,zoe@x.edu\nZoe Again,zoe@x.edu\n")
    config = make_config(sources={"roster": {"path": "roster.csv"}})
    report = sync(config, store, env={})
    assert store.get("students", "zoe@x.edu")["name"] == "Zoë Müller"
    assert any("row 2" in p and "Windows-1252" in p for p in report.problems)
    assert any("row 3" in p and "duplicate student" in p for p in report.problems)


def test_canvas_and_sheet_together(httpserver, store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    fake = FakeCanvas()
    fake.add_student(301, "Ada Park", "ada@x.edu")
    fake.add_student(302, "Ben Ode", "ben@x.edu")
    fake.add_submission(301, url="https://ada.dev/feast")
    base = serve(httpserver, fake)
    (tmp_path / "claims.csv").write_text(
        HEADER + "t,ben@x.edu,Feast,https://ben.dev/feast,,\nt,Ada Park,Feast,,,\n"
    )
    config = make_config(
        sources={
            "canvas": {"url": base, "course_id": 110000000, "assignment_id": 110000100},
            "sheet": {"path": "claims.csv"},
        }
    )
    report = sync(config, store, env={"CANVAS_TOKEN": "fake-canvas-token"})
    assert not report.failed_sources, report.problems
    students = {s["key"]: s for s in store.rows("students")}
    assert students["canvas:301"]["email"] == "ada@x.edu"
    assert students["canvas:100010000"]["role"] == "ta"
    posts = {p["student_key"]: p["url"] for p in store.rows("posts")}
    assert posts == {"canvas:301": "https://ada.dev/feast", "canvas:302": "https://ben.dev/feast"}
    assert ("canvas:301", "duplicate_tool") in flags(store)
    assert not any(kind == "not_on_roster" for _, kind in flags(store))


def test_canvas_failure_keeps_sheet_and_data(httpserver, store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    fake = FakeCanvas()
    fake.forbidden = True
    base = serve(httpserver, fake)
    (tmp_path / "claims.csv").write_text(HEADER + "t,Ada Park,Feast,https://ada.dev/feast,,\n")
    config = make_config(
        sources={"canvas": {"url": base, "course_id": 110000000}, "sheet": {"path": "claims.csv"}}
    )
    report = sync(config, store, env={"CANVAS_TOKEN": "fake-canvas-token"})
    assert report.failed_sources == ["canvas"]
    assert "CANVAS_TOKEN" in report.problems[0] and "fake-canvas-token" not in report.problems[0]
    assert store.get("posts", "ada.dev/feast") is not None


def test_sheet_from_url(httpserver, store: Store, make_config) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/export").respond_with_data(SHEET, content_type="text/csv")
    config = make_config(sources={"sheet": {"url": httpserver.url_for("/export")}})
    sync(config, store, env={})
    assert store.get("students", "name:ada park") is not None
    assert not any(kind == "not_on_roster" for _, kind in flags(store)), "no roster: the sheet is the roster"


def test_namesakes_stay_two_students(store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text("student,email\nSam Lee,sam1@x.edu\nSam Lee,sam2@x.edu\n")
    (tmp_path / "claims.csv").write_text(
        HEADER + "t,Sam Lee,Feast,https://sam.dev/p,,\nt,sam2@x.edu,Kafka,https://s2.dev/p,,\n"
    )
    config = make_config(sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv"}})
    report = sync(config, store, env={})
    assert {s["key"] for s in store.rows("students")} == {"sam1@x.edu", "sam2@x.edu"}
    assert any("two students are named 'Sam Lee'" in p for p in report.problems)
    assert {p["student_key"] for p in store.rows("posts")} == {"sam2@x.edu"}, (
        "the ambiguous claim is not guessed"
    )


def test_failing_sheet_moves_no_post(httpserver, store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    fake = FakeCanvas()
    fake.add_student(301, "Ada Park", "ada@x.edu")
    fake.add_submission(301, url="https://ada.dev/draft")
    base = serve(httpserver, fake)
    (tmp_path / "claims.csv").write_text(HEADER + "t,ada@x.edu,Feast,https://ada.dev/final,,\n")
    config = make_config(
        sources={
            "canvas": {"url": base, "course_id": 110000000, "assignment_id": 110000100},
            "sheet": {"path": "claims.csv"},
        }
    )
    sync(config, store, env={"CANVAS_TOKEN": "fake-canvas-token"})
    before = snapshot_tables(store)
    (tmp_path / "claims.csv").write_bytes(b"")
    report = sync(config, store, env={"CANVAS_TOKEN": "fake-canvas-token"})
    assert report.failed_sources == ["claim sheet"]
    assert snapshot_tables(store) == before, "the draft does not become current, the tool stays"


def test_a_skipped_roster_row_is_no_departure(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sync(course, store, env={})
    (tmp_path / "roster.csv").write_text(ROSTER.replace("Ben Ode,ben@x.edu,t1", ",ben@x.edu,t1"))
    sync(course, store, env={})
    assert store.get("students", "ben@x.edu")["active"] == 1


def test_roster_team_beats_sheet_team_and_stays_put(store: Store, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text("student,email,team\nAda Park,ada@x.edu,t1\n")
    (tmp_path / "claims.csv").write_text(
        "Student,Tool,Blog post link,Team\nAda Park,Feast,https://a.dev/p,Blue\n"
    )
    columns = {"team": "Team"}
    config = make_config(
        sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv", "columns": columns}}
    )
    sync(config, store, env={})
    assert store.get("students", "ada@x.edu")["team"] == "t1"
    assert sync(config, store, env={}).changed == 0


def test_a_crashing_reader_costs_only_its_source(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import configured_sources

    def broken():  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    readers = [*configured_sources(course, {}), ("broken", broken)]
    report = sync(course, store, env={}, readers=readers)
    assert report.failed_sources == ["broken"] and "unexpected RuntimeError: boom" in report.problems[0]
    assert store.get("students", "ada@x.edu") is not None
    assert store.last_run("sync")["status"] == "failed"


def test_a_blog_topic_that_links_out_keeps_its_canvas_link(
    httpserver, store: Store, tmp_path: Path, make_config
) -> None:  # type: ignore[no-untyped-def]
    """The post is the external link; the topic it was announced in stays with it, for its replies."""
    fake = FakeCanvas()
    fake.add_student(301, "Ada Park", "ada@x.edu")
    fake.add_student(302, "Ben Ode", "ben@x.edu")
    medium = "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f"
    fake.add_topic(301, "Ada Park", "Blog: Feast", f'<p>My post: <a href="{medium}">Feast</a></p>')
    fake.add_topic(302, "Ben Ode", "Blog: MLflow", "<p>The whole post, written here on Canvas.</p>")
    base = serve(httpserver, fake)
    # the sheet names the same post (another spelling of the link): the sheet's claim wins, the topic stays
    (tmp_path / "claims.csv").write_text(HEADER + f"t,ada@x.edu,Feast,{medium}?source=friends_link,,\n")
    config = make_config(
        sources={"canvas": {"url": base, "course_id": 110000000}, "sheet": {"path": "claims.csv"}}
    )
    env = {"CANVAS_TOKEN": "fake-canvas-token"}
    assert not sync(config, store, env=env).failed_sources
    ada = store.get("posts", "medium.com/p/1a2b3c4d5e6f")
    assert (ada["source"], ada["status"]) == ("claim sheet", "current")
    assert ada["discussion_url"] == f"{base}/courses/110000000/discussion_topics/1"
    [ben] = store.rows("posts", "student_key = 'canvas:302'")
    assert ben["url"].endswith("/discussion_topics/2")  # the topic is the post...
    assert ben["discussion_url"] is None  # ...not a second place to look

    before = snapshot_tables(store)
    changes = store.db.conn.total_changes
    assert sync(config, store, env=env).changed == 0
    assert snapshot_tables(store) == before
    assert store.db.conn.total_changes - changes == 2, "only the run log is written (start, finish)"

    fake.forbidden = True  # Canvas unreachable: the sheet alone does not drop the topic link
    assert sync(config, store, env=env).failed_sources == ["canvas"]
    assert store.get("posts", "medium.com/p/1a2b3c4d5e6f")["discussion_url"] == ada["discussion_url"]

    fake.forbidden = False  # Canvas answers and the topic is gone: its replies are no place to look
    fake.topics = [t for t in fake.topics if t["title"] != "Blog: Feast"]
    assert not sync(config, store, env=env).failed_sources
    assert store.get("posts", "medium.com/p/1a2b3c4d5e6f")["discussion_url"] is None
