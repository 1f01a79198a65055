"""Integer index of a roster: students sorted by id, teams/tools as small ints, history as keys."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from bot.assignment.model import Participant, has_post, norm_team, norm_tool

NONE = -1  # team/tool index meaning "no team" / "no tool"


@dataclass
class Roster:
    """Students 0..n-1 (sorted by id); edge keys are reviewer * n + author."""

    ids: list[str]
    index: dict[str, int]
    post_url: list[str | None]
    team: list[int]
    tool: list[int]
    team_names: list[str]
    tool_names: list[str]
    history: set[int]

    @property
    def n(self) -> int:
        """Number of students."""
        return len(self.ids)

    def authors(self) -> list[int]:
        """Students with a post, in index order."""
        return [i for i, url in enumerate(self.post_url) if url is not None]

    def edge_keys(self, pairs: Iterable[tuple[str, str]]) -> set[int]:
        """Keys of the (reviewer, author) pairs whose students are both on the roster."""
        n, index = len(self.ids), self.index
        return {index[r] * n + index[a] for r, a in pairs if r in index and a in index and r != a}


def build_roster(participants: Sequence[Participant], history: Collection[tuple[str, str]] = ()) -> Roster:
    """Index participants (sorted by id, so input order never matters); reject duplicate ids."""
    ordered = sorted(participants, key=lambda p: p.student)
    ids = [p.student for p in ordered]
    for prev, cur in pairwise(ids):
        if prev == cur:
            raise ValueError(f"duplicate student id {cur!r} in participants")
    if any(not s for s in ids):
        raise ValueError("empty student id in participants")
    team_ids: dict[str, int] = {}
    tool_ids: dict[str, int] = {}
    team_names: list[str] = []
    tool_names: list[str] = []

    def intern(key: str | None, label: str | None, ids_: dict[str, int], names: list[str]) -> int:
        if key is None:
            return NONE
        if key not in ids_:
            ids_[key] = len(names)
            names.append((label or key).strip())
        return ids_[key]

    team = [intern(norm_team(p.team), p.team, team_ids, team_names) for p in ordered]
    tool = [intern(norm_tool(p.tool), p.tool, tool_ids, tool_names) for p in ordered]
    roster = Roster(
        ids=ids,
        index={s: i for i, s in enumerate(ids)},
        post_url=[_url(p) for p in ordered],
        team=team,
        tool=tool,
        team_names=team_names,
        tool_names=tool_names,
        history=set(),
    )
    roster.history = roster.edge_keys(history)
    return roster


def _url(participant: Participant) -> str | None:
    """The stripped post URL, or None when the participant has no post."""
    return participant.post_url.strip() if participant.post_url and has_post(participant) else None


def group_sizes(labels: Sequence[int]) -> dict[int, int]:
    """How many students carry each team/tool label (NONE excluded)."""
    sizes: dict[int, int] = {}
    for label in labels:
        if label != NONE:
            sizes[label] = sizes.get(label, 0) + 1
    return sizes
