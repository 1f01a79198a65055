"""Coverage reports for TAs: one row per active student, from what the store holds now.

`coverage(store, course, config)` collects the rows; `render_table`, `render_csv` and `render_json`
turn them into text (`bot.report_html` makes the HTML dashboard, `bot.grading` the grading sheet).

Per student: the post (reachable, platform, public), each rubric section (the newest check of the
post's current bytes: present, confidence, evidence and a link that opens the post at the evidence),
flags (open sync flags, fetch failures, check flags, late posts), the reviews they were assigned
(found, on time, substantive, with reasons) and the comments their own post received.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from bot.config import Config
from bot.review_match import match_comments
from bot.store import Store, parse_time, utcnow

SECTIONS = ("problem", "movie_example", "strengths_limitations")
SECTION_LABELS = {
    "problem": "Problem",
    "movie_example": "Movie-scenario example",
    "strengths_limitations": "Strengths & limitations",
}
SHORT_LABELS = {"problem": "problem", "movie_example": "example", "strengths_limitations": "s&l"}

# Verdict statuses for one section of one post.
YES, NO, NOT_JUDGED, NOT_CHECKED, NO_POST = "yes", "no", "not judged", "not checked", "no post"

# What each flag kind means, in words a TA reads (kinds not listed are shown as they are).
FLAG_LABELS = {
    "no_link": "no post link",
    "two_links": "two different post links",
    "malformed_link": "malformed post link",
    "video_post": "video instead of a written post",
    "duplicate_tool": "tool also claimed by another student",
    "earlier_term_tool": "tool covered in an earlier term",
    "not_on_roster": "claim by someone on no roster",
    "same_link": "same post claimed by two students",
    "malformed_comment_link": "malformed comment link",
    "unreachable": "post unreachable",
    "not_public": "post not public",
    "late": "post late",
    "edited_late": "post edited after the deadline",
    "draft_placeholder": "draft text (TODO, lorem ipsum, ...)",
    "too_short": "too short",
    "not_english": "not in English",
    "copied_prompt": "copies the assignment prompt",
    "tool_not_mentioned": "claimed tool never named",
    "member_only_partial": "member-only: partial text",
    "not_judged": "sections not judged",
    "challenge_page": "site answered with a bot check",
    "check_unreadable": "stored check unreadable",
}

# Check flags that say the three sections were not judged from the post's text.
_NOT_JUDGED_FLAGS = {"not_judged"}


@dataclass
class Verdict:
    """One rubric section of one post, as the newest check of its current bytes says."""

    status: str  # yes | no | not judged | not checked | no post
    confidence: float | None = None  # the classifier's probability that the section is there
    evidence: str = ""  # the paragraph it found ("" when absent)
    heading: str = ""  # the heading the evidence sits under
    link: str = ""  # the post's URL with a text fragment that highlights the evidence

    @property
    def certainty(self) -> float | None:
        """How sure the bot is of its own yes/no (confidence for yes, 1 - confidence for no)."""
        if self.confidence is None or self.status not in (YES, NO):
            return None
        return round(self.confidence if self.status == YES else 1.0 - self.confidence, 3)


@dataclass
class Review:
    """One review: a comment a student was assigned to leave (or left unasked) on a classmate's post."""

    reviewer: str
    reviewer_name: str
    author: str
    author_name: str
    post_url: str
    assigned: bool  # an active assignment of the published round asks for it
    status: str  # found | missing | reported | unverified | none (nothing reported or found yet)
    comment_url: str = ""
    posted_at: str = ""
    on_time: bool | None = None  # posted by the comment deadline (+ grace); None when unknown
    substantive: bool | None = None
    score: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """One word for tables and filters."""
        if self.status == "found":
            if self.substantive is None:
                return "found"
            return "substantive" if self.substantive else "not substantive"
        return {"none": "nothing yet", "reported": "reported", "unverified": "unverified"}.get(
            self.status, self.status
        )


@dataclass
class StudentRow:
    """One student's line in the coverage report."""

    student: str
    name: str
    team: str
    tool: str
    post_url: str
    platform: str
    title: str = ""
    words: int = 0
    sections: dict[str, str] = field(default_factory=dict)  # section -> verdict status
    flags: list[str] = field(default_factory=list)  # "kind: detail"
    comment_links: int = 0
    reviews_to_give: int = 0
    reviews_to_receive: int = 0
    email: str = ""
    sis_id: str = ""
    post_status: str = "no post"  # ok | unreachable | not public | not fetched | no post
    reachable: bool | None = None
    public: bool | None = None
    fetch_reason: str = ""
    late: str = ""  # "" (on time, or no deadline known) | late | edited late | unknown
    published: str = ""  # the platform's publication date, when the page gives one
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    check_flags: list[str] = field(default_factory=list)
    model_version: str = ""
    checked_at: str = ""
    reviews_given: list[Review] = field(default_factory=list)  # assigned ones first, then unasked
    reviews_received: list[Review] = field(default_factory=list)

    @property
    def flag_kinds(self) -> list[str]:
        return sorted({flag.split(":", 1)[0] for flag in self.flags})

    @property
    def assigned_given(self) -> list[Review]:
        return [r for r in self.reviews_given if r.assigned]

    @property
    def reviews_found(self) -> int:
        return sum(1 for r in self.assigned_given if r.status == "found")

    @property
    def reviews_substantive(self) -> int:
        return sum(1 for r in self.assigned_given if r.status == "found" and r.substantive)

    @property
    def reviews_on_time(self) -> int:
        return sum(1 for r in self.assigned_given if r.status == "found" and r.on_time)

    @property
    def comments_received(self) -> int:
        return sum(1 for r in self.reviews_received if r.status == "found")


@dataclass
class Coverage:
    course: str
    rows: list[StudentRow]
    generated_at: str = ""
    post_due: str = ""
    comments_due: str = ""
    reviews_per_student: int = 2
    section_threshold: float = 0.5

    def totals(self) -> dict[str, int]:
        rows = self.rows
        flags = Counter(kind for row in rows for kind in row.flag_kinds)
        totals = {
            "students": len(rows),
            "with_post": sum(1 for r in rows if r.post_url),
            "reachable": sum(1 for r in rows if r.reachable),
            "checked": sum(1 for r in rows if any(v.status in (YES, NO) for v in r.verdicts.values())),
        }
        for section in SECTIONS:
            statuses = Counter(r.sections.get(section, NO_POST) for r in rows)
            totals[section] = statuses[YES]
            totals[f"{section}_missing"] = statuses[NO]
            totals[f"{section}_unchecked"] = len(rows) - statuses[YES] - statuses[NO]
        assigned = [review for r in rows for review in r.assigned_given]
        totals["comment_links"] = sum(r.comment_links for r in rows)
        totals["reviews_assigned"] = len(assigned)
        totals["reviews_found"] = sum(1 for a in assigned if a.status == "found")
        totals["reviews_on_time"] = sum(1 for a in assigned if a.status == "found" and a.on_time)
        totals["reviews_substantive"] = sum(1 for a in assigned if a.status == "found" and a.substantive)
        totals["reviews_missing"] = sum(1 for a in assigned if a.status == "missing")
        totals["reviews_pending"] = sum(1 for a in assigned if a.status in ("none", "reported", "unverified"))
        totals["comments_unassigned"] = sum(1 for r in rows for x in r.reviews_given if not x.assigned)
        totals.update({f"flag:{k}": v for k, v in sorted(flags.items())})
        return totals


# ---------------------------------------------------------------------------------------------
# collecting


def coverage(store: Store, course: str | None = None, config: Config | None = None) -> Coverage:
    """Collect the report rows for every active student.

    Without `config` there are no deadlines to judge lateness or punctuality by, and the section
    threshold is the classifier's own (`present` in the check). `course` defaults to the config's.
    """
    if course is None:
        course = config.course.name if config else ""
    post_due = config.course.post_due if config else None
    comments_due = config.comments_cutoff if config else None
    threshold = config.thresholds.section_confidence if config else None
    k = config.assignment.reviews_per_student if config else 2

    people = {s["key"]: s for s in store.rows("students")}
    flags: dict[str, list[str]] = {}
    for flag in store.rows("flags", "resolved_at is null", order_by="kind, first_seen"):
        flags.setdefault(flag["student_key"], []).append(f"{flag['kind']}: {flag['detail']}")
    posts = {p["student_key"]: p for p in store.rows("posts", "status = 'current'", order_by="first_seen")}
    every_post = list(store.rows("posts"))
    url_of = {p["key"]: p["url"] for p in every_post}
    author_of = {p["key"]: p["student_key"] for p in every_post}
    checks = _latest_checks(store)
    versions = _versions(store)
    watching_since = _watching_since(store)

    current = {student: post["key"] for student, post in posts.items()}
    given, received = _reviews(store, people, current, url_of, author_of, comments_due)
    links = Counter(c["reviewer_key"] for c in store.rows("comments", "source in ('sheet', 'discord')"))
    active = list(store.rows("assignments", "status = 'active'"))
    gives = Counter(a["reviewer_key"] for a in active)
    receives = Counter(a["author_key"] for a in active)

    rows = []
    for student in store.rows("students", "active = 1 and role = 'student'", order_by="name, key"):
        key = student["key"]
        post = posts.get(key, {})
        found = list(flags.get(key, []))
        row = StudentRow(
            student=key,
            name=student["name"],
            team=student["team"] or "",
            tool=student["tool"] or "",
            post_url=post.get("url", ""),
            platform=post.get("platform", ""),
            title=post.get("title") or "",
            words=post.get("words") or 0,
            comment_links=links.get(key, 0),
            reviews_to_give=gives.get(key, 0),
            reviews_to_receive=receives.get(key, 0),
            email=student.get("email") or "",
            sis_id=student.get("sis_id") or "",
        )
        row.published = (post.get("published") or "") if post else ""
        _post_state(row, post, found)
        _verdicts(row, post, checks.get(post.get("sha256") or ""), threshold, found)
        if post and post_due is not None:
            _lateness(row, post, post_due, watching_since, versions.get(post["key"], 0), found)
        row.flags = _dedupe(found)
        row.reviews_given = given.get(key, [])
        row.reviews_received = received.get(key, [])
        rows.append(row)
    return Coverage(
        course=course,
        rows=rows,
        generated_at=utcnow(),
        post_due=post_due.isoformat() if post_due else "",
        comments_due=comments_due.isoformat() if comments_due else "",
        reviews_per_student=k,
        section_threshold=threshold if threshold is not None else 0.5,
    )


def _latest_checks(store: Store) -> dict[str, dict[str, Any]]:
    """The newest check row per sha256 of a current post."""
    out: dict[str, dict[str, Any]] = {}
    for row in store.rows(
        "checks",
        "sha256 in (select sha256 from posts where status = 'current' and sha256 is not null)",
        order_by="created_at, id",
    ):
        out[row["sha256"]] = row  # later rows win
    return out


def _versions(store: Store) -> dict[str, int]:
    """How many distinct versions of each post's bytes are kept."""
    cursor = store.db.execute("select post_key, count(distinct sha256) from snapshots group by post_key")
    return {key: n for key, n in cursor.fetchall()}


def _watching_since(store: Store) -> tuple[dt.datetime, dt.datetime] | None:
    """Start and end of the first sync/audit/demo run: posts first seen then may be older."""
    rows = list(
        store.rows(
            "audit_runs",
            "kind in ('sync', 'audit', 'demo') or kind like '%:sync'",
            order_by="started_at, id",
            limit=1,
        )
    )
    if not rows:
        return None
    start = parse_time(rows[0]["started_at"])
    if start is None:
        return None
    end = parse_time(rows[0]["finished_at"]) or start + dt.timedelta(hours=1)  # an interrupted run
    return start, end + dt.timedelta(minutes=1)


def _post_state(row: StudentRow, post: dict[str, Any], found: list[str]) -> None:
    if not post:
        row.post_status = NO_POST
        return
    status = post.get("fetch_status")
    reason = post.get("fetch_reason") or ""
    row.fetch_reason = reason
    page_flags = _json_list(post.get("post_flags"))
    if status == "ok":
        row.post_status, row.reachable = "ok", True
        row.public = "member_only_partial" not in page_flags
    elif status == "failed":
        row.reachable = False
        if reason.startswith("not public"):
            row.post_status, row.public = "not public", False
            found.append(f"not_public: {reason}")
        else:
            row.post_status = "unreachable"
            found.append(f"unreachable: {reason or 'unknown reason'}")
    else:
        row.post_status = "not fetched"
    kinds = {f.split(":", 1)[0] for f in found}
    for flag in page_flags:
        if flag not in kinds:  # sync flags a video from its link already
            found.append(f"{flag}: seen on the page")


def _verdicts(
    row: StudentRow,
    post: dict[str, Any],
    check: dict[str, Any] | None,
    threshold: float | None,
    found: list[str],
) -> None:
    if not post:
        row.sections = {s: NO_POST for s in SECTIONS}
        row.verdicts = {s: Verdict(NO_POST) for s in SECTIONS}
        return
    row.verdicts = {s: Verdict(NOT_CHECKED) for s in SECTIONS}
    if check is not None:
        try:
            result = json.loads(check["result"] or "")
            if not isinstance(result, dict):
                raise ValueError("not an object")
        except ValueError:
            found.append(f"check_unreadable: check {check['id']} ({check['model_version']}) is not JSON")
            result = None
        if result is not None:
            row.model_version = str(result.get("model_version") or check.get("model_version") or "")
            row.checked_at = check.get("created_at") or ""
            row.check_flags = [str(f) for f in _json_list(result.get("flags"))]
            judged = not (set(row.check_flags) & _NOT_JUDGED_FLAGS)
            sections = result.get("sections") if isinstance(result.get("sections"), dict) else {}
            for name in SECTIONS:
                row.verdicts[name] = _verdict(sections.get(name), judged, threshold, row.post_url)
            if not row.title and isinstance(result.get("title"), str):
                row.title = result["title"]
            if not row.words and isinstance(result.get("words"), int):
                row.words = result["words"]
            kinds = {f.split(":", 1)[0] for f in found}
            for flag in row.check_flags:
                if flag not in kinds:
                    found.append(f"{flag}: from the rubric check")
    row.sections = {s: v.status for s, v in row.verdicts.items()}


def _verdict(raw: Any, judged: bool, threshold: float | None, url: str) -> Verdict:
    if not isinstance(raw, dict):
        return Verdict(NOT_CHECKED)
    confidence = raw.get("confidence")
    confidence = (
        round(min(max(float(confidence), 0.0), 1.0), 3)
        if isinstance(confidence, int | float) and not isinstance(confidence, bool)
        else None
    )
    if not judged:
        return Verdict(NOT_JUDGED, confidence)
    if threshold is not None and confidence is not None:
        present = confidence >= threshold
    else:
        present = bool(raw.get("present"))
    evidence = raw.get("evidence") if isinstance(raw.get("evidence"), str) else ""
    heading = raw.get("heading") if isinstance(raw.get("heading"), str) else ""
    return Verdict(
        YES if present else NO,
        confidence,
        evidence,
        heading,
        evidence_link(url, evidence) if evidence else "",
    )


def _lateness(
    row: StudentRow,
    post: dict[str, Any],
    due: dt.datetime,
    watching: tuple[dt.datetime, dt.datetime] | None,
    versions: int,
    found: list[str],
) -> None:
    """Late: first seen after the deadline; edited late: its text changed after it (older kept).

    A post first seen in the bot's very first run, when that run came after the deadline, may be
    older than the bot: its lateness is "unknown" (no flag; the platform's `published` date is
    shown beside it, but students can set that date, so it decides nothing).
    """
    first = parse_time(post.get("first_seen"))
    if first is not None and first > due:
        if watching is not None and watching[0] > due and first <= watching[1]:
            row.late = "unknown"
        else:
            row.late = "late"
            found.append(f"late: first seen {_show(first)}, after the post deadline {_show(due)}")
            return
    changed = parse_time(post.get("changed_at"))
    if changed is not None and changed > due and versions > 1:
        row.late = "edited late"
        found.append(f"edited_late: changed {_show(changed)}, after the post deadline; earlier version kept")


def _reviews(
    store: Store,
    people: dict[str, dict[str, Any]],
    current: dict[str, str],
    url_of: dict[str, str],
    author_of: dict[str, str],
    due: dt.datetime | None,
) -> tuple[dict[str, list[Review]], dict[str, list[Review]]]:
    """Reviews given and received per student: assigned ones with the comment that counts (see
    bot/review_match.py), then the comments that count for no assignment; `current` maps each
    student to their current post."""
    assignments = {a["id"]: a for a in store.rows("assignments", "status = 'active'", order_by="id")}
    match = match_comments(assignments.values(), store.rows("comments", order_by="first_seen, id"), current)

    def name(key: str) -> str:
        return (people.get(key) or {}).get("name") or key

    def _review(reviewer: str, author: str, post_key: str, c: Mapping[str, Any] | None, assigned: bool):
        review = Review(
            reviewer=reviewer,
            reviewer_name=name(reviewer),
            author=author,
            author_name=name(author) if author else "",
            post_url=url_of.get(post_key, "") if post_key else "",
            assigned=assigned,
            status="none",
        )
        if c is not None:
            review.status = c.get("status") or "reported"
            review.comment_url = c.get("url") or ""
            review.posted_at = c.get("posted_at") or ""
            posted = parse_time(review.posted_at)
            review.on_time = (posted <= due) if (posted is not None and due is not None) else None
            sub = c.get("substantive")
            review.substantive = None if sub is None else bool(sub)
            review.score = c.get("score")
            review.reasons = [str(r) for r in _json_list(c.get("reasons"))]
            if not review.post_url and review.comment_url:
                review.post_url = review.comment_url.split("#", 1)[0]
        return review

    given: dict[str, list[Review]] = {}
    received: dict[str, list[Review]] = {}
    for aid, a in assignments.items():
        review = _review(a["reviewer_key"], a["author_key"], a["post_key"], match.counted.get(aid), True)
        given.setdefault(a["reviewer_key"], []).append(review)
        received.setdefault(a["author_key"], []).append(review)
    for comment, target in match.others:
        author = author_of.get(target, "")
        review = _review(comment["reviewer_key"], author, target, comment, False)
        given.setdefault(comment["reviewer_key"], []).append(review)
        if author:
            received.setdefault(author, []).append(review)

    return given, received


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if not value or not isinstance(value, str):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _show(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


# ---------------------------------------------------------------------------------------------
# links


_FRAGMENT_WORDS = 8
_FRAGMENT_CHARS = 80


def safe_url(url: str) -> str:
    """The URL if it is an http(s) link safe to put in an href, else "" (no javascript:, data:, ...)."""
    if not url or not isinstance(url, str) or any(c.isspace() or ord(c) < 32 for c in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return url


def evidence_link(url: str, evidence: str) -> str:
    """The post's URL with a text fragment (`#:~:text=`) of the evidence's first words.

    Browsers that support text fragments scroll to the passage and highlight it; the others
    open the post. Empty when the URL is not a safe web link.
    """
    base = safe_url(url)
    if not base:
        return ""
    base = base.split("#", 1)[0]
    start = fragment_start(evidence)
    if not start:
        return base
    return f"{base}#:~:text={quote(start, safe='').replace('-', '%2D')}"


def fragment_start(evidence: str) -> str:
    """The first words of the evidence, without list markers and the trimming ellipsis."""
    text = " ".join(evidence.replace("…", " ").split())
    text = re.sub(r"^(?:[#>*\-+]+|\d+[.)])\s+", "", text)
    words: list[str] = []
    for word in text.split(" "):
        if len(words) >= _FRAGMENT_WORDS or len(" ".join([*words, word])) > _FRAGMENT_CHARS:
            break
        words.append(word)
    return " ".join(words).rstrip(" ,;:.")


# ---------------------------------------------------------------------------------------------
# rendering


def section_cell(verdict: Verdict | None) -> str:
    """A section verdict in a few characters: `Y.92`, `n.10`, `?` (not judged), `-` (no check)."""
    if verdict is None or verdict.status in (NOT_CHECKED, NO_POST):
        return "-"
    if verdict.status == NOT_JUDGED:
        return "?"
    mark = "Y" if verdict.status == YES else "n"
    if verdict.confidence is None:
        return mark
    return f"{mark}{verdict.confidence:.2f}".replace("0.", ".").replace("1.00", "1.0")


def render_table(report: Coverage, width: int = 110) -> str:
    """A plain-text table for the terminal; the flags column is never cut."""
    header = ["student", "team", "tool", "post", "problem", "example", "s&l", "given", "got", "flags"]
    lines = []
    for row in report.rows:
        post = (row.platform or "-") if row.post_url else "none"
        if row.post_status in ("unreachable", "not public"):
            post += " (x)"
        given = f"{row.reviews_found}/{len(row.assigned_given)}" if row.assigned_given else "-"
        if row.reviews_substantive:
            given += f" s{row.reviews_substantive}"
        got = f"{row.comments_received}/{row.reviews_to_receive}" if row.reviews_to_receive else "-"
        lines.append(
            [
                row.name[:24],
                row.team[:10],
                (row.tool or "-")[:20],
                post,
                *[section_cell(row.verdicts.get(s)) for s in SECTIONS],
                given,
                got,
                ", ".join(row.flag_kinds) or "ok",
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=False)]

    def fmt(cells: list[str]) -> str:
        head = "  ".join(str(c).ljust(w) for c, w in zip(cells[:-1], widths[:-1], strict=True))
        return f"{head}  {cells[-1]}".rstrip()

    out = [f"Coverage: {report.course}", fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines]
    totals = report.totals()
    n = totals["students"]
    out.append("")
    out.append(
        f"{n} students, {totals['with_post']} with a post link, "
        f"{totals['comment_links']} comment links reported"
    )
    out.append(
        "sections present: "
        + ", ".join(
            f"{SHORT_LABELS[s]} {totals[s]}/{n}"
            + (f" ({totals[f'{s}_unchecked']} not checked)" if totals[f"{s}_unchecked"] else "")
            for s in SECTIONS
        )
    )
    if totals["reviews_assigned"]:
        out.append(
            f"reviews: {totals['reviews_found']}/{totals['reviews_assigned']} found, "
            f"{totals['reviews_on_time']} on time, {totals['reviews_substantive']} substantive, "
            f"{totals['reviews_missing']} missing, {totals['reviews_pending']} not verified yet"
        )
    flag_totals = [f"{k[5:]} {v}" for k, v in totals.items() if k.startswith("flag:")]
    if flag_totals:
        out.append("flags: " + ", ".join(flag_totals))
    key = (
        "key: Y/n = section present/missing with the classifier's confidence, ? not judged, "
        "- not checked; given = found/assigned (sN substantive); got = found/expected; (x) unreachable"
    )
    out += textwrap.wrap(key, width=max(width, 40), subsequent_indent="     ")
    return "\n".join(out)


CSV_COLUMNS = [
    "student",
    "name",
    "team",
    "tool",
    "post_url",
    "platform",
    *SECTIONS,
    "flags",
    "comment_links",
    "reviews_to_give",
    "reviews_to_receive",
    "email",
    "post_status",
    "public",
    "fetch_reason",
    "title",
    "words",
    "late",
    *[f"{s}_{part}" for s in SECTIONS for part in ("confidence", "evidence", "link")],
    "check_flags",
    "model_version",
    "reviews_found",
    "reviews_on_time",
    "reviews_substantive",
    "reviews_detail",
    "comments_received",
    "comments_received_detail",
]


def _yn(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def review_summary(review: Review, *, by: bool = False) -> str:
    """`Author Name: substantive, on time (reason; reason)`; `by` names the reviewer instead."""
    who = review.reviewer_name if by else (review.author_name or review.post_url or "?")
    bits = [review.outcome]
    if review.status == "found" and review.on_time is not None:
        bits.append("on time" if review.on_time else "late")
    if not review.assigned:
        bits.append("not assigned")
    text = f"{who}: {', '.join(bits)}"
    if review.reasons:
        text += f" ({'; '.join(review.reasons)})"
    return text


def render_csv(report: Coverage) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        values: dict[str, Any] = {
            "student": row.student,
            "name": row.name,
            "team": row.team,
            "tool": row.tool,
            "post_url": row.post_url,
            "platform": row.platform,
            "flags": "; ".join(row.flags),
            "comment_links": row.comment_links,
            "reviews_to_give": row.reviews_to_give,
            "reviews_to_receive": row.reviews_to_receive,
            "email": row.email,
            "post_status": row.post_status,
            "public": _yn(row.public),
            "fetch_reason": row.fetch_reason,
            "title": row.title,
            "words": row.words,
            "late": row.late,
            "check_flags": "; ".join(row.check_flags),
            "model_version": row.model_version,
            "reviews_found": row.reviews_found,
            "reviews_on_time": row.reviews_on_time,
            "reviews_substantive": row.reviews_substantive,
            "reviews_detail": " | ".join(review_summary(r) for r in row.reviews_given),
            "comments_received": row.comments_received,
            "comments_received_detail": " | ".join(review_summary(r, by=True) for r in row.reviews_received),
        }
        for s in SECTIONS:
            verdict = row.verdicts.get(s) or Verdict(NO_POST)
            values[s] = row.sections.get(s, verdict.status)
            values[f"{s}_confidence"] = "" if verdict.confidence is None else verdict.confidence
            values[f"{s}_evidence"] = verdict.evidence
            values[f"{s}_link"] = verdict.link
        writer.writerow([csv_safe(values[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def csv_safe(value: Any) -> Any:
    """Student text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _row_json(row: StudentRow) -> dict[str, Any]:
    data = asdict(row)
    for name, verdict in row.verdicts.items():
        data["verdicts"][name]["certainty"] = verdict.certainty
    for key, reviews in (("reviews_given", row.reviews_given), ("reviews_received", row.reviews_received)):
        for item, review in zip(data[key], reviews, strict=True):
            item["outcome"] = review.outcome
    data["flag_kinds"] = row.flag_kinds
    data["reviews_found"] = row.reviews_found
    data["reviews_on_time"] = row.reviews_on_time
    data["reviews_substantive"] = row.reviews_substantive
    data["comments_received"] = row.comments_received
    return data


def render_json(report: Coverage) -> str:
    return json.dumps(
        {
            "course": report.course,
            "generated_at": report.generated_at,
            "post_due": report.post_due,
            "comments_due": report.comments_due,
            "reviews_per_student": report.reviews_per_student,
            "section_threshold": report.section_threshold,
            "students": [_row_json(r) for r in report.rows],
            "totals": report.totals(),
        },
        indent=2,
        ensure_ascii=False,
    )
