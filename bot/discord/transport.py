"""The Discord side of delivery: a DM, else a private thread in the course channel, else a mention.

Discord answers a DM to someone who does not accept DMs from server members with error code 50007;
depending on the route it arrives as `discord.Forbidden` or as a plain `discord.HTTPException`, so
both are read by their code.
"""

from __future__ import annotations

import logging

import discord

from bot.delivery import DeliveryFailed, DmClosed, FallbackReceipt

log = logging.getLogger(__name__)

CANNOT_DM = 50007
LIMIT = 2000


def chunks(text: str, limit: int = LIMIT) -> list[str]:
    """Split a message at line ends so each part fits in one Discord message."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current.strip():
        parts.append(current)
    return parts or [""]


def _describe(exc: discord.HTTPException) -> str:
    return f"Discord {exc.status} (code {exc.code}): {exc.text or type(exc).__name__}"[:300]


class DiscordTransport:
    """Sends delivery messages through a connected client."""

    def __init__(self, client: discord.Client, course_channel_id: int) -> None:
        self.client = client
        self.course_channel_id = course_channel_id

    async def send_dm(self, discord_id: str, text: str) -> None:
        try:
            channel = await self.client.create_dm(discord.Object(int(discord_id)))
            for part in chunks(text):
                await channel.send(part)
        except discord.HTTPException as exc:  # Forbidden is a subclass: both carry the code
            if exc.code == CANNOT_DM:
                raise DmClosed(_describe(exc)) from None
            raise DeliveryFailed(_describe(exc)) from None

    async def send_fallback(
        self, discord_id: str, text: str, thread_id: str, thread_name: str
    ) -> FallbackReceipt:
        channel = await self._course_channel()
        user = discord.Object(int(discord_id))
        if thread_id:
            try:
                thread = self.client.get_channel(int(thread_id)) or await self.client.fetch_channel(
                    int(thread_id)
                )
                if isinstance(thread, discord.Thread):
                    await self._post(thread, discord_id, text)
                    return FallbackReceipt("thread", thread_id)
            except discord.HTTPException as exc:
                log.info("fallback thread %s unusable (%s); making a new one", thread_id, _describe(exc))
        try:
            thread = await channel.create_thread(
                name=thread_name[:100],
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
            )
            await thread.add_user(user)
            await self._post(thread, discord_id, text)
            return FallbackReceipt("thread", str(thread.id))
        except discord.HTTPException as exc:
            log.warning("cannot open a private thread in the course channel: %s", _describe(exc))
        try:
            await channel.send(
                f"<@{discord_id}> I could not send you a direct message. Allow DMs from this server's "
                "members (Privacy Settings), or use `/reviews` here: only you will see the answer.",
                allowed_mentions=discord.AllowedMentions(users=[user], everyone=False, roles=False),
            )
        except discord.HTTPException as exc:
            raise DeliveryFailed(f"no DM, no thread, no mention: {_describe(exc)}") from None
        return FallbackReceipt("mention")

    async def _post(self, thread: discord.Thread, discord_id: str, text: str) -> None:
        user = discord.Object(int(discord_id))
        mentions = discord.AllowedMentions(users=[user], everyone=False, roles=False)
        for i, part in enumerate(chunks(text, LIMIT - 40)):  # room for the mention
            await thread.send(f"<@{discord_id}> {part}" if i == 0 else part, allowed_mentions=mentions)

    async def _course_channel(self) -> discord.TextChannel:
        cid = self.course_channel_id
        if not cid:
            raise DeliveryFailed("no course channel configured ([discord] course_channel_id)")
        try:
            channel = self.client.get_channel(cid) or await self.client.fetch_channel(cid)
        except discord.HTTPException as exc:
            raise DeliveryFailed(f"course channel {cid}: {_describe(exc)}") from None
        if not isinstance(channel, discord.TextChannel):
            raise DeliveryFailed(f"course channel {cid} is not a text channel")
        return channel
