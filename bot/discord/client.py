"""The bot: a thin commands.Bot that wires the services and loads the cogs in setup_hook."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.delivery import Deliverer, Transport
from bot.discord.announcer import Announcer
from bot.discord.auditor import Auditor
from bot.discord.checks import reply
from bot.discord.cogs import EXTENSIONS
from bot.discord.storage import Database
from bot.discord.transport import DiscordTransport, chunks
from bot.scheduler import warm_up
from bot.store import Store, utcnow

log = logging.getLogger(__name__)


class ReviewTree(app_commands.CommandTree):
    """Answers every failure: a refused check was already answered, anything else is logged."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CheckFailure):
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("command /%s failed", command, exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            await reply(interaction, "Something went wrong on my side; the TAs can find it in the bot's log.")


class ReviewBot(commands.Bot):
    """Holds the configuration and the services; the cogs do the talking."""

    def __init__(
        self,
        config: Config,
        *,
        background: bool = True,
        database: Database | None = None,
        transport: Transport | None = None,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),  # no privileged intents: slash commands and DMs only
            tree_cls=ReviewTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.config = config
        self.background = background  # False: build the commands only (run --check, tests)
        self.db = database or Database(config.database_path)
        self.deliverer = Deliverer(
            self.db, transport or DiscordTransport(self, config.discord.course_channel_id)
        )
        self.announcer = Announcer(config, self.db, self.deliverer)
        self.auditor = Auditor(config, self.announcer, self.post_to_tas)
        self._tasks: set[asyncio.Task[Any]] = set()

    async def setup_hook(self) -> None:
        if self.background:
            await self.prepare()
        await self.load_cogs()
        if self.background:
            await self.sync_commands()

    async def prepare(self) -> None:
        """Before connecting: apply migrations and load the rubric model (see scheduler.warm_up)."""
        await asyncio.to_thread(self.db.migrate)
        log.info("%s", await asyncio.to_thread(warm_up))

    async def load_cogs(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)

    async def sync_commands(self) -> None:
        """Register the slash commands in the course server (instant), only when they changed."""
        guild_id = self.config.discord.guild_id
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands(guild=guild)]
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
        key = f"commands:{guild_id}"
        if await self.db.run(_state, key) == digest:
            log.info("slash commands unchanged; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        await self.db.run(_set_state, key, digest)
        log.info(
            "synced %d slash commands to %s", len(synced), f"guild {guild_id}" if guild else "all guilds"
        )

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Run in the background, keeping a reference and logging a failure."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def post_to_tas(self, text: str) -> None:
        """Post to the TA channel (split at 2,000 characters); logged when there is none."""
        channel_id = self.config.discord.ta_channel_id
        if not channel_id:
            log.info("no ta_channel_id; would have posted: %s", text)
            return
        channel = self.get_channel(channel_id) or await self.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("ta_channel_id %s is not a channel the bot can post in", channel_id)
            return
        for part in chunks(text):
            await channel.send(part, allowed_mentions=discord.AllowedMentions.none())

    async def on_ready(self) -> None:
        log.info(
            "connected as %s (id %s) for %s",
            self.user,
            getattr(self.user, "id", "?"),
            self.config.course.name,
        )

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await super().close()


def _state(store: Store, key: str) -> str | None:
    row = store.get("discord_state", key)
    return row["value"] if row else None


def _set_state(store: Store, key: str, value: str) -> None:
    store.db["discord_state"].upsert({"key": key, "value": value, "updated_at": utcnow()}, pk="key")  # type: ignore[union-attr]
