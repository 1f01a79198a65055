"""TA commands under /ta: coverage, audit, the review round, who is missing what, one student,
exports, and account links. Only members with the TA role from bot.toml may use them: the cog's
interaction check refuses everyone else, and every callback checks again (`ta_command`, belt and
braces), so a student gets an ephemeral refusal and never a TA's data.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.discord.checks import reply, ta_refusal
from bot.discord.coursework import find_people, missing_report, student_card
from bot.discord.embeds import clip, missing_embed, request_line, student_embed
from bot.linking import LinkError, LinkRequest, LinkService, Person
from bot.locking import Busy
from bot.reminders import review_lines
from bot.report import coverage, render_csv
from bot.rounds import RevisionReport, RoundError, RoundService, RoundView
from bot.store import Store

if TYPE_CHECKING:
    from bot.discord.client import ReviewBot

log = logging.getLogger(__name__)


# plain work, run in a worker thread ------------------------------------------------------------


def _coverage(store: Store, config: Config) -> tuple[dict[str, int], str]:
    report = coverage(store, config.course.name, config)
    return report.totals(), render_csv(report)


def _reviews_csv(store: Store) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "reviewer",
            "reviewer_name",
            "author",
            "author_name",
            "post_url",
            "pair_reason",
            "comment_status",
            "substantive",
            "comment_url",
            "reasons",
        ]
    )
    for line in review_lines(store):
        substantive = "" if line.substantive is None else ("yes" if line.substantive else "no")
        writer.writerow(
            [
                line.reviewer_key,
                line.reviewer_name,
                line.author_key,
                line.author_name,
                line.post_url,
                line.reason,
                line.comment_status,
                substantive,
                line.comment_url,
                "; ".join(line.reasons),
            ]
        )
    return buffer.getvalue()


def _preview(store: Store, config: Config, seed: int | None) -> RoundView:
    return RoundService(store, config).preview(seed)


def _publish(store: Store, config: Config) -> RoundView:
    return RoundService(store, config).publish()


def _update(store: Store, config: Config) -> RevisionReport:
    return RoundService(store, config).update()


def _pairs_csv(view: RoundView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["reviewer", "author", "post_url"])
    writer.writerows((p["reviewer_name"], p["author_name"], p["post_url"]) for p in view.pairs)
    return buffer.getvalue()


def _pending(store: Store) -> list[LinkRequest]:
    return LinkService(store).pending()


def _approve(store: Store, request_id: int, ta_id: int) -> Person:
    return LinkService(store).approve(request_id, ta_id)


def _reject(store: Store, request_id: int, ta_id: int, note: str) -> LinkRequest:
    return LinkService(store).reject(request_id, ta_id, note)


def _issue(store: Store, key: str, ta_id: int) -> str:
    return LinkService(store).issue_code(key, ta_id)


def _issue_all(store: Store, ta_id: int) -> str:
    """A fresh code for every active student not linked yet, as CSV for a mail merge."""
    service = LinkService(store)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "email", "code"])
    for row in store.rows(
        "students", "active = 1 and (discord_id is null or discord_id = '')", order_by="name"
    ):
        writer.writerow([row["name"], row["email"] or "", service.issue_code(row["key"], ta_id)])
    return buffer.getvalue()


def _unlink(store: Store, key: str, ta_id: int) -> Person:
    return LinkService(store).unlink(key, ta_id)


def _link_counts(store: Store) -> tuple[int, int]:
    row = store.db.execute(
        "select count(discord_id), count(*) from students where active = 1 and role = 'student'"
    ).fetchone()
    return int(row[0]), int(row[1])


def _file(text: str, name: str) -> discord.File:
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=name)


_Callback = Callable[..., Awaitable[None]]


def ta_command(*user_errors: type[Exception]) -> Callable[[_Callback], _Callback]:
    """Wrap a /ta callback: refuse a non-TA (ephemerally, before any work), defer the answer
    (ephemeral, "thinking"), and answer an error a TA can cause (`user_errors`) with its message."""

    def wrap(callback: _Callback) -> _Callback:
        @functools.wraps(callback)
        async def guarded(cog: Ta, interaction: discord.Interaction, /, *args: Any, **kwargs: Any) -> None:
            if await cog._refused(interaction):
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            try:
                await callback(cog, interaction, *args, **kwargs)
            except user_errors as exc:
                await reply(interaction, str(exc))

        return guarded

    return wrap


# the cog ---------------------------------------------------------------------------------------


class Ta(commands.GroupCog, group_name="ta", group_description="Course TA tools"):
    """TA-only commands; thin: each one calls a service in a worker thread and formats the answer."""

    assign = app_commands.Group(
        name="assign", description="The review round: preview a draft, then publish it"
    )
    link = app_commands.Group(name="link", description="Discord account links: approve, reject, list, codes")

    def __init__(self, bot: ReviewBot) -> None:
        self.bot = bot
        self.config = bot.config
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        return not await self._refused(interaction)

    async def _refused(self, interaction: discord.Interaction) -> bool:
        """Answer (ephemerally) and return True when the user is not a TA here."""
        refusal = ta_refusal(self.config.discord, interaction)
        if refusal is not None:
            await reply(interaction, refusal)
            return True
        return False

    async def _student_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if ta_refusal(self.config.discord, interaction) is not None:
            return []  # autocomplete runs without the checks: never list names to a student
        people = await self.bot.db.run(find_people, current, 25)
        return [app_commands.Choice(name=clip(f"{p.name} <{p.email}>", 100), value=p.key) for p in people]

    async def _request_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if ta_refusal(self.config.discord, interaction) is not None:
            return []
        requests = await self.bot.db.run(_pending)
        return [
            app_commands.Choice(name=clip(f"#{r.id} {r.discord_name} as {r.student_name}", 100), value=r.id)
            for r in requests
            if current.casefold() in f"{r.id} {r.discord_name} {r.student_name}".casefold()
        ][:25]

    # reports ---------------------------------------------------------------------------------

    @app_commands.command(name="coverage", description="Rubric coverage: a summary, with the CSV attached")
    @ta_command()
    async def coverage(self, interaction: discord.Interaction) -> None:
        totals, text = await self.bot.db.run(_coverage, self.config)
        summary = [
            f"**Coverage: {self.config.course.name}**",
            f"{totals['students']} students, {totals['with_post']} with a post link, "
            f"{totals['comment_links']} comment links",
        ]
        sections = ", ".join(
            f"{k} {totals[k]}" for k in ("problem", "movie_example", "strengths_limitations")
        )
        summary.append(f"rubric sections present: {sections}")
        flags = [f"{k[5:]} {v}" for k, v in totals.items() if k.startswith("flag:")]
        if flags:
            summary.append("flags: " + ", ".join(flags))
        await reply(interaction, clip("\n".join(summary), 2000), file=_file(text, "coverage.csv"))

    @app_commands.command(name="export", description="CSV exports: coverage per student and every review")
    @ta_command()
    async def export(self, interaction: discord.Interaction) -> None:
        _, cover = await self.bot.db.run(_coverage, self.config)
        reviews = await self.bot.db.run(_reviews_csv)
        await reply(
            interaction,
            "Coverage per student, and every review with its comment:",
            files=[_file(cover, "coverage.csv"), _file(reviews, "reviews.csv")],
        )

    @app_commands.command(
        name="missing", description="Who lacks a post, who still owes comments, who is not linked"
    )
    @ta_command()
    async def missing(self, interaction: discord.Interaction) -> None:
        report = await self.bot.db.run(missing_report)
        await reply(interaction, embed=missing_embed(report), file=_file(report.to_csv(), "missing.csv"))

    @app_commands.command(
        name="student", description="One student: post, rubric check, reviews, Discord link"
    )
    @app_commands.describe(student="Name or e-mail")
    @ta_command()
    async def student(self, interaction: discord.Interaction, student: str) -> None:
        people = await self.bot.db.run(find_people, student, 25)
        if not people:
            await reply(interaction, f"No one on the roster matches {student!r}.")
            return
        if len(people) > 1:
            names = "\n".join(f"- {p.name} <{p.email}>" for p in people)
            await reply(interaction, clip(f"Several people match; pick one:\n{names}", 2000))
            return
        card = await self.bot.db.run(student_card, self.config, people[0].key)
        await reply(interaction, embed=student_embed(self.config, card))

    student.autocomplete("student")(_student_choices)

    # the audit -------------------------------------------------------------------------------

    @app_commands.command(name="audit", description="Run the audit now (sync, fetch, check, round update)")
    @ta_command()
    async def audit(self, interaction: discord.Interaction) -> None:
        if self.bot.auditor.running:
            await reply(interaction, "An audit is running now; its summary will be posted in the TA channel.")
            return
        await reply(interaction, "Audit started; the summary goes to the TA channel and here.")
        run = await self.bot.auditor.run(f"Audit requested by {interaction.user.display_name}")
        with contextlib.suppress(discord.HTTPException):  # expired during a long audit: the channel has it
            await reply(interaction, clip(run.text, 2000))

    # the round -------------------------------------------------------------------------------

    @assign.command(name="preview", description="Compute a draft review round (replaces an earlier draft)")
    @app_commands.describe(seed="Another seed gives another draft (default: [assignment] seed)")
    @ta_command(RoundError, Busy)
    async def assign_preview(self, interaction: discord.Interaction, seed: int | None = None) -> None:
        view = await self.bot.db.exclusive("assign preview (Discord)", _preview, self.config, seed)
        lines = [f"Draft round {view.round_id}: {len(view.pairs)} reviews, {view.k} each (seed {view.seed})."]
        lines += [f"relaxed {r.constraint}: {r.reason}" for r in view.relaxations]
        lines.append("Check the attached pairs, then `/ta assign publish`.")
        await reply(
            interaction, clip("\n".join(lines), 2000), file=_file(_pairs_csv(view), "draft_round.csv")
        )

    @assign.command(
        name="publish", description="Publish the draft: pairs are frozen and every student gets a DM"
    )
    @ta_command(RoundError, Busy)
    async def assign_publish(self, interaction: discord.Interaction) -> None:
        view = await self.bot.db.exclusive("assign publish (Discord)", _publish, self.config)
        await reply(
            interaction,
            f"Round {view.round_id} published: {len(view.pairs)} reviews. Sending every "
            "student their posts now; the summary goes to the TA channel.",
        )
        self.bot.spawn(self._announce(f"Round {view.round_id} published"), "announce-publish")

    @app_commands.command(
        name="reassign", description="Update the round: late posts, students who left, stalled reviews"
    )
    @ta_command(RoundError, Busy)
    async def reassign(self, interaction: discord.Interaction) -> None:
        report = await self.bot.db.exclusive("assign update (Discord)", _update, self.config)
        await reply(interaction, clip("\n".join(report.reasons) or "Nothing to change.", 2000))
        if report.revisions:
            self.bot.spawn(self._announce("Round updated"), "announce-update")

    async def _announce(self, title: str) -> None:
        lines = await self.bot.announcer.announce_revisions()
        await self.bot.post_to_tas("\n".join([f"**{title}**", *(f"told students: {x}" for x in lines)]))

    # account links ---------------------------------------------------------------------------

    @link.command(name="list", description="Pending link requests, and how many students are linked")
    @ta_command()
    async def link_list(self, interaction: discord.Interaction) -> None:
        requests = await self.bot.db.run(_pending)
        linked, total = await self.bot.db.run(_link_counts)
        lines = [f"{linked} of {total} students linked. Pending requests: {len(requests)}."]
        lines += [request_line(r) for r in requests]
        await reply(interaction, clip("\n".join(lines), 2000))

    @link.command(name="approve", description="Approve a link request after checking who asked")
    @app_commands.describe(request="The request number (see /ta link list)")
    @ta_command(LinkError)
    async def link_approve(self, interaction: discord.Interaction, request: int) -> None:
        person = await self.bot.db.run(_approve, request, interaction.user.id)
        await reply(
            interaction, f"Linked <@{person.discord_id}> to {person.name}. They get a DM with their reviews."
        )
        self.bot.spawn(self.bot.announcer.welcome(person.key, f"link:request:{request}"), "link-welcome")

    link_approve.autocomplete("request")(_request_choices)

    @link.command(name="reject", description="Reject a link request")
    @app_commands.describe(request="The request number", reason="Told to the person who asked")
    @ta_command(LinkError)
    async def link_reject(self, interaction: discord.Interaction, request: int, reason: str = "") -> None:
        rejected = await self.bot.db.run(_reject, request, interaction.user.id, reason)
        await reply(interaction, f"Request #{request} rejected.")
        text = "Your request to link your Discord account to the course roster was not approved"
        self.bot.spawn(
            self._tell(rejected.discord_id, f"{text}{': ' + reason if reason else '.'} Ask a TA."),
            "link-rejected",
        )

    link_reject.autocomplete("request")(_request_choices)

    @link.command(
        name="code", description="A one-time link code for one student, to send via Canvas or e-mail"
    )
    @app_commands.describe(student="Name or e-mail")
    @ta_command(LinkError)
    async def link_code(self, interaction: discord.Interaction, student: str) -> None:
        person = await self._one_student(interaction, student)
        if person is None:
            return
        code = await self.bot.db.run(_issue, person.key, interaction.user.id)
        await reply(
            interaction,
            f"One-time code for {person.name} <{person.email}>: `{code}` (valid 14 days; "
            "earlier codes stop working). Send it through Canvas or e-mail; they run "
            f"`/link email:{person.email} code:{code}`.",
        )

    link_code.autocomplete("student")(_student_choices)

    @link.command(
        name="codes", description="Fresh one-time codes for every unlinked student (CSV for a mail merge)"
    )
    @ta_command()
    async def link_codes(self, interaction: discord.Interaction) -> None:
        text = await self.bot.db.run(_issue_all, interaction.user.id)
        await reply(
            interaction,
            "Codes for every unlinked student (earlier codes stop working). Send each one "
            "to its student only.",
            file=_file(text, "link_codes.csv"),
        )

    @link.command(name="remove", description="Remove a student's Discord link (a mistake, a new account)")
    @app_commands.describe(student="Name or e-mail")
    @ta_command(LinkError)
    async def link_remove(self, interaction: discord.Interaction, student: str) -> None:
        person = await self._one_student(interaction, student)
        if person is None:
            return
        unlinked = await self.bot.db.run(_unlink, person.key, interaction.user.id)
        await reply(interaction, f"{unlinked.name} is no longer linked to <@{unlinked.discord_id}>.")

    link_remove.autocomplete("student")(_student_choices)

    async def _one_student(self, interaction: discord.Interaction, query: str) -> Person | None:
        """The one roster person the query names; answers "name exactly one" when it is not one."""
        people = await self.bot.db.run(find_people, query, 2)
        if len(people) != 1:
            await reply(interaction, "Name exactly one student (pick from the suggestions).")
            return None
        return people[0]

    async def _tell(self, discord_id: str, text: str) -> None:
        try:
            await self.bot.deliverer.transport.send_dm(discord_id, text)
        except Exception as exc:  # best effort: they can ask again
            log.info("could not tell %s: %s", discord_id, exc)


async def setup(bot: ReviewBot) -> None:
    await bot.add_cog(Ta(bot))
