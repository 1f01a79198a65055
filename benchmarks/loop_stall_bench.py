"""Event-loop stalls during an audit run by the Discord bot.

Runs the audit on the bundled demo course (served from 127.0.0.1, as `reviewbot demo` does) through
the very path the bot uses (`ReviewBot.auditor.run`: a worker thread under the writer lock, then the
announcements), while a watchdog task sleeps 10 ms again and again and records its longest
overshoot. A second watchdog also runs over the whole benchmark. Target: under 100 ms.

    .venv/bin/python benchmarks/loop_stall_bench.py [--runs 2]

The bot loads the rubric model at start, before it connects (`ReviewBot.prepare`); the benchmark
does the same (`--cold` skips it, to show why). The first audit syncs, fetches and checks; then
the round is published and the next audit announces it (to a recording transport, not Discord).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Config, RosterSource, SheetSource, SourcesConfig, StorageConfig
from bot.delivery import FallbackReceipt
from bot.demo import demo_config
from bot.demo.server import CourseServer, course_files
from bot.discord.client import ReviewBot
from bot.discord.watchdog import LoopWatchdog
from bot.rounds import RoundService
from bot.store import Store

TARGET_MS = 100


class Recorder:
    """Stands in for Discord: records the DMs the announcements send."""

    def __init__(self) -> None:
        self.sent = 0

    async def send_dm(self, discord_id: str, text: str) -> None:
        await asyncio.sleep(0.005)  # a network round trip, roughly
        self.sent += 1

    async def send_fallback(
        self, discord_id: str, text: str, thread_id: str, thread_name: str
    ) -> FallbackReceipt:
        return FallbackReceipt("thread", "1")


def publish_to_linked_students(config: Config) -> None:
    """Link every sample student to a made-up Discord id and publish the round."""
    with Store(config.database_path) as store:
        for n, row in enumerate(store.rows("students", order_by="key")):
            store.db["students"].update(row["key"], {"discord_id": str(10_000 + n)})  # type: ignore[union-attr]
        service = RoundService(store, config)
        if service.published() is None:
            service.publish(service.preview().round_id)


async def bench(runs: int, workdir: Path, cold: bool) -> float:
    files = course_files()
    with CourseServer(files) as server:
        config = demo_config(Path("bot.toml"))
        config = dataclasses.replace(
            config,
            storage=StorageConfig(
                database=str(workdir / "reviewbot.db"), snapshots=str(workdir / "snapshots")
            ),
            sources=SourcesConfig(
                roster=RosterSource(path=str(files.joinpath("roster.csv"))),
                sheet=SheetSource(url=f"{server.base}/claims.csv"),
            ),
            fetch=dataclasses.replace(
                config.fetch, allow_private_addresses=True, per_host_delay=0.0, per_host_concurrency=4
            ),
        )
        recorder = Recorder()
        bot = ReviewBot(config, background=False, transport=recorder)
        posted: list[str] = []

        async def to_tas(text: str) -> None:
            posted.append(text)

        bot.auditor.post = to_tas
        if cold:
            await asyncio.to_thread(bot.db.migrate)
            print("cold: the rubric model is loaded inside the first audit")
        else:
            started = time.perf_counter()
            await bot.prepare()  # what setup_hook does before the bot connects
            print(f"start-up (migrations, rubric model): {time.perf_counter() - started:.1f} s")
        await bot.load_cogs()
        worst = 0.0
        async with LoopWatchdog() as overall:
            for i in range(runs):
                started = time.perf_counter()
                run = await bot.auditor.run(f"Audit {i + 1}")
                wall = time.perf_counter() - started
                worst = max(worst, run.stall)
                print(f"audit {i + 1}: {wall:5.1f} s wall, longest loop stall {run.stall * 1000:5.1f} ms")
                print("  " + run.text.replace("\n", "\n  "))
                if i == 0:
                    await asyncio.to_thread(publish_to_linked_students, config)
        await bot.close()
        print(f"DMs recorded: {recorder.sent}; watchdog samples over the whole run: {overall.samples}")
        print(
            f"longest loop stall during audits: {worst * 1000:.1f} ms; over the whole run: "
            f"{overall.longest * 1000:.1f} ms (target < {TARGET_MS} ms)"
        )
        return max(worst, overall.longest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cold", action="store_true", help="skip the start-up warm-up the bot does")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        worst = asyncio.run(bench(args.runs, Path(tmp), args.cold))
    return 0 if worst * 1000 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
