"""Count soft-constraint violations of finished pairs, straight from the student records."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from bot.assignment.model import Pair, Participant, norm_team, norm_tool


def soft_violations(
    pairs: Iterable[Pair],
    participants: Sequence[Participant],
    history: Collection[tuple[str, str]] = (),
    context: Iterable[Pair] = (),
) -> dict[str, int]:
    """Pairs violating each soft constraint; a pair is mutual if its reverse is in pairs or context."""
    people = {p.student: p for p in participants}
    done = {(r, a) for r, a in history}
    mine = [(p.reviewer, p.author) for p in pairs]
    present = set(mine) | {(p.reviewer, p.author) for p in context}
    counts = {"no_mutual": 0, "no_teammates": 0, "no_repeat": 0, "different_tool": 0}
    for reviewer, author in mine:
        r, a = people.get(reviewer), people.get(author)
        if (author, reviewer) in present:
            counts["no_mutual"] += 1
        if (reviewer, author) in done:
            counts["no_repeat"] += 1
        if r is None or a is None:
            continue
        team = norm_team(r.team)
        if team is not None and team == norm_team(a.team):
            counts["no_teammates"] += 1
        tool = norm_tool(r.tool)
        if tool is not None and tool == norm_tool(a.tool):
            counts["different_tool"] += 1
    return counts
