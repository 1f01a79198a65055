"""The roster CSV: columns, duplicates, roles, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.records import SourceError
from scrapers.roster import parse_roster, read_roster


def test_reads_people() -> None:
    result = parse_roster(
        b"student,email,team,discord,role\nAda Park,ADA@x.edu,t1,ada,\nTim TA,tim@x.edu,,,TA\n"
    )
    assert [(s.name, s.email, s.team, s.discord_handle, s.role) for s in result.students] == [
        ("Ada Park", "ada@x.edu", "t1", "ada", "student"),
        ("Tim TA", "tim@x.edu", "", "", "ta"),
    ]
    assert result.has_roster and not result.problems


def test_problems_are_named_by_row_and_skipped() -> None:
    data = (
        b"name,email,shoe size\nAda,ada@x.edu,9\nAda,ada@x.edu,9\n,,\n"
        b"Ben,not-an-email,8\n ,b@x.edu,1\nCy,cy@x.edu,x,extra\n"
    )
    result = parse_roster(data)
    problems = [str(p) for p in result.problems]
    assert "roster row 1: unknown column 'shoe size' ignored" in problems
    assert any(p.startswith("roster row 3: duplicate student 'Ada'") for p in problems)
    assert any(p.startswith("roster row 5: e-mail") for p in problems)
    assert any(p.startswith("roster row 6: no student name") for p in problems)
    assert [s.name for s in result.students] == ["Ada", "Ben", "Cy"]


def test_no_student_column() -> None:
    with pytest.raises(SourceError, match="no 'student' column; columns found: email, team"):
        parse_roster(b"email,team\na@x.edu,t\n")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_roster(tmp_path / "nope.csv")
