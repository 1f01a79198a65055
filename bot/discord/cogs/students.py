"""Student commands: /reviews, /mypost, /link, /comment. Every answer is ephemeral and about the
asker only: the roster identity comes from the linked Discord account, never from an argument.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import NOT_LINKED, reply
from bot.discord.coursework import CommentError, post_report, report_comment
from bot.discord.embeds import clip, post_embed, reviews_embed
from bot.linking import LinkError, LinkRequest, LinkService, Person
from bot.reminders import ReviewLine, review_lines
from bot.store import Store

if TYPE_CHECKING:
    from bot.discord.client import ReviewBot

log = logging.getLogger(__name__)


def linked_person(store: Store, discord_id: int) -> Person | None:
    return LinkService(store).person_for(discord_id)


def request_link(store: Store, discord_id: int, name: str, email: str) -> LinkRequest:
    return LinkService(store).request(discord_id, name, email)


def redeem_code(store: Store, discord_id: int, name: str, email: str, code: str) -> Person:
    return LinkService(store).redeem(discord_id, name, email, code)


def linked_review_lines(store: Store, discord_id: int) -> list[ReviewLine]:
    """The reviews of the student linked to this account (none when it is not linked)."""
    person = linked_person(store, discord_id)
    return review_lines(store, person.key) if person is not None else []


class Students(commands.Cog):
    """What a student asks the bot about their own work."""

    def __init__(self, bot: ReviewBot) -> None:
        self.bot = bot

    async def _me(self, interaction: discord.Interaction) -> Person | None:
        """The asker's roster identity; answers "link first" when there is none."""
        person = await self.bot.db.run(linked_person, interaction.user.id)
        if person is None:
            await reply(interaction, NOT_LINKED)
        return person

    @app_commands.command(
        name="reviews", description="The posts you comment on, and whether your comments count"
    )
    async def reviews(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        person = await self._me(interaction)
        if person is None:
            return
        lines = await self.bot.db.run(review_lines, person.key)
        if not lines:
            await reply(
                interaction,
                "You have no posts to comment on yet: they come when the TAs publish the "
                "review round, by DM.",
            )
            return
        await reply(interaction, embed=reviews_embed(self.bot.config, lines))

    @app_commands.command(
        name="mypost", description="The rubric check of your own post: what was found, what is missing"
    )
    async def mypost(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        person = await self._me(interaction)
        if person is None:
            return
        report = await self.bot.db.run(post_report, self.bot.config, person.key)
        await reply(interaction, embed=post_embed(report))

    @app_commands.command(
        name="link", description="Connect your Discord account to your course roster identity"
    )
    @app_commands.describe(
        email="The e-mail the course has for you (your school address)",
        code="The one-time code the course sent you, if you have one (links at once)",
    )
    async def link(self, interaction: discord.Interaction, email: str, code: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = interaction.user
        try:
            if code:
                person = await self.bot.db.run(redeem_code, user.id, user.name, email, code)
            else:
                request = await self.bot.db.run(request_link, user.id, user.name, email)
        except LinkError as exc:
            await reply(interaction, str(exc))
            return
        if code:
            await reply(interaction, f"Linked: you are {person.name} on the course roster. Try `/reviews`.")
            key = f"link:code:{user.id}:{person.key}:{interaction.id}"
            self.bot.spawn(self.bot.announcer.welcome(person.key, key), "link-welcome")
            return
        if not request.fresh:
            await reply(
                interaction, f"Your request #{request.id} is still waiting for a TA; no need to ask again."
            )
            return
        await reply(
            interaction,
            f"Request #{request.id} recorded: a TA will confirm that this account is {request.student_name}. "
            "You will get a DM when it is done (allow DMs from server members).",
        )
        self.bot.spawn(
            self.bot.post_to_tas(
                f"New link request #{request.id}: <@{user.id}> ({user.name}) says they are "
                f"{request.student_name}. `/ta link approve request:{request.id}` or `/ta link reject`."
            ),
            "link-notice",
        )

    @app_commands.command(
        name="comment", description="Report the link to a comment you left on an assigned post"
    )
    @app_commands.describe(
        post="Which of your assigned posts", link="The link to your comment (or Medium response)"
    )
    async def comment(self, interaction: discord.Interaction, post: str, link: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        person = await self._me(interaction)
        if person is None:
            return
        try:
            line = await self.bot.db.run(report_comment, self.bot.config, person.key, post, link)
        except CommentError as exc:
            await reply(interaction, str(exc))
            return
        await reply(interaction, clip(f"Noted for the post by {line.author_name}: {line.explain()}", 2000))

    @comment.autocomplete("post")
    async def _post_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lines = await self.bot.db.run(linked_review_lines, interaction.user.id)
        choices = []
        for n, line in enumerate(lines, 1):
            label = clip(f"{n}. {line.post_title or line.post_url} by {line.author_name}", 100)
            if current.casefold() in label.casefold():
                choices.append(app_commands.Choice(name=label, value=f"a:{line.assignment_id}"))
        return choices[:25]


async def setup(bot: ReviewBot) -> None:
    await bot.add_cog(Students(bot))
