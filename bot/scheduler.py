"""When the nightly audit runs, whether one was missed, and the audit job itself.

The audit time is local to the course (`[schedule] audit_time` in `course.timezone`), so it stays at
03:00 through daylight-saving changes. A run counts when it finished (ok or failed); one that was
interrupted does not. The job opens its own Store (SQLite connections belong to their thread) and
holds the writer lock, so it is safe to call from a worker thread while the bot keeps answering.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.audit import AuditReport, run_audit
from bot.config import Config
from bot.locking import Busy, WriterLock
from bot.store import Store

FINISHED = ("ok", "failed")
MAX_LISTED_ERRORS = 8


def audit_time(config: Config) -> dt.time:
    """The nightly audit time, aware of the course's time zone (for discord.ext.tasks)."""
    hh, _, mm = config.schedule.audit_time.partition(":")
    return dt.time(int(hh), int(mm), tzinfo=config.course.tz)


def _at(config: Config, day: dt.date) -> dt.datetime:
    """The audit moment on a local calendar day (a time skipped by DST moves forward by the gap)."""
    naive = dt.datetime.combine(day, audit_time(config).replace(tzinfo=None))
    local = naive.replace(tzinfo=config.course.tz)
    return local.astimezone(dt.UTC).astimezone(config.course.tz)


def last_scheduled(config: Config, now: dt.datetime) -> dt.datetime:
    """The latest scheduled audit moment at or before `now` (aware)."""
    local_now = now.astimezone(config.course.tz)
    moment = _at(config, local_now.date())
    if moment > local_now:
        moment = _at(config, local_now.date() - dt.timedelta(days=1))
    return moment


def next_scheduled(config: Config, now: dt.datetime) -> dt.datetime:
    """The first scheduled audit moment after `now` (aware)."""
    local_now = now.astimezone(config.course.tz)
    moment = _at(config, local_now.date())
    if moment <= local_now:
        moment = _at(config, local_now.date() + dt.timedelta(days=1))
    return moment


@dataclass(frozen=True)
class CatchUp:
    """A scheduled audit that did not happen."""

    missed: dt.datetime  # the scheduled moment, local
    last_run: str  # started_at of the last finished audit, or "" when none ever ran

    def describe(self) -> str:
        since = f"the last one started {self.last_run}" if self.last_run else "no audit has run yet"
        return f"catch-up for the audit due {self.missed:%a %d %b %H:%M %Z} ({since})"


def last_finished_audit(store: Store) -> dict[str, Any] | None:
    rows = list(
        store.rows(
            "audit_runs", "kind = 'audit' and status in ('ok', 'failed')", order_by="started_at desc", limit=1
        )
    )
    return rows[0] if rows else None


def needs_catch_up(store: Store, config: Config, now: dt.datetime) -> CatchUp | None:
    """The missed run, when the last finished audit started before the last scheduled time."""
    missed = last_scheduled(config, now)
    last = last_finished_audit(store)
    if last is not None and dt.datetime.fromisoformat(last["started_at"]) >= missed:
        return None
    return CatchUp(missed=missed, last_run=last["started_at"] if last else "")


@dataclass
class AuditOutcome:
    """An audit run by the bot, summarised for the TA channel."""

    ok: bool
    seconds: float
    run_id: int | None = None
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    busy: str = ""  # another writer held the lock: nothing ran

    def summary(self, title: str = "Audit") -> str:
        if self.busy:
            return f"**{title}** did not run: {self.busy}"
        state = "ok" if self.ok else f"finished with {len(self.errors)} problem(s)"
        out = [f"**{title}** #{self.run_id}: {state} in {self.seconds:.1f} s", *self.lines]
        for error in self.errors[:MAX_LISTED_ERRORS]:
            out.append(f"- {error[:300]}")
        if len(self.errors) > MAX_LISTED_ERRORS:
            out.append(
                f"- ... and {len(self.errors) - MAX_LISTED_ERRORS} more (`reviewbot audit` lists them)"
            )
        return "\n".join(out)


def describe(report: AuditReport) -> AuditOutcome:
    """The summary of an audit report: one line per step."""
    lines = []
    if report.sync is not None:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.sync.counts.items()) if v) or "nothing new"
        lines.append(f"sync: {counts}")
        if report.sync.failed_sources:
            lines.append(f"sync: failed sources: {', '.join(report.sync.failed_sources)}")
    lines.append(f"fetch: {report.fetch_summary()}")
    checks = getattr(report, "checks", None)
    if checks is not None and hasattr(checks, "summary"):
        lines.append(f"check: {checks.summary()}")
    verify = getattr(report, "verify", None)
    if verify is not None:
        lines.append(f"verify: {verify.summary()}")
    lines.append("assign: " + ("; ".join(report.assign) or "nothing to change"))
    errors = list(report.errors) + (list(report.sync.problems) if report.sync else [])
    return AuditOutcome(ok=report.ok, seconds=0.0, run_id=report.run_id, lines=lines, errors=errors)


def warm_up() -> str:
    """Load the rubric model now, once per process, so no audit pays for it later.

    Importing torch and building the encoder hold the GIL for a few hundred milliseconds in C code;
    done in a worker thread during an audit, that stalls the bot's event loop. The bot calls this
    at start, before it connects. A model that fails to load is reported by the audit's check step.
    """
    try:
        from bot.checking import load_checker

        load_checker()
    except Exception as exc:  # the first-time torch costs are paid even when the head is missing
        return f"rubric model not loaded: {type(exc).__name__}: {exc}"
    try:
        from bot.verify import load_judge

        load_judge()
    except Exception as exc:  # verification then records comments without a verdict
        return f"rubric model loaded; comment judge not loaded: {type(exc).__name__}: {exc}"
    return "rubric model and comment judge loaded"


def run_audit_job(
    config: Config, *, env: Mapping[str, str] | None = None, fetcher: Any = None
) -> AuditOutcome:
    """One audit under the writer lock, on a Store of this thread; never raises Busy."""
    started = time.perf_counter()
    try:
        with WriterLock(config.database_path, "audit (Discord bot)"), Store(config.database_path) as store:
            report = run_audit(config, store, env=env, fetcher=fetcher)
    except Busy as exc:
        return AuditOutcome(ok=False, seconds=time.perf_counter() - started, busy=str(exc))
    outcome = describe(report)
    outcome.seconds = time.perf_counter() - started
    return outcome
