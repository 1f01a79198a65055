"""The background cog: one nightly iteration posts a summary, an error is posted not raised, a missed
run is caught up at start, and the ticker tells students about a round published elsewhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest

from bot.config import Config
from bot.locking import WriterLock
from bot.scheduler import audit_time
from bot.store import Store


@pytest.fixture
def offline(tmp_path: Path, make_config) -> Config:  # type: ignore[no-untyped-def]
    """A roster-only course: the audit needs no network."""
    (tmp_path / "roster.csv").write_text("student,email\nAda,ada@x.edu\nBen,ben@x.edu\n")
    return make_config(
        sources={"roster": {"path": "roster.csv"}},
        schedule={"audit_time": "02:30"},
        discord={"guild_id": 1000, "course_channel_id": 2000, "ta_channel_id": 3000, "ta_role_id": 4000},
    )


@pytest.fixture
async def loop_cog(bot, offline: Config):  # type: ignore[no-untyped-def]
    bot.config = bot.auditor.config = offline
    cog = bot.get_cog("AuditLoop")
    cog.config = offline
    with mock.patch.object(bot, "wait_until_ready", autospec=True):
        yield cog


def test_nightly_loop_runs_at_the_local_audit_time(bot, offline: Config) -> None:  # type: ignore[no-untyped-def]
    from bot.discord.cogs.audit_loop import AuditLoop

    bot.config = offline
    cog = AuditLoop(bot)
    (when,) = cog.nightly.time
    assert when == audit_time(offline) == dt.time(2, 30, tzinfo=offline.course.tz)
    assert when.tzinfo is not None and str(when.tzinfo) == "America/New_York"


async def test_one_nightly_iteration_posts_a_summary(loop_cog, store: Store, ta_channel) -> None:  # type: ignore[no-untyped-def]
    await loop_cog.nightly()
    text = ta_channel.send.call_args.args[0]
    assert text.startswith("**Nightly audit** #") and ": ok in" in text
    assert "students.inserted 2" in text and "longest event-loop stall" in text
    run = store.last_run("audit")
    assert run is not None and run["status"] == "ok"


async def test_an_error_inside_the_audit_is_posted_not_raised(loop_cog, ta_channel) -> None:  # type: ignore[no-untyped-def]
    def broken(config: Config):  # type: ignore[no-untyped-def]
        raise RuntimeError("canvas exploded")

    loop_cog.bot.auditor.job = broken
    await loop_cog.nightly()
    assert ta_channel.send.call_args.args[0] == "**Nightly audit** failed: RuntimeError: canvas exploded"
    assert not loop_cog.nightly.failed()


async def test_a_failing_step_is_listed_in_the_summary(loop_cog, offline: Config, ta_channel) -> None:  # type: ignore[no-untyped-def]
    Path(offline.path("roster.csv")).unlink()
    await loop_cog.nightly()
    text = ta_channel.send.call_args.args[0]
    assert "finished with" in text and "roster" in text


async def test_the_writer_lock_is_respected(loop_cog, offline: Config, ta_channel) -> None:  # type: ignore[no-untyped-def]
    with WriterLock(offline.database_path, "reviewbot audit (cli)"):
        await loop_cog.nightly()
    text = ta_channel.send.call_args.args[0]
    assert "did not run" in text and "reviewbot audit (cli)" in text


async def test_catch_up_after_a_missed_run(loop_cog, store: Store, ta_channel) -> None:  # type: ignore[no-untyped-def]
    store.db["audit_runs"].insert(  # type: ignore[union-attr]
        {"kind": "audit", "started_at": "2026-11-20T07:30:00+00:00", "status": "ok"}
    )
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)  # 07:00 New York: the 02:30 run was missed
    assert await loop_cog.catch_up(now=now) is True
    text = ta_channel.send.call_args.args[0]
    assert text.startswith("**Catch-up audit**") and "catch-up for the audit due Sun 22 Nov 02:30 EST" in text
    ta_channel.send.reset_mock()
    assert await loop_cog.catch_up(now=dt.datetime.now(dt.UTC)) is False, "the catch-up run counts"
    ta_channel.send.assert_not_called()


async def test_ticker_announces_a_round_published_elsewhere(fake, bot, course, transport, ta_channel) -> None:  # type: ignore[no-untyped-def]
    cog = bot.get_cog("AuditLoop")
    await cog.ticker()
    assert len(transport.dms) == 6
    assert "told students: round 1 published: 6 by DM" in ta_channel.send.call_args.args[0]
    ta_channel.send.reset_mock()
    await cog.ticker()
    ta_channel.send.assert_not_called()
    assert len(transport.dms) == 6
