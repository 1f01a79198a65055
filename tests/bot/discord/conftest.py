"""Fakes of discord.py objects, spec'd from the real classes (a misspelt attribute fails loudly),
and a small course with a published round on a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import discord
import pytest

from bot.config import Config
from bot.delivery import DmClosed, FallbackReceipt
from bot.discord.client import ReviewBot
from bot.discord.storage import Database
from bot.rounds import RoundService
from bot.store import Store
from bot.sync import sync

GUILD, COURSE_CHANNEL, TA_CHANNEL, TA_ROLE = 1000, 2000, 3000, 4000
TA_ID = 900
NAMES = ["Ada", "Ben", "Cy", "Di", "Ed", "Flo"]
DISCORD = {
    "guild_id": GUILD,
    "course_channel_id": COURSE_CHANNEL,
    "ta_channel_id": TA_CHANNEL,
    "ta_role_id": TA_ROLE,
}


def discord_id(name: str) -> int:
    """Each sample student's Discord id (they are linked in the `course` fixture)."""
    return 100 + NAMES.index(name)


def make_role(role_id: int) -> discord.Role:
    role = mock.create_autospec(discord.Role, instance=True)
    role.id = role_id
    return role


def make_member(user_id: int, *, ta: bool = False, name: str = "") -> discord.Member:
    member = mock.create_autospec(discord.Member, instance=True)
    member.id = user_id
    member.name = name or f"user{user_id}"
    member.display_name = member.name
    member.mention = f"<@{user_id}>"
    member.roles = [make_role(TA_ROLE)] if ta else [make_role(1)]
    return member


def make_interaction(user: discord.abc.User, guild_id: int | None = GUILD) -> discord.Interaction:
    """An Interaction whose response and followup record what the command answered."""
    interaction = mock.create_autospec(discord.Interaction, instance=True)
    interaction.user = user
    interaction.guild_id = guild_id
    interaction.response = mock.create_autospec(discord.InteractionResponse, instance=True)
    interaction.followup = mock.create_autospec(discord.Webhook, instance=True)
    state = {"done": False}

    async def done(*args: Any, **kwargs: Any) -> None:
        state["done"] = True

    interaction.response.is_done.side_effect = lambda: state["done"]
    interaction.response.defer.side_effect = done
    interaction.response.send_message.side_effect = done
    return interaction


def answers(interaction: discord.Interaction) -> list[tuple[str, dict[str, Any]]]:
    """Every (content, kwargs) the command sent back, deferred or not."""
    calls = interaction.response.send_message.call_args_list + interaction.followup.send.call_args_list
    return [((c.args[0] if c.args else c.kwargs.get("content")) or "", c.kwargs) for c in calls]


def answer_text(interaction: discord.Interaction) -> str:
    """All answered text, embeds included, for assertions."""
    parts = []
    for content, kwargs in answers(interaction):
        parts.append(content)
        embed = kwargs.get("embed")
        if embed is not None:
            parts.append(json.dumps(embed.to_dict()))
    return "\n".join(parts)


def all_ephemeral(interaction: discord.Interaction) -> bool:
    sent = answers(interaction)
    deferred = interaction.response.defer.call_args_list
    return (
        bool(sent)
        and all(kw.get("ephemeral") for _, kw in sent)
        and all(c.kwargs.get("ephemeral") for c in deferred)
    )


class RecordingTransport:
    """A Transport (bot/delivery.py) that records; `closed` lists ids whose DMs are closed."""

    def __init__(self) -> None:
        self.dms: list[tuple[str, str]] = []
        self.fallbacks: list[tuple[str, str]] = []
        self.closed: set[str] = set()

    async def send_dm(self, discord_id: str, text: str) -> None:
        if discord_id in self.closed:
            raise DmClosed("Discord 403 (code 50007)")
        self.dms.append((discord_id, text))

    async def send_fallback(
        self, discord_id: str, text: str, thread_id: str, thread_name: str
    ) -> FallbackReceipt:
        self.fallbacks.append((discord_id, text))
        return FallbackReceipt("thread", thread_id or "777")


def write_course(tmp_path: Path, names: list[str], posts: list[str]) -> None:
    roster = "student,email,team,discord\n" + "".join(
        f"{n},{n.lower()}@x.edu,t{i % 3},{n.lower()}_dc\n" for i, n in enumerate(names)
    )
    sheet = "Student,Tool,Blog post link\n" + "".join(
        f"{n},Tool{i},https://{n.lower()}.dev/post\n" for i, n in enumerate(posts)
    )
    (tmp_path / "roster.csv").write_text(roster)
    (tmp_path / "claims.csv").write_text(sheet)


class Fakes:
    """The helpers above, for tests (a conftest cannot be imported by name): `fake.member(...)`."""

    GUILD, COURSE_CHANNEL, TA_CHANNEL, TA_ROLE, TA_ID, NAMES = (
        GUILD,
        COURSE_CHANNEL,
        TA_CHANNEL,
        TA_ROLE,
        TA_ID,
        NAMES,
    )
    discord_id = staticmethod(discord_id)
    member = staticmethod(make_member)
    interaction = staticmethod(make_interaction)
    answers = staticmethod(answers)
    text = staticmethod(answer_text)
    ephemeral = staticmethod(all_ephemeral)

    @staticmethod
    def student(name: str) -> discord.Member:
        """The linked Discord member of a sample student."""
        return make_member(discord_id(name), name=f"{name.lower()}_dc")

    @staticmethod
    def ta(user_id: int = TA_ID) -> discord.Member:
        return make_member(user_id, ta=True, name="ta_person")

    @staticmethod
    async def settle(bot: ReviewBot) -> None:
        """Wait for the bot's background tasks (deliveries, notices)."""
        while bot._tasks:
            await next(iter(bot._tasks))


@pytest.fixture
def fake() -> type[Fakes]:
    return Fakes


@pytest.fixture
def config(tmp_path: Path, make_config: Callable[..., Config]) -> Config:
    write_course(tmp_path, NAMES, NAMES)
    return make_config(
        sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv"}},
        discord=dict(DISCORD),
    )


@pytest.fixture
def course(config: Config, store: Store) -> Config:
    """Six students, all with a post, all linked, and a published round (not yet announced)."""
    sync(config, store, env={})
    for name in NAMES:
        store.db["students"].update(f"{name.lower()}@x.edu", {"discord_id": str(discord_id(name))})  # type: ignore[union-attr]
    service = RoundService(store, config)
    service.preview(seed=1)
    service.publish()
    return config


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def ta_channel() -> discord.TextChannel:
    channel = mock.create_autospec(discord.TextChannel, instance=True)
    channel.id = TA_CHANNEL
    return channel


@pytest.fixture
async def bot(config: Config, store: Store, transport: RecordingTransport, ta_channel: discord.TextChannel):  # type: ignore[no-untyped-def]
    """The real bot class, not connected: cogs loaded, no loops, posts to TAs land in `ta_channel`."""
    client = ReviewBot(config, background=False, database=Database(store.path), transport=transport)
    await client.load_cogs()
    with mock.patch.object(
        client, "get_channel", side_effect=lambda cid: ta_channel if cid == TA_CHANNEL else None
    ):
        yield client
    await client.close()
