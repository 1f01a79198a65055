"""Command registration: every command present once, with a description, as Discord will get it."""

from __future__ import annotations

import asyncio
from unittest import mock

import discord
import pytest
from discord import app_commands

from bot.cli_errors import UsageError
from bot.discord.client import ReviewBot
from bot.discord.launcher import command_list, run_bot, settings_warnings

EXPECTED = {
    "/reviews",
    "/mypost",
    "/link",
    "/comment",
    "/ta coverage",
    "/ta audit",
    "/ta assign preview",
    "/ta assign publish",
    "/ta reassign",
    "/ta missing",
    "/ta student",
    "/ta export",
    "/ta link approve",
    "/ta link reject",
    "/ta link list",
    "/ta link code",
    "/ta link codes",
    "/ta link remove",
}


def test_command_list_is_complete_unique_and_described() -> None:
    lines = command_list()
    names = [line.split(":", 1)[0] for line in lines]
    assert len(names) == len(set(names))
    assert set(names) == EXPECTED
    assert all(len(line.split(": ", 1)[1]) > 10 for line in lines)


async def test_the_tree_serialises_for_discord(bot) -> None:  # type: ignore[no-untyped-def]
    payload = [c.to_dict(bot.tree) for c in bot.tree.get_commands()]
    assert sorted(p["name"] for p in payload) == ["comment", "link", "mypost", "reviews", "ta"]
    ta = next(p for p in payload if p["name"] == "ta")
    subs = {o["name"]: o for o in ta["options"]}
    assert {o["name"] for o in subs["link"]["options"]} == {
        "approve",
        "reject",
        "list",
        "code",
        "codes",
        "remove",
    }
    comment = next(p for p in payload if p["name"] == "comment")
    post = next(o for o in comment["options"] if o["name"] == "post")
    assert post["autocomplete"] is True


async def test_ta_commands_are_one_group_checked_by_the_cog(bot) -> None:  # type: ignore[no-untyped-def]
    ta = bot.tree.get_command("ta")
    assert isinstance(ta, app_commands.Group)
    for command in ta.walk_commands():
        if isinstance(command, app_commands.Command):
            assert command.binding is bot.get_cog("Ta"), command.qualified_name


def test_run_bot_needs_the_token(make_config, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(UsageError, match="set the environment variable DISCORD_TOKEN"):
        run_bot(make_config())


def test_a_refused_token_is_one_line_and_never_logged(
    make_config, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token-value")
    with (
        mock.patch.object(ReviewBot, "login", autospec=True, side_effect=discord.LoginFailure("bad")),
        pytest.raises(UsageError, match="Discord refused the token in DISCORD_TOKEN"),
    ):
        run_bot(make_config())
    assert "secret-token-value" not in caplog.text


def test_check_warns_about_missing_ids(make_config) -> None:  # type: ignore[no-untyped-def]
    assert len(settings_warnings(make_config())) == 4
    ids = {"guild_id": 1, "course_channel_id": 2, "ta_channel_id": 3, "ta_role_id": 4}
    assert settings_warnings(make_config(discord=ids)) == []


async def test_startup_registers_commands_once_and_starts_the_loops(config, store) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import datetime as dt

    from bot.discord.storage import Database
    from bot.store import utcnow

    # the nightly audit half a day away, so the test never runs into it, whatever the clock says
    away = (dt.datetime.now(config.course.tz) + dt.timedelta(hours=12)).strftime("%H:%M")
    config = dataclasses.replace(config, schedule=dataclasses.replace(config.schedule, audit_time=away))
    store.db["audit_runs"].insert({"kind": "audit", "started_at": utcnow(), "status": "ok"})  # no catch-up
    for attempt in range(2):
        client = ReviewBot(config, database=Database(store.path))
        with (
            mock.patch.object(client.tree, "sync", autospec=True, return_value=[]) as sync,
            mock.patch("bot.discord.client.warm_up", return_value="model skipped in tests"),
            mock.patch.object(client, "wait_until_ready", autospec=True),
        ):
            await client.setup_hook()
            loop = client.get_cog("AuditLoop")
            assert loop.nightly.is_running() and loop.ticker.is_running()
            assert sync.await_count == (1 if attempt == 0 else 0), "unchanged commands are not synced again"
            if attempt == 0:
                assert sync.call_args.kwargs["guild"].id == 1000
            await asyncio.sleep(0.05)  # the catch-up check runs, finds the audit of today
            await client.close()
        assert not loop.nightly.is_running()
        assert store.db["audit_runs"].count == 1
