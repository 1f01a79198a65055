"""The `reviewbot` command line. Exit codes: 0 done, 1 failure, 2 bad usage or bad input."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.cli_errors import UsageError
from bot.config import Config, ConfigError, load_config
from bot.locking import Busy, WriterLock
from bot.store import Store

if TYPE_CHECKING:
    from bot.sync import SyncReport
    from scrapers.article import Article

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def default_config_path() -> Path:
    return Path(os.environ.get("REVIEWBOT_CONFIG", "bot.toml"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewbot",
        description="Run peer review of student blog posts: sync, check, assign, verify, report.",
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="course configuration (default: ./bot.toml)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="run the whole flow on the bundled sample course")
    demo.add_argument("--database", type=Path, help="where to keep the demo's database")

    extract = commands.add_parser("extract", help="read posts (files or URLs) into title, author and text")
    extract.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per input (the default)")
    extract.add_argument("--url", default="", help="the address a saved file came from (picks its reader)")

    check = commands.add_parser("check", help="rubric check of posts (files or URLs), model loaded once")
    check.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    form = check.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON array of results")
    form.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    check.add_argument(
        "--tool", default="", help="the tool the posts are about (flags posts that never name it)"
    )
    check.add_argument("--url", default="", help="the address a saved file came from (picks its reader)")

    judge = commands.add_parser("judge-comment", help="judge whether comments are substantive")
    judge.add_argument(
        "--jsonl",
        type=Path,
        required=True,
        metavar="FILE",
        help='input lines {"id", "text", "post"?} (post: a path or URL); "-" for stdin',
    )

    commands.add_parser("sync", help="read the roster and post links from every configured source")
    commands.add_parser("audit", help="run every step of the loop once (the nightly job)")

    report = commands.add_parser("report", help="rubric coverage per student")
    report.add_argument(
        "--format",
        choices=["table", "csv", "json", "html", "grading"],
        default="table",
        help="html: the dashboard page (default: report.html beside the database); "
        "grading: the grading sheet (CSV)",
    )
    report.add_argument("--out", type=Path, help="write to this file instead of the terminal")

    run = commands.add_parser("run", help="start the Discord bot and the nightly scheduler")
    run.add_argument("--check", action="store_true", help="validate config and token, then exit")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("migrate", help="apply pending schema migrations")

    assign = commands.add_parser(
        "assign", help="review assignment: standalone from a roster CSV, or the course's round"
    )
    assign.add_argument("--roster", type=Path, help="standalone: CSV with student,post_url,team,tool")
    assign.add_argument("--seed", type=int, default=None, help="default 0, or [assignment] seed")
    action = assign.add_mutually_exclusive_group()
    action.add_argument("--preview", action="store_true", help="course round: compute a draft (default)")
    action.add_argument("--publish", action="store_true", help="course round: freeze the draft")
    action.add_argument("--update", action="store_true", help="course round: late posts, departures, stalls")
    assign.add_argument("--history", type=Path, help="CSV of earlier pairings: reviewer,author")
    assign.add_argument("-k", "--reviews", type=int, default=None, help="standalone: reviews per student")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return EXIT_USAGE if exc.code else EXIT_OK
    try:
        return COMMANDS[args.command](args, out, err)
    except (ConfigError, UsageError) as exc:
        print(f"reviewbot: {exc}", file=err)
        return EXIT_USAGE
    except Busy as exc:
        print(f"reviewbot: {exc}", file=err)
        return EXIT_FAILED
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (keep interpreter shutdown quiet)
        return EXIT_OK
    except KeyboardInterrupt:
        print("reviewbot: interrupted", file=err)
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc(file=err)
        print(f"reviewbot: {args.command} failed: {type(exc).__name__}: {exc}", file=err)
        return EXIT_FAILED


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config or default_config_path())


def cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot.demo import run_demo

    return run_demo(args.config or default_config_path(), out=out, err=err, database=args.database)


def _optional_config(args: argparse.Namespace) -> Config | None:
    """bot.toml when there is one: commands on single posts also work without a course."""
    path = args.config or default_config_path()
    return load_config(path) if args.config or path.exists() else None


@contextlib.contextmanager
def _post_reader(args: argparse.Namespace) -> Iterator[Callable[..., Article]]:
    """`read(path_or_url, saved_from="")`: a post from a file or fetched, through one Fetcher that
    follows bot.toml's fetch policy when there is one (closed on leaving)."""
    from bot.extracting import article_from_file, article_from_url, is_url
    from bot.fetching import fetch_policy
    from scrapers.fetch import Fetcher, FetchPolicy

    config = _optional_config(args)
    fetcher = Fetcher(fetch_policy(config) if config else FetchPolicy())

    def read(source: str, saved_from: str = "") -> Article:
        return (
            article_from_url(source, fetcher)
            if is_url(source)
            else article_from_file(Path(source), saved_from)
        )

    try:
        yield read
    finally:
        fetcher.close()


def _read_inputs(args: argparse.Namespace) -> Iterator[tuple[str, Article | None, str]]:
    """Each PATH_OR_URL of `extract` and `check`, in turn: (source, article, "") or (source, None,
    error); one bad input never stops the others."""
    from bot.extracting import ExtractError

    with _post_reader(args) as read:
        for source in args.inputs:
            try:
                yield source, read(source, args.url), ""
            except ExtractError as exc:
                yield source, None, str(exc)
            except Exception as exc:
                yield source, None, f"unexpected {type(exc).__name__}: {exc}"


def cmd_extract(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    failed = 0
    for source, article, error in _read_inputs(args):
        if article is None:
            failed += 1
            line = {"source": source, "error": error}
        else:
            line = {
                "source": source,
                "platform": article.platform,
                "title": article.title,
                "author": article.author,
                "published": article.published,
                "text": article.text,
            }
            if article.flags:
                line["flags"] = sorted(set(article.flags))
        print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from bot.checking import load_checker

    results: list[dict | None] = []
    readable = []
    for source, article, error in _read_inputs(args):
        if article is None:
            results.append({"source": source, "error": error})
        else:
            readable.append((len(results), article))
            results.append(None)
    if readable:
        checker = load_checker()  # once per process, and only when there is something to check
        verdicts = checker.check_many([(article, args.tool) for _, article in readable])
        for (index, _), verdict in zip(readable, verdicts, strict=True):
            results[index] = verdict.to_json(args.inputs[index])
    lines = [r for r in results if r is not None]
    if args.json:
        print(json.dumps(lines, indent=2, ensure_ascii=False), file=out)
    elif args.jsonl:
        for line in lines:
            print(json.dumps(line, ensure_ascii=False), file=out)
    else:
        for line in lines:
            print(_check_summary(line), file=out)
    return EXIT_FAILED if any("error" in line for line in lines) else EXIT_OK


def _check_summary(result: dict) -> str:
    """One post's verdict for a person: sections present or missing, with confidence and flags."""
    if "error" in result:
        return f"{result['source']}: error: {result['error']}"
    parts = []
    for name, section in result["sections"].items():
        mark = "yes" if section["present"] else "MISSING"
        parts.append(f"{name} {mark} ({section['confidence']:.2f})")
    flags = f"; flags: {', '.join(result['flags'])}" if result["flags"] else ""
    title = result["title"] or "(no title)"
    return f"{result['source']}: {title}, {result['words']} words: {'; '.join(parts)}{flags}"


def cmd_judge_comment(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from bot.extracting import ExtractError

    try:
        text = sys.stdin.read() if str(args.jsonl) == "-" else args.jsonl.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.jsonl}: {exc}") from None
    posts: dict[str, object] = {}  # each post read once, whatever the number of comments on it
    items: list[tuple[int, str, object]] = []
    results: list[dict] = []
    with _post_reader(args) as read:
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
                if not isinstance(line, dict) or not isinstance(line.get("text"), str):
                    raise ValueError('expected an object with "id" and "text"')
            except ValueError as exc:
                results.append({"id": None, "error": f"line {number}: {exc}"})
                continue
            ident, post = line.get("id"), line.get("post")
            article = None
            if isinstance(post, str) and post:
                if post not in posts:
                    try:
                        posts[post] = read(post)
                    except ExtractError as exc:
                        posts[post] = exc
                article = posts[post]
                if isinstance(article, ExtractError):
                    results.append({"id": ident, "error": f"post {post}: {article}"})
                    continue
            results.append({"id": ident})
            items.append((len(results) - 1, line["text"], article))
    if items:
        from models.comments import CommentJudge

        verdicts = CommentJudge.load().judge_many([(text, article) for _, text, article in items])  # type: ignore[misc]
        for (index, _, _), verdict in zip(items, verdicts, strict=True):
            results[index].update(substantive=verdict.substantive, score=round(verdict.score, 4),
                                  reasons=list(verdict.reasons))  # fmt: skip
    for result in results:
        print(json.dumps(result, ensure_ascii=False), file=out)
    return EXIT_FAILED if any("error" in r for r in results) else EXIT_OK


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot.sync import sync

    config = _config(args)
    with WriterLock(config.database_path, "sync"), Store(config.database_path) as store:
        store.mark_interrupted()
        report = sync(config, store)
    print_sync(report, out, err)
    return EXIT_FAILED if report.failed_sources else EXIT_OK


def print_sync(report: SyncReport, out: TextIO, err: TextIO) -> None:
    print(f"sync: {report.summary()}", file=out)
    for problem in report.problems:
        print(f"  ! {problem}", file=err)
    if report.failed_sources:
        print(f"sync: failed sources: {', '.join(report.failed_sources)}", file=err)


def cmd_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot.audit import run_audit

    config = _config(args)
    with WriterLock(config.database_path, "audit"), Store(config.database_path) as store:
        report = run_audit(config, store, say=lambda line: print(line, file=out, flush=True))
    for error in report.errors:
        print(f"audit: {error}", file=err)
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot import report

    config = _config(args)
    if not config.database_path.exists():
        raise UsageError(f"no database at {config.database_path}; run `reviewbot sync` first")
    with Store(config.database_path) as store:
        cover = report.coverage(store, config.course.name, config)
        if args.format == "grading":
            from bot.grading import articles_from_snapshots, render_grading_csv

            text = render_grading_csv(cover, articles_from_snapshots(store, config))
    if args.format == "html":
        from bot.report_html import write_html

        path = write_html(cover, args.out or config.database_path.parent / "report.html")
        print(f"report written to {path}", file=out)
        return EXIT_OK
    if args.format != "grading":
        render = {"table": report.render_table, "csv": report.render_csv, "json": report.render_json}
        text = render[args.format](cover)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        print(f"report written to {args.out}", file=out)
    else:
        print(text, file=out)
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from bot.discord.launcher import command_list, run_bot, settings_warnings

    config = _config(args)
    token_env = config.discord.token_env
    if not os.environ.get(token_env):
        raise UsageError(f"set the environment variable {token_env} to the Discord bot token")
    with Store(config.database_path):
        pass  # migrations run on open
    if args.check:
        commands = command_list(config)  # built as the bot registers them; raises on a duplicate
        print(f"config ok: {config.course.name}; token found in {token_env}", file=out)
        print(f"{len(commands)} slash commands:", file=out)
        for line in commands:
            print(f"  {line}", file=out)
        for problem in settings_warnings(config):
            print(f"warning: {problem}", file=err)
        return EXIT_OK
    run_bot(config)  # until stopped; a refused token is a UsageError (exit 2)
    return EXIT_OK


def cmd_db(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = _config(args)
    with Store(config.database_path, migrate=False) as store:
        applied = store.migrate()
        total = len(store.applied_migrations())
    if applied:
        print(f"applied {len(applied)} migration(s): {', '.join(applied)}", file=out)
    else:
        print(f"database is up to date ({total} migrations applied)", file=out)
    return EXIT_OK


def cmd_assign(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.roster is not None:
        from bot.assignment.roster_csv import run_assign

        if args.preview or args.publish or args.update:
            raise UsageError(
                "--roster is standalone: it cannot be combined with --preview/--publish/--update"
            )
        return run_assign(args.roster, args.seed or 0, args.history, args.reviews or 2, out, err)
    if args.reviews is not None or args.history is not None:
        raise UsageError("-k and --history are for --roster; a course round uses [assignment] in bot.toml")
    from bot.rounds import RoundError, RoundService

    config = _config(args)
    with WriterLock(config.database_path, "assign"), Store(config.database_path) as store:
        service = RoundService(store, config)
        try:
            if args.update:
                report = service.update()
                for line in report.reasons or ["nothing to change"]:
                    print(line, file=out)
                return EXIT_OK
            view = service.publish() if args.publish else service.preview(args.seed)
        except RoundError as exc:
            raise UsageError(str(exc)) from None
    print_round(view, out, err)
    return EXIT_OK


def print_round(view, out: TextIO, err: TextIO) -> None:  # type: ignore[no-untyped-def]
    print(f"round {view.round_id} ({view.status}, seed {view.seed}, {view.k} reviews each)", file=out)
    width = max((len(p["reviewer_name"]) for p in view.pairs), default=8)
    for pair in view.pairs:
        print(
            f"  {pair['reviewer_name']:<{width}}  reviews  {pair['author_name']}  {pair['post_url']}",
            file=out,
        )
    for relaxation in view.relaxations:
        print(f"relaxed {relaxation.constraint}: {relaxation.reason}", file=err)
    if view.status == "preview":
        print("publish it with `reviewbot assign --publish`", file=out)


COMMANDS = {
    "check": cmd_check,
    "demo": cmd_demo,
    "extract": cmd_extract,
    "judge-comment": cmd_judge_comment,
    "sync": cmd_sync,
    "audit": cmd_audit,
    "report": cmd_report,
    "run": cmd_run,
    "db": cmd_db,
    "assign": cmd_assign,
}
