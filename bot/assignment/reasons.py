"""Sentences a TA can read: which rule was relaxed, why it could not hold, how many pairs."""

from __future__ import annotations

from collections.abc import Callable

from bot.assignment.bounds import Bounds


def _n(count: int, word: str, plural: str | None = None) -> str:
    """'1 pair' / '3 pairs'."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def short_reviewers(k: int, m: int, missing: int, students: int) -> str:
    """Reason for k_per_reviewer when there are at most k posts."""
    return (
        f"each student should review {k} posts, but only {_n(m, 'post')} "
        f"{'exists' if m == 1 else 'exist'} and nobody reviews their own, so a student with a "
        f"post can review at most {max(m - 1, 0)} and one without at most {m}; "
        f"{_n(missing, 'review')} could not be assigned ({_n(students, 'student')} affected)"
    )


def short_posts(k: int, n: int, missing: int, posts: int) -> str:
    """Reason for k_per_post when too few other students exist."""
    return (
        f"each post should get {k} reviews, but only {_n(n - 1, 'other student')} can review a "
        f"post; {_n(missing, 'review')} are missing ({_n(posts, 'post')} affected)"
    )


FEW_POSTS = "with so few posts every possible pair had to be used"


def _mutual(b: Bounds) -> str:
    if b.mutual_couples:
        return (
            f"only {_n(b.m, 'student')} have a post and each reviews {b.k}, so "
            f"{b.m * b.k} reviews among authors must fit into {b.m * (b.m - 1) // 2} "
            f"pairs of authors (at least {b.mutual_couples} couples are unavoidable)"
        )
    return (
        "no assignment without mutual reviews was found that keeps every review count "
        f"exact for this roster of {_n(b.n, 'student')} and {_n(b.m, 'post')}"
    )


def _teammates(b: Bounds) -> str:
    t = b.team
    if t is not None and t.forced:
        return (
            f"team '{t.name}' has {t.size} of the {b.n} students, whose {t.size * b.k} "
            f"reviews cannot all go to posts outside the team (they can take only "
            f"{t.outside_capacity}); at least {b.team_forced} teammate pairs are unavoidable"
        )
    return (
        "keeping teammates apart would have forced students to review each other "
        "(a more important rule) or was not found possible for this roster"
    )


def _repeats(b: Bounds) -> str:
    if b.repeat_forced:
        return (
            f"{_n(b.repeat_students, 'student')} already reviewed all but fewer than "
            f"{b.k} of the posts available to them in earlier rounds "
            f"(at least {b.repeat_forced} repeats are unavoidable)"
        )
    return (
        f"the history ({_n(b.history_size, 'earlier pairing')}) leaves too few fresh "
        "pairings once teammates and mutual reviews are kept apart (more important rules)"
    )


def _tools(b: Bounds) -> str:
    if b.single_tool is not None:
        return f"every student wrote about '{b.single_tool}'"
    t = b.tool
    if t is not None and t.forced:
        return (
            f"{t.size} of the {b.n} students wrote about '{t.name}', and posts on other "
            f"tools can take only {t.outside_capacity} of their {t.size * b.k} reviews "
            f"(at least {b.tool_forced} same-tool pairs are unavoidable)"
        )
    return (
        "the other posts were needed to keep teammates apart, avoid repeats or avoid "
        "mutual reviews (more important rules)"
    )


# soft rule -> (what the pairs do, why it could not be avoided)
_SOFT: dict[str, tuple[Callable[[int], str], Callable[[Bounds], str]]] = {
    "no_mutual": (lambda p: f"two students review each other in {_n(p, 'pair')} ({p // 2} couples)", _mutual),
    "no_teammates": (lambda p: f"{_n(p, 'pair')} review a teammate's post", _teammates),
    "no_repeat": (lambda p: f"{_n(p, 'pair')} repeat a pairing from the history", _repeats),
    "different_tool": (lambda p: f"{_n(p, 'pair')} review a post about the reviewer's own tool", _tools),
}


def soft(name: str, b: Bounds | None, pairs: int) -> str:
    """Reason for a soft rule the assignment breaks; b is None when every pair had to be used."""
    what, why = _SOFT[name]
    return f"{what(pairs)}: {FEW_POSTS if b is None else why(b)}"


# changes after publication (incremental.py) --------------------------------------------------

_LATE_SOFT = {
    "no_mutual": "make two students review each other",
    "no_teammates": "give a teammate's post",
    "no_repeat": "repeat a pairing from the history",
    "different_tool": "give a post about the reviewer's own tool",
}


def late_soft(name: str, pairs: int) -> str:
    """Why a soft rule gave way for new pairs."""
    return (
        f"{pairs} new pair(s) {_LATE_SOFT[name]}: every student (or post) that would avoid it already "
        "has the post, reviewed it before, or would break a more important rule"
    )


def late_short_reviewers(missing: int) -> str:
    """Reason for k_per_reviewer when new pairs cannot give everyone their reviews."""
    return f"{missing} review(s) could not be given: the students concerned already review every other post"


def late_short_posts(k: int, missing: int) -> str:
    """Reason for k_per_post when new pairs cannot bring every post to k reviews."""
    return (
        f"{missing} review(s) are missing: every other student already "
        f"has the post, or reviewed it before, so it cannot reach {k} reviews"
    )
