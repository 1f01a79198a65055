"""Sync: read every configured source, merge people and claims, store them idempotently, flag problems.

A source that fails is reported and skipped; what it stored earlier stays as it was.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.config import Config
from bot.store import RunLog, Store, utcnow
from bot.tools import load_earlier_tools, tool_key
from scrapers.canvas import CanvasSettings, read_canvas
from scrapers.records import ClaimRecord, SourceError, SourceResult, StudentRecord
from scrapers.roster import read_roster
from scrapers.sheet import download_sheet, parse_sheet, read_sheet_file
from scrapers.urls import BadLink, PostLink, normalise

# Flags that sync owns: it raises them, and resolves them when their cause is gone.
STATE_FLAGS = ("no_link", "video_post", "duplicate_tool", "earlier_term_tool")  # from stored state
CLAIM_FLAGS = (
    "two_links",
    "malformed_link",
    "not_on_roster",
    "same_link",
    "malformed_comment_link",
)
CLAIM_SOURCES = ("claim sheet", "canvas submission", "canvas discussion")
CLAIM_ORDER = {
    "canvas submission": 0,
    "canvas discussion": 1,
}  # then the sheet: it has the last word


@dataclass
class SyncReport:
    """What a sync did: counts per table and outcome, problems by row, sources that failed."""

    run_id: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    failed_sources: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(v for k, v in self.counts.items() if k.endswith((".inserted", ".updated", ".resolved")))

    def summary(self) -> str:
        """The counts on one line ("nothing to do" when there are none)."""
        return ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())) or "nothing to do"


Reader = Callable[[], SourceResult]


def configured_sources(config: Config, env: Mapping[str, str]) -> list[tuple[str, Reader]]:
    """The readers for every source in bot.toml, roster sources first."""
    sources = config.sources
    readers: list[tuple[str, Reader]] = []
    if sources.canvas is not None:
        canvas = sources.canvas
        settings = CanvasSettings(
            url=canvas.url,
            course_id=canvas.course_id,
            token=env.get(canvas.token_env, ""),
            token_env=canvas.token_env,
            assignment_id=canvas.assignment_id,
            discussion_prefix=canvas.discussion_prefix,
            max_retries=canvas.max_retries,
        )
        readers.append(("canvas", lambda: read_canvas(settings)))
    if sources.roster is not None:
        roster_path = config.path(sources.roster.path)
        readers.append(("roster", lambda: read_roster(roster_path, "roster")))
    if sources.sheet is not None:
        sheet = sources.sheet

        def read_sheet() -> SourceResult:
            if sheet.url:
                data = download_sheet(
                    sheet.url, user_agent=config.user_agent, timeout=config.fetch.timeout_seconds
                )
            else:
                data = read_sheet_file(config.path(sheet.path))
            return parse_sheet(data, sheet.columns, "claim sheet")

        readers.append(("claim sheet", read_sheet))
    return readers


def sync(
    config: Config,
    store: Store,
    *,
    env: Mapping[str, str] | None = None,
    kind: str = "sync",
    readers: list[tuple[str, Reader]] | None = None,
) -> SyncReport:
    """Run one sync and record it as a run; safe to repeat (a second run changes nothing)."""
    env = os.environ if env is None else env
    log = RunLog(kind)
    run_id = store.start_run(kind)
    results: list[SourceResult] = []
    failed: list[str] = []
    for name, reader in readers if readers is not None else configured_sources(config, env):
        try:
            results.append(reader())
        except SourceError as exc:
            log.error(str(exc))
            failed.append(name)
        except Exception as exc:  # a bug in one reader must not cost the other sources
            log.error(f"{name}: unexpected {type(exc).__name__}: {exc}")
            failed.append(name)
    for result in results:
        log.errors.extend(str(p) for p in result.problems)
    try:
        earlier = load_earlier_tools(config.path(config.earlier_tools) if config.earlier_tools else None)
        with store.db.atomic():
            loopback_ok = config.fetch.allow_private_addresses
            _Merge(store, log, earlier, complete=not failed, loopback_ok=loopback_ok).run(results)
    except Exception as exc:
        log.error(f"sync failed: {type(exc).__name__}: {exc}")
        store.finish_run(run_id, log, status="failed")
        raise
    store.finish_run(run_id, log, status="failed" if failed else "ok")
    return SyncReport(
        run_id=run_id, counts=dict(log.counts), problems=list(log.errors), failed_sources=failed
    )


@dataclass
class _Claim:
    link: PostLink
    record: ClaimRecord


class _Merge:
    """Merges source results into the store. One instance per sync."""

    def __init__(
        self,
        store: Store,
        log: RunLog,
        earlier: dict[str, str],
        *,
        complete: bool,
        loopback_ok: bool,
    ) -> None:
        self.store = store
        self.loopback_ok = loopback_ok  # the demo and tests serve posts from 127.0.0.1
        self.log = log
        self.earlier = earlier
        self.complete = complete  # every source answered: flags whose cause is gone may resolve
        self.reads_topics = False  # Canvas was read for claims: a topic link it no longer gives goes
        self.flags: dict[str, dict] = {}
        self.by_canvas: dict[int, str] = {}
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.known: dict[str, dict[str, Any]] = {}  # key -> canvas_id / email, to tell namesakes apart
        self.ambiguous: set[str] = set()  # names two students share
        self.roster_teams: set[str] = set()  # students whose team a roster gave this run
        for row in store.rows("students"):
            self._index(row["key"], row)

    def run(self, results: list[SourceResult]) -> None:
        seen = self._merge_students(results)
        self._mark_departed(results, seen)
        claims = sorted(
            (c for r in results for c in r.claims),
            key=lambda c: (CLAIM_ORDER.get(c.source, 2), c.submitted_at, c.row or 0),
        )
        self.reads_topics = any(r.name == "canvas" and r.reads_claims for r in results)
        has_roster = any(r.has_roster for r in results) or any(
            True for _ in self.store.rows("students", "source != 'claim sheet'", limit=1)
        )
        self._merge_claims(claims)
        self._flag_posts(has_roster)
        self._flag_tools()
        self._save_flags(claims_read=any(r.reads_claims for r in results))

    # people ---------------------------------------------------------------------------------

    def _index(self, key: str, row: Mapping) -> None:
        known = self.known.setdefault(key, {})
        for name in ("canvas_id", "email"):
            if row.get(name):
                known[name] = row[name]
        if row.get("name"):
            folded = _fold(row["name"])
            owner = self.by_name.get(folded)
            if owner is not None and owner != key:
                self.ambiguous.add(folded)
        if row.get("canvas_id"):
            self.by_canvas[int(row["canvas_id"])] = key
        if row.get("email"):
            self.by_email[row["email"].lower()] = key
        if row.get("name"):
            self.by_name.setdefault(_fold(row["name"]), key)

    def find(self, ref: str) -> str | None:
        """The key of the student a source refers to by canvas id, e-mail or name."""
        if ref.startswith("canvas:") and ref[7:].isdigit():
            return self.by_canvas.get(int(ref[7:]))
        if "@" in ref:
            return self.by_email.get(ref.strip().lower())
        if _fold(ref) in self.ambiguous:
            return None
        return self.by_name.get(_fold(ref))

    def _match(self, person: StudentRecord, taken: set[str]) -> str | None:
        """The stored student this record is, by Canvas id, e-mail, then name.

        A name matches only when nothing contradicts it (another Canvas id or e-mail) and the
        same source has not already given that student: two people may share a name.
        """
        if person.canvas_id is not None and person.canvas_id in self.by_canvas:
            return self.by_canvas[person.canvas_id]
        if person.email and person.email in self.by_email:
            return self.by_email[person.email]
        key = self.by_name.get(_fold(person.name))
        if key is None or key in taken:
            return None
        known = self.known.get(key, {})
        if person.canvas_id is not None and known.get("canvas_id") not in (None, person.canvas_id):
            return None
        if person.email and known.get("email") and known["email"] != person.email:
            return None
        return key

    def _merge_students(self, results: list[SourceResult]) -> set[str]:
        merged: dict[str, dict] = {}
        for result in results:
            taken: set[str] = set()
            for person in result.students:
                key = self._match(person, taken) or _new_key(person)
                if key in taken:  # a second person of that name in one source, with no id to tell
                    key = f"{key}#{len([k for k in merged if k.startswith(key)]) + 1}"
                taken.add(key)
                if person.team and result.has_roster:
                    self.roster_teams.add(key)
                row = merged.setdefault(key, {"key": key})
                for name in ("name", "email", "sis_id", "canvas_id", "team", "discord_handle"):
                    value = getattr(person, name)
                    if value not in ("", None):
                        row[name] = value
                row["role"] = "ta" if person.role == "ta" or row.get("role") == "ta" else "student"
                row.setdefault("source", person.source)
                row["active"] = 1
                self._index(key, row)
        for row in merged.values():
            self.log.count(f"students.{self.store.save('students', row, 'key')}")
        return set(merged)

    def _mark_departed(self, results: list[SourceResult], seen: set[str]) -> None:
        """Students missing from a roster that answered in full have left: kept, marked inactive."""
        roster_sources = {p.source for r in results if r.has_roster for p in r.students}
        roster_sources -= {p.source for r in results if r.skipped_rows for p in r.students}
        if not self.complete or not roster_sources:
            return  # a roster that skipped a row may have skipped someone who is still here
        for row in self.store.rows("students", "active = 1"):
            if row["key"] not in seen and row["source"] in roster_sources:
                self.log.count(
                    f"students.{self.store.save('students', {'key': row['key'], 'active': 0}, 'key')}"
                )

    # claims ---------------------------------------------------------------------------------

    def _merge_claims(self, claims: list[ClaimRecord]) -> None:
        links: dict[str, list[_Claim]] = {}
        tools: dict[str, str] = {}
        for claim in claims:
            if _fold(claim.student) in self.ambiguous:
                self.log.error(f"{claim.where}: two students are named {claim.student!r}; use the e-mail")
                continue
            key = self.find(claim.student)
            if key is None:
                key = self._add_unlisted(claim)
            if claim.tool and (claim.source == "claim sheet" or key not in tools):
                tools[key] = claim.tool
            if claim.team and key not in self.roster_teams:  # the roster's team has the last word
                self.log.count(
                    f"students.{self.store.save('students', {'key': key, 'team': claim.team}, 'key')}"
                )
            self._merge_comment_links(key, claim)
            if not claim.post_url:
                continue
            try:
                link = normalise(claim.post_url, loopback_ok=self.loopback_ok)
            except BadLink as exc:
                self._flag(key, "malformed_link", f"{claim.post_url[:200]!r}: {exc} ({claim.where})")
                continue
            links.setdefault(key, []).append(_Claim(link, claim))
        for key, tool in tools.items():
            self.log.count(f"students.{self.store.save('students', {'key': key, 'tool': tool}, 'key')}")
        for key, found in links.items():
            self._save_posts(key, found, tools.get(key, ""))

    def _flag_posts(self, has_roster: bool) -> None:
        current = {p["student_key"]: p for p in self.store.rows("posts", "status = 'current'")}
        for row in self.store.rows("students", "active = 1 and role = 'student'"):
            if has_roster and row["source"] in CLAIM_SOURCES:
                self._flag(
                    row["key"], "not_on_roster", f"{row['name']!r} has a claim but is not on the roster"
                )
            post = current.get(row["key"])
            if post is None:
                self._flag(row["key"], "no_link", "no post link submitted yet")
            elif post["platform"] in ("youtube", "video"):
                self._flag(row["key"], "video_post", f"{post['url']} is a video, not a written post")

    def _add_unlisted(self, claim: ClaimRecord) -> str:
        """A student named only by a claim: kept (nothing is dropped), flagged when a roster exists."""
        person = StudentRecord(name=claim.student, source=claim.source)
        key = _new_key(person)
        row = {
            "key": key,
            "name": claim.student,
            "role": "student",
            "active": 1,
            "source": claim.source,
        }
        self.log.count(f"students.{self.store.save('students', row, 'key')}")
        self._index(key, row)
        return key

    def _save_posts(self, student: str, found: list[_Claim], tool: str) -> None:
        distinct: dict[str, _Claim] = {}
        topics: dict[str, str] = {}  # post key -> the Canvas topic that links to it, whichever claim wins
        for claim in found:
            distinct.pop(claim.link.key, None)
            distinct[claim.link.key] = claim  # the last claim in source order wins
            if claim.record.discussion_url:
                topics[claim.link.key] = claim.record.discussion_url
        chosen = list(distinct)[-1]
        if len(distinct) > 1:
            urls = ", ".join(c.link.url for c in distinct.values())
            self._flag(student, "two_links", f"different post links: {urls}")
        has_current = not self.complete and any(  # asked only when a source is missing
            True for _ in self.store.rows("posts", "student_key = ? and status = 'current'", [student])
        )
        for key, claim in distinct.items():
            owner = self.store.get("posts", key)
            if owner and owner["student_key"] != student and owner["status"] != "replaced":
                self._flag(
                    student,
                    "same_link",
                    f"{claim.link.url} is also claimed by {owner['student_key']}",
                )
                continue
            record = {
                "key": key,
                "url": claim.link.url,
                "submitted_url": claim.record.post_url,
                "student_key": student,
                "platform": claim.link.platform,
                "source": claim.record.source,
                "status": "current" if key == chosen else "alternate",
            }
            if tool:
                record["tool"] = tool
            if key in topics:
                record["discussion_url"] = topics[key]
            elif self.complete and self.reads_topics and owner is not None and owner.get("discussion_url"):
                record["discussion_url"] = None  # Canvas answered: the topic is gone or links elsewhere
            if not self.complete:  # a source is missing: add what is new, move nothing
                if owner is not None:
                    record.pop("status")
                elif has_current:
                    record["status"] = "alternate"
            self.log.count(f"posts.{self.store.save('posts', record, 'key')}")
        if not self.complete:
            return
        for old in self.store.rows("posts", "student_key = ? and status = 'current'", [student]):
            if old["key"] not in distinct:
                self.log.count(
                    f"posts.{self.store.save('posts', {'key': old['key'], 'status': 'replaced'}, 'key')}"
                )

    def _merge_comment_links(self, student: str, claim: ClaimRecord) -> None:
        for slot, raw in enumerate(claim.comment_urls, start=1):
            if not raw:
                continue
            try:
                url = normalise(raw, loopback_ok=self.loopback_ok).url
            except BadLink as exc:
                self._flag(student, "malformed_comment_link", f"comment link {slot} {raw[:200]!r}: {exc}")
                continue
            fragment = raw.split("#", 1)[1] if "#" in raw else ""
            record = {
                "id": _digest(student, "slot", str(slot)),
                "reviewer_key": student,
                "slot": slot,
                "url": f"{url}#{fragment}" if fragment else url,
                "source": "sheet",
                "status": "reported",
            }
            existing = self.store.get("comments", record["id"])
            if existing and existing["status"] != "reported" and existing["url"] == record["url"]:
                continue  # already checked; the audit owns its status now
            self.log.count(f"comments.{self.store.save('comments', record, 'id')}")

    # flags ----------------------------------------------------------------------------------

    def _flag_tools(self) -> None:
        claimed: dict[str, list[dict]] = {}
        for row in self.store.rows(
            "students", "active = 1 and role = 'student' and tool is not null and tool != ''"
        ):
            claimed.setdefault(tool_key(row["tool"]), []).append(row)
        for key, rows in claimed.items():
            if len(rows) > 1:
                for row in rows:
                    others = ", ".join(sorted(r["name"] for r in rows if r is not row))
                    self._flag(row["key"], "duplicate_tool", f"{row['tool']!r} is also claimed by {others}")
            if key in self.earlier:
                for row in rows:
                    self._flag(
                        row["key"],
                        "earlier_term_tool",
                        f"{self.earlier[key]!r} was covered in an earlier term",
                    )

    def _flag(self, student: str, kind: str, detail: str) -> None:
        flag_id = _digest(student, kind, detail)
        self.flags[flag_id] = {
            "id": flag_id,
            "student_key": student,
            "kind": kind,
            "detail": detail,
            "source": "sync",
            "resolved_at": None,
        }

    def _save_flags(self, claims_read: bool) -> None:
        """Store this sync's flags; resolve earlier ones whose cause is gone.

        Nothing resolves after a failed source, and flags about claims resolve only when a
        source of claims was read in full.
        """
        for flag in self.flags.values():
            self.log.count(f"flags.{self.store.save('flags', flag, 'id')}")
        if not self.complete:
            return
        kinds = STATE_FLAGS + (CLAIM_FLAGS if claims_read else ())
        marks = ",".join("?" for _ in kinds)
        for row in self.store.rows("flags", f"resolved_at is null and kind in ({marks})", list(kinds)):
            if row["id"] not in self.flags:
                self.store.save("flags", {"id": row["id"], "resolved_at": utcnow()}, "id")
                self.log.count("flags.resolved")


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _new_key(person: StudentRecord) -> str:
    if person.canvas_id is not None:
        return f"canvas:{person.canvas_id}"
    if person.email:
        return person.email.lower()
    return f"name:{_fold(person.name)}"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]
