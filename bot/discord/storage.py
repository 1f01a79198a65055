"""The store from async code: every call runs in a worker thread on a Store opened in that thread.

SQLite connections belong to the thread that opened them, and a query must never block the event
loop, so cogs never touch a Store directly: they pass a plain function to `Database.run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.locking import WriterLock
from bot.store import Store

T = TypeVar("T")


class Database:
    """Runs `fn(store, *args)` in a worker thread, on a Store opened and closed in that thread."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def migrate(self) -> list[str]:
        """Apply pending migrations (blocking; call once at start, in a thread)."""
        with Store(self.path, migrate=False) as store:
            return store.migrate()

    async def run(self, fn: Callable[..., T], /, *args: Any) -> T:
        return await asyncio.to_thread(self._call, fn, args, None)

    async def exclusive(self, purpose: str, fn: Callable[..., T], /, *args: Any) -> T:
        """Like run, under the writer lock (raises bot.locking.Busy when another writer holds it)."""
        return await asyncio.to_thread(self._call, fn, args, purpose)

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...], purpose: str | None) -> T:
        if purpose is None:
            with Store(self.path, migrate=False) as store:
                return fn(store, *args)
        with WriterLock(self.path, purpose), Store(self.path, migrate=False) as store:
            return fn(store, *args)
