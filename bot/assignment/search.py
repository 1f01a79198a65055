"""Local search that removes soft-constraint violations while keeping every review count exact.

The state is a slot list: reviewer r's j-th post is slots[r*k + j]. Moves keep each reviewer's
count and each post's count (or, with `shift`, keep post loads within one of each other):

* swap: two reviewers exchange one post each;
* rotate: three reviewers pass one post each around a triangle (reaches states swaps cannot);
* shift: a reviewer moves from a post with the higher load to one with the lower load.

The objective is lexicographic, encoded as one integer: mutual couples weigh most, then
teammate pairs, then repeated pairs, then same-tool pairs. Only moves that do not make it worse
are accepted (sideways moves let the search walk across plateaus).
"""

from __future__ import annotations

import random

from bot.assignment.index import NONE, Roster

P_ROTATE = 0.25
P_SHIFT = 0.15


class Weights:
    """Integer weights that make the single cost lexicographic (mutual > team > repeat > tool)."""

    def __init__(self, n: int, k: int) -> None:
        base = n * k + 1
        self.tool = 1
        self.repeat = base
        self.team = base * base
        self.mutual = base * base * base

    def split(self, cost: int) -> tuple[int, int, int, int]:
        """Violation counts (mutual couples, team, repeat, tool) encoded in a cost."""
        base = self.repeat
        rest, tool = divmod(cost, base)
        rest, repeat = divmod(rest, base)
        mutual, team = divmod(rest, base)
        return mutual, team, repeat, tool

    def total(self, mutual_couples: int, team: int, repeat: int, tool: int) -> int:
        """Weighted cost of the given violation counts."""
        return mutual_couples * self.mutual + team * self.team + repeat * self.repeat + tool


class Search:
    """Mutable assignment plus the bookkeeping the moves need."""

    def __init__(self, roster: Roster, k: int, slots: list[int], authors: list[int]) -> None:
        n = roster.n
        self.n, self.k = n, k
        self.team, self.tool, self.history = roster.team, roster.tool, roster.history
        self.w = Weights(n, k)
        self.slots = slots
        self.authors = authors
        self.edges: set[int] = set()
        self.load = [0] * n
        for s, a in enumerate(slots):
            self.edges.add((s // k) * n + a)
            self.load[a] += 1
        self.cost = 0
        for s, a in enumerate(slots):
            r = s // k
            self.cost += self.local(r, a)
            if a * n + r in self.edges and r < a:
                self.cost += self.w.mutual
        # violating slots, one list per rule (picked evenly, so rare important ones get attention)
        self.bad: list[list[int]] = [[], [], [], []]
        self.bad_pos = [0] * len(slots)
        self.bad_level = [-1] * len(slots)
        for s in range(len(slots)):
            self._refresh(s)
        loads = [self.load[a] for a in authors]
        self.can_shift = bool(loads) and max(loads) > min(loads)

    def local(self, r: int, a: int) -> int:
        """Cost of edge r -> a that does not depend on other edges (team, history, tool)."""
        cost = 0
        t = self.team[r]
        if t != NONE and t == self.team[a]:
            cost += self.w.team
        if r * self.n + a in self.history:
            cost += self.w.repeat
        t = self.tool[r]
        if t != NONE and t == self.tool[a]:
            cost += self.w.tool
        return cost

    def _level(self, r: int, a: int) -> int:
        """Most important rule r -> a breaks: 0 mutual, 1 team, 2 repeat, 3 tool; -1 none."""
        n = self.n
        if a * n + r in self.edges:
            return 0
        t = self.team[r]
        if t != NONE and t == self.team[a]:
            return 1
        if r * n + a in self.history:
            return 2
        t = self.tool[r]
        if t != NONE and t == self.tool[a]:
            return 3
        return -1

    def _refresh(self, s: int) -> None:
        """Recompute which rule slot s breaks and keep the per-rule bad lists in sync."""
        level = self._level(s // self.k, self.slots[s])
        old = self.bad_level[s]
        if level == old:
            return
        if old >= 0:
            bad, pos = self.bad[old], self.bad_pos[s]
            last = bad.pop()
            if last != s:
                bad[pos] = last
                self.bad_pos[last] = pos
        if level >= 0:
            self.bad_pos[s] = len(self.bad[level])
            self.bad[level].append(s)
        self.bad_level[s] = level

    def _refresh_reverse(self, r: int, a: int) -> None:
        """Refresh the slot holding a -> r, if that edge exists."""
        k = self.k
        base = a * k
        for j in range(k):
            if self.slots[base + j] == r:
                self._refresh(base + j)
                return

    def _apply(self, changes: list[tuple[int, int]]) -> int | None:
        """Apply (slot, new author) changes; return the cost delta, or None (no change) if invalid."""
        n, k, edges, slots = self.n, self.k, self.edges, self.slots
        mutual = self.w.mutual
        delta = 0
        removed: list[int] = []
        for s, _ in changes:
            r, a = s // k, slots[s]
            key = r * n + a
            edges.remove(key)
            removed.append(key)
            delta -= self.local(r, a)
            if a * n + r in edges:
                delta -= mutual
        added: list[int] = []
        for s, a in changes:
            r = s // k
            key = r * n + a
            if a == r or key in edges:
                for key2 in added:
                    edges.remove(key2)
                edges.update(removed)
                return None
            if a * n + r in edges:
                delta += mutual
            edges.add(key)
            added.append(key)
            delta += self.local(r, a)
        return delta

    def _commit(self, changes: list[tuple[int, int]]) -> None:
        """Write accepted changes to the slots and refresh every slot they touch."""
        k = self.k
        old = [(s, self.slots[s]) for s, _ in changes]
        for s, a in changes:
            self.load[self.slots[s]] -= 1
            self.load[a] += 1
            self.slots[s] = a
        for s, a in old:
            self._refresh_reverse(s // k, a)
        for s, a in changes:
            self._refresh(s)
            self._refresh_reverse(s // k, a)

    def _revert(self, changes: list[tuple[int, int]]) -> None:
        """Undo the edge-set part of an applied but rejected move."""
        n, k = self.n, self.k
        for s, a in changes:
            self.edges.remove((s // k) * n + a)
        for s, _ in changes:
            self.edges.add((s // k) * n + self.slots[s])

    def _propose(self, rng: random.Random) -> list[tuple[int, int]] | None:
        """A random move that touches one violating slot, or None if the draw is unusable."""
        k, slots = self.k, self.slots
        size = len(slots)
        lists = [b for b in self.bad if b]
        bad = lists[rng.randrange(len(lists))] if len(lists) > 1 else lists[0]
        s1 = bad[rng.randrange(len(bad))]
        r1, a1 = s1 // k, slots[s1]
        x = rng.random()
        if self.can_shift and x < P_SHIFT:
            b = self.authors[rng.randrange(len(self.authors))]
            if self.load[a1] != self.load[b] + 1:
                return None
            return [(s1, b)]
        s2 = rng.randrange(size)
        r2, a2 = s2 // k, slots[s2]
        if r2 == r1 or a2 == a1:
            return None
        if x < P_SHIFT + P_ROTATE:
            s3 = rng.randrange(size)
            r3, a3 = s3 // k, slots[s3]
            if r3 in (r1, r2) or a3 in (a1, a2):
                return None
            return [(s1, a2), (s2, a3), (s3, a1)]
        return [(s1, a2), (s2, a1)]

    def kick(self, rng: random.Random, moves: int) -> None:
        """Apply `moves` random valid moves whatever they cost (to leave a local minimum)."""
        size = len(self.slots)
        done = tries = 0
        while done < moves and tries < 50 * moves:
            tries += 1
            s1, s2 = rng.randrange(size), rng.randrange(size)
            r1, r2 = s1 // self.k, s2 // self.k
            a1, a2 = self.slots[s1], self.slots[s2]
            if r1 == r2 or a1 == a2:
                continue
            changes = [(s1, a2), (s2, a1)]
            delta = self._apply(changes)
            if delta is None:
                continue
            self._commit(changes)
            self.cost += delta
            done += 1

    def run(self, rng: random.Random, stall_limit: int, floor: int = 0, budget: int = -1) -> int:
        """Improve until clean, at `floor`, stalled, or out of budget (-1: none); return moves used."""
        idle = used = 0
        while self.cost > floor and idle < stall_limit and used != budget and any(self.bad):
            idle += 1
            used += 1
            changes = self._propose(rng)
            if changes is None:
                continue
            delta = self._apply(changes)
            if delta is None:
                continue
            if delta > 0:
                self._revert(changes)
                continue
            self._commit(changes)
            if delta < 0:
                self.cost += delta
                idle = 0
        return used
