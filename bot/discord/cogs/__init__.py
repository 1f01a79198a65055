"""One cog per audience: students, TAs, and the background loop (nightly audit, reminders)."""

EXTENSIONS = ("bot.discord.cogs.students", "bot.discord.cogs.ta", "bot.discord.cogs.audit_loop")
