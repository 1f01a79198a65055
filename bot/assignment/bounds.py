"""Lower bounds on unavoidable violations; they stop the search early and explain relaxations."""

from __future__ import annotations

from dataclasses import dataclass

from bot.assignment.construct import post_loads
from bot.assignment.index import NONE, Roster, group_sizes


@dataclass(frozen=True)
class GroupBound:
    """The team or tool group that forces the most same-group pairs."""

    name: str
    size: int
    outside_capacity: int
    forced: int
    total_forced: int


@dataclass(frozen=True)
class Bounds:
    """Unavoidable violations of each soft constraint for a roster with enough posts."""

    n: int
    m: int
    k: int
    mutual_couples: int
    team: GroupBound | None
    tool: GroupBound | None
    repeat_forced: int
    repeat_students: int
    history_size: int
    single_tool: str | None

    @property
    def team_forced(self) -> int:
        """Teammate pairs no assignment can avoid."""
        return self.team.total_forced if self.team else 0

    @property
    def tool_forced(self) -> int:
        """Same-tool pairs no assignment can avoid."""
        return self.tool.total_forced if self.tool else 0


def _group_bound(roster: Roster, labels: list[int], names: list[str], k: int) -> GroupBound | None:
    """Pigeonhole bound per group: members' reviews beyond what outside posts can absorb."""
    n, authors = roster.n, roster.authors()
    m = len(authors)
    q, extra = post_loads(n, m, k)
    sizes = group_sizes(labels)
    posts_in = group_sizes([labels[a] for a in authors])
    worst: tuple[int, int, int] | None = None
    total = 0
    for label, size in sorted(sizes.items()):
        outside = m - posts_in.get(label, 0)
        capacity = q * outside + min(extra, outside)
        forced = max(0, size * k - capacity)
        total += forced
        if worst is None or forced > worst[0]:
            worst = (forced, label, capacity)
    if worst is None:
        return None
    forced, label, capacity = worst
    return GroupBound(names[label], sizes[label], capacity, forced, total)


def compute_bounds(roster: Roster, k: int) -> Bounds:
    """Bounds for a roster with more than k posts (so every count can be exact)."""
    n, authors = roster.n, roster.authors()
    m = len(authors)
    is_author = [False] * n
    for a in authors:
        is_author[a] = True
    fresh = [m - (1 if is_author[r] else 0) for r in range(n)]
    for key in roster.history:
        r, a = divmod(key, n)
        if is_author[a]:
            fresh[r] -= 1
    short = [max(0, k - f) for f in fresh]
    tools = {t for t in roster.tool}
    single = roster.tool_names[roster.tool[0]] if n and len(tools) == 1 and NONE not in tools else None
    return Bounds(
        n=n,
        m=m,
        k=k,
        mutual_couples=max(0, m * k - m * (m - 1) // 2),
        team=_group_bound(roster, roster.team, roster.team_names, k),
        tool=_group_bound(roster, roster.tool, roster.tool_names, k),
        repeat_forced=sum(short),
        repeat_students=sum(1 for s in short if s),
        history_size=len(roster.history),
        single_tool=single,
    )
