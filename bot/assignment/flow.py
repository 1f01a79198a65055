"""Exact feasibility of the pair-local rules (teams, history, tools) with a max-flow.

Network: source -> reviewer (capacity k) -> allowed post (1) -> sink (q), plus post -> bonus
(1) -> sink (extra). A flow of value n*k saturates every post's q and uses exactly `extra`
bonus units, so posts receive q or q+1 reviews. Greedy filling is followed by BFS augmenting
paths; the first failed search proves that no assignment uses only allowed pairs.
"""

from __future__ import annotations

import random
from collections import deque

from bot.assignment.construct import post_loads


def saturating_assignment(
    n: int, k: int, authors: list[int], allowed: list[list[int]], rng: random.Random
) -> list[int] | None:
    """Slots using only allowed (reviewer -> author) pairs with exact counts, or None if none exist."""
    m = len(authors)
    q, extra = post_loads(n, m, k)
    col = {a: j for j, a in enumerate(authors)}
    options = [[col[a] for a in allowed[r]] for r in range(n)]
    for opts in options:
        rng.shuffle(opts)
        if len(opts) < k:
            return None
    given: list[list[int]] = [[] for _ in range(n)]
    takers: list[list[int]] = [[] for _ in range(m)]
    count = [0] * m
    used_extra = 0
    order = list(range(n))
    rng.shuffle(order)
    for r in order:
        for j in options[r]:
            if len(given[r]) == k:
                break
            if count[j] < q or (count[j] == q and used_extra < extra):
                if count[j] == q:
                    used_extra += 1
                count[j] += 1
                given[r].append(j)
                takers[j].append(r)
    bonus, sink = n + m, n + m + 1
    while True:
        starts = [r for r in range(n) if len(given[r]) < k]
        if not starts:
            break
        parent: dict[int, int] = {r: -1 for r in starts}
        queue = deque(starts)
        found = -1
        while queue and found < 0:
            node = queue.popleft()
            if node < n:
                mine = given[node]
                for j in options[node]:
                    post = n + j
                    if post not in parent and j not in mine:
                        parent[post] = node
                        queue.append(post)
            elif node < bonus:
                j = node - n
                if count[j] < q:
                    parent[sink] = node
                    found = sink
                    break
                if count[j] == q and bonus not in parent:
                    parent[bonus] = node
                    if used_extra < extra:
                        parent[sink] = bonus
                        found = sink
                        break
                    queue.append(bonus)
                for r in takers[j]:
                    if r not in parent:
                        parent[r] = node
                        queue.append(r)
            else:
                for j in range(m):
                    post = n + j
                    if count[j] == q + 1 and post not in parent:
                        parent[post] = bonus
                        queue.append(post)
        if found < 0:
            return None
        _augment(parent, sink, n, given, takers, count)
        used_extra = sum(1 for c in count if c > q)
    slots = [0] * (n * k)
    for r in range(n):
        for j, post in enumerate(given[r]):
            slots[r * k + j] = authors[post]
    return slots


def _augment(
    parent: dict[int, int],
    sink: int,
    n: int,
    given: list[list[int]],
    takers: list[list[int]],
    count: list[int],
) -> None:
    """Push one unit along the parent chain ending at sink."""
    node = parent[sink]
    child = sink
    while node != -1:
        prev = parent[node]
        if node < n and n <= child < n + len(takers):
            j = child - n
            given[node].append(j)
            takers[j].append(node)
            count[j] += 1
        elif n <= node < n + len(takers) and child < n:
            j = node - n
            given[child].remove(j)
            takers[j].remove(child)
            count[j] -= 1
        child, node = node, prev
