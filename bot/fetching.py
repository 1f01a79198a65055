"""Fetch every current post: walk its platform's fetch plan, keep the raw bytes, extract the article.

Network work runs in threads; every database write happens in the calling thread (one writer).
A failure on one post is recorded with its reason and never stops the others.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.config import Config
from bot.snapshots import SnapshotStore
from bot.store import Store, utcnow
from scrapers.article import Article
from scrapers.fetch import Fetcher, FetchPolicy, FetchResult
from scrapers.platforms import FetchStep, PlatformError, plan

VIDEO_PLATFORMS = ("youtube", "video")


@dataclass
class Version:
    """One fetched body worth keeping."""

    sha256: str
    url: str
    final_url: str
    status: int
    content_type: str
    headers: dict[str, str]
    size: int
    kind: str
    fetched_at: str


@dataclass
class FetchOutcome:
    """What fetching one post gave."""

    post_key: str
    status: str  # ok | unchanged | failed
    reason: str = ""
    article: Article | None = None
    kind: str = ""
    versions: list[Version] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return self.versions[-1].sha256 if self.versions else ""


def fetch_policy(config: Config) -> FetchPolicy:
    fetch = config.fetch
    return FetchPolicy(
        user_agent=config.user_agent,
        read_timeout=fetch.timeout_seconds,
        deadline=fetch.timeout_seconds * 2,
        max_bytes=fetch.max_bytes,
        respect_robots=fetch.respect_robots,
        per_host_delay=fetch.per_host_delay,
        per_host_concurrency=fetch.per_host_concurrency,
        allow_loopback=fetch.allow_private_addresses,
        allow_private=fetch.allow_private_addresses,
    )


def parse_step(step: FetchStep, body: bytes, post_url: str, reasons: list[str]) -> Article | None:
    """The article a fetch step's answer gives, or None with the reason added to `reasons`."""
    try:
        article = step.parse(body, post_url)
    except PlatformError as exc:
        reasons.append(str(exc))
        return None
    except Exception as exc:  # a parser bug must not stop the audit of the other posts
        reasons.append(f"could not read the page ({type(exc).__name__})")
        return None
    if not article.blocks and "video_post" not in article.flags:
        reasons.append("no article text found on the page")
        return None
    return article


def article_from_snapshot(snapshots: SnapshotStore, post: Mapping[str, Any]) -> Article | None:
    """The post's article, read again from its kept snapshot (no network)."""
    body = snapshots.get(post.get("sha256") or "")
    if body is None:
        return None
    for step in plan(post["url"], post["platform"] or "web"):
        if step.kind == post.get("snapshot_kind"):
            return parse_step(step, body, post["url"], [])
    return None


class PostFetcher:
    """Fetches posts for the audit and records what it found."""

    def __init__(self, store: Store, config: Config, fetcher: Fetcher | None = None) -> None:
        self.store = store
        self.config = config
        self.fetcher = fetcher or Fetcher(fetch_policy(config))
        self.snapshots = SnapshotStore(config.snapshot_dir)
        self.timings: dict[str, float] = {}  # seconds per kind of work, summed over threads
        self._timing_lock = threading.Lock()

    @contextlib.contextmanager
    def timer(self, kind: str) -> Iterator[None]:
        """Add the time spent in the block to `timings[kind]`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            with self._timing_lock:
                self.timings[kind] = self.timings.get(kind, 0.0) + time.perf_counter() - started

    def run(
        self, posts: Iterable[dict[str, Any]] | None = None, workers: int = 4,
        progress: Callable[[FetchOutcome], None] | None = None,
    ) -> list[FetchOutcome]:  # fmt: skip
        """Fetch posts (all current ones by default) and record each outcome as it arrives."""
        self.snapshots.sweep()  # leftovers of a crashed run: their bytes are fetched again
        rows = list(
            posts if posts is not None else self.store.rows("posts", "status = 'current'", order_by="key")
        )
        validators = {row["key"]: self._validators(row) for row in rows}
        outcomes = []
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = [pool.submit(self.fetch_one, row, *validators[row["key"]]) for row in rows]
            for future in futures:
                outcome = future.result()
                with self.timer("database"):
                    self.record(outcome)
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
        return outcomes

    def _validators(self, row: dict[str, Any]) -> tuple[str, str, str]:
        """The ETag / Last-Modified of the post's current snapshot, with its hash."""
        if not row.get("sha256"):
            return "", "", ""
        found = list(
            self.store.rows("snapshots", "post_key = ? and sha256 = ?", [row["key"], row["sha256"]], limit=1)
        )
        headers = json.loads(found[0]["headers"] or "{}") if found else {}
        return headers.get("etag", ""), headers.get("last-modified", ""), row["sha256"]

    def fetch_one(
        self, row: dict[str, Any], etag: str = "", modified: str = "", last_sha: str = ""
    ) -> FetchOutcome:
        """Fetch one post through its plan; runs in a worker thread and never touches the database."""
        try:
            return self._fetch_one(row, etag, modified, last_sha)
        except Exception as exc:  # one odd post never stops the audit of the others
            return FetchOutcome(row["key"], "failed", f"could not fetch ({type(exc).__name__}: {exc})"[:200])

    def _fetch_one(self, row: dict[str, Any], etag: str, modified: str, last_sha: str) -> FetchOutcome:
        outcome = FetchOutcome(post_key=row["key"], status="failed")
        steps = plan(row["url"], row["platform"] or "web")
        reasons: list[str] = []
        for step in steps:
            # validators belong to the step that gave the kept snapshot, and only to it
            same = step.kind == row.get("snapshot_kind")
            options: dict[str, Any] = {"etag": etag, "last_modified": modified} if same else {}
            if step.kind == "canvas_api":
                options["credentials"] = self._canvas_auth(step.url)
            with self.timer("network"):
                result = self.fetcher.fetch(step.url, **options)
            if result.not_modified:
                if last_sha and self.snapshots.path(last_sha).exists():
                    outcome.status, outcome.kind = "unchanged", step.kind  # nothing to read again
                    return outcome
                with self.timer("network"):  # the kept bytes are gone: fetch them in full
                    result = self.fetcher.fetch(step.url, credentials=options.get("credentials"))
            if not result.ok:
                reasons.append(result.error)
                continue
            version = self._keep(result, step.kind)
            if version.sha256 == last_sha and step.kind == row.get("snapshot_kind"):
                outcome.status, outcome.kind = "unchanged", step.kind  # same bytes: not read again
                return outcome
            with self.timer("extract"):
                article = parse_step(step, result.body, row["url"], reasons)
            outcome.versions.append(version)  # kept even when it could not be read: a TA may look
            if article is None:
                continue
            changed = version.sha256 != last_sha
            outcome.status, outcome.article, outcome.kind = (
                ("ok" if changed else "unchanged"),
                article,
                step.kind,
            )
            return outcome
        if row["platform"] in VIDEO_PLATFORMS:  # the link says enough; the page is a bonus
            known = row.get("fetch_status") == "ok" and not row.get("sha256")
            outcome.status = "unchanged" if known else "ok"
            outcome.article = Article(source=row["url"], platform=row["platform"], flags=["video_post"])
            outcome.reason = f"video post; title unavailable ({reasons[0] if reasons else 'no answer'})"
            return outcome
        outcome.reason = reasons[0] if reasons else "nothing to fetch"
        return outcome

    def article_of(self, post: dict[str, Any]) -> Article | None:
        """The post's article, read again from its kept snapshot (for a check that needs it)."""
        return article_from_snapshot(self.snapshots, post)

    def _canvas_auth(self, url: str) -> dict[str, str] | None:
        """The course's Canvas token, for the course's own Canvas host and nothing else."""
        canvas = self.config.sources.canvas
        token = os.environ.get(canvas.token_env, "") if canvas else ""
        if not canvas or not token or urlsplit(url).netloc.lower() != urlsplit(canvas.url).netloc.lower():
            return None
        return {"Authorization": f"Bearer {token}"}

    def _keep(self, result: FetchResult, kind: str) -> Version:
        sha = self.snapshots.put(result.body)
        return Version(
            sha256=sha, url=result.url, final_url=result.final_url, status=result.status,
            content_type=result.content_type, headers=result.headers, size=len(result.body), kind=kind,
            fetched_at=result.fetched_at,
        )  # fmt: skip

    # recording (calling thread only) --------------------------------------------------------

    def record(self, outcome: FetchOutcome) -> None:
        """Store the snapshots and the post's fetch state; a version already kept is not added twice."""
        post = self.store.get("posts", outcome.post_key) or {}
        with self.store.db.atomic():
            for version in outcome.versions:
                exists = list(self.store.rows("snapshots", "post_key = ? and sha256 = ?",
                                              [outcome.post_key, version.sha256], limit=1))  # fmt: skip
                if not exists:
                    self.store.db["snapshots"].insert(  # type: ignore[union-attr]
                        {
                            "post_key": outcome.post_key, "sha256": version.sha256, "url": version.url,
                            "final_url": version.final_url, "status": version.status,
                            "content_type": version.content_type, "headers": json.dumps(version.headers),
                            "size": version.size, "fetched_at": version.fetched_at, "kind": version.kind,
                        }
                    )  # fmt: skip
            status = "failed" if outcome.status == "failed" else "ok"  # "unchanged" describes a run
            state: dict[str, Any] = {
                "key": outcome.post_key,
                "fetch_status": status,
                "fetch_reason": outcome.reason,
            }
            article = outcome.article
            if article is not None:
                sha = outcome.sha256 or post.get("sha256")
                state.update(
                    sha256=sha,
                    snapshot_kind=outcome.kind or post.get("snapshot_kind"),
                    title=article.title,
                    author=article.author,
                    published=article.published,
                    words=article.words,
                    post_flags=json.dumps(sorted(set(article.flags))),
                )
                state["text_sha256"] = article.text_sha256
                if sha and sha != post.get("sha256"):
                    state["fetched_at"] = utcnow()  # only a change is written
                if self._edited(post, outcome.kind, sha or "", article):
                    state["changed_at"] = state.get("fetched_at") or utcnow()
                if sha:  # the text this version gives, for the next comparison of its kind
                    self.store.db.execute(
                        "update snapshots set text_sha256 = ? where post_key = ? and sha256 = ?",
                        [article.text_sha256, outcome.post_key, sha],
                    )
            self.store.save("posts", state, "key")

    def _edited(self, post: dict[str, Any], kind: str, sha: str, article: Article) -> bool:
        """Whether the post's text changed (a first version counts as a change).

        New bytes alone are not an edit: comments, counters and scripts change a page every day.
        Nor is a reading through another fetch step (its feed instead of its page, its Pages site
        instead of its README), which reads differently without the student touching it: the text
        is compared with the last version read through the same step, so an edit made while the
        page was down and the feed was read is still seen, on the feed's next reading or when the
        page is back. Every version is kept as a snapshot either way; `changed_at` decides
        `edited_late`.
        """
        if not post.get("sha256") and not post.get("changed_at"):
            return True
        if not article.blocks:  # a video post's title: nothing the student wrote to compare
            return False
        rows = list(
            self.store.rows(
                "snapshots",
                "post_key = ? and kind = ? and sha256 != ? and text_sha256 is not null",
                [post["key"], kind, sha],
                order_by="fetched_at desc, id desc",
                limit=1,
            )
        )
        if rows:
            return rows[0]["text_sha256"] != article.text_sha256
        if kind != post.get("snapshot_kind"):
            return False  # no earlier reading through this step: nothing to compare with
        before = post.get("text_sha256")
        if not before:  # a post fetched before text digests were kept: read its kept snapshot
            previous = self.article_of(post)
            before = previous.text_sha256 if previous is not None else ""
        return before != article.text_sha256
