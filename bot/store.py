"""The SQLite store: one database file, WAL mode, migrations applied on open, idempotent writes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.db import NotFoundError

from migrations import migrations


def utcnow() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return iso_utc()


def iso_utc(moment: dt.datetime | None = None) -> str:
    """A moment (default: now) as the store writes times: ISO 8601 in UTC, to the second."""
    return (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0).isoformat()


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time from the store (or a source) as an aware datetime; naive values are UTC,
    anything else is None."""
    if not value or not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass
class RunLog:
    """Counts and errors collected while a sync or audit runs."""

    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def error(self, message: str) -> None:
        self.errors.append(message)


class Store:
    """The Reviewbot database. Connections are bound to their thread: open one per thread."""

    def __init__(self, path: str | Path, *, migrate: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            self.db.enable_wal()
            # WAL + NORMAL: a commit survives a crash or kill -9 of the process; only a power cut
            # may drop the last commits, never corrupt the file. Saves an fsync per commit.
            self.db.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[str]:
        """Apply pending migrations; return the names applied."""
        pending = [m.name for m in migrations.pending(self.db)]
        migrations.apply(self.db)
        return pending

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def get(self, table: str, pk: Any) -> dict[str, Any] | None:
        try:
            return dict(self.db[table].get(pk))  # type: ignore[union-attr]
        except NotFoundError:
            return None

    def save(
        self,
        table: str,
        record: Mapping[str, Any],
        pk: str,
        *,
        created: str = "first_seen",
        updated: str = "updated_at",
    ) -> str:
        """Insert or update one row, writing nothing when no field changed.

        Returns "inserted", "updated" or "unchanged". Timestamp columns are set only on a
        real change, so running the same sync twice leaves the database byte-for-byte alike.
        """
        existing = self.get(table, record[pk])
        columns = self.db[table].columns_dict  # type: ignore[union-attr]
        now = utcnow()
        if existing is None:
            row = dict(record)
            if created in columns:
                row.setdefault(created, now)
            if updated in columns:
                row.setdefault(updated, now)
            self.db[table].insert(row, pk=pk)  # type: ignore[union-attr]
            return "inserted"
        changes = {k: v for k, v in record.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        if updated in columns:
            changes[updated] = now
        self.db[table].update(record[pk], changes)  # type: ignore[union-attr]
        return "updated"

    def rows(self, table: str, where: str | None = None, params: Any = None, **kw: Any) -> Iterator[dict]:
        return self.db[table].rows_where(where, params, **kw)  # type: ignore[union-attr]

    def mark_interrupted(self) -> int:
        """Mark runs left "running" as interrupted (a crash, kill -9); call under the writer lock."""
        cursor = self.db.execute("update audit_runs set status = 'interrupted' where status = 'running'")
        return cursor.rowcount

    def start_run(self, kind: str) -> int:
        """Record the start of a sync or audit; return its id."""
        table = self.db["audit_runs"]
        table.insert(  # type: ignore[union-attr]
            {
                "kind": kind,
                "started_at": utcnow(),
                "status": "running",
                "counts": "{}",
                "errors": "[]",
            }
        )
        return int(table.last_pk)  # type: ignore[union-attr,arg-type]

    def finish_run(self, run_id: int, log: RunLog, status: str = "ok") -> None:
        self.db["audit_runs"].update(  # type: ignore[union-attr]
            run_id,
            {
                "finished_at": utcnow(),
                "status": status,
                "counts": json.dumps(log.counts, sort_keys=True),
                "errors": json.dumps(log.errors),
            },
        )

    def last_run(self, kind: str) -> dict[str, Any] | None:
        rows = list(self.rows("audit_runs", "kind = ?", [kind], order_by="id desc", limit=1))
        return rows[0] if rows else None
