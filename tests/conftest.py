"""Shared fixtures: a fresh store, a course configuration, and loopback-only networking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config, parse_config
from bot.store import Store

COURSE = {
    "name": "Test course",
    "timezone": "America/New_York",
    "post_deadline": dt.datetime(2026, 11, 20, 23, 59),
}


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Config]:
    """Build a validated Config whose files live in tmp_path; sections are TOML-shaped dicts."""

    def build(**sections: Any) -> Config:
        raw: dict[str, Any] = {"course": dict(COURSE), **sections}
        raw.setdefault("fetch", {}).setdefault("allow_private_addresses", True)
        return parse_config(raw, base_dir=tmp_path)

    return build


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh, migrated database file."""
    with Store(tmp_path / "var" / "reviewbot.db") as db:
        yield db
