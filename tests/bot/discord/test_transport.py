"""DMs and their fallback through discord.py objects: error 50007 arrives as Forbidden or as a plain
HTTPException; either way the message goes to a private thread, is recorded once, never retried."""

from __future__ import annotations

from unittest import mock

import discord
import pytest

from bot.delivery import Deliverer, Message
from bot.discord.storage import Database
from bot.discord.transport import DiscordTransport, chunks
from bot.store import Store


def http_error(kind: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    response = mock.Mock(status=status, reason="Forbidden")
    return kind(response, {"code": code, "message": "Cannot send messages to this user"})


class FakeDiscord:
    """A spec'd client whose DM channel refuses with `error`, and a course channel that makes threads."""

    def __init__(self, error: discord.HTTPException | None = None) -> None:
        self.dm = mock.create_autospec(discord.DMChannel, instance=True)
        if error is not None:
            self.dm.send.side_effect = error
        self.thread = mock.create_autospec(discord.Thread, instance=True)
        self.thread.id = 555
        self.course = mock.create_autospec(discord.TextChannel, instance=True)
        self.course.id = 2000
        self.course.create_thread.return_value = self.thread
        self.client = mock.create_autospec(discord.Client, instance=True)
        self.client.create_dm.return_value = self.dm
        self.client.get_channel.side_effect = {2000: self.course, 555: self.thread}.get


def message(key: str, kind: str = "assignment") -> Message:
    return Message(
        key=key, kind=kind, student_key="ada@x.edu", discord_id="101", text="Your posts: ...", round_id=1
    )


@pytest.mark.parametrize("kind", [discord.Forbidden, discord.HTTPException])
async def test_closed_dms_fall_back_to_a_private_thread_once(kind, store: Store) -> None:  # type: ignore[no-untyped-def]
    fake = FakeDiscord(http_error(kind, 403 if kind is discord.Forbidden else 400, 50007))
    deliverer = Deliverer(Database(store.path), DiscordTransport(fake.client, 2000))
    outcome = await deliverer.deliver(message("assignment:1:ada"))
    assert (outcome.status, outcome.channel) == ("fallback", "thread")
    fake.dm.send.assert_awaited_once()
    fake.course.create_thread.assert_awaited_once()
    assert fake.course.create_thread.call_args.kwargs["type"] is discord.ChannelType.private_thread
    fake.thread.add_user.assert_awaited_once()
    sent = fake.thread.send.call_args.args[0]
    assert sent.startswith("<@101> Your posts")
    rows = list(store.rows("deliveries"))
    assert [(r["status"], r["channel"], r["dm_error"], r["thread_id"]) for r in rows] == [
        ("fallback", "thread", "dm_closed", "555")
    ]

    again = await deliverer.deliver(message("assignment:1:ada"))
    assert again.status == "duplicate"
    assert fake.dm.send.await_count == 1 and fake.thread.send.await_count == 1, "never sent twice"

    later = await deliverer.deliver(message("reminder:1:h48:ada", "reminder"))
    assert later.status == "fallback"
    assert fake.dm.send.await_count == 1, "a closed DM is not tried again the same day"
    assert fake.course.create_thread.await_count == 1 and fake.thread.send.await_count == 2, "thread reused"


async def test_other_dm_errors_are_not_50007(store: Store) -> None:
    fake = FakeDiscord(http_error(discord.HTTPException, 500, 0))
    deliverer = Deliverer(Database(store.path), DiscordTransport(fake.client, 2000))
    outcome = await deliverer.deliver(message("k1"))
    assert outcome.status == "fallback"
    row = next(store.rows("deliveries"))
    assert row["dm_error"].startswith("Discord 500") and row["dm_error"] != "dm_closed"


async def test_no_thread_allowed_falls_back_to_a_mention_that_reveals_nothing(store: Store) -> None:
    fake = FakeDiscord(http_error(discord.Forbidden, 403, 50007))
    fake.course.create_thread.side_effect = http_error(discord.Forbidden, 403, 50013)
    deliverer = Deliverer(Database(store.path), DiscordTransport(fake.client, 2000))
    outcome = await deliverer.deliver(message("k2"))
    assert (outcome.status, outcome.channel) == ("mention", "mention")
    public = fake.course.send.call_args.args[0]
    assert public.startswith("<@101>") and "Your posts" not in public and "/reviews" in public


async def test_everything_refused_is_recorded_as_failed(store: Store) -> None:
    fake = FakeDiscord(http_error(discord.Forbidden, 403, 50007))
    fake.course.create_thread.side_effect = http_error(discord.Forbidden, 403, 50013)
    fake.course.send.side_effect = http_error(discord.Forbidden, 403, 50013)
    deliverer = Deliverer(Database(store.path), DiscordTransport(fake.client, 2000))
    outcome = await deliverer.deliver(message("k3"))
    assert outcome.status == "failed" and "50013" in outcome.error
    assert next(store.rows("deliveries"))["status"] == "failed"


async def test_a_dm_that_works(store: Store) -> None:
    fake = FakeDiscord()
    deliverer = Deliverer(Database(store.path), DiscordTransport(fake.client, 2000))
    assert (await deliverer.deliver(message("k4"))).status == "sent"
    assert fake.client.create_dm.call_args.args[0].id == 101
    fake.course.create_thread.assert_not_called()


def test_long_messages_are_split_at_line_ends() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(60))
    parts = chunks(text)
    assert all(len(p) <= 2000 for p in parts) and "".join(parts) == text
    assert all(p.endswith("\n") for p in parts[:-1])
