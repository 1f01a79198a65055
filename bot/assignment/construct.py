"""Initial assignments with exact review counts: a seeded ring, or everything when posts are few."""

from __future__ import annotations

import random
from math import gcd


def post_loads(n: int, m: int, k: int) -> tuple[int, int]:
    """(q, extra): every post gets q reviews and `extra` of them get q + 1 (n*k = q*m + extra)."""
    return divmod(n * k, m) if m else (0, 0)


def spread(authors: list[int], labels: list[int], k: int, rng: random.Random) -> list[int]:
    """Seeded ring order that puts authors sharing a label (team or tool) far apart."""
    # Authors are grouped by label (largest group first, shuffled inside and among equal
    # sizes); ring position p takes item p*c mod m of that list, with c near m/(k+1) and
    # coprime to m. Ring neighbours up to k apart then come from list items at least about
    # m/(k+1) apart, so no group smaller than that meets itself within k steps.
    groups: dict[int, list[int]] = {}
    for a in authors:
        groups.setdefault(labels[a] if labels[a] >= 0 else -1 - a, []).append(a)
    bunches = list(groups.values())
    rng.shuffle(bunches)
    bunches.sort(key=len, reverse=True)
    items: list[int] = []
    for bunch in bunches:
        rng.shuffle(bunch)
        items.extend(bunch)
    m = len(items)
    if m < 2 * k + 2:
        rng.shuffle(items)
        return items
    c = max(1, m // (k + 1) - rng.randrange(3))
    while gcd(c, m) != 1:
        c -= 1
    return [items[(p * c) % m] for p in range(m)]


def ring(
    n: int, k: int, authors: list[int], rng: random.Random, labels: list[int] | None = None
) -> list[int]:
    """Slots (reviewer r's j-th post at r*k+j) of a seeded ring; needs k < len(authors)."""
    # Authors sit on a ring (shuffled, or spread by `labels`) and review the next k posts,
    # so every post gets exactly k reviews from authors and nobody gets their own post.
    # Students without a post take consecutive blocks of k posts around the ring from a
    # random start, which spreads their reviews so post loads differ by at most one. Mutual
    # pairs are impossible when the ring has at least 2k+1 posts.
    m = len(authors)
    if labels is None:
        order = authors[:]
        rng.shuffle(order)
    else:
        order = spread(authors, labels, k, rng)
    slots = [0] * (n * k)
    for pos, author in enumerate(order):
        base = author * k
        for j in range(k):
            slots[base + j] = order[(pos + 1 + j) % m]
    with_post = set(authors)
    others = [r for r in range(n) if r not in with_post]
    rng.shuffle(others)
    cursor = rng.randrange(m)
    for reviewer in others:
        base = reviewer * k
        for j in range(k):
            slots[base + j] = order[cursor % m]
            cursor += 1
    return slots


def everything(n: int, authors: list[int]) -> list[tuple[int, int]]:
    """Every (reviewer, author) pair but self: the only choice when there are at most k posts."""
    return [(r, a) for r in range(n) for a in authors if a != r]
