"""How the commands' answers look: embeds built from the plain dataclasses, within Discord's limits."""

from __future__ import annotations

import discord

from bot.config import Config
from bot.discord.coursework import MissingReport, PostReport, StudentCard
from bot.linking import LinkRequest
from bot.reminders import ReviewLine, due_text

OK, NO, WAIT = "✅", "❌", "⏳"
FIELD, DESCRIPTION, FIELDS = 1024, 4096, 25


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _mark(line: ReviewLine) -> str:
    if line.done:
        return OK if line.comment_status == "found" else WAIT
    return NO


def review_field(n: int, line: ReviewLine) -> tuple[str, str]:
    title = line.post_title or line.post_url
    name = clip(f"{_mark(line)} {n}. {title}", 256)
    value = f"by {line.author_name}: <{line.post_url}>\n{line.explain()}"
    return name, clip(value, FIELD)


def reviews_embed(config: Config, lines: list[ReviewLine]) -> discord.Embed:
    done = sum(1 for line in lines if line.done)
    embed = discord.Embed(
        title=clip(f"Your peer reviews: {done} of {len(lines)} done", 256),
        description=f"Comments are due **{due_text(config)}**.",
        colour=discord.Colour.green() if done == len(lines) else discord.Colour.orange(),
    )
    for n, line in enumerate(lines[:FIELDS], 1):
        name, value = review_field(n, line)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Commented where the bot cannot read? /comment reports the link.")
    return embed


def post_embed(report: PostReport) -> discord.Embed:
    if not report.post_url:
        embed = discord.Embed(title="Your post", description="No post link on record yet.")
    else:
        embed = discord.Embed(
            title=clip(report.title or "Your post", 256),
            url=report.post_url,
            description=clip(_post_state(report), DESCRIPTION),
        )
    for section in report.sections:
        if section.present:
            confidence = f" (confidence {section.confidence:.2f})" if section.confidence is not None else ""
            where = f"under “{section.heading}”: " if section.heading else ""
            value = f"{where}“{section.evidence}”" if section.evidence else "present"
            embed.add_field(
                name=clip(f"{OK} {section.label}{confidence}", 256), value=clip(value, FIELD), inline=False
            )
        else:
            embed.add_field(
                name=clip(f"{NO} {section.label}: missing", 256),
                value=clip(section.hint, FIELD),
                inline=False,
            )
    if report.flags:
        embed.add_field(
            name="To look at", value=clip("\n".join(f"- {f}" for f in report.flags), FIELD), inline=False
        )
    return embed


def _post_state(report: PostReport) -> str:
    parts = [f"<{report.post_url}>"]
    if report.fetch_status == "failed":
        parts.append(f"{NO} The bot could not read it: {report.fetch_reason or 'unknown reason'}.")
    elif not report.fetch_status:
        parts.append(f"{WAIT} Not fetched yet; the nightly audit reads it.")
    else:
        words = f"{report.words} words" if report.words else ""
        if report.words and report.min_words and report.words < report.min_words:
            words += f" (the course asks for at least {report.min_words})"
        parts.append(words)
    if report.post_url and report.fetch_status == "ok" and not report.checked:
        parts.append(f"{WAIT} Rubric check: not checked yet (the nightly audit checks it).")
    elif report.checked:
        missing = report.missing
        parts.append(
            f"{OK} All three rubric sections found."
            if not missing
            else f"{NO} Missing {len(missing)} of 3 rubric sections: see below, then update your post; "
            "the next audit checks it again."
        )
    return "\n".join(p for p in parts if p)


def student_embed(config: Config, card: StudentCard) -> discord.Embed:
    person = card.person
    linked = f"<@{person.discord_id}>" if person.discord_id else "not linked"
    embed = post_embed(card.post)
    embed.title = clip(f"{person.name} ({person.email or person.key})", 256)
    header = f"Team {card.team or '-'}, tool {card.tool or '-'}, Discord: {linked}" + (
        "" if person.active else " (inactive)"
    )
    embed.description = clip(header + "\n" + (embed.description or ""), DESCRIPTION)
    gives = "\n".join(f"{_mark(line)} {line.author_name}: {line.explain()}" for line in card.gives)
    embed.add_field(
        name=f"Comments to give ({len(card.gives)})",
        value=clip(gives or "none assigned", FIELD),
        inline=False,
    )
    receives = "\n".join(f"{_mark(line)} from {line.reviewer_name}" for line in card.receives)
    embed.add_field(
        name=f"Comments to receive ({len(card.receives)})",
        value=clip(receives or "none assigned", FIELD),
        inline=False,
    )
    if card.deliveries:
        embed.add_field(name="Messages", value=clip("\n".join(card.deliveries), FIELD), inline=False)
    if card.link_requests:
        embed.add_field(name="Link requests", value=clip("\n".join(card.link_requests), FIELD), inline=False)
    return embed


def missing_embed(report: MissingReport) -> discord.Embed:
    embed = discord.Embed(title="Who is missing what")
    no_post = "\n".join(f"- {name}: {why}" for name, why in report.no_post)
    embed.add_field(
        name=f"Posts ({len(report.no_post)})", value=clip(no_post or "everyone has one", FIELD), inline=False
    )
    if report.round_published:
        owing = "\n".join(f"- {name}: {n} of {total} open" for name, n, total in report.owing)
        embed.add_field(
            name=f"Comments ({len(report.owing)})",
            value=clip(owing or "no comment missing", FIELD),
            inline=False,
        )
    else:
        embed.add_field(name="Comments", value="no review round published yet", inline=False)
    unlinked = ", ".join(report.unlinked)
    embed.add_field(
        name=f"Not linked to Discord ({len(report.unlinked)})",
        value=clip(unlinked or "everyone is linked", FIELD),
        inline=False,
    )
    embed.set_footer(text="The attached CSV has the full lists.")
    return embed


def request_line(request: LinkRequest) -> str:
    evidence = "Discord name matches the roster" if request.handle_matches else "no roster handle match"
    rivals = f"; {request.rivals} other request(s) for this student" if request.rivals else ""
    return (
        f"#{request.id} <@{request.discord_id}> ({request.discord_name}) claims {request.student_name} "
        f"<{request.email}>, {request.created_at[:16]}: {evidence}{rivals}"
    )
