"""CSV input/output of the standalone `reviewbot assign` command.

Roster: header `student,post_url[,team][,tool]` (any order, case-insensitive; extra columns
ignored). Empty post_url/team/tool cells mean None. History: header `reviewer,author`
(extra columns ignored). Output: `reviewer,author,post_url` rows. Row numbers in errors
count the header as row 1, like a spreadsheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from bot.assignment.engine import assign
from bot.assignment.model import Pair, Participant

ROSTER_REQUIRED = ("student", "post_url")
HISTORY_REQUIRED = ("reviewer", "author")


class RosterError(ValueError):
    """A roster or history file the command cannot use; the message names file and row."""


def _rows(path: str | Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: stripped cell}) for each non-blank data row, after header checks."""
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise RosterError(f"{name}: file is empty (expected a header row)")
            columns = [cell.strip().lower() for cell in header]
            missing = [c for c in required if c not in columns]
            if missing:
                raise RosterError(
                    f"{name}, row 1: missing required column(s) {', '.join(missing)} "
                    f"(header is: {','.join(columns)})"
                )
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                cells = {col: "" for col in columns}
                for col, cell in zip(columns, row, strict=False):
                    if col and not cells[col]:
                        cells[col] = cell.strip()
                yield number, cells
    except OSError as exc:
        raise RosterError(f"{name}: cannot read file ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"{name}: not a readable UTF-8 CSV file ({exc})") from exc


def read_roster(path: str | Path) -> list[Participant]:
    """Participants of a roster CSV; raises RosterError on bad headers, rows or duplicates."""
    seen: dict[str, int] = {}
    people: list[Participant] = []
    for number, cells in _rows(path, ROSTER_REQUIRED):
        student = cells["student"]
        if not student:
            raise RosterError(f"{path}, row {number}: empty student")
        if student in seen:
            raise RosterError(
                f"{path}, row {number}: duplicate student {student!r} (first on row {seen[student]})"
            )
        seen[student] = number
        people.append(
            Participant(
                student=student,
                post_url=cells["post_url"] or None,
                team=cells.get("team") or None,
                tool=cells.get("tool") or None,
            )
        )
    if not people:
        raise RosterError(f"{path}: no students (only a header)")
    return people


def read_history(path: str | Path) -> list[tuple[str, str]]:
    """(reviewer, author) pairs of a history CSV; raises RosterError on bad headers or rows."""
    pairs: list[tuple[str, str]] = []
    for number, cells in _rows(path, HISTORY_REQUIRED):
        reviewer, author = cells["reviewer"], cells["author"]
        if not reviewer or not author:
            raise RosterError(f"{path}, row {number}: reviewer and author must both be filled")
        pairs.append((reviewer, author))
    return pairs


def write_pairs(pairs: Sequence[Pair], out: TextIO) -> None:
    """Write `reviewer,author,post_url` with a header row."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reviewer", "author", "post_url"])
    writer.writerows([p.reviewer, p.author, p.post_url] for p in pairs)


def run_assign(
    roster_path: str | Path,
    seed: int,
    history_path: str | Path | None,
    k: int,
    out: TextIO,
    err: TextIO,
) -> int:
    """The whole `reviewbot assign` command: 0 on success, 2 (one line on err) on bad input."""
    try:
        if k < 1:
            raise RosterError(f"-k must be at least 1, got {k}")
        participants = read_roster(roster_path)
        history = read_history(history_path) if history_path is not None else []
    except RosterError as exc:
        print(f"reviewbot: {exc}", file=err)
        return 2
    result = assign(participants, k=k, seed=seed, history=history)
    write_pairs(result.pairs, out)
    for relaxation in result.relaxations:
        print(f"relaxed {relaxation.constraint}: {relaxation.reason}", file=err)
    return 0
