"""The claim sheet: the course's Google Sheet (read as its CSV export) or a local CSV file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import requests

from scrapers.csvfile import parse_csv
from scrapers.records import ClaimRecord, SourceError, SourceProblem, SourceResult

MAX_SHEET_BYTES = 10_000_000
_GOOGLE_SHEET = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")


@dataclass(frozen=True)
class SheetColumns:
    """Which header names hold which fields; empty means the sheet has no such column."""

    student: str = "Student"
    tool: str = "Tool"
    post_url: str = "Blog post link"
    comment_1: str = "Comment link 1"
    comment_2: str = "Comment link 2"
    team: str = ""


def export_url(url: str) -> str:
    """Turn a Google Sheets edit or share link into its CSV export link; other URLs unchanged."""
    match = _GOOGLE_SHEET.match(url)
    if not match or "/export" in url or "output=csv" in url:
        return url
    gid = re.search(r"[#&?]gid=(\d+)", url)
    suffix = f"&gid={gid.group(1)}" if gid else ""
    return f"https://docs.google.com/spreadsheets/d/{match.group(1)}/export?format=csv{suffix}"


def download_sheet(url: str, *, user_agent: str, timeout: float = 30.0) -> bytes:
    """Fetch the sheet's CSV; raise SourceError with what to do when it is not CSV."""
    target = export_url(url)
    try:
        with requests.get(
            target,
            headers={"User-Agent": user_agent, "Accept": "text/csv, text/plain;q=0.8"},
            timeout=(10, timeout),
            stream=True,
        ) as response:
            if response.status_code in (401, 403):
                raise SourceError(
                    f"claim sheet: access denied (HTTP {response.status_code}); share the sheet "
                    "as 'anyone with the link can view' or publish it as CSV"
                )
            if response.status_code >= 400:
                raise SourceError(f"claim sheet: HTTP {response.status_code} from {target}")
            body = bytearray()
            for chunk in response.iter_content(65536):
                body += chunk
                if len(body) > MAX_SHEET_BYTES:
                    raise SourceError(f"claim sheet: larger than {MAX_SHEET_BYTES // 1_000_000} MB")
            content_type = response.headers.get("Content-Type", "").lower()
    except requests.RequestException as exc:
        raise SourceError(f"claim sheet: cannot download {target}: {type(exc).__name__}") from None
    head = bytes(body[:512]).lstrip().lower()
    if "text/html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        raise SourceError(
            "claim sheet: the link answered with an HTML page (a sign-in page?), not CSV; share "
            "the sheet as 'anyone with the link can view' or use File > Share > Publish to web > CSV"
        )
    return bytes(body)


def read_sheet_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"claim sheet: cannot read {path}: {exc.strerror or exc}") from None


def parse_sheet(data: bytes, columns: SheetColumns, origin: str = "claim sheet") -> SourceResult:
    """Claims from the sheet's CSV; a bad row is reported by number and the rest go on."""
    table = parse_csv(data, origin)
    result = SourceResult(name=origin, problems=list(table.problems), reads_claims=True)
    found: dict[str, str | None] = {}
    for field_name in ("student", "tool", "post_url", "comment_1", "comment_2", "team"):
        wanted = getattr(columns, field_name)
        if not wanted:
            found[field_name] = None
            continue
        found[field_name] = table.column(wanted)
        if found[field_name] is None and field_name in ("student", "post_url"):
            raise SourceError(
                f"{origin} has no column {wanted!r} (sources.sheet.columns.{field_name}); "
                f"columns found: {', '.join(repr(h) for h in table.header)}"
            )
        if found[field_name] is None:
            result.problems.append(
                SourceProblem(origin, f"no column {wanted!r} (sources.sheet.columns.{field_name})", 1)
            )
    seen: dict[str, int] = {}
    for line, row in table.rows:
        student = " ".join(row.get(found["student"] or "", "").split())

        def value(name: str, row: dict[str, str] = row) -> str:
            column = found[name]
            return row.get(column, "").strip() if column else ""

        if not student:
            if value("post_url") or value("tool"):
                result.problems.append(SourceProblem(origin, "no student name; row skipped", line))
            continue
        if student.casefold() in seen:
            result.problems.append(
                SourceProblem(
                    origin,
                    f"{student!r} has a second row (first at row {seen[student.casefold()]}); both are used",
                    line,
                )
            )
        seen.setdefault(student.casefold(), line)
        comments = tuple(value(c) for c in ("comment_1", "comment_2"))
        result.claims.append(
            ClaimRecord(
                student=student,
                source=origin,
                post_url=value("post_url"),
                tool=" ".join(value("tool").split()),
                comment_urls=comments,
                team=value("team"),
                row=line,
            )
        )
    return result
