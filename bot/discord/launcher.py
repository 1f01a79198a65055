"""Starting the bot: `reviewbot run` calls run_bot, `reviewbot run --check` prints command_list.

The token comes from the environment variable named in `[discord] token_env` and is handed to
discord.py only; it is never printed or logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from pathlib import Path

import discord
from discord import app_commands

from bot.cli_errors import UsageError
from bot.config import Config, parse_config


def _placeholder() -> Config:
    raw = {"course": {"name": "check", "timezone": "UTC", "post_deadline": dt.datetime(2030, 1, 1)}}
    return parse_config(raw, base_dir=Path("."))


def command_list(config: Config | None = None) -> list[str]:
    """Every slash command as "/name: description", built exactly as the bot registers them.

    Raises RuntimeError when a name repeats or a description is missing (discord.py itself refuses
    a duplicate while the cogs load). Nothing connects to Discord.
    """
    return asyncio.run(_commands(config or _placeholder()))


async def _commands(config: Config) -> list[str]:
    from bot.discord.client import ReviewBot

    bot = ReviewBot(config, background=False)
    try:
        await bot.load_cogs()
        lines, seen = [], set()
        for command in bot.tree.walk_commands():
            if isinstance(command, app_commands.Group):
                continue
            name = command.qualified_name
            if name in seen:
                raise RuntimeError(f"slash command /{name} is registered twice")
            if not command.description or command.description == "…":
                raise RuntimeError(f"slash command /{name} has no description")
            seen.add(name)
            lines.append(f"/{name}: {command.description}")
        return sorted(lines)
    finally:
        await bot.close()


def settings_warnings(config: Config) -> list[str]:
    """What in [discord] will keep part of the bot from working (for `reviewbot run --check`)."""
    settings, problems = config.discord, []
    if not settings.guild_id:
        problems.append("[discord] guild_id is 0: commands are registered globally (slow to appear)")
    if not settings.ta_role_id:
        problems.append("[discord] ta_role_id is 0: every /ta command is refused")
    if not settings.ta_channel_id:
        problems.append("[discord] ta_channel_id is 0: audit summaries only go to the log")
    if not settings.course_channel_id:
        problems.append("[discord] course_channel_id is 0: no fallback when a student's DMs are closed")
    return problems


def run_bot(config: Config) -> None:
    """Connect and run until stopped; the token comes from the environment."""
    from bot.discord.client import ReviewBot

    token_env = config.discord.token_env
    token = os.environ.get(token_env, "").strip()
    if not token:
        raise UsageError(f"set the environment variable {token_env} to the Discord bot token")
    for problem in settings_warnings(config):
        logging.getLogger(__name__).warning("%s", problem)
    bot = ReviewBot(config)
    try:
        bot.run(token, log_level=logging.INFO, root_logger=True)
    except discord.LoginFailure:
        raise UsageError(
            f"Discord refused the token in {token_env}; reset it in the Developer Portal"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise UsageError("Discord refused an intent the bot asked for; it needs none privileged") from None
