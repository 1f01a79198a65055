"""Discord account <-> roster identity, in a way a classmate cannot fake.

A student asks with their roster e-mail; the link is made only when a TA approves the request, or
when the student also gives the one-time code the course sent to that identity (Canvas inbox or
e-mail). The database holds one Discord account per identity and one identity per account.
Nobody can approve their own request; an identity linked to someone else cannot be claimed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from bot.store import Store, iso_utc

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
CODE_DAYS = 14
MAX_FAILED_CODES_PER_HOUR = 5


class LinkError(Exception):
    """A link operation refused; the message is meant for the person who asked."""


@dataclass(frozen=True)
class Person:
    """A roster identity, as the Discord layer needs it."""

    key: str
    name: str
    email: str
    role: str
    active: bool
    discord_id: str = ""
    discord_handle: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Person:
        return cls(
            key=row["key"],
            name=row["name"],
            email=row.get("email") or "",
            role=row.get("role") or "student",
            active=bool(row.get("active", 1)),
            discord_id=row.get("discord_id") or "",
            discord_handle=row.get("discord_handle") or "",
        )


@dataclass(frozen=True)
class LinkRequest:
    """A pending (or decided) claim of a roster identity by a Discord account."""

    id: int
    discord_id: str
    discord_name: str
    student_key: str
    student_name: str
    email: str
    status: str
    created_at: str
    handle_matches: bool  # the Discord user name equals the roster's `discord` column
    rivals: int  # other pending requests for the same identity
    fresh: bool = True  # False: the same request was already waiting (TAs need no new notice)


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Codes compare without case, spaces or dashes."""
    return "".join(c for c in code.upper() if c.isalnum())


class LinkService:
    """Link requests, TA decisions and one-time codes over the store."""

    def __init__(self, store: Store, now: dt.datetime | None = None) -> None:
        self.store = store
        self.now = now

    # lookups -------------------------------------------------------------------------------

    def person_for(self, discord_id: int | str) -> Person | None:
        """The roster identity linked to this Discord account, if any."""
        rows = list(self.store.rows("students", "discord_id = ?", [str(discord_id)], limit=1))
        return Person.from_row(rows[0]) if rows else None

    def person(self, key: str) -> Person | None:
        row = self.store.get("students", key)
        return Person.from_row(row) if row else None

    def find_by_email(self, email: str) -> Person | None:
        wanted = email.strip().casefold()
        if not wanted:
            return None
        for row in self.store.rows("students", "lower(email) = ?", [wanted]):
            return Person.from_row(row)
        return None

    def pending(self) -> list[LinkRequest]:
        """Open requests, oldest first, with what a TA needs to decide."""
        rows = list(self.store.rows("link_requests", "status = 'pending'", order_by="id"))
        per_student: dict[str, int] = {}
        for row in rows:
            per_student[row["student_key"]] = per_student.get(row["student_key"], 0) + 1
        return [self._request(row, rivals=per_student[row["student_key"]] - 1) for row in rows]

    def request_by_id(self, request_id: int) -> LinkRequest | None:
        row = self.store.get("link_requests", request_id)
        return self._request(row) if row else None

    def _request(self, row: dict[str, Any], rivals: int = 0) -> LinkRequest:
        person = self.person(row["student_key"])
        handle = (person.discord_handle if person else "").lstrip("@").casefold()
        return LinkRequest(
            id=row["id"],
            discord_id=row["discord_id"],
            discord_name=row["discord_name"] or "",
            student_key=row["student_key"],
            student_name=person.name if person else row["student_key"],
            email=row["email"] or "",
            status=row["status"],
            created_at=row["created_at"],
            handle_matches=bool(handle) and handle == (row["discord_name"] or "").casefold(),
            rivals=rivals,
        )

    # a student asks ------------------------------------------------------------------------

    def request(self, discord_id: int | str, discord_name: str, email: str) -> LinkRequest:
        """Record a claim of the identity with this roster e-mail; a TA decides it."""
        discord_id = str(discord_id)
        target = self._claimable(discord_id, email)
        waiting = list(
            self.store.rows(
                "link_requests",
                "discord_id = ? and student_key = ? and status = 'pending'",
                [discord_id, target.key],
                limit=1,
            )
        )
        if waiting:
            return dataclasses.replace(self.pending_request(waiting[0]["id"]), fresh=False)
        with self.store.db.atomic():
            self.store.db.execute(
                "update link_requests set status = 'superseded', decided_at = ? "
                "where discord_id = ? and status = 'pending'",
                [iso_utc(self.now), discord_id],
            )
            request_id = self._insert_request(discord_id, discord_name, target, email, "pending")
        return self.pending_request(request_id)

    def _insert_request(
        self, discord_id: str, discord_name: str, target: Person, email: str, status: str
    ) -> int:
        """Record a claim of `target` by this account (decided at once unless pending); its id."""
        table = self.store.db["link_requests"]
        table.insert(  # type: ignore[union-attr]
            {
                "discord_id": discord_id,
                "discord_name": discord_name,
                "student_key": target.key,
                "email": email.strip()[:200],
                "status": status,
                "created_at": iso_utc(self.now),
                "decided_at": None if status == "pending" else iso_utc(self.now),
            }
        )
        return int(table.last_pk)  # type: ignore[union-attr,arg-type]

    def pending_request(self, request_id: int) -> LinkRequest:
        rivals = self.store.db.execute(
            "select count(*) from link_requests where status = 'pending' and student_key = "
            "(select student_key from link_requests where id = ?) and id != ?",
            [request_id, request_id],
        ).fetchone()[0]
        return self._request(self.store.get("link_requests", request_id) or {}, rivals=rivals)

    def _claimable(self, discord_id: str, email: str) -> Person:
        mine = self.person_for(discord_id)
        if mine is not None:
            raise LinkError(
                f"Your Discord account is already linked to {mine.name}. If that is wrong, ask a TA."
            )
        target = self.find_by_email(email)
        if target is None or not target.active:
            raise LinkError(
                "That e-mail is not on the course roster. Use the address the course has for you "
                "(your school e-mail); a TA can help if it still fails."
            )
        if target.discord_id and target.discord_id != discord_id:
            raise LinkError(
                "That roster identity is already linked to another Discord account. "
                "If it is yours, ask a TA: they can see who linked it."
            )
        return target

    # a TA decides --------------------------------------------------------------------------

    def approve(self, request_id: int, ta_discord_id: int | str) -> Person:
        """Link the request's account to its identity; other claims on either side are closed."""
        row = self._pending_row(request_id)
        if str(ta_discord_id) == row["discord_id"]:
            raise LinkError("You cannot approve your own link request; ask another TA.")
        target = self.person(row["student_key"])
        if target is None:
            raise LinkError(f"The identity of request #{request_id} is no longer on the roster.")
        self._link(row["discord_id"], target, status="approved", request_id=request_id, by=ta_discord_id)
        return self.person(target.key) or target

    def reject(self, request_id: int, ta_discord_id: int | str, note: str = "") -> LinkRequest:
        row = self._pending_row(request_id)
        self.store.db["link_requests"].update(  # type: ignore[union-attr]
            request_id,
            {
                "status": "rejected",
                "decided_at": iso_utc(self.now),
                "decided_by": str(ta_discord_id),
                "note": note[:500],
            },
        )
        return self._request(self.store.get("link_requests", request_id) or row)

    def _pending_row(self, request_id: int) -> dict[str, Any]:
        """The request a TA decides; refused when there is none or it was already decided."""
        row = self.store.get("link_requests", request_id)
        if row is None:
            raise LinkError(f"There is no link request #{request_id}.")
        if row["status"] != "pending":
            raise LinkError(f"Link request #{request_id} is already {row['status']}.")
        return row

    def unlink(self, student_key: str, ta_discord_id: int | str) -> Person:
        """Remove a link (a mistaken approval, a new Discord account)."""
        person = self.person(student_key)
        if person is None or not person.discord_id:
            raise LinkError("That student has no linked Discord account.")
        with self.store.db.atomic():
            self.store.db["students"].update(student_key, {"discord_id": None})  # type: ignore[union-attr]
            self.store.db["link_requests"].insert(  # type: ignore[union-attr]
                {
                    "discord_id": person.discord_id,
                    "student_key": student_key,
                    "status": "unlinked",
                    "created_at": iso_utc(self.now),
                    "decided_at": iso_utc(self.now),
                    "decided_by": str(ta_discord_id),
                }
            )
        return person

    # one-time codes ------------------------------------------------------------------------

    def issue_code(self, student_key: str, ta_discord_id: int | str) -> str:
        """A new one-time code for this identity (earlier unused ones stop working)."""
        person = self.person(student_key)
        if person is None:
            raise LinkError("No such student on the roster.")
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        now = self.now or dt.datetime.now(dt.UTC)
        with self.store.db.atomic():
            self.store.db.execute(
                "update link_codes set revoked_at = ? where student_key = ? and used_at is null "
                "and revoked_at is null",
                [iso_utc(now), student_key],
            )
            self.store.db["link_codes"].insert(  # type: ignore[union-attr]
                {
                    "student_key": student_key,
                    "code_hash": _hash(code),
                    "created_at": iso_utc(now),
                    "created_by": str(ta_discord_id),
                    "expires_at": iso_utc(now + dt.timedelta(days=CODE_DAYS)),
                }
            )
        return f"{code[:5]}-{code[5:]}"

    def redeem(self, discord_id: int | str, discord_name: str, email: str, code: str) -> Person:
        """Link at once with the code the course sent to the identity with this e-mail."""
        discord_id = str(discord_id)
        since = iso_utc((self.now or dt.datetime.now(dt.UTC)) - dt.timedelta(hours=1))
        failures = self.store.db.execute(
            "select count(*) from link_attempts where discord_id = ? and ok = 0 and at >= ?",
            [discord_id, since],
        ).fetchone()[0]
        if failures >= MAX_FAILED_CODES_PER_HOUR:
            raise LinkError("Too many wrong codes; try again in an hour or ask a TA.")
        target = self._claimable(discord_id, email)
        rows = list(self.store.rows("link_codes", "code_hash = ?", [_hash(code)]))
        valid = [
            r
            for r in rows
            if r["student_key"] == target.key
            and not r["used_at"]
            and not r["revoked_at"]
            and r["expires_at"] > iso_utc(self.now)
        ]
        self.store.db["link_attempts"].insert(  # type: ignore[union-attr]
            {"discord_id": discord_id, "at": iso_utc(self.now), "ok": int(bool(valid))}
        )
        if not valid:
            raise LinkError(
                "That code does not match this e-mail, or it was used, replaced or has expired. "
                "Check the message the course sent you, or run /link without a code and a TA will "
                "approve it."
            )
        with self.store.db.atomic():
            self.store.db["link_codes"].update(  # type: ignore[union-attr]
                valid[0]["id"], {"used_at": iso_utc(self.now), "used_by": discord_id}
            )
            request_id = self._insert_request(discord_id, discord_name, target, email, "code")
        self._link(discord_id, target, status="code", request_id=request_id, by=None)
        return self.person(target.key) or target

    # the link itself -----------------------------------------------------------------------

    def _link(
        self, discord_id: str, target: Person, *, status: str, request_id: int, by: int | str | None
    ) -> None:
        now = iso_utc(self.now)
        with self.store.db.atomic():
            current = self.person(target.key)
            if current and current.discord_id and current.discord_id != discord_id:
                raise LinkError(f"{target.name} is already linked to another Discord account.")
            other = self.person_for(discord_id)
            if other and other.key != target.key:
                raise LinkError(f"That Discord account is already linked to {other.name}.")
            try:
                self.store.db["students"].update(target.key, {"discord_id": discord_id})  # type: ignore[union-attr]
            except sqlite3.IntegrityError:  # the unique index: a link made in between
                raise LinkError("That Discord account or identity was linked in the meantime.") from None
            self.store.db["link_requests"].update(  # type: ignore[union-attr]
                request_id,
                {"status": status, "decided_at": now, "decided_by": str(by) if by is not None else None},
            )
            self.store.db.execute(
                "update link_requests set status = 'superseded', decided_at = ? where status = 'pending' "
                "and id != ? and (student_key = ? or discord_id = ?)",
                [now, request_id, target.key, discord_id],
            )
