"""Telling students: each revision of the round to those it concerns, and the reminders when due."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.config import Config
from bot.delivery import Deliverer, Outcome, summarise
from bot.discord.storage import Database
from bot.reminders import (
    due_reminder,
    finish_reminder,
    mark_announced,
    revision_messages,
    unannounced,
    welcome_message,
)

REACHED = ("sent", "fallback", "mention")


class Announcer:
    """Runs the plain planners in a worker thread and delivers what they return, once each."""

    def __init__(self, config: Config, db: Database, deliverer: Deliverer) -> None:
        self.config = config
        self.db = db
        self.deliverer = deliverer
        self.lock = asyncio.Lock()  # one announcer at a time (the ticker, a publish, an audit)

    async def announce_revisions(self) -> list[str]:
        """Deliver every revision nobody was told about yet; one summary line per revision."""
        lines = []
        async with self.lock:
            for revision in await self.db.run(unannounced):
                messages = await self.db.run(revision_messages, self.config, revision)
                outcomes = await self.deliverer.deliver_all(messages)
                await self.db.run(mark_announced, revision["id"])
                label = (
                    f"round {revision['round_id']} published"
                    if revision["revision"] == 0
                    else f"revision {revision['revision']} ({revision['reason']})"
                )
                lines.append(f"{label}: {summarise(outcomes)}")
        return lines

    async def welcome(self, student_key: str, key: str) -> None:
        """Tell a newly linked student who they are linked as, with their reviews if the round is out."""
        message = await self.db.run(welcome_message, self.config, student_key, key)
        if message is not None:
            await self.deliverer.deliver(message)

    async def send_due_reminders(self, now: dt.datetime | None = None) -> str | None:
        """Send the reminder whose time has come, if any; a summary line for the TA channel."""
        async with self.lock:
            run = await self.db.run(due_reminder, self.config, now or dt.datetime.now(dt.UTC))
            if run is None:
                return None
            outcomes: list[Outcome] = await self.deliverer.deliver_all(run.messages)
            await self.db.run(finish_reminder, run.reminder_id, sum(o.status in REACHED for o in outcomes))
        text = f"reminder {run.slot.lstrip('h')} h before the deadline: {summarise(outcomes)}"
        if run.over_budget:
            text += (
                f"; {len(run.over_budget)} not reminded (budget of {self.config.schedule.max_reminders} used)"
            )
        return text
