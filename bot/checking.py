"""The check step: the rubric classifier over every fetched post whose snapshot has no verdict yet.

Verdicts are cached by (snapshot hash, model version): an unchanged post is never classified twice.
A new snapshot whose text is the same as an earlier one of the same post (a page that changed only
around the post: new comments, counters, scripts) takes that snapshot's verdict, recorded again for
the new snapshot, without running the model. The model is loaded once per process, and only when
there is something to classify.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.fetching import article_from_snapshot
from bot.snapshots import SnapshotStore
from bot.store import Store, utcnow

if TYPE_CHECKING:
    from models.rubric import PostVerdict, RubricChecker

_checker: RubricChecker | None = None
_checker_lock = threading.Lock()


def load_checker() -> RubricChecker:
    """The rubric classifier, loaded once per process (encoder and head)."""
    global _checker
    with _checker_lock:
        if _checker is None:
            from models.rubric import RubricChecker

            _checker = RubricChecker.load()
        return _checker


def model_version() -> str:
    from models.rubric import MODEL_VERSION

    return MODEL_VERSION


@dataclass
class CheckReport:
    """What one check step did."""

    checked: int = 0
    cached: int = 0
    skipped: list[str] = field(default_factory=list)  # post keys with nothing to read, and why

    def summary(self) -> str:
        text = f"{self.checked} checked, {self.cached} unchanged (verdict kept)"
        return text + (f", {len(self.skipped)} not readable" if self.skipped else "")


class CheckService:
    """Classifies posts and stores one verdict per (snapshot, model version)."""

    def __init__(
        self, store: Store, config: Config, checker_factory: Callable[[], RubricChecker] = load_checker
    ) -> None:
        self.store = store
        self.config = config
        self.checker_factory = checker_factory
        self.version = model_version()
        self._checked: set[str] = set()  # snapshots with a verdict from this model

    def run(self, batch_posts: int = 32, progress: Callable[..., object] | None = None) -> CheckReport:
        """Check every current post that was fetched and has no verdict for this model yet."""
        report = CheckReport()
        cursor = self.store.db.execute("select sha256 from checks where model_version = ?", [self.version])
        self._checked = {sha for (sha,) in cursor.fetchall()}
        pending: list[tuple[dict[str, Any], Any, str]] = []
        snapshots = SnapshotStore(self.config.snapshot_dir)
        tools = {s["key"]: s["tool"] or "" for s in self.store.rows("students")}
        for post in self.store.rows("posts", "status = 'current' and sha256 is not null", order_by="key"):
            tool = post.get("tool") or tools.get(post["student_key"], "")
            if post["sha256"] in self._checked or self._same_text_verdict(post, tool):
                report.cached += 1
                continue
            article = article_from_snapshot(snapshots, post)
            if article is None:
                report.skipped.append(post["key"])
                continue
            pending.append((post, article, tool))
        if not pending:
            return report
        checker = self.checker_factory()
        for start in range(0, len(pending), batch_posts):
            batch = pending[start : start + batch_posts]
            verdicts = checker.check_many([(article, tool) for _, article, tool in batch])
            with self.store.db.atomic():
                for (post, _, tool), verdict in zip(batch, verdicts, strict=True):
                    self._save(post, verdict, tool)
                    report.checked += 1
                    if progress:
                        progress()
        return report

    def _same_text_verdict(self, post: dict[str, Any], tool: str) -> bool:
        """Record, for the post's new snapshot, the verdict this model gave an earlier snapshot of the
        same post with the same text and the same claimed tool; False when there is none."""
        if not post.get("text_sha256"):
            return False
        rows = list(
            self.store.rows(
                "checks",
                "post_key = ? and text_sha256 = ? and model_version = ? and tool = ?",
                [post["key"], post["text_sha256"], self.version, tool],
                order_by="id desc",
                limit=1,
            )
        )
        if not rows:
            return False
        self._insert(post, rows[0]["result"], tool)
        return True

    def _save(self, post: dict[str, Any], verdict: PostVerdict, tool: str) -> None:
        if post["sha256"] in self._checked:
            return  # another post with the same bytes was checked in this run
        self._insert(post, json.dumps(verdict.to_json(post["url"]), sort_keys=True), tool)

    def _insert(self, post: dict[str, Any], result: str, tool: str) -> None:
        self.store.db["checks"].insert(  # type: ignore[union-attr]
            {
                "post_key": post["key"],
                "sha256": post["sha256"],
                "text_sha256": post.get("text_sha256"),
                "tool": tool,
                "model_version": self.version,
                "result": result,
                "created_at": utcnow(),
            }
        )
        self._checked.add(post["sha256"])


def latest_verdict(store: Store, post: dict[str, Any]) -> dict[str, Any] | None:
    """The newest verdict for a post's current snapshot, whatever the model version."""
    if not post.get("sha256"):
        return None
    rows = list(store.rows("checks", "sha256 = ?", [post["sha256"]], order_by="id desc", limit=1))
    return json.loads(rows[0]["result"]) if rows else None
