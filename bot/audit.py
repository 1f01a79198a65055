"""The audit: every step of the loop that exists, in order, recorded as one run.

sync -> fetch -> check -> verify comments -> assignment updates. A step that fails is recorded and the
next one still runs. Comments are verified before the round update, so stalled reviews are seen.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.checking import CheckReport, CheckService
from bot.config import Config
from bot.fetching import FetchOutcome, PostFetcher
from bot.progress import progress
from bot.rounds import RoundService
from bot.store import RunLog, Store
from bot.sync import SyncReport, sync
from bot.verify import VerifyReport, VerifyService
from scrapers.fetch import Fetcher


@dataclass
class AuditReport:
    """What an audit did, step by step."""

    run_id: int
    sync: SyncReport | None = None
    fetched: list[FetchOutcome] = field(default_factory=list)
    checks: CheckReport | None = None
    verify: VerifyReport | None = None
    assign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: step walls and work shares

    @property
    def ok(self) -> bool:
        return not self.errors and not (self.sync and self.sync.failed_sources)

    def fetch_summary(self) -> str:
        counts = Counter(o.status for o in self.fetched)
        reasons = Counter(o.reason.split(":", 1)[0] for o in self.fetched if o.status == "failed")
        text = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no posts"
        if reasons:
            text += " (" + "; ".join(f"{why}: {n}" for why, n in reasons.most_common()) + ")"
        return text


def run_audit(
    config: Config,
    store: Store,
    *,
    env: Mapping[str, str] | None = None,
    kind: str = "audit",
    fetcher: Fetcher | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> AuditReport:
    """Run sync, fetch, check, comment verification and the round update; record them as one run."""
    log = RunLog(kind)
    store.mark_interrupted()  # the caller holds the writer lock: nothing else is running
    report = AuditReport(run_id=store.start_run(kind))
    started = time.perf_counter()
    try:
        report.sync = sync(config, store, env=env, kind=f"{kind}:sync")
        say("sync: " + report.sync.summary())
        for problem in report.sync.problems:
            say(f"  ! {problem}")
    except Exception as exc:
        report.errors.append(f"sync failed: {type(exc).__name__}: {exc}")
    report.timings["sync"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        post_fetcher = PostFetcher(store, config, fetcher)
        posts = list(store.rows("posts", "status = 'current'", order_by="key"))
        with progress(len(posts), "fetch") as bar:  # drawn on a terminal only; quiet in CI or a pipe
            report.fetched = post_fetcher.run(posts, progress=lambda outcome: bar.advance())
        report.timings.update({f"fetch.{k}": v for k, v in post_fetcher.timings.items()})
        for outcome in report.fetched:
            log.count(f"fetch.{outcome.status}")
        say("fetch: " + report.fetch_summary())
    except Exception as exc:
        report.errors.append(f"fetch failed: {type(exc).__name__}: {exc}")
    report.timings["fetch"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        with progress(None, "check") as bar:
            report.checks = CheckService(store, config).run(progress=bar.advance)
        say("check: " + report.checks.summary())
    except Exception as exc:
        report.errors.append(f"check failed: {type(exc).__name__}: {exc}")
    report.timings["check"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        report.verify = VerifyService(store, config, fetcher, env=env).run()
        say("verify: " + report.verify.summary())
        for problem in report.verify.errors:
            say(f"  ! {problem}")
        for name, value in report.verify.counts.items():
            log.count(f"verify.{name}", value)
        log.errors.extend(f"verify: {problem}" for problem in report.verify.errors)
    except Exception as exc:
        report.errors.append(f"verify failed: {type(exc).__name__}: {exc}")
    report.timings["verify"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        rounds = RoundService(store, config)
        if rounds.published() is None:
            say("assign: no round published yet (reviewbot assign --preview, then --publish)")
        else:
            report.assign = rounds.update().reasons
            say("assign: " + ("; ".join(report.assign) or "nothing to change"))
    except Exception as exc:
        report.errors.append(f"assignment update failed: {type(exc).__name__}: {exc}")
    report.timings["assign"] = time.perf_counter() - started
    log.errors.extend(report.errors)
    if report.sync:
        log.errors.extend(report.sync.problems)
    store.finish_run(report.run_id, log, status="ok" if report.ok else "failed")
    return report
