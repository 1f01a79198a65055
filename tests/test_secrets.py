"""Secrets never appear in output, logs, reports or the database."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from fakes.canvas import FakeCanvas, serve

from bot.cli import main

TOKEN = "canvas-secret-7f3a9c"
DISCORD = "discord-secret-b81e44"


def test_tokens_never_leak(httpserver, tmp_path: Path, monkeypatch, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    fake = FakeCanvas(token=TOKEN)
    fake.add_student(301, "Ada Park", "ada@x.edu")
    fake.add_submission(301, url="https://ada.dev/feast")
    base = serve(httpserver, fake)
    config = tmp_path / "bot.toml"
    config.write_text(
        '[course]\nname = "Secrets"\ntimezone = "UTC"\npost_deadline = 2026-11-20T23:59:00\n'
        f'[sources.canvas]\nurl = "{base}"\ncourse_id = 110000000\nassignment_id = 110000100\n'
        "[fetch]\nallow_private_addresses = true\nper_host_delay = 0.0\nrespect_robots = false\n"
    )
    monkeypatch.setenv("CANVAS_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD)
    caplog.set_level(logging.DEBUG)  # canvasapi and urllib3 log requests at DEBUG
    printed = io.StringIO()
    commands = [
        ["sync"], ["audit"], ["report"], ["report", "--format", "json"], ["report", "--format", "csv"],
        ["run", "--check"], ["assign", "--preview"], ["db", "migrate"],
    ]  # fmt: skip
    for command in commands:
        main(["--config", str(config), *command], out=printed, err=printed)
    fake.forbidden = True  # an error path: the message names the variable, never the value
    main(["--config", str(config), "sync"], out=printed, err=printed)
    assert "CANVAS_TOKEN" in printed.getvalue()
    database = (tmp_path / "var" / "reviewbot.db").read_bytes()
    for secret in (TOKEN, DISCORD):
        assert secret not in printed.getvalue()
        assert secret not in caplog.text
        assert secret.encode() not in database
