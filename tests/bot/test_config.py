"""bot.toml: the shipped file loads; every kind of mistake gives one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = """
[course]
name = "ML in Production"
timezone = "Europe/Berlin"
post_deadline = 2026-12-01T23:59:00
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text)
    return path


def test_shipped_config_loads() -> None:
    config = load_config(ROOT / "bot.toml")
    assert config.sources.roster is not None
    assert config.database_path == ROOT / "var" / "reviewbot.db"
    assert (config.course.comments_due - config.course.post_due).days == 3


def test_minimal_config_has_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert config.assignment.reviews_per_student == 2
    assert config.course.comments_due.isoformat() == "2026-12-04T23:59:00+01:00"
    assert config.discord.token_env == "DISCORD_TOKEN"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[assignment]\nreviews_per_studnet = 2\n", "unknown key 'assignment.reviews_per_studnet'"),
        ("[assignment]\nreviews_per_student = '2'\n", "'assignment.reviews_per_student' must be an integer"),
        ("[fetch]\nrespect_robots = 1\n", "'fetch.respect_robots' must be true or false"),
        ("[discord]\nguild_id = true\n", "'discord.guild_id' must be an integer"),
        ("[sources.canvas]\nurl = 'https://c.edu'\n", "missing key 'sources.canvas.course_id'"),
        ("[sources.sheet]\n", "'sources.sheet' needs exactly one of 'url' or 'path'"),
        (
            "[sources.sheet]\npath = 'x.csv'\n[sources.sheet.columns]\nstudnt = 'x'\n",
            "unknown key 'sources.sheet.columns.studnt'",
        ),
        ("[schedule]\naudit_time = '25:00'\n", "'schedule.audit_time' must be HH:MM"),
        ("[schedule]\nreminder_hours = [48, 'x']\n", "'schedule.reminder_hours[1]' must be an integer"),
        ("[thresholds]\nsection_confidence = 1.5\n", "between 0 and 1"),
        ("surprise = 1\n", "unknown key 'course.surprise'"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, MINIMAL + extra))
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[course]\nname = 'x'\n", "missing key 'course.timezone'"),
        (MINIMAL.replace("Europe/Berlin", "Mars/Olympus"), "not a known time zone"),
        (MINIMAL.replace("2026-12-01T23:59:00", "'tomorrow'"), "must be a date-time"),
        (MINIMAL + "comment_deadline = 2026-11-01T00:00:00\n", "must be after"),
        ("[course\nname=", "not valid TOML"),
    ],
)
def test_course_mistakes(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_cli_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, MINIMAL + "[assignment]\nseed = 'abc'\n")
    assert main(["--config", str(path), "sync"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'assignment.seed' must be an integer" in err and "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "db", "migrate"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[fetch]\nper_host_concurrency = 0\n", "per_host_concurrency' must be at least 1"),
        ("[sources.canvas]\nurl = 'http://canvas.example.edu'\ncourse_id = 1\n", "must start with https://"),
    ],
)
def test_more_mistakes(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, MINIMAL + extra))


def test_earlier_tools_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'earlier_tools' names a file that does not exist"):
        load_config(write(tmp_path, "earlier_tools = 'missing.txt'\n" + MINIMAL))
