"""Review assignment: every student reviews k classmates' posts under hard and soft rules.

Hard rules (never relaxed unless arithmetic forbids them):

* no_self: nobody reviews their own post; nobody gets the same post twice.
* k_per_reviewer: every student, with or without a post, gives exactly k reviews.
* k_per_post: with as many posts as students, every post gets exactly k reviews. With more
  students than posts (some have no post yet), the extra reviews are spread: every post gets
  at least k and post loads differ by at most one. That spread is by design, not a relaxation.

Both count rules are relaxed only when there are at most k posts (someone has fewer than k
posts to choose from); then everyone reviews every post but their own.

Soft rules, most important first: no_mutual (two students never review each other),
no_teammates, no_repeat (no pairing from `history`), different_tool. When they cannot all
hold, the least important ones give way first, and every rule the output breaks is reported
as a Relaxation with a reason and the number of affected pairs; nothing is relaxed silently.

Algorithm: students are sorted by id (input order never matters). A seeded ring of posts
(construct.py) spreads the largest teams or tools apart; authors review the next k posts and
students without a post take consecutive blocks, which gives exact, balanced counts and no
mutual pairs when there are at least 2k+1 posts. A local search (search.py: swaps,
3-rotations and load shifts, which never change a count) then repairs violating pairs,
minimising (mutual, teammates, repeats, same tool) lexicographically. Rosters up to SMALL
students also start from a max-flow assignment that keeps the most important feasible set
of the pair-local rules (flow.py), with restarts and perturbation rounds; rosters up to EXACT
students finish with an exhaustive search (exact.py) when the result is not provably
optimal. Every search stops as soon as the lower bounds of bounds.py are met. The same
input and seed always give the same output; other seeds give other assignments.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from bot.assignment import exact, reasons
from bot.assignment.audit import soft_violations
from bot.assignment.bounds import Bounds, compute_bounds
from bot.assignment.construct import everything, ring
from bot.assignment.flow import saturating_assignment
from bot.assignment.incremental import add_late, reassign
from bot.assignment.index import NONE, Roster, build_roster, group_sizes
from bot.assignment.model import (
    SOFT_CONSTRAINTS,
    AssignmentResult,
    Pair,
    Participant,
    Relaxation,
)
from bot.assignment.search import Search, Weights

__all__ = ["add_late", "assign", "reassign"]

SMALL = 150  # rosters up to this size get flow starts and restarts
RESTARTS = 4  # independent starts (ring and flow alternate)
KICKS = 12  # perturb-and-repair rounds per start (iterated local search)
KICK_MOVES = 3
STALL_BASE, STALL_PER_PAIR = 200, 10  # idle moves before a search round gives up
SMALL_BUDGET = 160_000  # search moves in all for a small roster (well under a second)
EXACT = 12  # rosters up to this size finish with an exhaustive search when needed
# Pair-local rules kept (team, repeat, tool) per level, dropping the least important first.
LEVELS = ((True, True, True), (True, True, False), (True, False, False), (False, False, False))


def assign(
    participants: Sequence[Participant],
    k: int = 2,
    seed: int = 0,
    history: Collection[tuple[str, str]] = (),
) -> AssignmentResult:
    """Assign every participant k posts to review; see the module docstring for the rules."""
    if k < 0:
        raise ValueError(f"k must be at least 0, got {k}")
    roster = build_roster(participants, history)
    n, authors = roster.n, roster.authors()
    if n == 0 or k == 0:
        return AssignmentResult([], [], seed, k)
    bounds: Bounds | None = None
    if len(authors) <= k:
        edges = everything(n, authors)
    else:
        bounds = compute_bounds(roster, k)
        slots = _optimise(roster, k, authors, bounds, random.Random(seed))
        edges = [(s // k, a) for s, a in enumerate(slots)]
    edges.sort()
    ids, urls = roster.ids, roster.post_url
    pairs = [Pair(ids[r], ids[a], urls[a] or "") for r, a in edges]
    relaxations = count_relaxations(roster, participants, k, edges, pairs, history, bounds)
    return AssignmentResult(pairs, relaxations, seed, k)


def _optimise(roster: Roster, k: int, authors: list[int], bounds: Bounds, rng: random.Random) -> list[int]:
    """Best slots found from a ring start and, for small rosters, flow starts and restarts."""
    n = roster.n
    floor = Weights(n, k).total(
        bounds.mutual_couples, bounds.team_forced, bounds.repeat_forced, bounds.tool_forced
    )
    if n > SMALL:
        search = Search(roster, k, ring(n, k, authors, rng, _spread_labels(roster)), authors)
        search.run(rng, stall_limit=20_000 + 2 * n * k, floor=floor)
        return search.slots
    levels = [_allowed(roster, authors, *keep) for keep in LEVELS]
    flow_levels = [x for i, x in enumerate(levels[:3]) if i == 0 or x != levels[i - 1]]
    best_slots: list[int] = []
    best_cost = -1
    for attempt in range(RESTARTS):
        slots = _flow_start(n, k, authors, flow_levels, rng) if attempt % 2 else None
        if slots is None:
            slots = ring(n, k, authors, rng, None if attempt % 4 == 2 else _spread_labels(roster))
        slots, cost = _iterate(roster, k, authors, slots, rng, floor, [SMALL_BUDGET // RESTARTS])
        if best_cost < 0 or cost < best_cost:
            best_slots, best_cost = slots, cost
        if best_cost <= floor:
            return best_slots
    if n <= EXACT:
        best_slots = _exact(roster, k, authors, levels, best_slots, best_cost, rng, floor)
    return best_slots


def _spread_labels(roster: Roster) -> list[int]:
    """Team or tool labels, whichever would put more same-group pairs on a random ring."""

    def clash(labels: list[int]) -> int:
        return sum(size * size for size in group_sizes(labels).values())

    return roster.team if clash(roster.team) > clash(roster.tool) else roster.tool


def _iterate(
    roster: Roster,
    k: int,
    authors: list[int],
    slots: list[int],
    rng: random.Random,
    floor: int,
    budget: list[int],
) -> tuple[list[int], int]:
    """Iterated local search (repair, kick, repair...) within budget[0] moves; best slots and cost."""
    search = Search(roster, k, slots, authors)
    best_slots, best_cost = slots[:], search.cost
    stall = STALL_BASE + STALL_PER_PAIR * roster.n * k
    for kick in range(KICKS + 1):
        if budget[0] <= 0 or best_cost <= floor:
            break
        if kick:
            search.kick(rng, KICK_MOVES)
        budget[0] -= search.run(rng, stall_limit=stall, floor=floor, budget=budget[0])
        if search.cost < best_cost:
            best_slots, best_cost = search.slots[:], search.cost
    return best_slots, best_cost


def _exact(
    roster: Roster,
    k: int,
    authors: list[int],
    levels: list[list[list[int]]],
    best_slots: list[int],
    best_cost: int,
    rng: random.Random,
    floor: int,
) -> list[int]:
    """For tiny rosters: exhaustively look for an output breaking none of the top-priority rules."""
    weights = Weights(roster.n, k)
    broken = weights.split(best_cost)  # (mutual, team, repeat, tool)
    for rules, allowed in zip((4, 3, 2, 1), levels, strict=True):
        if not any(broken[:rules]):
            continue
        slots = exact.find(roster.n, k, authors, allowed, True, rng)
        if slots is None:
            continue
        slots, cost = _iterate(roster, k, authors, slots, rng, floor, [SMALL_BUDGET])
        return slots if cost < best_cost else best_slots
    return best_slots


def _allowed(
    roster: Roster, authors: list[int], keep_team: bool, keep_repeat: bool, keep_tool: bool
) -> list[list[int]]:
    """Posts each reviewer may take without breaking the kept pair-local rules."""
    n, team, tool, history = roster.n, roster.team, roster.tool, roster.history
    allowed = []
    for r in range(n):
        tr, tl = team[r], tool[r]
        allowed.append(
            [
                a
                for a in authors
                if a != r
                and not (keep_team and tr != NONE and team[a] == tr)
                and not (keep_repeat and r * n + a in history)
                and not (keep_tool and tl != NONE and tool[a] == tl)
            ]
        )
    return allowed


def _flow_start(
    n: int, k: int, authors: list[int], levels: list[list[list[int]]], rng: random.Random
) -> list[int] | None:
    """Slots for the strictest feasible level, or None if even teammates cannot be kept apart."""
    for allowed in levels:
        slots = saturating_assignment(n, k, authors, allowed, rng)
        if slots is not None:
            return slots
    return None


def count_relaxations(
    roster: Roster,
    participants: Sequence[Participant],
    k: int,
    edges: Sequence[tuple[int, int]],
    pairs: Sequence[Pair],
    history: Collection[tuple[str, str]],
    bounds: Bounds | None,
) -> list[Relaxation]:
    """Every rule the finished pairs break, counted from the pairs themselves."""
    n, authors = roster.n, roster.authors()
    m = len(authors)
    given, received = [0] * n, [0] * n
    for r, a in edges:
        given[r] += 1
        received[a] += 1
    out: list[Relaxation] = []
    short = [max(0, k - g) for g in given]
    if sum(short):
        reason = reasons.short_reviewers(k, m, sum(short), sum(1 for s in short if s))
        out.append(Relaxation("k_per_reviewer", reason, sum(short)))
    loads = [received[a] for a in authors]
    missing = sum(max(0, k - x) for x in loads)
    if loads and n == m:
        missing += sum(max(0, x - k) for x in loads)
    elif loads:
        low = min(loads)
        missing += sum(max(0, x - low - 1) for x in loads)
    if missing:
        posts = sum(1 for x in loads if x < k)
        out.append(Relaxation("k_per_post", reasons.short_posts(k, n, missing, posts), missing))
    counts = soft_violations(pairs, participants, history)
    for name in SOFT_CONSTRAINTS:
        if counts[name]:
            out.append(Relaxation(name, reasons.soft(name, bounds, counts[name]), counts[name]))
    return out
