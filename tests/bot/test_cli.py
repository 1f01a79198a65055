"""The command line: exit codes, one-line errors, commands documented in the README."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = """
[course]
name = "Test course"
timezone = "UTC"
post_deadline = 2026-12-01T23:59:00
[storage]
database = "db/reviewbot.db"
[sources.roster]
path = "roster.csv"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "roster.csv").write_text("student,email\nAda Park,ada@x.edu\nBen Ode,ben@x.edu\n")
    path = tmp_path / "bot.toml"
    path.write_text(MINIMAL)
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert re.search(rf"`reviewbot {name}\b", readme), f"`reviewbot {name}` is not in the README"


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert blocks[0].strip().splitlines() == ["make demo", "make test"]


def test_sync_then_report(config: Path) -> None:
    code, out, _ = run("--config", str(config), "sync")
    assert code == 0 and "students.inserted 2" in out
    code, out, _ = run("--config", str(config), "report", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("student,name,team,tool,post_url")
    assert "Ada Park" in out and "no_link" in out


def test_report_before_any_sync_is_a_usage_error(config: Path) -> None:
    code, _, err = run("--config", str(config), "report")
    assert code == 2 and "run `reviewbot sync` first" in err


def test_report_to_file(config: Path, tmp_path: Path) -> None:
    run("--config", str(config), "sync")
    code, printed, _ = run(
        "--config", str(config), "report", "--format", "json", "--out", str(tmp_path / "r.json")
    )
    assert code == 0 and "report written" in printed
    assert '"students"' in (tmp_path / "r.json").read_text()


def test_db_migrate(config: Path) -> None:
    assert re.match(
        r"applied \d+ migration\(s\): m001_initial, m002", run("--config", str(config), "db", "migrate")[1]
    )
    assert "up to date" in run("--config", str(config), "db", "migrate")[1]


def test_failed_source_exits_1(config: Path, tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_bytes(b"")
    code, _, err = run("--config", str(config), "sync")
    assert code == 1 and "roster is empty" in err


def test_run_without_token_exits_2(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, _, err = run("--config", str(config), "run")
    assert (
        code == 2
        and err.strip() == "reviewbot: set the environment variable DISCORD_TOKEN to the Discord bot token"
    )


def test_run_check_never_prints_the_token(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "secret-discord-token-value")
    code, out, err = run("--config", str(config), "run", "--check")
    assert code == 0 and "secret-discord-token-value" not in out + err


def test_bad_usage_exits_2() -> None:
    assert run("no-such-command")[0] == 2
    assert run("assign")[0] == 2  # --roster is required


def test_python_dash_m_bot(config: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "db", "migrate"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "migration" in done.stdout


def test_standalone_assign(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student,post_url,team,tool\n"
        + "".join(f"s{i},https://s{i}.dev/p,t{i % 3},tool{i}\n" for i in range(7))
    )
    code, out, _ = run("assign", "--roster", str(roster), "--seed", "4")
    rows = out.strip().splitlines()
    assert code == 0 and rows[0] == "reviewer,author,post_url" and len(rows) == 1 + 14
    assert run("assign", "--roster", str(roster), "--seed", "4")[1] == out, "same seed, same output"


def test_assign_standalone_and_round_flags_do_not_mix(tmp_path: Path) -> None:
    code, _, err = run("assign", "--roster", str(tmp_path / "r.csv"), "--publish")
    assert code == 2 and "standalone" in err


def test_course_round_from_the_cli(config: Path, tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text("student,email\n" + "".join(f"S{i},s{i}@x.edu\n" for i in range(5)))
    (tmp_path / "claims.csv").write_text(
        "Student,Tool,Blog post link\n" + "".join(f"S{i},T{i},https://s{i}.dev/p\n" for i in range(5))
    )
    config.write_text(MINIMAL + '[sources.sheet]\npath = "claims.csv"\n')
    assert run("--config", str(config), "sync")[0] == 0
    code, out, _ = run("--config", str(config), "assign")
    assert code == 0 and "(preview, seed 0, 2 reviews each)" in out and out.count("  reviews  ") == 10
    code, out, _ = run("--config", str(config), "assign", "--publish")
    assert code == 0 and "published" in out
    code, _, err = run("--config", str(config), "assign", "--publish")
    assert code == 2 and "already published" in err
    code, out, _ = run("--config", str(config), "audit")
    assert code == 0 and "assign: nothing to change" in out


def test_judge_comment_contract(tmp_path: Path) -> None:
    post = ROOT / "bot/demo/course/posts/ana.rivera__feast-for-movie-features-3f9a1c2b7d4e.html"
    lines = [
        {"id": "generic", "text": "Great post! Very informative, thanks for sharing.", "post": str(post)},
        {
            "id": 7,
            "text": "Why ttl=2 days for the watch history feature view? Sessions span a week.",
            "post": str(post),
        },
        {"id": "nopost", "text": "Have you compared Feast's Redis store with DynamoDB for online latency?"},
        {"id": "badpost", "text": "Nice.", "post": str(tmp_path / "missing.html")},
    ]
    source = tmp_path / "comments.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    code, out, _ = run("judge-comment", "--jsonl", str(source))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [r["id"] for r in results] == ["generic", 7, "nopost", "badpost", None]
    assert results[0]["substantive"] is False and results[1]["substantive"] is True
    assert 0 <= results[2]["score"] <= 1 and results[2]["reasons"]
    assert "error" in results[3] and "error" in results[4]


DEMO_POST = ROOT / "bot/demo/course/posts/ana.rivera__feast-for-movie-features-3f9a1c2b7d4e.html"


def test_extract_reads_files_and_urls_one_line_each(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/ana").respond_with_data(DEMO_POST.read_bytes(), content_type="text/html")
    config = tmp_path / "bot.toml"
    config.write_text(MINIMAL + "[fetch]\nallow_private_addresses = true\n")
    url, missing = httpserver.url_for("/ana"), str(tmp_path / "missing.md")
    code, out, err = run("--config", str(config), "extract", str(DEMO_POST), url, missing, "--jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and err == ""
    assert [line["source"] for line in lines] == [str(DEMO_POST), url, missing]
    assert lines[0]["author"] == "Ana Rivera" and lines[0]["title"] == lines[1]["title"]
    assert lines[2] == {"source": missing, "error": f"cannot read {missing}: No such file or directory"}


def test_check_reports_unreadable_inputs_without_loading_the_model(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.md")
    code, out, err = run("check", missing, str(tmp_path))
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"{missing}: error: cannot read {missing}: No such file or directory",
        f"{tmp_path}: error: cannot read {tmp_path}: Is a directory",
    ]
    code, out, _ = run("check", "--json", missing)
    assert code == 1 and json.loads(out) == [
        {"source": missing, "error": f"cannot read {missing}: No such file or directory"}
    ]
