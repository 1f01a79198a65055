"""The SQLite store: WAL, migrations, writes that change nothing when nothing changed."""

from __future__ import annotations

from pathlib import Path

from bot.store import RunLog, Store

TABLES = {
    "students",
    "posts",
    "flags",
    "snapshots",
    "checks",
    "rounds",
    "assignments",
    "comments",
    "audit_runs",
}


def test_migrations_create_tables_in_wal_mode(store: Store) -> None:
    assert set(store.db.table_names()) >= TABLES
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    applied = store.applied_migrations()
    assert applied[0] == "m001_initial" and applied == sorted(applied)
    assert store.migrate() == [], "everything was applied on open"


def test_migrate_twice_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with Store(path, migrate=False) as first:
        applied = first.migrate()
        assert applied[:2] == ["m001_initial", "m002_round_revisions"]
    with Store(path, migrate=False) as second:
        assert second.migrate() == []
        assert second.applied_migrations() == applied


def test_save_reports_and_skips_unchanged_rows(store: Store) -> None:
    row = {"key": "ada@x.edu", "name": "Ada", "role": "student", "active": 1}
    assert store.save("students", row, "key") == "inserted"
    stamp = store.get("students", "ada@x.edu")["updated_at"]
    changes = store.db.conn.total_changes
    assert store.save("students", row, "key") == "unchanged"
    assert store.db.conn.total_changes == changes, "an unchanged row is not written at all"
    assert store.save("students", {**row, "team": "t1"}, "key") == "updated"
    saved = store.get("students", "ada@x.edu")
    assert saved["team"] == "t1" and saved["first_seen"] == stamp


def test_runs_are_recorded(store: Store) -> None:
    run = store.start_run("sync")
    log = RunLog("sync")
    log.count("students.inserted", 3)
    log.error("roster row 4: duplicate student")
    store.finish_run(run, log)
    last = store.last_run("sync")
    assert last["status"] == "ok" and '"students.inserted": 3' in last["counts"]
    assert "duplicate student" in last["errors"]
