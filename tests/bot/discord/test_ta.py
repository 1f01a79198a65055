"""TA commands: refused to students (ephemerally, before any work), and what they give TAs."""

from __future__ import annotations

import inspect
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.linking import LinkService
from bot.store import Store


def cog(bot):  # type: ignore[no-untyped-def]
    return bot.get_cog("Ta")


def ta_commands(bot) -> list[app_commands.Command]:  # type: ignore[no-untyped-def]
    return [c for c in cog(bot).walk_app_commands() if isinstance(c, app_commands.Command)]


def dummy(parameter: inspect.Parameter) -> Any:
    return {int: 1, "int": 1, "int | None": None}.get(parameter.annotation, "Ada")


async def call(bot, command: app_commands.Command, interaction: discord.Interaction) -> None:  # type: ignore[no-untyped-def]
    params = list(inspect.signature(command.callback).parameters.values())[2:]
    await command.callback(cog(bot), interaction, *(dummy(p) for p in params))


async def test_every_ta_command_refuses_a_student(fake, bot, course, store: Store, transport) -> None:  # type: ignore[no-untyped-def]
    before = {
        t: store.db[t].count for t in ("rounds", "link_requests", "link_codes", "audit_runs", "deliveries")
    }
    commands = ta_commands(bot)
    assert len(commands) == 14
    for command in commands:
        interaction = fake.interaction(fake.student("Ada"))
        await call(bot, command, interaction)
        assert fake.text(interaction) == "Only course TAs can use this command.", command.qualified_name
        assert fake.ephemeral(interaction), command.qualified_name
        interaction.response.defer.assert_not_called()
    after = {t: store.db[t].count for t in before}
    assert after == before and not transport.dms, "a refused command does no work"


async def test_every_ta_command_defers_and_answers_a_ta_ephemerally(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    from bot.scheduler import AuditOutcome

    bot.auditor.job = lambda config: AuditOutcome(ok=True, seconds=0.1, run_id=1, lines=[])
    for command in ta_commands(bot):
        interaction = fake.interaction(fake.ta())
        await call(bot, command, interaction)
        interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
        assert fake.ephemeral(interaction), command.qualified_name
    await fake.settle(bot)


async def test_a_busy_database_is_answered_not_raised(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    from bot.locking import WriterLock

    interaction = fake.interaction(fake.ta())
    with WriterLock(store.path, "sync"):
        await cog(bot).reassign.callback(cog(bot), interaction)
    assert fake.text(interaction).startswith("another Reviewbot command is writing to this course (sync")
    assert fake.ephemeral(interaction) and store.db["revisions"].count == 1, "nothing changed"


async def test_the_cog_check_refuses_too(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    student = fake.interaction(fake.student("Ada"))
    assert await cog(bot).interaction_check(student) is False
    assert fake.ephemeral(student)
    assert await cog(bot).interaction_check(fake.interaction(fake.ta())) is True


@pytest.mark.parametrize(
    ("who", "guild"),
    [("student-with-admin-perms", 1000), ("ta-in-another-server", 1), ("ta-in-dms", None)],
)
async def test_role_is_checked_locally(fake, bot, course, who: str, guild: int | None) -> None:  # type: ignore[no-untyped-def]
    user = fake.member(321) if who.startswith("student") else fake.ta()
    if who.startswith("student"):
        user.guild_permissions = discord.Permissions.all()  # Discord permissions are not enough
    interaction = fake.interaction(user, guild_id=guild)
    await cog(bot).coverage.callback(cog(bot), interaction)
    assert "TA" in fake.text(interaction) or "course server" in fake.text(interaction)
    interaction.followup.send.assert_not_called()


async def test_autocomplete_lists_no_names_to_students(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    assert await cog(bot)._student_choices(fake.interaction(fake.student("Ada")), "Be") == []
    names = await cog(bot)._student_choices(fake.interaction(fake.ta()), "Be")
    assert [c.value for c in names] == ["ben@x.edu"]


async def test_coverage_summary_with_csv(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    interaction = fake.interaction(fake.ta())
    await cog(bot).coverage.callback(cog(bot), interaction)
    assert fake.ephemeral(interaction)
    interaction.response.defer.assert_called_once()
    content, kwargs = fake.answers(interaction)[0]
    assert "6 students, 6 with a post link" in content
    attachment = kwargs["file"]
    assert attachment.filename == "coverage.csv"
    assert attachment.fp.read().decode().startswith("student,name,team,tool,post_url")


async def test_export_attaches_coverage_and_reviews(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    interaction = fake.interaction(fake.ta())
    await cog(bot).export.callback(cog(bot), interaction)
    files = fake.answers(interaction)[0][1]["files"]
    assert [f.filename for f in files] == ["coverage.csv", "reviews.csv"]
    reviews = files[1].fp.read().decode().splitlines()
    assert reviews[0].startswith("reviewer,reviewer_name,author") and len(reviews) == 1 + 12


async def test_missing_lists_posts_comments_and_links(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.db["posts"].update("flo.dev/post", {"fetch_status": "failed", "fetch_reason": "not found (404)"})  # type: ignore[union-attr]
    store.db["students"].update("ed@x.edu", {"discord_id": None})  # type: ignore[union-attr]
    interaction = fake.interaction(fake.ta())
    await cog(bot).missing.callback(cog(bot), interaction)
    text = fake.text(interaction)
    assert "Flo: unreachable: not found (404)" in text and "Ed" in text
    assert "Comments (6)" in text, "nobody has commented yet"
    csv_text = fake.answers(interaction)[0][1]["file"].fp.read().decode()
    assert "Ed,discord link,not linked" in csv_text


async def test_student_card(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    interaction = fake.interaction(fake.ta())
    await cog(bot).student.callback(cog(bot), interaction, "CY@X.EDU")
    text = fake.text(interaction)
    assert "Cy (cy@x.edu)" in text and "Comments to give (2)" in text and "Comments to receive (2)" in text
    interaction = fake.interaction(fake.ta())
    await cog(bot).student.callback(cog(bot), interaction, "nobody")
    assert "No one on the roster matches" in fake.text(interaction)


async def test_preview_then_publish_delivers_to_everyone_once(
    fake, bot, config, store: Store, transport, ta_channel
) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import sync

    sync(config, store, env={})
    for name in fake.NAMES:
        store.db["students"].update(f"{name.lower()}@x.edu", {"discord_id": str(fake.discord_id(name))})  # type: ignore[union-attr]
    transport.closed.add(str(fake.discord_id("Di")))
    interaction = fake.interaction(fake.ta())
    await cog(bot).assign_preview.callback(cog(bot), interaction, None)
    content, kwargs = fake.answers(interaction)[0]
    assert "Draft round 1: 12 reviews" in content and kwargs["file"].filename == "draft_round.csv"
    interaction = fake.interaction(fake.ta())
    await cog(bot).assign_publish.callback(cog(bot), interaction)
    assert "Round 1 published" in fake.text(interaction)
    await fake.settle(bot)
    assert sorted(int(d) for d, _ in transport.dms) == sorted(
        fake.discord_id(n) for n in fake.NAMES if n != "Di"
    )
    assert [d for d, _ in transport.fallbacks] == [str(fake.discord_id("Di"))]
    summary = ta_channel.send.call_args.args[0]
    assert "5 by DM" in summary and "1 in a private thread" in summary
    again = fake.interaction(fake.ta())
    await cog(bot).assign_publish.callback(cog(bot), again)
    assert "already published" in fake.text(again)
    await bot.announcer.announce_revisions()
    assert len(transport.dms) == 5, "a second announcement sends nothing"


async def test_reassign_reports_and_announces(fake, bot, course, store: Store, transport) -> None:  # type: ignore[no-untyped-def]
    await bot.announcer.announce_revisions()
    interaction = fake.interaction(fake.ta())
    await cog(bot).reassign.callback(cog(bot), interaction)
    assert "Nothing to change." in fake.text(interaction)


async def test_link_approve_flow(fake, bot, config, store: Store, transport) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import sync

    sync(config, store, env={})
    request = LinkService(store).request(5150, "ada_dc", "ada@x.edu")
    choices = await cog(bot)._request_choices(fake.interaction(fake.ta()), "")
    assert [c.value for c in choices] == [request.id]
    assert await cog(bot)._request_choices(fake.interaction(fake.student("Ada")), "") == []
    listing = fake.interaction(fake.ta())
    await cog(bot).link_list.callback(cog(bot), listing)
    assert "Discord name matches the roster" in fake.text(listing)
    interaction = fake.interaction(fake.ta())
    await cog(bot).link_approve.callback(cog(bot), interaction, request.id)
    assert "Linked <@5150> to Ada" in fake.text(interaction)
    assert store.get("students", "ada@x.edu")["discord_id"] == "5150"
    await fake.settle(bot)
    assert transport.dms[0][0] == "5150" and "linked to Ada" in transport.dms[0][1]


async def test_a_ta_cannot_approve_their_own_request(fake, bot, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import sync

    sync(config, store, env={})
    request = LinkService(store).request(fake.TA_ID, "ta_person", "ben@x.edu")
    interaction = fake.interaction(fake.ta())
    await cog(bot).link_approve.callback(cog(bot), interaction, request.id)
    assert "cannot approve your own" in fake.text(interaction)
    assert store.get("students", "ben@x.edu")["discord_id"] is None


async def test_link_code_for_one_student(fake, bot, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import sync

    sync(config, store, env={})
    interaction = fake.interaction(fake.ta())
    await cog(bot).link_code.callback(cog(bot), interaction, "cy@x.edu")
    text = fake.text(interaction)
    assert "/link email:cy@x.edu code:" in text and fake.ephemeral(interaction)
    code = text.split("`")[1]
    assert LinkService(store).redeem(77, "cy_dc", "cy@x.edu", code).name == "Cy"


async def test_audit_now_runs_through_the_auditor_and_answers(
    fake, bot, config, store: Store, ta_channel
) -> None:  # type: ignore[no-untyped-def]
    from bot.scheduler import AuditOutcome

    def job(config):  # type: ignore[no-untyped-def]
        return AuditOutcome(ok=True, seconds=0.1, run_id=7, lines=["sync: nothing new"])

    bot.auditor.job = job
    interaction = fake.interaction(fake.ta())
    await cog(bot).audit.callback(cog(bot), interaction)
    interaction.response.defer.assert_awaited_once()
    text = fake.text(interaction)
    assert "Audit started" in text and "**Audit requested by ta_person** #7: ok" in text
    assert ta_channel.send.call_args.args[0].startswith("**Audit requested by ta_person** #7")
    async with bot.auditor.lock:
        busy = fake.interaction(fake.ta())
        await cog(bot).audit.callback(cog(bot), busy)
    assert "An audit is running now" in fake.text(busy)
