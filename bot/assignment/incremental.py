"""Changes after publication: published pairs are frozen, so these calls only ADD pairs.

add_late (posts that arrived after the assignment was published, or students who joined late):
* every late post gets reviewers until it has k; a late author who gives fewer than k reviews
  gets posts until they give k; a late student without a post only gets posts to review;
* late authors are served first and prefer the posts with the fewest reviews so far (often
  the other late posts), so fewer extra reviewers are needed;
* reviewers for late posts are chosen among those who break no rule, preferring the students
  with the fewest assigned reviews; the extra load is spread, so some reviewers give k+1
  reviews (k+2 only if everyone with fewer would break a rule). Extra load is not a
  relaxation.

reassign (stalled pairs, or students who left):
* every pair of a student no longer in `participants` counts as dropped, even if not in drop;
* a post whose reviews were dropped gets new reviewers until it has k live reviews again,
  never a reviewer who already had that post (including the dropped one);
* a reviewer whose author left gets replacement posts (up to the number lost, and up to k);
  a stalled reviewer gets nothing new;
* "fewest reviews" counts every pair ever assigned, including stalled ones, so stalled
  reviewers are not favoured for new work.

Choices are greedy, one pair at a time, and seeded (same input and seed, same output).
Nobody gets a post they already had in `existing`. Both respect the same soft rules as
`assign` (no mutual pairs, no teammates, no repeats from history, different tools), relax
them in the same order only when no eligible choice is left, and report every relaxation
counted over the NEW pairs (a new pair is mutual if its reverse is live, old or new).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Sequence

from bot.assignment import reasons
from bot.assignment.audit import soft_violations
from bot.assignment.index import NONE, Roster, build_roster
from bot.assignment.model import SOFT_CONSTRAINTS, AssignmentResult, Pair, Participant, Relaxation

__all__ = ["add_late", "reassign"]

MUTUAL, TEAM, REPEAT, TOOL = 8, 4, 2, 1  # bit weights: lexicographic like the main engine


class Ledger:
    """Live pairs, pairs that may never be repeated, and per-student loads."""

    def __init__(self, roster: Roster, live: Sequence[Pair], ever: Sequence[Pair]) -> None:
        self.roster = roster
        n, index = roster.n, roster.index
        self.live = roster.edge_keys((p.reviewer, p.author) for p in live)
        self.taken = roster.edge_keys((p.reviewer, p.author) for p in ever)
        self.load = [0] * n
        for p in ever:
            if p.reviewer in index:
                self.load[index[p.reviewer]] += 1
        self.given = [0] * n
        self.received = [0] * n
        for key in self.live:
            r, a = divmod(key, n)
            self.given[r] += 1
            self.received[a] += 1
        self.new: list[tuple[int, int]] = []

    def soft(self, r: int, a: int) -> int:
        """Bitmask cost of r -> a; smaller is better, and the order matches the rule priority."""
        ro = self.roster
        n = ro.n
        cost = MUTUAL if a * n + r in self.live else 0
        if ro.team[r] != NONE and ro.team[r] == ro.team[a]:
            cost += TEAM
        if r * n + a in ro.history:
            cost += REPEAT
        if ro.tool[r] != NONE and ro.tool[r] == ro.tool[a]:
            cost += TOOL
        return cost

    def add(self, r: int, a: int) -> None:
        """Record a new pair."""
        key = r * self.roster.n + a
        self.live.add(key)
        self.taken.add(key)
        self.given[r] += 1
        self.received[a] += 1
        self.load[r] += 1
        self.new.append((r, a))

    def best_post(self, r: int, rng: random.Random) -> int | None:
        """The post r should review next: fewest rule breaks, then fewest reviews so far."""
        n = self.roster.n
        options = [
            (self.soft(r, a), self.received[a], a)
            for a in self.roster.authors()
            if a != r and r * n + a not in self.taken
        ]
        return _pick(options, rng)

    def best_reviewer(self, a: int, rng: random.Random) -> int | None:
        """Who should review a next: fewest rule breaks, then fewest assigned reviews."""
        n = self.roster.n
        options = [
            (self.soft(r, a), self.load[r], r) for r in range(n) if r != a and r * n + a not in self.taken
        ]
        return _pick(options, rng)

    def give(self, r: int, target: int, rng: random.Random) -> int:
        """Add posts for r until r gives `target` reviews; how many could not be added."""
        while self.given[r] < target:
            a = self.best_post(r, rng)
            if a is None:
                return target - self.given[r]
            self.add(r, a)
        return 0

    def receive(self, a: int, target: int, rng: random.Random) -> int:
        """Add reviewers of a until a receives `target` reviews; how many could not be added."""
        while self.received[a] < target:
            r = self.best_reviewer(a, rng)
            if r is None:
                return target - self.received[a]
            self.add(r, a)
        return 0

    def result(
        self,
        participants: Sequence[Participant],
        k: int,
        seed: int,
        history: Collection[tuple[str, str]],
        missing_given: int,
        missing_received: int,
    ) -> AssignmentResult:
        """The new pairs and every rule they relax."""
        ro = self.roster
        pairs = [Pair(ro.ids[r], ro.ids[a], ro.post_url[a] or "") for r, a in sorted(self.new)]
        n = ro.n
        fresh = {r * n + a for r, a in self.new}
        context = [Pair(ro.ids[key // n], ro.ids[key % n], "") for key in sorted(self.live - fresh)]
        out: list[Relaxation] = []
        if missing_given:
            out.append(
                Relaxation("k_per_reviewer", reasons.late_short_reviewers(missing_given), missing_given)
            )
        if missing_received:
            out.append(
                Relaxation("k_per_post", reasons.late_short_posts(k, missing_received), missing_received)
            )
        counts = soft_violations(pairs, participants, history, context)
        for name in SOFT_CONSTRAINTS:
            if counts[name]:
                out.append(Relaxation(name, reasons.late_soft(name, counts[name]), counts[name]))
        return AssignmentResult(pairs, out, seed, k)


def _pick(options: list[tuple[int, int, int]], rng: random.Random) -> int | None:
    """Random choice among the options with the smallest (cost, load)."""
    if not options:
        return None
    best = min(o[:2] for o in options)
    return rng.choice([o[2] for o in options if o[:2] == best])


def add_late(
    existing: Sequence[Pair],
    participants: Sequence[Participant],
    late: Sequence[str],
    k: int = 2,
    seed: int = 0,
    history: Collection[tuple[str, str]] = (),
) -> AssignmentResult:
    """New pairs for posts that arrived after publication; existing pairs are left untouched."""
    if k < 0:
        raise ValueError(f"k must be at least 0, got {k}")
    roster = build_roster(participants, history)
    rng = random.Random(seed)
    for student in late:
        if student not in roster.index:
            raise ValueError(f"late student {student!r} is not among the participants")
    ledger = Ledger(roster, existing, existing)
    late_idx = [roster.index[s] for s in sorted(set(late))]
    rng.shuffle(late_idx)
    missing_given = sum(ledger.give(r, k, rng) for r in late_idx)
    # a late student without a post reviews others and receives nothing yet
    missing_received = sum(ledger.receive(a, k, rng) for a in late_idx if roster.post_url[a] is not None)
    return ledger.result(participants, k, seed, history, missing_given, missing_received)


def reassign(
    existing: Sequence[Pair],
    participants: Sequence[Participant],
    drop: Sequence[Pair],
    k: int = 2,
    seed: int = 0,
    history: Collection[tuple[str, str]] = (),
) -> AssignmentResult:
    """New pairs replacing dropped ones (stalled, or of departed students); see module docstring."""
    if k < 0:
        raise ValueError(f"k must be at least 0, got {k}")
    roster = build_roster(participants, history)
    index = roster.index
    rng = random.Random(seed)
    known = {(p.reviewer, p.author) for p in existing}
    dropped = {(p.reviewer, p.author) for p in drop}
    stray = sorted(dropped - known)
    if stray:
        raise ValueError(f"pair {stray[0][0]!r} -> {stray[0][1]!r} is dropped but was never assigned")
    dropped |= {pair for pair in known if pair[0] not in index or pair[1] not in index}
    live = [p for p in existing if (p.reviewer, p.author) not in dropped]
    ledger = Ledger(roster, live, existing)
    lost = Counter(r for r, a in dropped if r in index and a not in index)
    reviewers = sorted(index[r] for r in lost)
    rng.shuffle(reviewers)
    missing_given = 0
    for r in reviewers:
        missing_given += ledger.give(r, min(k, ledger.given[r] + lost[roster.ids[r]]), rng)
    posts = sorted({index[a] for r, a in dropped if a in index and roster.post_url[index[a]]})
    rng.shuffle(posts)
    missing_received = sum(ledger.receive(a, k, rng) for a in posts)
    return ledger.result(participants, k, seed, history, missing_given, missing_received)
