"""Small helpers for tests (import them with `from helpers import ...`)."""

from __future__ import annotations

from bot.store import Store


def snapshot_tables(store: Store, skip: tuple[str, ...] = ("audit_runs",)) -> dict[str, list[tuple]]:
    """Every row of every table, for comparing two states of the database."""
    tables = {}
    for name in store.db.table_names():
        if name not in skip:
            tables[name] = sorted(
                map(tuple, store.db.execute(f"select * from [{name}]").fetchall()), key=repr
            )
    return tables
