"""Which stored comment counts for which assigned review: one rule for the reminders, the student
commands and the TA reports.

A comment counts for one of its reviewer's active assignments: the one it names (`assignment_id`),
else the one whose post it is on (its `post_key`, or the post its link points into, comment
paging and comment anchors ignored). Reviews follow the author, as in verification: a comment on
the author's current post counts for an assignment made when they had another. Of the comments
that count for one assignment, the best is kept: a comment judged substantive, then one not
judged yet, then the newest of a link reported but not checked, one that could not be checked and
one judged too thin (a newer report outranks an older thin verdict, and a newer thin comment an
older report: the latest word stands, so reporting an uncheckable link does not hide a thin
comment), then one looked for and not found; the newest breaks other ties. Every comment counts
at most once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scrapers.comments._util import page_url
from scrapers.urls import BadLink, normalise

Row = Mapping[str, Any]

# (status, substantive) -> (tier, order within a tie of times): within tier 2 the newest counts.
_RANK = {
    ("found", True): (4, 0),
    ("found", None): (3, 0),
    ("reported", None): (2, 3),
    ("unverified", None): (2, 2),
    ("found", False): (2, 1),
    ("missing", None): (1, 0),
}


@dataclass
class CommentMatch:
    """The comment that counts for each assignment, and the comments that count for none."""

    counted: dict[int, Row] = field(default_factory=dict)  # assignment id -> comment
    others: list[tuple[Row, str]] = field(default_factory=list)  # (comment, the post key it is on)


def post_key_of(url: str) -> str:
    """The key of the post a link points into ("" for a link that is no web link)."""
    if not url:
        return ""
    try:
        return normalise(page_url(url), loopback_ok=True).key
    except BadLink:
        return ""


def _target_of(comment: Row) -> str:
    """The post a comment is on: its stored post key, else the post its link points into."""
    return comment.get("post_key") or post_key_of(comment.get("url") or "")


def rank(comment: Row) -> tuple[int, str, int]:
    """How much a comment says for its review, how new it is, then its kind: the larger counts."""
    status = comment.get("status") or ""
    judged = comment.get("substantive")
    substantive = None if judged is None or status != "found" else bool(judged)
    tier, order = _RANK.get((status, substantive), (0, 0))
    return tier, comment.get("updated_at") or "", order


def match_comments(
    assignments: Iterable[Row], comments: Iterable[Row], current_posts: Mapping[str, str] | None = None
) -> CommentMatch:
    """Which comment counts for each active assignment; `current_posts` maps an author to the key
    of their current post. On a full tie the later comment counts; `others` keeps their order."""
    current_posts = current_posts or {}
    by_id: dict[int, Row] = {}
    by_post: dict[tuple[str, str], int] = {}
    ordered = sorted(assignments, key=lambda a: a["id"])
    for a in ordered:  # the author's current post first: the assigned post wins a clash
        by_id[a["id"]] = a
        if current_posts.get(a["author_key"]):
            by_post[a["reviewer_key"], current_posts[a["author_key"]]] = a["id"]
    for a in ordered:
        by_post[a["reviewer_key"], a["post_key"]] = a["id"]

    rows = list(comments)
    candidates: dict[int, list[int]] = {}  # assignment id -> indexes into rows
    targets: list[str] = []
    for index, comment in enumerate(rows):
        target = _target_of(comment)
        targets.append(target)
        named = by_id.get(comment.get("assignment_id"))
        if named is not None and named["reviewer_key"] == comment["reviewer_key"]:
            aid: int | None = named["id"]
        else:  # no assignment named, or one that is no longer active: the post decides
            aid = by_post.get((comment["reviewer_key"], target)) if target else None
        if aid is not None:
            candidates.setdefault(aid, []).append(index)

    match = CommentMatch()
    chosen: set[int] = set()
    for aid, indexes in candidates.items():
        best = max(indexes, key=lambda i: (rank(rows[i]), i))
        match.counted[aid] = rows[best]
        chosen.add(best)
    match.others = [(c, targets[i]) for i, c in enumerate(rows) if i not in chosen]
    return match
