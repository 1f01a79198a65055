"""One writer at a time: an exclusive lock beside the database, held while a command writes."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class Busy(Exception):
    """Another Reviewbot process holds the lock; the message says which and since when."""


class WriterLock:
    """An advisory lock on `<database>.lock` (released by the OS if the holder dies, even by kill -9)."""

    def __init__(self, database: Path, purpose: str) -> None:
        self.path = database.with_name(database.name + ".lock")
        self.purpose = purpose
        self.handle: int | None = None

    def __enter__(self) -> WriterLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise Busy(
                f"another Reviewbot command is writing to this course ({holder}); try again later"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.purpose}, pid {os.getpid()}".encode(), 0)
        self.handle = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            os.ftruncate(self.handle, 0)
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            os.close(self.handle)
            self.handle = None
