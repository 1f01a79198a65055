"""The roster CSV: one row per person (student, email, team, discord, role, sis_id)."""

from __future__ import annotations

from pathlib import Path

from scrapers.csvfile import parse_csv
from scrapers.records import SourceError, SourceProblem, SourceResult, StudentRecord

KNOWN = {"student", "name", "email", "team", "discord", "role", "sis_id", "tool", "post_url"}
ROLES = {"student": "student", "ta": "ta", "teacher": "ta", "instructor": "ta", "": "student"}


def read_roster(path: Path, origin: str = "roster") -> SourceResult:
    """Read a roster CSV; rows with problems are skipped with a message naming the row."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{origin}: cannot read {path}: {exc.strerror or exc}") from None
    return parse_roster(data, origin)


def parse_roster(data: bytes, origin: str = "roster") -> SourceResult:
    table = parse_csv(data, origin)
    result = SourceResult(
        name=origin, problems=list(table.problems), has_roster=True, skipped_rows=table.skipped
    )
    name_col = table.column("student") or table.column("name")
    if name_col is None:
        raise SourceError(f"{origin} has no 'student' column; columns found: {', '.join(table.header)}")
    for column in table.header:
        if column.strip().casefold() not in KNOWN:
            result.problems.append(SourceProblem(origin, f"unknown column {column!r} ignored", 1))
    cols = {k: table.column(k) for k in ("email", "team", "discord", "role", "sis_id")}
    seen: dict[str, int] = {}
    for line, row in table.rows:
        name = " ".join(row.get(name_col, "").split())
        if not name:
            result.problems.append(SourceProblem(origin, "no student name; row skipped", line))
            result.skipped_rows += 1
            continue
        email = row.get(cols["email"] or "", "").strip().lower()
        if email and ("@" not in email or " " in email):
            result.problems.append(SourceProblem(origin, f"e-mail {email!r} is not valid; ignored", line))
            email = ""
        identity = email or name.casefold()
        if identity in seen:
            result.problems.append(
                SourceProblem(
                    origin,
                    f"duplicate student {name!r} (first at row {seen[identity]}); row skipped",
                    line,
                )
            )
            continue
        seen[identity] = line
        role_text = row.get(cols["role"] or "", "").strip().casefold()
        if role_text not in ROLES:
            result.problems.append(
                SourceProblem(origin, f"unknown role {role_text!r}; taken as student", line)
            )
        result.students.append(
            StudentRecord(
                name=name,
                email=email,
                sis_id=row.get(cols["sis_id"] or "", ""),
                role=ROLES.get(role_text, "student"),
                team=row.get(cols["team"] or "", ""),
                discord_handle=row.get(cols["discord"] or "", ""),
                source=origin,
            )
        )
    return result
