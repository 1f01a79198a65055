"""`reviewbot demo`: the sample course, served on 127.0.0.1, through every step that exists."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def demo(db: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--config", str(ROOT / "bot.toml"), "demo", "--database", str(db)], out=out, err=out)
    return code, out.getvalue()


def test_demo_prints_the_coverage_table(tmp_path: Path) -> None:
    code, out = demo(tmp_path / "demo.db")
    assert code == 0, out
    assert "sample course served at http://127.0.0.1:" in out
    assert "12 students, 11 with a post link" in out
    assert "fetch: 1 failed, 10 ok (not found (HTTP 404): 1)" in out
    assert "assign: round 1 published, 24 reviews" in out
    for flag in ("video_post", "duplicate_tool", "earlier_term_tool", "no_link"):
        assert flag in out
    rows = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "video_post" in rows["Arjun Nair"]
    assert "duplicate_tool" in rows["Mei-Ling Chen"] and "duplicate_tool" in rows["Daniel Okafor"]
    assert "no_link" in rows["Liam O'Connor"]
    assert "unreachable" in rows["Fatima Al-Sayed"]
    assert "HTML report:" in out and (tmp_path / "report.html").exists()


def test_demo_twice_changes_nothing(tmp_path: Path) -> None:
    demo(tmp_path / "demo.db")
    code, out = demo(tmp_path / "demo.db")
    assert code == 0
    sync_line = next(line for line in out.splitlines() if line.startswith("sync:"))
    assert "inserted" not in sync_line and "updated" not in sync_line
    assert "fetch: 1 failed, 10 unchanged" in out
    assert "assign: published round is up to date" in out


def test_demo_refuses_a_real_course_database(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    demo(db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "insert into students (key, name, role, active) values ('x@real.edu', 'Real', 'student', 1)"
        )
    code, out = demo(db)
    assert code == 2 and "holds a real course" in out
