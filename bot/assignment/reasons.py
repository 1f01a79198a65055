"""Sentences a TA can read: which rule was relaxed, why it could not hold, how many pairs."""

from __future__ import annotations

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


def mutual(b: Bounds | None, pairs: int) -> str:
    """Reason for no_mutual."""
    head = f"two students review each other in {_n(pairs, 'pair')} ({pairs // 2} couples)"
    if b is None:
        return f"{head}: with so few posts every possible pair had to be used"
    if b.mutual_couples:
        return (
            f"{head}: only {_n(b.m, 'student')} have a post and each reviews {b.k}, so "
            f"{b.m * b.k} reviews among authors must fit into {b.m * (b.m - 1) // 2} "
            f"pairs of authors (at least {b.mutual_couples} couples are unavoidable)"
        )
    return (
        f"{head}: no assignment without mutual reviews was found that keeps every review count "
        f"exact for this roster of {_n(b.n, 'student')} and {_n(b.m, 'post')}"
    )


def teammates(b: Bounds | None, pairs: int) -> str:
    """Reason for no_teammates."""
    head = f"{_n(pairs, 'pair')} review a teammate's post"
    if b is None:
        return f"{head}: with so few posts every possible pair had to be used"
    t = b.team
    if t is not None and t.forced:
        return (
            f"{head}: team '{t.name}' has {t.size} of the {b.n} students, whose {t.size * b.k} "
            f"reviews cannot all go to posts outside the team (they can take only "
            f"{t.outside_capacity}); at least {b.team_forced} teammate pairs are unavoidable"
        )
    return (
        f"{head}: keeping teammates apart would have forced students to review each other "
        "(a more important rule) or was not found possible for this roster"
    )


def repeats(b: Bounds | None, pairs: int) -> str:
    """Reason for no_repeat."""
    head = f"{_n(pairs, 'pair')} repeat a pairing from the history"
    if b is None:
        return f"{head}: with so few posts every possible pair had to be used"
    if b.repeat_forced:
        return (
            f"{head}: {_n(b.repeat_students, 'student')} already reviewed all but fewer than "
            f"{b.k} of the posts available to them in earlier rounds "
            f"(at least {b.repeat_forced} repeats are unavoidable)"
        )
    return (
        f"{head}: the history ({_n(b.history_size, 'earlier pairing')}) leaves too few fresh "
        "pairings once teammates and mutual reviews are kept apart (more important rules)"
    )


def tools(b: Bounds | None, pairs: int) -> str:
    """Reason for different_tool."""
    head = f"{_n(pairs, 'pair')} review a post about the reviewer's own tool"
    if b is None:
        return f"{head}: with so few posts every possible pair had to be used"
    if b.single_tool is not None:
        return f"{head}: every student wrote about '{b.single_tool}'"
    t = b.tool
    if t is not None and t.forced:
        return (
            f"{head}: {t.size} of the {b.n} students wrote about '{t.name}', and posts on other "
            f"tools can take only {t.outside_capacity} of their {t.size * b.k} reviews "
            f"(at least {b.tool_forced} same-tool pairs are unavoidable)"
        )
    return (
        f"{head}: the other posts were needed to keep teammates apart, avoid repeats or avoid "
        "mutual reviews (more important rules)"
    )


SOFT_REASONS = {
    "no_mutual": mutual,
    "no_teammates": teammates,
    "no_repeat": repeats,
    "different_tool": tools,
}
