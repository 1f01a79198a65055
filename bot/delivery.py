"""Getting a message to one student, once: a DM, or a private thread when their DMs are closed.

Every message has a key; the delivery is claimed in the database *before* it is sent, so a crash or a
restart never sends it twice (at most once; a claim left "sending" by a crash is reported, not
retried). When Discord refuses a DM because the student does not accept DMs from server members
(error 50007), the message goes to a private thread in the course channel (reused for that student
later), or, when no thread can be made, to a mention that reveals nothing; later messages skip the
DM for a day instead of hitting the same wall again.

The Discord side is a `Transport` (bot/discord/transport.py); this module knows no discord.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.store import Store, iso_utc

T = TypeVar("T")
DM_CLOSED = "dm_closed"
DM_SKIPPED = "dm_closed_earlier"
DM_RETRY_AFTER = dt.timedelta(hours=24)


class DmClosed(Exception):
    """The student does not accept DMs from the bot (Discord error 50007)."""


class DeliveryFailed(Exception):
    """Discord refused the message for another reason; the text says which."""


@dataclass(frozen=True)
class Message:
    """One message for one student."""

    key: str  # one delivery per key, ever (e.g. "assignment:3:ana@x.edu")
    kind: str  # assignment | revision | reminder | link
    student_key: str
    discord_id: str  # "" when the student has not linked their account
    text: str  # Markdown; split at 2,000 characters by the transport
    round_id: int | None = None
    thread_name: str = "Your peer reviews"


@dataclass(frozen=True)
class FallbackReceipt:
    channel: str  # thread | mention
    thread_id: str = ""


@dataclass(frozen=True)
class Outcome:
    key: str
    student_key: str
    status: str  # sent | fallback | mention | failed | unlinked | duplicate
    channel: str = "none"  # dm | thread | mention | none
    error: str = ""


class Transport(Protocol):
    """Sends on Discord; raises DmClosed or DeliveryFailed."""

    async def send_dm(self, discord_id: str, text: str) -> None: ...

    async def send_fallback(
        self, discord_id: str, text: str, thread_id: str, thread_name: str
    ) -> FallbackReceipt: ...


class StoreRunner(Protocol):
    """Runs a function on a Store opened in a worker thread (bot/discord/storage.py)."""

    def run(self, fn: Callable[..., T], /, *args: Any) -> Awaitable[T]: ...


@dataclass(frozen=True)
class Plan:
    """What the records say before sending."""

    claimed: bool
    dm_closed: bool
    thread_id: str


# records (run in a worker thread) ------------------------------------------------------------


def claim(store: Store, message: Message, now: dt.datetime | None = None) -> Plan:
    """Claim the message's key; say whether DMs to the student were closed recently."""
    cursor = store.db.execute(
        "insert into deliveries (key, kind, round_id, student_key, discord_id, status, channel, created_at) "
        "values (?, ?, ?, ?, ?, 'sending', 'none', ?) on conflict(key) do nothing",
        [message.key, message.kind, message.round_id, message.student_key, message.discord_id, iso_utc(now)],
    )
    if cursor.rowcount == 0:
        return Plan(claimed=False, dm_closed=False, thread_id="")
    return Plan(
        claimed=True,
        dm_closed=dm_closed_since(
            store, message.student_key, (now or dt.datetime.now(dt.UTC)) - DM_RETRY_AFTER
        ),
        thread_id=fallback_thread(store, message.student_key),
    )


def dm_closed_since(store: Store, student_key: str, since: dt.datetime) -> bool:
    row = store.db.execute(
        "select 1 from deliveries where student_key = ? and dm_error = ? and created_at >= ? limit 1",
        [student_key, DM_CLOSED, iso_utc(since)],
    ).fetchone()
    return row is not None


def fallback_thread(store: Store, student_key: str) -> str:
    row = store.db.execute(
        "select thread_id from deliveries where student_key = ? and coalesce(thread_id, '') != '' "
        "order by id desc limit 1",
        [student_key],
    ).fetchone()
    return row[0] if row else ""


def finish(store: Store, key: str, outcome: Outcome, dm_error: str = "", thread_id: str = "") -> None:
    store.db.execute(
        "update deliveries set status = ?, channel = ?, dm_error = ?, error = ?, thread_id = ?, "
        "finished_at = ? where key = ?",
        [
            outcome.status,
            outcome.channel,
            dm_error or None,
            outcome.error or None,
            thread_id or None,
            iso_utc(),
            key,
        ],
    )


def delivered_keys(store: Store, prefix: str) -> set[str]:
    """Keys already claimed that start with `prefix`."""
    return {r[0] for r in store.db.execute("select key from deliveries where key like ?", [prefix + "%"])}


def stuck(store: Store) -> list[dict[str, Any]]:
    """Deliveries claimed but never finished (the process died while sending): not retried."""
    return list(store.rows("deliveries", "status = 'sending'", order_by="id"))


# sending ---------------------------------------------------------------------------------------


class Deliverer:
    """Delivers messages through a transport, recording each one once."""

    def __init__(self, db: StoreRunner, transport: Transport) -> None:
        self.db = db
        self.transport = transport

    async def deliver(self, message: Message) -> Outcome:
        plan: Plan = await self.db.run(claim, message)
        if not plan.claimed:
            return Outcome(message.key, message.student_key, "duplicate")
        if not message.discord_id:
            return await self._finish(message, Outcome(message.key, message.student_key, "unlinked"))
        # A DM skipped because it was refused lately is marked apart, so the day counts from the refusal.
        dm_error = DM_SKIPPED if plan.dm_closed else ""
        if not plan.dm_closed:
            try:
                await self.transport.send_dm(message.discord_id, message.text)
                return await self._finish(message, Outcome(message.key, message.student_key, "sent", "dm"))
            except DmClosed:
                dm_error = DM_CLOSED
            except DeliveryFailed as exc:
                dm_error = str(exc)[:300] or "failed"
        try:
            receipt = await self.transport.send_fallback(
                message.discord_id, message.text, plan.thread_id, message.thread_name
            )
        except DeliveryFailed as exc:
            outcome = Outcome(message.key, message.student_key, "failed", "none", f"{dm_error}; {exc}"[:500])
            return await self._finish(message, outcome, dm_error)
        status = "fallback" if receipt.channel == "thread" else "mention"
        outcome = Outcome(message.key, message.student_key, status, receipt.channel)
        return await self._finish(message, outcome, dm_error, receipt.thread_id)

    async def deliver_all(self, messages: Iterable[Message]) -> list[Outcome]:
        """One after the other (discord.py paces them under Discord's rate limits)."""
        return [await self.deliver(m) for m in messages]

    async def _finish(
        self, message: Message, outcome: Outcome, dm_error: str = "", thread_id: str = ""
    ) -> Outcome:
        await self.db.run(finish, message.key, outcome, dm_error, thread_id)
        return outcome


def summarise(outcomes: Iterable[Outcome]) -> str:
    """'8 by DM, 1 in a private thread (DMs closed), 1 not linked' for the TA channel."""
    labels = {
        "sent": "by DM",
        "fallback": "in a private thread (DMs closed)",
        "mention": "as a mention in the course channel (no thread allowed)",
        "unlinked": "not linked to Discord (they can still use /reviews once linked)",
        "failed": "failed",
        "duplicate": "already sent earlier",
    }
    counts = Counter(o.status for o in outcomes)
    return ", ".join(f"{n} {labels.get(s, s)}" for s, n in counts.most_common()) or "nothing to send"
