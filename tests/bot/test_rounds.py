"""Review rounds on the database: preview, publish, and recorded revisions that keep published pairs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from helpers import snapshot_tables

from bot.rounds import RoundError, RoundService
from bot.store import Store
from bot.sync import sync

NAMES = ["Ada", "Ben", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"]
HEADER = "Student,Tool,Blog post link\n"


def write_course(tmp_path: Path, names: list[str], posts: list[str]) -> None:
    roster = "student,email,team\n" + "".join(
        f"{n},{n.lower()}@x.edu,t{i % 3}\n" for i, n in enumerate(names)
    )
    sheet = HEADER + "".join(f"{n},Tool{i},https://{n.lower()}.dev/post\n" for i, n in enumerate(posts))
    (tmp_path / "roster.csv").write_text(roster)
    (tmp_path / "claims.csv").write_text(sheet)


@pytest.fixture
def course(tmp_path: Path, make_config, store: Store):  # type: ignore[no-untyped-def]
    write_course(tmp_path, NAMES, NAMES[:-1])  # Hal has no post yet
    config = make_config(sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv"}})
    sync(config, store, env={})
    return config


def active(store: Store) -> list[dict]:
    return list(store.rows("assignments", "status = 'active'", order_by="id"))


def test_preview_then_publish(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    view = service.preview(seed=3)
    assert view.status == "preview" and not active(store)
    gives = Counter(p["reviewer"] for p in view.pairs)
    assert set(gives.values()) == {2} and len(gives) == 8, "everyone, Hal included, reviews two posts"
    assert all(p["reviewer"] != p["author"] for p in view.pairs)
    published = service.publish()
    assert published.status == "published" and len(active(store)) == 16
    assert all(a["lease_ends_at"] == "2026-11-22T04:59:00+00:00" for a in active(store))  # 48 h before
    with pytest.raises(RoundError, match="already published"):
        service.publish()
    with pytest.raises(RoundError, match="already published"):
        service.preview()


def test_same_seed_same_round(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    first = [(p["reviewer"], p["author"]) for p in service.preview(seed=7).pairs]
    second = [(p["reviewer"], p["author"]) for p in service.preview(seed=7).pairs]
    assert first == second
    assert len(list(store.rows("rounds"))) == 1, "a new preview replaces the draft"


def test_late_post_joins_without_touching_published_pairs(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    service.preview()
    service.publish()
    before = active(store)
    write_course(tmp_path, [*NAMES, "Ivy", "Jo"], [*NAMES, "Ivy"])  # Hal posts late; Ivy, Jo join late
    sync(course, store, env={})
    report = service.update()
    assert report.revisions == [1] and report.replaced == 0
    after = active(store)
    assert after[: len(before)] == before, "published pairs are untouched"
    new = after[len(before) :]
    received = Counter(a["author_key"] for a in new)
    assert received["hal@x.edu"] == 2 and received["ivy@x.edu"] == 2
    assert Counter(a["reviewer_key"] for a in new)["ivy@x.edu"] == 2, "Ivy also reviews two posts"
    assert Counter(a["reviewer_key"] for a in new)["jo@x.edu"] == 2, "Jo has no post, still reviews two"
    assert received["jo@x.edu"] == 0
    assert all(a["reason"] == "late posts" and a["revision"] == 1 for a in new)
    revision = next(store.rows("revisions", "revision = 1"))
    assert revision["reason"] == "late posts"


def test_update_twice_changes_nothing(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    service.preview()
    service.publish()
    service.update()
    before = snapshot_tables(store)
    assert service.update().revisions == []
    assert snapshot_tables(store) == before


def test_departed_student_reviews_are_reassigned(course, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    service.preview()
    service.publish()
    write_course(tmp_path, [n for n in NAMES if n != "Ben"], [n for n in NAMES[:-1] if n != "Ben"])
    sync(course, store, env={})
    report = service.update()
    assert report.replaced > 0 and "departed students" in report.reasons[0]
    assert not [a for a in active(store) if "ben@x.edu" in (a["reviewer_key"], a["author_key"])]
    replaced = list(store.rows("assignments", "status = 'replaced'"))
    assert replaced and all("ben@x.edu" in (a["reviewer_key"], a["author_key"]) for a in replaced)
    received = Counter(a["author_key"] for a in active(store))
    assert all(received[f"{n.lower()}@x.edu"] >= 2 for n in NAMES[:-1] if n != "Ben")


def test_stalled_review_is_reassigned_after_its_lease(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    service.preview()
    service.publish()
    stalled = active(store)[0]
    store.db["comments"].insert(
        {
            "id": "c1",
            "assignment_id": stalled["id"],
            "reviewer_key": stalled["reviewer_key"],
            "status": "missing",
        }
    )
    before_lease = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    assert service.update(now=before_lease).revisions == [], "the lease has not ended yet"
    report = service.update(now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    assert report.replaced == 1 and "stalled reviews" in report.reasons[0]
    assert store.get("assignments", stalled["id"])["status"] == "replaced"
    reviewers = [a["reviewer_key"] for a in active(store) if a["author_key"] == stalled["author_key"]]
    assert len(reviewers) >= 2 and stalled["reviewer_key"] not in reviewers


def test_nothing_to_assign(store: Store, make_config) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RoundError, match="fewer than two"):
        RoundService(store, make_config()).preview()
    with pytest.raises(RoundError, match="no preview"):
        RoundService(store, make_config()).publish()


def test_replacement_reviewer_gets_a_fresh_lease(course, store: Store) -> None:  # type: ignore[no-untyped-def]
    service = RoundService(store, course)
    service.preview()
    service.publish()
    load = Counter(a["author_key"] for a in active(store))
    stalled = next(a for a in active(store) if load[a["author_key"]] == 2)  # one less leaves it short
    store.db["comments"].insert(
        {
            "id": "c1",
            "assignment_id": stalled["id"],
            "reviewer_key": stalled["reviewer_key"],
            "status": "missing",
        }
    )
    service.update(now=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))
    new = [a for a in active(store) if a["revision"] == 1]
    assert new and all(a["lease_ends_at"] == "2026-11-24T04:59:00+00:00" for a in new), (
        "capped at the deadline"
    )
