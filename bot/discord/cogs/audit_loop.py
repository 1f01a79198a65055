"""The background: the nightly audit at the course's local time, a catch-up at start when one was
missed, and a ticker that announces round changes and sends due reminders. A failure in any of
them is posted to the TA channel and the loops keep running.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.scheduler import audit_time, needs_catch_up

if TYPE_CHECKING:
    from bot.discord.client import ReviewBot

log = logging.getLogger(__name__)

TICK_MINUTES = 10


class AuditLoop(commands.Cog):
    """Nightly audit, catch-up, announcements and reminders."""

    def __init__(self, bot: ReviewBot) -> None:
        self.bot = bot
        self.config = bot.config
        self.nightly.change_interval(time=audit_time(self.config))

    async def cog_load(self) -> None:
        if self.bot.background:
            self.nightly.start()
            self.ticker.start()
            self.bot.spawn(self.catch_up(), "audit-catch-up")

    async def cog_unload(self) -> None:
        self.nightly.cancel()
        self.ticker.cancel()

    @tasks.loop(time=dt.time(3, 0, tzinfo=dt.UTC))  # replaced by [schedule] audit_time in __init__
    async def nightly(self) -> None:
        try:
            await self.bot.auditor.run("Nightly audit")
        except Exception:  # the auditor reports its own failures; this only keeps the loop alive
            log.exception("nightly audit raised")

    @nightly.before_loop
    async def _before_nightly(self) -> None:
        await self.bot.wait_until_ready()

    async def catch_up(self, now: dt.datetime | None = None) -> bool:
        """Run the audit now when the last scheduled one was missed (the bot was down)."""
        await self.bot.wait_until_ready()
        try:
            missed = await self.bot.db.run(needs_catch_up, self.config, now or dt.datetime.now(dt.UTC))
        except Exception as exc:
            log.exception("catch-up check failed")
            await self._post(f"Could not check for a missed audit: {type(exc).__name__}: {exc}")
            return False
        if missed is None:
            return False
        await self.bot.auditor.run("Catch-up audit", note=missed.describe())
        return True

    @tasks.loop(minutes=TICK_MINUTES)
    async def ticker(self) -> None:
        """Announce round changes made elsewhere (the CLI) and send a reminder whose time has come."""
        lines = []
        try:
            lines += [f"told students: {x}" for x in await self.bot.announcer.announce_revisions()]
            reminder = await self.bot.announcer.send_due_reminders()
            if reminder:
                lines.append(reminder)
        except Exception as exc:
            log.exception("announcements failed")
            lines.append(f"announcements or reminders failed: {type(exc).__name__}: {exc}")
        if lines:
            await self._post("\n".join(lines))

    @ticker.before_loop
    async def _before_ticker(self) -> None:
        await self.bot.wait_until_ready()

    async def _post(self, text: str) -> None:
        try:
            await self.bot.post_to_tas(text)
        except Exception:
            log.exception("could not post to the TA channel")


async def setup(bot: ReviewBot) -> None:
    await bot.add_cog(AuditLoop(bot))
