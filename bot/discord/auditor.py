"""The audit as the bot runs it: in a worker thread under the writer lock, watched, then announced.

Used by the nightly loop, the catch-up at start, `/ta audit` and benchmarks/loop_stall_bench.py,
so all of them take the same path. Nothing raised inside the audit escapes: it is posted to the TA
channel instead, and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.config import Config
from bot.discord.announcer import Announcer
from bot.discord.watchdog import LoopWatchdog
from bot.scheduler import AuditOutcome, run_audit_job

log = logging.getLogger(__name__)

Post = Callable[[str], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class AuditRun:
    """An audit run by the bot: the outcome, the text posted to TAs, the longest loop stall (s)."""

    outcome: AuditOutcome
    text: str
    stall: float


class Auditor:
    """One audit at a time from this process; the summary goes to `post` (the TA channel)."""

    def __init__(
        self,
        config: Config,
        announcer: Announcer,
        post: Post,
        job: Callable[[Config], AuditOutcome] = run_audit_job,
    ) -> None:
        self.config = config
        self.announcer = announcer
        self.post = post
        self.job = job
        self.lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self.lock.locked()

    async def run(self, title: str, note: str = "") -> AuditRun:
        """Run one audit, announce what it changed, post the summary; never raises."""
        async with self.lock:
            try:
                async with LoopWatchdog() as watchdog:
                    outcome = await asyncio.to_thread(self.job, self.config)
            except Exception as exc:
                log.exception("%s failed", title)
                outcome = AuditOutcome(ok=False, seconds=0.0, errors=[f"{type(exc).__name__}: {exc}"])
                text = f"**{title}** failed: {type(exc).__name__}: {str(exc)[:500]}"
                await self._post(text)
                return AuditRun(outcome, text, 0.0)
            lines = [outcome.summary(title)]
            if note:
                lines.insert(1, f"({note})")
            if not outcome.busy:
                lines.append(f"longest event-loop stall during the audit: {watchdog.longest * 1000:.0f} ms")
                try:
                    lines += [f"told students: {line}" for line in await self.announcer.announce_revisions()]
                except Exception as exc:
                    log.exception("announcing revisions failed")
                    lines.append(f"announcing the changes failed: {type(exc).__name__}: {exc}")
            text = "\n".join(lines)
            await self._post(text)
            return AuditRun(outcome, text, watchdog.longest)

    async def _post(self, text: str) -> None:
        try:
            await self.post(text)
        except Exception:
            log.exception("could not post to the TA channel")
