"""Exhaustive search for tiny rosters: is there an assignment that breaks none of a rule set?

Reviewers are filled one at a time (the one with the fewest usable posts first) with every
k-subset of their usable posts; post capacities keep loads at q or q+1, and a reviewer can
no longer use the post of someone who already reviews them when mutual pairs are forbidden.
A node budget bounds the work; running out of budget means "unknown", not "impossible".
"""

from __future__ import annotations

import random
from itertools import combinations

from bot.assignment.construct import post_loads


class _Budget(Exception):
    """Raised when the search has used its node budget."""


def find(
    n: int,
    k: int,
    authors: list[int],
    allowed: list[list[int]],
    no_mutual: bool,
    rng: random.Random,
    budget: int = 5_000,
) -> list[int] | None:
    """Slots breaking none of the rules (pair-local via `allowed`, plus mutual), or None."""
    q, extra = post_loads(n, len(authors), k)
    chosen: list[set[int]] = [set() for _ in range(n)]
    count = [0] * n
    state = {"extra": 0, "nodes": 0}
    options = [a[:] for a in allowed]
    for opts in options:
        rng.shuffle(opts)

    def usable(r: int) -> list[int]:
        room = state["extra"] < extra
        return [
            a
            for a in options[r]
            if (count[a] < q or (count[a] == q and room)) and not (no_mutual and r in chosen[a])
        ]

    def feasible(left: list[int]) -> bool:
        reach = [0] * n
        for r in left:
            cand = usable(r)
            if len(cand) < k:
                return False
            for a in cand:
                reach[a] += 1
        return all(count[a] + reach[a] >= q for a in authors)

    def solve(left: list[int]) -> bool:
        if not left:
            return True
        r = min(left, key=lambda x: len(usable(x)))
        rest = [x for x in left if x != r]
        for subset in combinations(usable(r), k):
            state["nodes"] += 1
            if state["nodes"] > budget:
                raise _Budget
            over = sum(1 for a in subset if count[a] == q)
            if state["extra"] + over > extra:
                continue
            for a in subset:
                count[a] += 1
            chosen[r].update(subset)
            state["extra"] += over
            if feasible(rest) and solve(rest):
                return True
            state["extra"] -= over
            chosen[r].clear()
            for a in subset:
                count[a] -= 1
        return False

    try:
        found = solve(list(range(n)))
    except _Budget:
        found = False
    if not found:
        return None
    return [a for r in range(n) for a in sorted(chosen[r])]
