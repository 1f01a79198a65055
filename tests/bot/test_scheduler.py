"""The nightly schedule in the course's time zone, catch-up after a missed run, and the audit job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import Config
from bot.locking import WriterLock
from bot.scheduler import audit_time, last_scheduled, needs_catch_up, next_scheduled, run_audit_job
from bot.store import Store

UTC = dt.UTC


@pytest.fixture
def config(make_config) -> Config:  # type: ignore[no-untyped-def]
    return make_config(schedule={"audit_time": "03:00"})  # America/New_York


def test_audit_time_is_local_and_aware(config: Config) -> None:
    when = audit_time(config)
    assert (when.hour, when.minute, str(when.tzinfo)) == (3, 0, "America/New_York")


@pytest.mark.parametrize(
    ("now", "last", "following"),
    [
        # winter (EST, UTC-5): 03:00 local is 08:00 UTC
        ("2026-12-10T07:59", "2026-12-09T08:00", "2026-12-10T08:00"),
        ("2026-12-10T08:00", "2026-12-10T08:00", "2026-12-11T08:00"),
        # summer (EDT, UTC-4): 03:00 local is 07:00 UTC
        ("2026-07-01T12:00", "2026-07-01T07:00", "2026-07-02T07:00"),
        # across the November change: still 03:00 local on each side
        ("2026-11-01T12:00", "2026-11-01T08:00", "2026-11-02T08:00"),
        ("2026-11-01T06:00", "2026-10-31T07:00", "2026-11-01T08:00"),
    ],
)
def test_schedule_follows_local_time_through_dst(config: Config, now: str, last: str, following: str) -> None:
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert last_scheduled(config, moment).astimezone(UTC) == dt.datetime.fromisoformat(last).replace(
        tzinfo=UTC
    )
    assert next_scheduled(config, moment).astimezone(UTC) == dt.datetime.fromisoformat(following).replace(
        tzinfo=UTC
    )


def test_a_time_skipped_by_dst_runs_after_the_gap(make_config) -> None:  # type: ignore[no-untyped-def]
    config = make_config(schedule={"audit_time": "02:30"})
    moment = dt.datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 02:30 does not exist in New York that day
    assert last_scheduled(config, moment).astimezone(UTC) == dt.datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def run(store: Store, started: str, status: str = "ok") -> None:
    store.db["audit_runs"].insert({"kind": "audit", "started_at": started, "status": status})  # type: ignore[union-attr]


def test_catch_up_when_the_last_run_is_older_than_the_last_schedule(config: Config, store: Store) -> None:
    now = dt.datetime(2026, 12, 10, 15, 0, tzinfo=UTC)  # 10:00 local; today's 03:00 is due
    missed = needs_catch_up(store, config, now)
    assert missed is not None and missed.last_run == "" and "no audit has run yet" in missed.describe()
    run(store, "2026-12-09T08:00:05+00:00")
    assert needs_catch_up(store, config, now) is not None, "yesterday's run does not cover today"
    run(store, "2026-12-10T08:00:03+00:00", status="interrupted")
    assert needs_catch_up(store, config, now) is not None, "an interrupted run does not count"
    run(store, "2026-12-10T08:00:09+00:00", status="failed")
    assert needs_catch_up(store, config, now) is None, "a finished run counts, failed or not"


def test_the_job_runs_an_audit_on_its_own_store(tmp_path: Path, make_config, store: Store) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text("student,email\nAda,ada@x.edu\n")
    config = make_config(sources={"roster": {"path": "roster.csv"}})
    outcome = run_audit_job(config, env={})
    assert outcome.ok and outcome.run_id == store.last_run("audit")["id"]  # type: ignore[index]
    assert "students.inserted 1" in outcome.summary("Audit")


def test_the_job_does_not_run_while_another_writer_holds_the_lock(make_config) -> None:  # type: ignore[no-untyped-def]
    config = make_config()
    with WriterLock(config.database_path, "sync, pid 1"):
        outcome = run_audit_job(config, env={})
    assert outcome.busy and "sync, pid 1" in outcome.summary("Audit") and not outcome.ok
