"""The grading sheet: one row per student, one group of columns per rubric criterion.

For each criterion the bot suggests `yes`, `no` or `unknown`, says how sure it is (0..1, empty when
it has no basis) and why, and leaves an empty `_ta` column for the TA's decision. The bot never
grades: a TA confirms or overrides every suggestion.

Criteria (the course rubric): the claim sheet is filled in (a tool with a post link); the tool was
not already claimed (this term or an earlier one); the three post sections; evidence that the
student tried the tool; two substantive comments; the post is public.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.report import (
    NO,
    NO_POST,
    NOT_CHECKED,
    NOT_JUDGED,
    SECTION_LABELS,
    SECTIONS,
    YES,
    Coverage,
    StudentRow,
    csv_safe,
    fragment_start,
)

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store
    from scrapers.article import Article

# The post's text for a row (from its kept snapshot), for the tried-the-tool heuristic.
ArticleOf = Callable[[StudentRow], "Article | None"]

CRITERIA: dict[str, str] = {
    "sheet_filled": "Sheet filled in: a tool claimed with a post link",
    "tool_unique": "Tool not already claimed (this term or an earlier one)",
    "problem": SECTION_LABELS["problem"],
    "movie_example": "Movie-scenario illustration",
    "strengths_limitations": SECTION_LABELS["strengths_limitations"],
    "tried_tool": "Evidence of trying the tool (code, commands, config, numbers)",
    "two_comments": "Two substantive comments on classmates' posts",
    "public_post": "Post is public",
}

# Check flags a future model may set for hands-on evidence (the whole post, not only the evidence).
HANDS_ON_FLAGS = {"hands_on": "yes", "no_hands_on": "no"}


@dataclass
class Suggestion:
    value: str  # yes | no | unknown
    confidence: float | None  # how sure the bot is of `value`; None when it has no basis
    why: str


@dataclass
class GradeRow:
    student: str
    name: str
    email: str
    sis_id: str
    team: str
    tool: str
    post_url: str
    suggestions: dict[str, Suggestion]
    late: str
    flags: list[str]


def grade(report: Coverage, article_of: ArticleOf | None = None) -> list[GradeRow]:
    """A suggestion per criterion for every student of the report.

    With `article_of` (see `articles_from_snapshots`), "tried the tool" is judged on the whole
    post's text; without it, on the evidence paragraphs the rubric check kept.
    """
    k = report.reviews_per_student
    out = []
    for row in report.rows:
        article = article_of(row) if article_of and row.post_status == "ok" else None
        suggestions = {
            "sheet_filled": sheet_filled(row),
            "tool_unique": tool_unique(row),
            **{s: section(row, s) for s in SECTIONS},
            "tried_tool": tried_tool(row, article),
            "two_comments": two_comments(row, k),
            "public_post": public_post(row),
        }
        out.append(
            GradeRow(
                student=row.student,
                name=row.name,
                email=row.email,
                sis_id=row.sis_id,
                team=row.team,
                tool=row.tool,
                post_url=row.post_url,
                suggestions=suggestions,
                late=row.late,
                flags=row.flags,
            )
        )
    return out


def _flag(row: StudentRow, kind: str) -> str | None:
    """The detail of the student's open flag of this kind, or None."""
    for flag in row.flags:
        name, _, detail = flag.partition(":")
        if name == kind:
            return detail.strip()
    return None


def sheet_filled(row: StudentRow) -> Suggestion:
    missing = []
    if not row.tool.strip():
        missing.append("no tool claimed")
    if not row.post_url:
        bad = _flag(row, "malformed_link")
        missing.append(f"post link unusable: {bad}" if bad else "no post link")
    if missing:
        return Suggestion("no", 1.0, "; ".join(missing))
    return Suggestion("yes", 1.0, f"claimed {row.tool!r} with a post link")


def tool_unique(row: StudentRow) -> Suggestion:
    if not row.tool.strip():
        return Suggestion("unknown", None, "no tool claimed")
    earlier = _flag(row, "earlier_term_tool")
    duplicate = _flag(row, "duplicate_tool")
    if earlier and duplicate:
        return Suggestion("no", 0.9, f"{earlier}; {duplicate}")
    if earlier:
        return Suggestion("no", 0.9, earlier)
    if duplicate:
        return Suggestion(
            "no", 0.5, f"{duplicate}; the first claim keeps the tool: check the sheet's timestamps"
        )
    return Suggestion("yes", 0.9, "no other claim this term; not in the earlier-terms list")


def section(row: StudentRow, name: str) -> Suggestion:
    verdict = row.verdicts.get(name)
    status = verdict.status if verdict else NO_POST
    if status == NO_POST:
        return Suggestion("unknown", None, "no post")
    if status == NOT_CHECKED:
        reason = "post unreachable" if row.reachable is False else "post not checked yet"
        return Suggestion("unknown", None, reason)
    if status == NOT_JUDGED:
        return Suggestion("unknown", None, "the post's text could not be judged (video, member-only, empty)")
    assert verdict is not None
    if status == YES:
        where = f'under "{verdict.heading}": ' if verdict.heading else ""
        quote = fragment_start(verdict.evidence)
        return Suggestion("yes", verdict.certainty, f'{where}"{quote} …"' if quote else "found")
    assert status == NO
    conf = (
        f" (confidence {verdict.confidence:.2f} that it is there)" if verdict.confidence is not None else ""
    )
    return Suggestion("no", verdict.certainty, f"no passage found{conf}")


_SIGNALS: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"`[^`\n]{2,}`|```|\b\w+(?:\.\w+)*\([^()\n]{0,80}\)|\b\w+\s*=\s*[\w\"'\[{(][\w.]*")),
    (
        "commands",  # a command and a subcommand, in lower case: "make sure" or "Python dict" is prose
        re.compile(
            r"(?:^|\s)\$\s+[\w.-]+|\b(?:pip3?|conda|uv) (?:install|add)\b"
            r"|\bdocker (?:run|build|compose|exec)\b|\b(?:kubectl|helm) \w+"
            r"|\bgit (?:clone|add|commit|push|pull|checkout)\b|\bcurl (?:-\w|https?://)"
            r"|\bpython3? (?:-m \w+|[\w/.-]+\.py)|\bnpm (?:install|run)\b|(?:^|\s)--[a-z][\w-]+"
        ),
    ),
    ("config", re.compile(r"\b[\w./-]+\.(?:ya?ml|toml|json|ini|cfg|py|ipynb|sql|conf)\b", re.I)),
    (
        "numbers",  # measured numbers: a unit after them ("120 ms", "30%", "10x", "2.5s"), or p95
        re.compile(
            r"\b\d+(?:[.,]\d+)?\s?(?:ms|sec|secs|seconds|minutes|mins?|%|percent|gb|mb|kb|tb|rps|req/s|qps"
            r"|users|rows|records|events|epochs|requests|x)(?!\w)(?!\s+read\b)|\b\d+[.,]\d+\s?s(?!\w)"
            r"|\bp(?:50|90|95|99)\b",
            re.I,
        ),
    ),
]


def hands_on_signals(text: str) -> dict[str, str]:
    """Kinds of concrete, tried-it evidence in a text, each with the first match."""
    found = {}
    for kind, pattern in _SIGNALS:
        match = pattern.search(text)
        if match:
            found[kind] = " ".join(match.group(0).split())[:40]
    return found


def tried_tool(row: StudentRow, article: Article | None = None) -> Suggestion:
    """Heuristic: code blocks, commands, config files or measured numbers in the post.

    A check flag (`hands_on` / `no_hands_on`) wins. With the post's text (`article`), code blocks
    and the other signals are counted over the whole post, and their absence suggests "no".
    Otherwise only the evidence paragraphs the check kept are searched: they are three
    paragraphs, not the post, so finding nothing there is "unknown", never "no".
    """
    for flag, value in HANDS_ON_FLAGS.items():
        if flag in row.check_flags:
            return Suggestion(value, 0.8, f"the rubric check flags the post {flag}")
    if not row.post_url:
        return Suggestion("unknown", None, "no post")
    if article is not None and article.blocks:
        code = [b for b in article.blocks if b.kind == "code"]
        signals = hands_on_signals("\n".join(b.text for b in article.blocks if b.kind != "code"))
        found = _signals_text(signals)
        if code:
            why = f"{len(code)} code block{'s' if len(code) > 1 else ''} in the post"
            return Suggestion("yes", 0.85, f"{why}; {found}" if found else why)
        if signals:
            return Suggestion("yes", round(min(0.5 + 0.1 * len(signals), 0.75), 2), found)
        return Suggestion("no", 0.6, "no code block, commands, config files or measured numbers in the post")
    texts = [v.evidence for v in row.verdicts.values() if v.evidence]
    if not texts:
        checked = any(v.status in (YES, NO) for v in row.verdicts.values())
        return Suggestion(
            "unknown", None, "no section found to search" if checked else "post not checked yet"
        )
    signals = hands_on_signals("\n".join(texts))
    if not signals:
        return Suggestion(
            "unknown", None, "no code, commands, config or numbers in the evidence: read the post"
        )
    confidence = round(min(0.55 + 0.1 * (len(signals) - 1), 0.8), 2)
    return Suggestion("yes", confidence, _signals_text(signals))


def _signals_text(signals: dict[str, str]) -> str:
    return "; ".join(f'{kind} ("{example}")' for kind, example in signals.items())


def articles_from_snapshots(store: Store, config: Config) -> ArticleOf:
    """Read each row's post again from its kept snapshot (no network), for `grade`."""
    from bot.fetching import article_from_snapshot
    from bot.snapshots import SnapshotStore

    snapshots = SnapshotStore(config.snapshot_dir)
    posts = {p["student_key"]: p for p in store.rows("posts", "status = 'current'")}

    def article_of(row: StudentRow) -> Article | None:
        post = posts.get(row.student)
        if not post or not post.get("sha256"):
            return None
        try:
            return article_from_snapshot(snapshots, post)
        except Exception:  # a snapshot that no longer parses: fall back to the evidence
            return None

    return article_of


def _certainty(substantive: bool | None, score: float | None) -> float:
    if score is None or substantive is None:
        return 0.7
    return round(score if substantive else 1.0 - score, 3)


def two_comments(row: StudentRow, k: int) -> Suggestion:
    assigned = row.assigned_given
    unasked = [r for r in row.reviews_given if not r.assigned and r.status == "found" and r.substantive]
    good = [r for r in assigned if r.status == "found" and r.substantive]
    weak = [r for r in assigned if r.status == "found" and r.substantive is False]
    missing = [r for r in assigned if r.status == "missing"]
    pending = [r for r in assigned if r not in good and r not in weak and r not in missing]
    late = [r for r in good + weak if r.on_time is False]
    parts = [f"{len(good) + len(weak)} of {len(assigned)} found, {len(good)} substantive"]
    if missing:
        parts.append(f"{len(missing)} missing")
    if pending:
        parts.append(f"{len(pending)} not verified yet")
    if late:
        parts.append(f"{len(late)} posted after the comment deadline")
    for review in weak:
        if review.reasons:
            parts.append(f"{review.author_name}: {'; '.join(review.reasons)}")
    if unasked:
        parts.append(f"{len(unasked)} substantive on posts not assigned to them")
    why = "; ".join(parts)
    if not assigned:
        if len(unasked) >= k:
            return Suggestion("yes", 0.5, "no reviews assigned; " + why)
        return Suggestion("unknown", None, "no reviews assigned" + (f"; {why}" if unasked else ""))
    if len(good) >= k:  # as sure as the least sure of the judgements it rests on
        return Suggestion("yes", min(_certainty(r.substantive, r.score) for r in good), why)
    if len(good) + len(pending) + len(unasked) >= k:  # may still be done, or the TA counts unasked ones
        return Suggestion("unknown", None, why)
    against = [_certainty(r.substantive, r.score) for r in weak] + [0.9] * len(missing)
    return Suggestion("no", max(against, default=0.5), why)


def public_post(row: StudentRow) -> Suggestion:
    if not row.post_url:
        return Suggestion("no", 1.0, "no post link")
    if row.post_status == "ok":
        if row.public is False:
            return Suggestion("no", 0.8, "member-only: only part of the post is public")
        note = "; a video, not a written post" if "video_post" in row.flag_kinds else ""
        return Suggestion("yes", 0.95, f"fetched without logging in{note}")
    if row.post_status == "not public":
        return Suggestion("no", 0.9, row.fetch_reason or "not public")
    if row.post_status == "unreachable":
        return Suggestion("no", 0.7, f"unreachable at the last fetch: {row.fetch_reason or 'unknown reason'}")
    return Suggestion("unknown", None, "not fetched yet")


def grading_columns() -> list[str]:
    columns = ["student", "name", "email", "sis_id", "team", "tool", "post_url"]
    for criterion in CRITERIA:
        columns += [criterion, f"{criterion}_confidence", f"{criterion}_why", f"{criterion}_ta"]
    return [*columns, "late", "flags", "ta_notes"]


def render_grading_csv(report: Coverage, article_of: ArticleOf | None = None) -> str:
    """The grading sheet as CSV (one row per student; the `_ta` columns and `ta_notes` left empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(grading_columns())
    for row in grade(report, article_of):
        cells: list[object] = [row.student, row.name, row.email, row.sis_id, row.team, row.tool, row.post_url]
        for criterion in CRITERIA:
            s = row.suggestions[criterion]
            cells += [s.value, "" if s.confidence is None else f"{s.confidence:.2f}", s.why, ""]
        cells += [row.late, "; ".join(row.flags), ""]
        writer.writerow([csv_safe(c) for c in cells])
    return buffer.getvalue()
