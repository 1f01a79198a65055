"""A student's coursework as dataclasses for the commands (no discord.py here).

Plain functions over a Store, run in a worker thread by the cogs: a student's own post and its rubric
check, a TA's card of one student, who is missing what, and comment links reported on Discord.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.config import Config
from bot.linking import Person
from bot.reminders import ReviewLine, by_reviewer, review_lines
from bot.rounds import published_round
from bot.store import Store
from scrapers.urls import BadLink, normalise

SECTIONS = {
    "problem": (
        "The problem the tool addresses",
        "Say which problem of production ML systems the tool solves, and why it matters.",
    ),
    "movie_example": (
        "How it helps, on the movie-streaming scenario",
        "Show the tool at work on the movie-streaming scenario: a concrete example (code, "
        "configuration or a walk-through) of it helping.",
    ),
    "strengths_limitations": (
        "Strengths and limitations",
        "Discuss what the tool does well and where it falls short, with reasons.",
    ),
}

FLAG_TEXT = {
    "no_link": "no post link submitted yet",
    "two_links": "your sources give two different post links",
    "malformed_link": "the post link is not usable",
    "video_post": "the link is a video; the assignment asks for a written post",
    "duplicate_tool": "another student claimed the same tool",
    "earlier_term_tool": "this tool was covered in an earlier term",
    "same_link": "another student claimed the same post",
    "member_only_partial": "Medium shows only part of the post (member-only); make it free to read",
    "too_short": "the post is shorter than the course asks",
    "not_english": "the post does not seem to be in English",
    "draft_placeholder": "the post looks like a draft or placeholder",
    "copied_prompt": "the post repeats the assignment text",
    "tool_not_mentioned": "the post never names the tool you claimed",
    "not_judged": "the post could not be judged (too little text)",
}


class CommentError(Exception):
    """A comment report refused; the message is meant for the student."""


@dataclass(frozen=True)
class SectionReport:
    name: str
    label: str
    present: bool
    confidence: float | None
    evidence: str
    heading: str
    hint: str  # what the rubric asks, for a missing section


@dataclass
class PostReport:
    """A student's own post: where it is, whether it could be read, and its rubric check."""

    student_key: str
    student_name: str
    post_url: str = ""
    title: str = ""
    platform: str = ""
    words: int = 0
    fetch_status: str = ""  # ok | failed | "" (not fetched yet)
    fetch_reason: str = ""
    checked: bool = False
    checked_at: str = ""
    sections: list[SectionReport] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # readable sentences
    min_words: int = 0

    @property
    def missing(self) -> list[SectionReport]:
        return [s for s in self.sections if not s.present]


def _flag_text(kind: str, detail: str = "") -> str:
    text = FLAG_TEXT.get(kind, kind.replace("_", " "))
    return f"{text} ({detail})" if detail and kind not in ("video_post", "no_link") else text


def latest_check(store: Store, sha256: str | None) -> dict[str, Any] | None:
    """The newest verdict for a snapshot, whatever the model version (None: not checked yet)."""
    if not sha256:
        return None
    rows = list(store.rows("checks", "sha256 = ?", [sha256], order_by="id desc", limit=1))
    return rows[0] if rows else None


def post_report(store: Store, config: Config, student_key: str) -> PostReport:
    person = store.get("students", student_key) or {"name": student_key}
    report = PostReport(student_key, person["name"], min_words=config.thresholds.min_words)
    flags = [
        _flag_text(f["kind"], f["detail"] if f["kind"] not in ("duplicate_tool", "same_link") else "")
        for f in store.rows(
            "flags", "student_key = ? and resolved_at is null", [student_key], order_by="kind"
        )
    ]
    posts = list(store.rows("posts", "student_key = ? and status = 'current'", [student_key], limit=1))
    if not posts:
        report.flags = flags or [FLAG_TEXT["no_link"]]
        return report
    post = posts[0]
    report.post_url = post["url"]
    report.title = post.get("title") or ""
    report.platform = post.get("platform") or ""
    report.words = post.get("words") or 0
    report.fetch_status = post.get("fetch_status") or ""
    report.fetch_reason = post.get("fetch_reason") or ""
    for flag in json.loads(post.get("post_flags") or "[]"):
        flags.append(_flag_text(str(flag)))
    check = latest_check(store, post.get("sha256"))
    if check is not None:
        result = json.loads(check["result"] or "{}")
        report.checked, report.checked_at = True, check.get("created_at") or ""
        sections = result.get("sections") or {}
        for name, (label, hint) in SECTIONS.items():
            verdict = sections.get(name) or {}
            confidence = verdict.get("confidence")
            report.sections.append(
                SectionReport(
                    name=name,
                    label=label,
                    present=bool(verdict.get("present")),
                    confidence=float(confidence) if confidence is not None else None,
                    evidence=str(verdict.get("evidence") or ""),
                    heading=str(verdict.get("heading") or ""),
                    hint=hint,
                )
            )
        for flag in result.get("flags") or []:
            kind = flag.get("kind", "") if isinstance(flag, dict) else str(flag)
            flags.append(_flag_text(kind))
    report.flags = list(dict.fromkeys(flags))
    return report


# TA views ----------------------------------------------------------------------------------------


def find_people(store: Store, query: str, limit: int = 25) -> list[Person]:
    """Roster people by key, e-mail or a part of the name (case and spacing ignored)."""
    wanted = " ".join(query.split()).casefold()
    if not wanted:
        return [Person.from_row(row) for row in store.rows("students", order_by="name", limit=limit)]
    exact, partial = [], []
    for row in store.rows("students", order_by="name"):
        name = " ".join((row["name"] or "").split()).casefold()
        if wanted in (row["key"].casefold(), (row.get("email") or "").casefold(), name):
            exact.append(Person.from_row(row))
        elif wanted in name or wanted in (row.get("email") or "").casefold():
            partial.append(Person.from_row(row))
    return (exact or partial)[:limit]


@dataclass
class StudentCard:
    """Everything a TA needs about one student."""

    person: Person
    team: str
    tool: str
    post: PostReport
    gives: list[ReviewLine]
    receives: list[ReviewLine]
    deliveries: list[str]
    link_requests: list[str]


def student_card(store: Store, config: Config, student_key: str) -> StudentCard | None:
    row = store.get("students", student_key)
    if row is None:
        return None
    everyone = review_lines(store)
    deliveries = [
        f"{d['created_at'][:16]} {d['kind']}: {d['status']} ({d['channel']})"
        + (f", DM refused: {d['dm_error']}" if d.get("dm_error") else "")
        for d in store.rows("deliveries", "student_key = ?", [student_key], order_by="id desc", limit=5)
    ]
    requests = [
        f"#{r['id']} {r['status']} from {r['discord_name'] or r['discord_id']} on {r['created_at'][:10]}"
        for r in store.rows("link_requests", "student_key = ?", [student_key], order_by="id desc", limit=5)
    ]
    return StudentCard(
        person=Person.from_row(row),
        team=row.get("team") or "",
        tool=row.get("tool") or "",
        post=post_report(store, config, student_key),
        gives=[line for line in everyone if line.reviewer_key == student_key],
        receives=[line for line in everyone if line.author_key == student_key],
        deliveries=deliveries,
        link_requests=requests,
    )


@dataclass
class MissingReport:
    """Who lacks a post, and who still owes comments."""

    no_post: list[tuple[str, str]] = field(default_factory=list)  # (name, why)
    owing: list[tuple[str, int, int]] = field(default_factory=list)  # (name, open, assigned)
    unlinked: list[str] = field(default_factory=list)
    round_published: bool = False

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["student", "missing", "detail"])
        writer.writerows((name, "post", why) for name, why in self.no_post)
        writer.writerows((name, "comments", f"{n} of {total} open") for name, n, total in self.owing)
        writer.writerows((name, "discord link", "not linked") for name in self.unlinked)
        return buffer.getvalue()


def missing_report(store: Store) -> MissingReport:
    report = MissingReport(round_published=published_round(store) is not None)
    posts = {p["student_key"]: p for p in store.rows("posts", "status = 'current'")}
    students = list(store.rows("students", "active = 1 and role = 'student'", order_by="name"))
    for row in students:
        post = posts.get(row["key"])
        if post is None:
            report.no_post.append((row["name"], "no post link"))
        elif post.get("fetch_status") == "failed":
            report.no_post.append((row["name"], f"unreachable: {post.get('fetch_reason') or 'unknown'}"))
        if not row.get("discord_id"):
            report.unlinked.append(row["name"])
    names = {row["key"]: row["name"] for row in students}
    everyone = review_lines(store)
    totals = Counter(line.reviewer_key for line in everyone)
    owing = by_reviewer(line for line in everyone if not line.done)
    for student, lines in sorted(owing.items(), key=lambda kv: names.get(kv[0], kv[0])):
        if student in names:
            report.owing.append((names[student], len(lines), totals[student]))
    return report


# comment reports ---------------------------------------------------------------------------------


def report_comment(
    store: Store, config: Config, student_key: str, post: str, link: str, now: dt.datetime | None = None
) -> ReviewLine:
    """Store a comment link a student reports for one of their assigned posts (status 'reported').

    `post` is "a:<assignment id>" (what /comment's autocomplete offers), its number in /reviews,
    or the post's link. A link the audit already checked keeps its verdict.
    """
    lines = review_lines(store, student_key)
    if not lines:
        raise CommentError("You have no posts to comment on yet.")
    line = _pick(lines, post)
    if line is None:
        raise CommentError("That post is not one of yours to comment on; `/reviews` lists them.")
    try:
        clean = normalise(link, loopback_ok=config.fetch.allow_private_addresses)
    except BadLink as exc:
        raise CommentError(f"That link does not work: {exc}.") from None
    fragment = link.strip().split("#", 1)[1] if "#" in link else ""
    url = f"{clean.url}#{fragment}" if fragment else clean.url
    if clean.url.rstrip("/") == line.post_url.rstrip("/") and not fragment:
        raise CommentError("That is the post itself; give the link to your comment (or your response).")
    comment_id = hashlib.sha1(f"{student_key}\x1fdiscord\x1f{line.assignment_id}".encode()).hexdigest()[:16]
    existing = store.get("comments", comment_id)
    if existing and existing["url"] == url and existing["status"] != "reported":
        return _line(store, student_key, line.assignment_id)
    record = {
        "id": comment_id,
        "assignment_id": line.assignment_id,
        "reviewer_key": student_key,
        "post_key": store.get("assignments", line.assignment_id)["post_key"],  # type: ignore[index]
        "url": url,
        "source": "discord",
        "status": "reported",
        "substantive": None,
        "score": None,
        "reasons": None,
    }
    store.save("comments", record, "id")
    return _line(store, student_key, line.assignment_id)


def _pick(lines: list[ReviewLine], post: str) -> ReviewLine | None:
    post = post.strip()
    if post.startswith("a:") and post[2:].isdigit():  # an assignment id, from autocomplete
        return next((line for line in lines if line.assignment_id == int(post[2:])), None)
    if post.isdigit():  # its number in /reviews
        return lines[int(post) - 1] if 1 <= int(post) <= len(lines) else None
    bare = post.split("#", 1)[0].split("?", 1)[0].rstrip("/").split("://", 1)[-1].casefold()
    for line in lines:
        if bare and line.post_url.split("://", 1)[-1].rstrip("/").casefold() == bare:
            return line
    return None


def _line(store: Store, student_key: str, assignment_id: int) -> ReviewLine:
    return next(line for line in review_lines(store, student_key) if line.assignment_id == assignment_id)
