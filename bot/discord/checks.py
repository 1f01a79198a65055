"""Who may do what: TAs by the role id in bot.toml (checked here, not left to Discord permissions)."""

from __future__ import annotations

import discord

from bot.config import DiscordConfig

NOT_TA = "Only course TAs can use this command."
NOT_LINKED = (
    "I don't know who you are on the course roster yet. Link your account first: "
    "`/link email:<your course e-mail>`; a TA approves it (or add the one-time code the course sent you)."
)


def ta_refusal(settings: DiscordConfig, interaction: discord.Interaction) -> str | None:
    """Why this user may not use TA commands here, or None when they may."""
    if not settings.ta_role_id:
        return "TA commands are off: set `ta_role_id` under [discord] in bot.toml."
    if settings.guild_id and interaction.guild_id != settings.guild_id:
        return "TA commands work only in the course server."
    user = interaction.user
    if not isinstance(user, discord.Member):
        return NOT_TA
    if not any(role.id == settings.ta_role_id for role in user.roles):
        return NOT_TA
    return None


async def reply(interaction: discord.Interaction, content: str = "", **kwargs: object) -> None:
    """An ephemeral answer, whether or not the interaction was deferred."""
    kwargs.setdefault("ephemeral", True)
    if interaction.response.is_done():
        await interaction.followup.send(content or None, **kwargs)  # type: ignore[arg-type]
    else:
        await interaction.response.send_message(content or None, **kwargs)  # type: ignore[arg-type]
