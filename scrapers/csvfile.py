"""Read CSV bytes defensively: any encoding, ragged rows, blank lines; problems named by row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from scrapers.records import SourceError, SourceProblem

MAX_FIELD = 100_000


@dataclass
class CsvTable:
    """Rows as dicts keyed by the header, each with its 1-based line number in the file."""

    origin: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    skipped: int = 0  # rows that could not be parsed at all

    def column(self, wanted: str) -> str | None:
        """The header name matching `wanted`, ignoring case and surrounding spaces."""
        folded = wanted.strip().casefold()
        for name in self.header:
            if name.strip().casefold() == folded:
                return name
        return None


def parse_csv(data: bytes, origin: str) -> CsvTable:
    """Parse CSV bytes; raise SourceError when there is no usable header at all."""
    if not data.strip():
        raise SourceError(f"{origin} is empty")
    if b"\x00" in data[:4096]:
        raise SourceError(f"{origin} is not a CSV file (it holds binary data)")
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if not text.strip():
        raise SourceError(f"{origin} is empty")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(f"{origin} is empty") from None
    except csv.Error as exc:
        raise SourceError(f"{origin} row 1: unreadable header: {exc}") from None
    header = [_repair(h)[0].strip() for h in header]
    if not any(header):
        raise SourceError(f"{origin} has an empty header row")
    table = CsvTable(origin=origin, header=header)
    seen: set[str] = set()
    for name in header:
        if name and name.casefold() in seen:
            table.problems.append(
                SourceProblem(origin, f"column {name!r} appears twice; the first is used", 1)
            )
        seen.add(name.casefold())
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(SourceProblem(origin, f"unreadable row skipped: {exc}", reader.line_num))
            table.skipped += 1
            continue
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        repaired = [_repair(v) for v in values]
        if any(bad for _, bad in repaired):
            table.problems.append(
                SourceProblem(origin, "text is not valid UTF-8; read it as Windows-1252", line)
            )
        values = [v for v, _ in repaired]
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            table.problems.append(
                SourceProblem(
                    origin,
                    f"{len(values)} fields but the header has {len(header)}; extra fields ignored",
                    line,
                )
            )
        row: dict[str, str] = {}
        for i, name in enumerate(header):
            if name and name not in row:
                row[name] = values[i].strip() if i < len(values) else ""
        table.rows.append((line, row))
    return table


def _repair(value: str) -> tuple[str, bool]:
    """Undo surrogate escapes from bytes that were not UTF-8, reading them as Windows-1252."""
    try:
        value.encode("utf-8")
        return value, False
    except UnicodeEncodeError:
        raw = value.encode("utf-8", errors="surrogateescape")
        return raw.decode("cp1252", errors="replace"), True
