"""The SQLite schema as sqlite-utils migrations, applied on start and by `reviewbot db migrate`."""

from migrations.migrations import migrations

__all__ = ["migrations"]
