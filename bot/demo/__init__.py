"""`reviewbot demo`: every step of the flow on the bundled sample course, offline."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TextIO

from bot.audit import run_audit
from bot.cli_errors import UsageError
from bot.config import Config, RosterSource, SheetSource, SourcesConfig, load_config, parse_config
from bot.demo.server import CourseServer, course_files
from bot.locking import WriterLock
from bot.report import coverage, render_table
from bot.report_html import write_html
from bot.rounds import RoundService
from bot.store import Store
from bot.verify import VerifyService
from scrapers.roster import read_roster


def demo_config(config_path: Path) -> Config:
    """The course's bot.toml if there is one (for its storage), else the bundled defaults."""
    if config_path.exists():
        return load_config(config_path)
    raw = {
        "course": {
            "name": "Production ML Systems: tool blog (sample course)",
            "timezone": "America/New_York",
            "post_deadline": __import__("datetime").datetime(2026, 11, 20, 23, 59),
        }
    }
    return parse_config(raw, base_dir=Path.cwd())


def run_demo(config_path: Path, out: TextIO, err: TextIO, database: Path | None = None) -> int:
    """Serve the sample course on 127.0.0.1 and run the flow on it; print the coverage table."""
    config = demo_config(config_path)
    db_path = database or config.database_path
    files = course_files()
    with WriterLock(db_path, "demo"), CourseServer(files) as server, Store(db_path) as store:
        roster = Path(str(files.joinpath("roster.csv")))
        _refuse_real_course(store, db_path, roster)
        config = dataclasses.replace(
            config,
            sources=SourcesConfig(
                roster=RosterSource(path=str(roster)),
                sheet=SheetSource(url=f"{server.base}/claims.csv"),
            ),
            fetch=dataclasses.replace(
                config.fetch, allow_private_addresses=True, per_host_delay=0.0, per_host_concurrency=4
            ),
        )
        print(f"demo: sample course served at {server.base}; database {db_path}", file=out)
        report = run_audit(config, store, kind="demo", say=lambda line: print(line, file=out, flush=True))
        _assign(store, config, out)
        print("", file=out)
        cover = coverage(store, config.course.name, config)
        print(render_table(cover), file=out)
        html = write_html(cover, db_path.parent / "report.html")
        print(f"\nHTML report: {html}", file=out)
    return 0 if report.ok else 1


def _assign(store: Store, config: Config, out: TextIO) -> None:
    """Publish the review round on the first run; later runs only bring it up to date."""
    service = RoundService(store, config)
    if service.published() is None:
        view = service.preview()
        service.publish(view.round_id)
        print(f"assign: round {view.round_id} published, {len(view.pairs)} reviews", file=out)
        for relaxation in view.relaxations:
            print(f"  relaxed {relaxation.constraint}: {relaxation.reason}", file=out)
        verified = VerifyService(store, config).run()  # the round is new: check its comments now
        print(f"verify: {verified.summary()}", file=out)
        for problem in verified.errors:
            print(f"  ! {problem}", file=out)
    else:
        report = service.update()
        print(f"assign: {'; '.join(report.reasons) or 'published round is up to date'}", file=out)


def _refuse_real_course(store: Store, db_path: Path, roster: Path) -> None:
    """Refuse a database that holds people who are not in the sample course."""
    sample = {r.email for r in read_roster(roster).students}
    stored = {row["email"] for row in store.rows("students")}
    if stored - sample:
        raise UsageError(f"{db_path} holds a real course; run the demo with --database PATH to keep it apart")
