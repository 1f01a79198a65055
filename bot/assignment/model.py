"""Data model of the review-assignment engine: participants, pairs, relaxations, results."""

from __future__ import annotations

from dataclasses import dataclass

# Every constraint name a Relaxation may carry, most important first.
CONSTRAINTS: tuple[str, ...] = (
    "no_self",
    "k_per_reviewer",
    "k_per_post",
    "no_mutual",
    "no_teammates",
    "no_repeat",
    "different_tool",
)
# Soft constraints, most important first; the engine gives up the last ones first.
SOFT_CONSTRAINTS: tuple[str, ...] = ("no_mutual", "no_teammates", "no_repeat", "different_tool")


@dataclass(frozen=True)
class Participant:
    """A student of the round; post_url None means no post yet (they still review)."""

    student: str
    post_url: str | None
    team: str | None = None
    tool: str | None = None


@dataclass(frozen=True)
class Pair:
    """One review duty: reviewer comments on author's post."""

    reviewer: str
    author: str
    post_url: str


@dataclass(frozen=True)
class Relaxation:
    """A constraint the output breaks, why, and how many pairs (or missing reviews) it affects."""

    constraint: str  # one of CONSTRAINTS (never "no_self")
    reason: str  # a sentence for a TA: what gave way, why, how many pairs
    pairs: int  # output pairs breaking it; for k_per_reviewer/k_per_post: missing reviews


@dataclass
class AssignmentResult:
    """Pairs produced by one engine call and every constraint they relax."""

    pairs: list[Pair]
    relaxations: list[Relaxation]
    seed: int
    k: int


def norm_tool(tool: str | None) -> str | None:
    """Tool key: case-insensitive and whitespace-stripped; blank is no tool."""
    return (tool.strip().casefold() or None) if tool is not None else None


def norm_team(team: str | None) -> str | None:
    """Team key: whitespace-stripped; blank is no team."""
    return (team.strip() or None) if team is not None else None


def has_post(participant: Participant) -> bool:
    """Whether the participant has a post to be reviewed (blank URLs count as none)."""
    return bool(participant.post_url and participant.post_url.strip())
