"""The event loop keeps answering during an audit: the watchdog sees a blocking call, and an audit
run through the bot's own path stalls the loop far less than Discord's heartbeat would notice.
(The full measurement on the demo course: benchmarks/loop_stall_bench.py.)"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.discord.watchdog import LoopWatchdog


async def test_the_watchdog_sees_a_blocked_loop() -> None:
    async with LoopWatchdog() as dog:
        time.sleep(0.15)  # what a synchronous SQLite or HTTP call in a coroutine would do
        await asyncio.sleep(0.03)
    assert dog.longest >= 0.12 and dog.samples >= 1


async def test_an_audit_through_the_bot_leaves_the_loop_free(bot, tmp_path: Path, make_config) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text(
        "student,email\n" + "".join(f"S{i},s{i}@x.edu\n" for i in range(300))
    )
    bot.auditor.config = make_config(sources={"roster": {"path": "roster.csv"}})
    run = await bot.auditor.run("Audit")
    assert run.outcome.ok and "students.inserted 300" in run.text
    assert run.stall < 0.1, f"the loop stalled {run.stall * 1000:.0f} ms"
