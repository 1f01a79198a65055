"""Raw fetched bytes on disk, content-addressed: the same bytes are stored once and never deleted."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class SnapshotStore:
    """Files named by the SHA-256 of their bytes under `root/ab/cd/<hash>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` (once) and return its SHA-256; safe against crashes and concurrent writers."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)  # atomic: a reader sees all of the file or none of it
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return digest

    def sweep(self) -> int:
        """Remove half-written files a crash left behind; call under the writer lock."""
        removed = 0
        if self.root.exists():
            for stale in self.root.glob("*/*/.tmp-*"):
                stale.unlink(missing_ok=True)
                removed += 1
        return removed

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None
