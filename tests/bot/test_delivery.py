"""Delivery records: each message claimed before it is sent, so nothing is ever sent twice; closed DMs
go to the fallback and are not retried for a day. (Discord objects: tests/bot/discord/test_transport.py.)"""

from __future__ import annotations

import datetime as dt

from bot.delivery import (
    Deliverer,
    DeliveryFailed,
    DmClosed,
    FallbackReceipt,
    Message,
    Outcome,
    claim,
    finish,
    stuck,
    summarise,
)
from bot.discord.storage import Database
from bot.store import Store


class Transport:
    """Records calls; `dm_error` is raised by send_dm."""

    def __init__(self, dm_error: Exception | None = None, fallback_error: Exception | None = None) -> None:
        self.dm_error, self.fallback_error = dm_error, fallback_error
        self.dms: list[str] = []
        self.fallbacks: list[tuple[str, str]] = []

    async def send_dm(self, discord_id: str, text: str) -> None:
        self.dms.append(discord_id)
        if self.dm_error:
            raise self.dm_error

    async def send_fallback(
        self, discord_id: str, text: str, thread_id: str, thread_name: str
    ) -> FallbackReceipt:
        self.fallbacks.append((discord_id, thread_id))
        if self.fallback_error:
            raise self.fallback_error
        return FallbackReceipt("thread", thread_id or "t1")


def msg(key: str, discord_id: str = "7", kind: str = "reminder") -> Message:
    return Message(key=key, kind=kind, student_key="ada@x.edu", discord_id=discord_id, text="hi", round_id=1)


async def test_sent_once_per_key(store: Store) -> None:
    transport = Transport()
    deliverer = Deliverer(Database(store.path), transport)
    assert (await deliverer.deliver(msg("a"))).status == "sent"
    assert (await deliverer.deliver(msg("a"))).status == "duplicate"
    assert transport.dms == ["7"]
    row = next(store.rows("deliveries"))
    assert (row["status"], row["channel"], row["finished_at"] is not None) == ("sent", "dm", True)


async def test_a_restart_never_resends(store: Store) -> None:
    claim(store, msg("b"))  # the process died after claiming, maybe after sending
    transport = Transport()
    outcome = await Deliverer(Database(store.path), transport).deliver(msg("b"))
    assert outcome.status == "duplicate" and transport.dms == []
    assert [r["key"] for r in stuck(store)] == ["b"], "left for a TA to see, not retried"


async def test_dm_closed_falls_back_and_is_not_retried_for_a_day(store: Store) -> None:
    transport = Transport(dm_error=DmClosed("50007"))
    deliverer = Deliverer(Database(store.path), transport)
    first = await deliverer.deliver(msg("c1"))
    second = await deliverer.deliver(msg("c2"))
    assert (first.status, second.status) == ("fallback", "fallback")
    assert transport.dms == ["7"], "one DM attempt, then straight to the thread"
    assert transport.fallbacks == [("7", ""), ("7", "t1")], "the thread is reused"
    assert [r["dm_error"] for r in store.rows("deliveries", order_by="id")] == [
        "dm_closed",
        "dm_closed_earlier",
    ]
    a_day_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)).isoformat()
    store.db.execute("update deliveries set created_at = ? where key = 'c1'", [a_day_ago])
    await deliverer.deliver(msg("c3"))
    assert transport.dms == ["7", "7"], "a day after the refusal the DM is tried once more"


async def test_unlinked_students_are_recorded_not_sent(store: Store) -> None:
    transport = Transport()
    outcome = await Deliverer(Database(store.path), transport).deliver(msg("d", discord_id=""))
    assert outcome.status == "unlinked" and transport.dms == [] and transport.fallbacks == []


async def test_nothing_works_is_failed_once(store: Store) -> None:
    transport = Transport(dm_error=DeliveryFailed("500"), fallback_error=DeliveryFailed("no channel"))
    deliverer = Deliverer(Database(store.path), transport)
    outcome = await deliverer.deliver(msg("e"))
    assert outcome.status == "failed" and "no channel" in outcome.error
    assert (await deliverer.deliver(msg("e"))).status == "duplicate"
    assert len(transport.dms) == 1


def test_finish_and_summary(store: Store) -> None:
    claim(store, msg("f"))
    finish(store, "f", Outcome("f", "ada@x.edu", "fallback", "thread"), "dm_closed", "99")
    assert next(store.rows("deliveries"))["thread_id"] == "99"
    outcomes = [Outcome("k", "s", "sent", "dm")] * 3 + [Outcome("k", "s", "fallback", "thread")]
    assert summarise(outcomes) == "3 by DM, 1 in a private thread (DMs closed)"
