"""A watchdog for the event loop: sleeps 10 ms again and again and records the longest overshoot.

While it runs, a stall of the loop (blocking I/O, a long computation, a lock held in the loop
thread) shows up as a late wake-up. The bot runs one during every audit and reports the figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import time


class LoopWatchdog:
    """`async with LoopWatchdog() as dog: ...` then `dog.longest` (seconds) and `dog.samples`."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.longest = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopWatchdog:
        self._task = asyncio.create_task(self._watch(), name="loop-watchdog")
        await asyncio.sleep(0)  # let it take its first reading
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.interval)
            overshoot = time.perf_counter() - started - self.interval
            self.samples += 1
            self.longest = max(self.longest, overshoot)
