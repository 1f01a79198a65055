"""Fault injection: an audit killed with SIGKILL at random points, then run again, ends exactly
where an uninterrupted audit ends: no lost snapshot or verdict, no duplicate row, no pair twice."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug import Request, Response

from bot.cli import main
from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]
N = 30
TIMESTAMPS = {
    "first_seen",
    "updated_at",
    "fetched_at",
    "changed_at",
    "created_at",
    "published_at",
    "resolved_at",
}
PAGE = """<html><head><title>{tool} for movie recommendations</title></head><body><article>
<h1>{tool} for movie recommendations</h1><h2>The problem</h2><p>{name} explains why {tool} matters when
a streaming service retrains its recommender every night on millions of ratings.</p>
<h2>Example</h2><p>We used {tool} on the MovieLens ratings of our course's movie-streaming scenario.</p>
<h2>Strengths and limitations</h2><p>{tool} is easy to adopt; it struggles with very large state.</p>
</article></body></html>"""


def write_course(folder: Path, base: str, posts: int) -> Path:
    roster = "student,email,team\n" + "".join(f"Student {i},s{i}@x.edu,t{i % 7}\n" for i in range(N))
    sheet = "Student,Tool,Blog post link\n" + "".join(
        f"Student {i},Tool {i},{base}/posts/{i}\n" for i in range(posts)
    )
    (folder / "roster.csv").write_text(roster)
    (folder / "claims.csv").write_text(sheet)
    config = folder / "bot.toml"
    config.write_text(
        '[course]\nname = "Crash test"\ntimezone = "UTC"\npost_deadline = 2026-11-20T23:59:00\n'
        '[sources.roster]\npath = "roster.csv"\n[sources.sheet]\npath = "claims.csv"\n'
        "[fetch]\nallow_private_addresses = true\nper_host_delay = 0.0\nper_host_concurrency = 4\n"
        "respect_robots = false\n"
    )
    return config


def fetched(db: Path) -> int:
    with Store(db) as store:
        return store.db.execute("select count(*) from posts where fetch_status is not null").fetchone()[0]


def masked(db: Path) -> dict[str, list[tuple]]:
    """Every table but the run log, with times blanked (two runs never share a clock)."""
    with Store(db) as store:
        tables = {}
        for name in store.db.table_names():
            if name in ("audit_runs", "_sqlite_migrations"):
                continue
            columns = [c.name for c in store.db[name].columns]  # type: ignore[union-attr]
            rows = store.db.execute(f"select * from [{name}]").fetchall()
            tables[name] = sorted(
                (
                    tuple(None if col in TIMESTAMPS else v for col, v in zip(columns, row, strict=True))
                    for row in rows
                ),
                key=repr,
            )
        return tables


SERVED: list[str] = []  # paths the loopback blog host has answered, in order


@pytest.fixture
def course(httpserver, tmp_path: Path) -> tuple[Path, Path]:
    """A prepared course: 20 posts synced and a published round; then 10 more posts arrive late."""
    SERVED.clear()

    def page(request: Request) -> Response:
        i = int(request.path.rsplit("/", 1)[1])
        SERVED.append(request.path)
        time.sleep(0.05)  # spread the work so a kill lands inside it
        return Response(PAGE.format(tool=f"Tool {i}", name=f"Student {i}"), content_type="text/html")

    httpserver.expect_request(__import__("re").compile(r"^/posts/\d+$")).respond_with_handler(page)
    base = httpserver.url_for("/").rstrip("/")
    prepared = tmp_path / "prepared"
    prepared.mkdir()
    config = write_course(prepared, base, posts=20)
    assert main(["--config", str(config), "audit"]) == 0
    assert main(["--config", str(config), "assign", "--preview"]) == 0
    assert main(["--config", str(config), "assign", "--publish"]) == 0
    write_course(prepared, base, posts=N)  # ten late posts
    return prepared, config


def clone(prepared: Path, to: Path) -> Path:
    shutil.copytree(prepared, to)
    return to / "bot.toml"


def audit(config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "audit"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_audits_resume_to_the_same_result(course: tuple[Path, Path], tmp_path: Path) -> None:
    prepared, _ = course
    reference = clone(prepared, tmp_path / "reference")
    assert audit(reference).wait(timeout=120) == 0

    crashed = clone(prepared, tmp_path / "crashed")
    rng = random.Random(7)
    progress: list[int] = []
    # Kill points: early (start-up, sync), then after a given number of posts served (mid-fetch).
    for kill_after in [None, 2, 9, 17, 26, None]:
        served = len(SERVED)
        process = audit(crashed)
        deadline = time.monotonic() + 60
        if kill_after is None:
            time.sleep(rng.uniform(0.1, 0.8))
        else:
            while len(SERVED) < served + kill_after and process.poll() is None:
                assert time.monotonic() < deadline, "the audit never reached the kill point"
                time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        progress.append(fetched(crashed.parent / "var" / "reviewbot.db"))
    assert audit(crashed).wait(timeout=120) == 0
    print("posts with a fetch state after each killed attempt:", progress)
    assert min(progress) < N, "some attempt was killed before the work was done"

    expected = masked(reference.parent / "var" / "reviewbot.db")
    got = masked(crashed.parent / "var" / "reviewbot.db")
    assert got == expected
    assert sorted(p.name for p in (crashed.parent / "var" / "snapshots").rglob("*") if p.is_file()) == sorted(
        p.name for p in (reference.parent / "var" / "snapshots").rglob("*") if p.is_file()
    )
    with Store(crashed.parent / "var" / "reviewbot.db") as store:
        statuses = {r["status"] for r in store.rows("audit_runs", "kind = 'audit'")}
        assert "running" not in statuses and "interrupted" in statuses | {"interrupted"}
        late = list(store.rows("assignments", "reason = 'late posts'"))
        assert late and len(late) == len({(a["reviewer_key"], a["author_key"]) for a in late})


def test_a_second_audit_refuses_while_one_runs(course: tuple[Path, Path]) -> None:
    prepared, config = course
    from bot.locking import WriterLock

    with WriterLock(prepared / "var" / "reviewbot.db", "audit"):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), "audit"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert "another Reviewbot command is writing to this course (audit, pid" in done.stderr
    assert "Traceback" not in done.stderr
