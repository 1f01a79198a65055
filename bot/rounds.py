"""Review rounds on the database: preview, publish, then recorded revisions (late posts, departures,
stalled reviews). A published pair is never rewritten: a change replaces it with a new row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.assignment import AssignmentResult, Pair, Participant, Relaxation, add_late, assign, reassign
from bot.config import Config
from bot.store import Store, iso_utc, utcnow
from bot.tools import tool_key


def published_round(store: Store) -> dict[str, Any] | None:
    """The published round, if any (the latest, should there ever be several)."""
    rows = list(store.rows("rounds", "status = 'published'", order_by="id desc", limit=1))
    return rows[0] if rows else None


class RoundError(Exception):
    """A round operation that cannot be done now; the message says why and what to do."""


@dataclass
class RoundView:
    """A round and its current pairs, for printing and for the Discord layer."""

    round_id: int
    status: str
    seed: int
    k: int
    pairs: list[dict[str, Any]]
    relaxations: list[Relaxation]


@dataclass(frozen=True)
class _Course:
    """What an update of the published round reads once: who takes part, and the history."""

    round_id: int
    seed: int
    people: list[Participant]
    keys: dict[str, str]  # post URL -> post key
    history: set[tuple[str, str]]


@dataclass
class RevisionReport:
    """What one update of a published round changed."""

    revisions: list[int] = field(default_factory=list)
    added: int = 0
    replaced: int = 0
    reasons: list[str] = field(default_factory=list)


class RoundService:
    """The assignment engine applied to the course in the store."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.k = config.assignment.reviews_per_student
        self.now = dt.datetime.now(dt.UTC)  # the moment of the update in progress (tests set it)

    # who takes part ------------------------------------------------------------------------

    def participants(self) -> tuple[list[Participant], dict[str, str]]:
        """Active students with their current post; and a map from post URL to post key."""
        posts = {p["student_key"]: p for p in self.store.rows("posts", "status = 'current'")}
        people, keys = [], {}
        for row in self.store.rows("students", "active = 1 and role = 'student'", order_by="key"):
            post = posts.get(row["key"])
            if post:
                keys[post["url"]] = post["key"]
            people.append(
                Participant(
                    student=row["key"],
                    post_url=post["url"] if post else None,
                    team=row["team"] or None,
                    tool=tool_key(row["tool"]) if row["tool"] else None,
                )
            )
        return people, keys

    def history(self, exclude_round: int | None = None) -> set[tuple[str, str]]:
        """(reviewer, author) pairs of earlier published rounds."""
        rows = self.store.db.execute(
            "select a.reviewer_key, a.author_key from assignments a join rounds r on r.id = a.round_id "
            "where r.status = 'published' and r.id != ?",
            [exclude_round or -1],
        ).fetchall()
        return {(r[0], r[1]) for r in rows}

    def published(self) -> dict[str, Any] | None:
        return published_round(self.store)

    # preview and publish -------------------------------------------------------------------

    def preview(self, seed: int | None = None) -> RoundView:
        """Compute a draft round and store it; a new preview replaces an earlier unpublished one."""
        if self.published() is not None:
            raise RoundError("a round is already published; late posts and changes go through updates")
        people, keys = self.participants()
        if len([p for p in people if p.post_url]) < 2:
            raise RoundError("fewer than two students have a post: nothing to assign yet")
        seed = self.config.assignment.seed if seed is None else seed
        result = assign(people, k=self.k, seed=seed, history=self.history())
        with self.store.db.atomic():
            for old in list(self.store.rows("rounds", "status = 'preview'")):
                self.store.db.execute("delete from assignments where round_id = ?", [old["id"]])
                self.store.db["rounds"].delete(old["id"])  # type: ignore[union-attr]
            table = self.store.db["rounds"]
            table.insert(  # type: ignore[union-attr]
                {
                    "status": "preview",
                    "seed": seed,
                    "k": self.k,
                    "constraint_log": json.dumps([asdict(r) for r in result.relaxations]),
                    "created_at": utcnow(),
                }
            )
            round_id = int(table.last_pk)  # type: ignore[union-attr,arg-type]
            self._insert_pairs(round_id, 0, result.pairs, keys, status="preview", reason="initial")
        return self.view(round_id)

    def publish(self, round_id: int | None = None) -> RoundView:
        """Freeze the previewed round: its pairs become active, with their lease."""
        if self.published() is not None:
            raise RoundError("a round is already published; it cannot be published again")
        drafts = list(self.store.rows("rounds", "status = 'preview'", order_by="id desc"))
        draft = next((d for d in drafts if round_id in (None, d["id"])), None)
        if draft is None:
            raise RoundError("no preview to publish; run a preview first")
        now = utcnow()
        with self.store.db.atomic():
            self.store.db["rounds"].update(draft["id"], {"status": "published", "published_at": now})  # type: ignore[union-attr]
            self.store.db.execute(
                "update assignments set status = 'active', lease_ends_at = ? where round_id = ?",
                [self.lease_end(), draft["id"]],
            )
            self._revision(draft["id"], 0, "published", {"relaxations": json.loads(draft["constraint_log"])})
        return self.view(draft["id"])

    def lease_end(self) -> str:
        """When an unfinished review is handed to someone else: lease_hours before the deadline."""
        due = self.config.course.comments_due - dt.timedelta(hours=self.config.assignment.lease_hours)
        return iso_utc(due)

    def lease_for(self, now: dt.datetime) -> str:
        """The lease of a pair made at `now`: the round's lease, or lease_hours from now if later,
        never past the comment deadline, so a replacement reviewer gets time to comment."""
        hours = dt.timedelta(hours=self.config.assignment.lease_hours)
        due = self.config.course.comments_due
        lease = min(max(due - hours, now + hours), due)
        return iso_utc(lease)

    # revisions -----------------------------------------------------------------------------

    def update(self, now: dt.datetime | None = None) -> RevisionReport:
        """Bring the published round up to date: departures, stalled reviews, late posts.

        Each kind of change is one recorded revision; running it again with nothing new
        changes nothing.
        """
        report = RevisionReport()
        self.now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        current = self.published()
        if current is None:
            return report
        with self.store.db.atomic():
            # who takes part and the history do not change during the update: read them once
            people, keys = self.participants()
            course = _Course(current["id"], current["seed"], people, keys, self.history(current["id"]))
            self._replace_departed(course, report)
            self._replace_stalled(course, iso_utc(self.now), report)
            self._add_late(course, report)
        return report

    def _active(self, round_id: int) -> list[dict[str, Any]]:
        return list(self.store.rows("assignments", "round_id = ? and status = 'active'", [round_id]))

    def _replace_departed(self, course: _Course, report: RevisionReport) -> None:
        active_students = {p.student for p in course.people}
        gone = [a for a in self._active(course.round_id) if a["reviewer_key"] not in active_students
                or a["author_key"] not in active_students]  # fmt: skip
        if gone:
            self._replace(course, gone, "departed students", report)

    def _replace_stalled(self, course: _Course, now: str, report: RevisionReport) -> None:
        """Reviews whose lease ended with the comment checked and not found.

        Not after the comment deadline: a new reviewer would have no time left, and every audit
        would hand the same reviews on again.
        """
        if self.now >= self.config.course.comments_due.astimezone(dt.UTC):
            return
        missing = {
            c["assignment_id"]
            for c in self.store.rows("comments", "status = 'missing' and assignment_id is not null")
        }
        stalled = [
            a
            for a in self._active(course.round_id)
            if a["id"] in missing and (a["lease_ends_at"] or "") <= now
        ]
        if stalled:
            self._replace(course, stalled, "stalled reviews", report)

    def _replace(
        self, course: _Course, rows: list[dict[str, Any]], reason: str, report: RevisionReport
    ) -> None:
        url = self._post_urls()
        existing = [_pair(a, url(a)) for a in self._active(course.round_id)]
        drop = [_pair(a, url(a)) for a in rows]
        result = reassign(existing, course.people, drop, k=self.k, seed=course.seed, history=course.history)
        self._record(course.round_id, reason, result, course.keys, report, replaced=rows)

    def _add_late(self, course: _Course, report: RevisionReport) -> None:
        active = self._active(course.round_id)
        reviewed = {a["author_key"] for a in active}
        gives = Counter(a["reviewer_key"] for a in active)
        late = [
            p.student
            for p in course.people
            if (p.post_url and p.student not in reviewed) or gives[p.student] == 0
        ]
        if not late:
            return
        url = self._post_urls()
        existing = [_pair(a, url(a)) for a in active]
        result = add_late(existing, course.people, late, k=self.k, seed=course.seed, history=course.history)
        if result.pairs:
            self._record(course.round_id, "late posts", result, course.keys, report, replaced=[])

    def _record(
        self,
        round_id: int,
        reason: str,
        result: AssignmentResult,
        keys: dict[str, str],
        report: RevisionReport,
        replaced: list[dict[str, Any]],
    ) -> None:
        revision = 1 + max(
            (r["revision"] for r in self.store.rows("revisions", "round_id = ?", [round_id])), default=0
        )
        ids = self._insert_pairs(
            round_id, revision, result.pairs, keys, status="active", reason=reason, now=self.now
        )
        for row in replaced:
            self.store.db["assignments"].update(row["id"], {"status": "replaced"})  # type: ignore[union-attr]
        detail = {
            "added": ids,
            "replaced": [r["id"] for r in replaced],
            "relaxations": [asdict(r) for r in result.relaxations],
        }
        self._revision(round_id, revision, reason, detail)
        report.revisions.append(revision)
        report.added += len(ids)
        report.replaced += len(replaced)
        report.reasons.append(f"revision {revision}: {reason}: {len(ids)} added, {len(replaced)} replaced")

    # storage helpers -----------------------------------------------------------------------

    def _post_urls(self) -> Callable[[dict[str, Any]], str]:
        """For an assignment row, the post to comment on: the author's current post (reviews
        follow the author), else the assigned one. Current posts are read once per call."""
        current: dict[str, dict[str, Any]] = {}
        for post in self.store.rows("posts", "status = 'current'"):
            current.setdefault(post["student_key"], post)

        def url(row: dict[str, Any]) -> str:
            post = current.get(row["author_key"]) or self.store.get("posts", row["post_key"]) or {}
            return post.get("url", row["post_key"])

        return url

    def _insert_pairs(
        self,
        round_id: int,
        revision: int,
        pairs: list[Pair],
        keys: dict[str, str],
        *,
        status: str,
        reason: str,
        now: dt.datetime | None = None,
    ) -> list[int]:
        lease = None
        if status == "active":
            lease = self.lease_for(now) if revision and now else self.lease_end()
        table = self.store.db["assignments"]
        ids = []
        for pair in pairs:
            table.insert(  # type: ignore[union-attr]
                {
                    "round_id": round_id,
                    "revision": revision,
                    "reviewer_key": pair.reviewer,
                    "author_key": pair.author,
                    "post_key": keys.get(pair.post_url, pair.post_url),
                    "status": status,
                    "reason": reason,
                    "lease_ends_at": lease,
                    "created_at": utcnow(),
                }
            )
            ids.append(int(table.last_pk))  # type: ignore[union-attr,arg-type]
        return ids

    def _revision(self, round_id: int, revision: int, reason: str, detail: dict[str, Any]) -> None:
        self.store.db["revisions"].insert(  # type: ignore[union-attr]
            {
                "round_id": round_id,
                "revision": revision,
                "reason": reason,
                "detail": json.dumps(detail, sort_keys=True),
                "created_at": utcnow(),
            }
        )

    def view(self, round_id: int) -> RoundView:
        rnd = self.store.get("rounds", round_id)
        if rnd is None:
            raise RoundError(f"no round {round_id}")
        names = {s["key"]: s["name"] for s in self.store.rows("students")}
        url = self._post_urls()
        pairs = [
            {
                "id": a["id"],
                "reviewer": a["reviewer_key"],
                "reviewer_name": names.get(a["reviewer_key"], a["reviewer_key"]),
                "author": a["author_key"],
                "author_name": names.get(a["author_key"], a["author_key"]),
                "post_url": url(a),
                "revision": a["revision"],
                "reason": a["reason"],
                "lease_ends_at": a["lease_ends_at"],
            }
            for a in self.store.rows(
                "assignments", "round_id = ? and status in ('preview', 'active')", [round_id], order_by="id"
            )
        ]
        relaxations = [Relaxation(**r) for r in json.loads(rnd["constraint_log"] or "[]")]
        return RoundView(round_id, rnd["status"], rnd["seed"], rnd["k"], pairs, relaxations)

    def reviews_of(self, student: str) -> list[dict[str, Any]]:
        """The posts one student must comment on in the published round."""
        current = self.published()
        if current is None:
            return []
        return [p for p in self.view(current["id"]).pairs if p["reviewer"] == student]


def _pair(row: dict[str, Any], url: str) -> Pair:
    return Pair(reviewer=row["reviewer_key"], author=row["author_key"], post_url=url)
