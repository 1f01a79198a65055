"""Tests of the roster/history CSV reader, the pairs writer, and the standalone assign command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.assignment import Pair, Participant
from bot.assignment.roster_csv import (
    RosterError,
    read_history,
    read_roster,
    run_assign,
    write_pairs,
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_roster_with_optional_columns_and_blanks(tmp_path):
    path = _write(
        tmp_path,
        "roster.csv",
        "Student, Post_URL ,team,tool,notes\n"
        "alice,https://a.example/1,red,Docker,x\n"
        "bob,,, ,\n"
        "\n"
        "carol,https://c.example/2,,git\n",
    )
    assert read_roster(path) == [
        Participant("alice", "https://a.example/1", "red", "Docker"),
        Participant("bob", None, None, None),
        Participant("carol", "https://c.example/2", None, "git"),
    ]


def test_roster_without_team_and_tool_columns(tmp_path):
    path = _write(tmp_path, "r.csv", "\ufeffstudent,post_url\nalice,u1\n")
    assert read_roster(path) == [Participant("alice", "u1")]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", r"r\.csv: file is empty"),
        ("\n\n", r"r\.csv: file is empty"),
        ("student,team\nalice,red\n", r"r\.csv, row 1: missing required column\(s\) post_url"),
        ("student,post_url\n", r"r\.csv: no students"),
        (
            "student,post_url\nalice,u1\nbob,u2\nalice,u3\n",
            r"r\.csv, row 4: duplicate student 'alice' \(first on row 2\)",
        ),
        ("student,post_url\n,u1\n", r"r\.csv, row 2: empty student"),
    ],
)
def test_roster_errors_name_file_and_row(tmp_path, text, match):
    path = _write(tmp_path, "r.csv", text)
    with pytest.raises(RosterError, match=match):
        read_roster(path)


def test_roster_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match=r"missing\.csv: cannot read file"):
        read_roster(tmp_path / "missing.csv")


def test_reads_history_and_ignores_extra_columns(tmp_path):
    path = _write(tmp_path, "h.csv", "term,reviewer,author\n2024,alice,bob\n2025,bob,alice\n")
    assert read_history(path) == [("alice", "bob"), ("bob", "alice")]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", r"h\.csv: file is empty"),
        ("reviewer,post\nalice,bob\n", r"h\.csv, row 1: missing required column\(s\) author"),
        ("reviewer,author\nalice,\n", r"h\.csv, row 2: reviewer and author must both be filled"),
    ],
)
def test_history_errors(tmp_path, text, match):
    with pytest.raises(RosterError, match=match):
        read_history(_write(tmp_path, "h.csv", text))


def test_history_with_only_a_header_is_empty(tmp_path):
    assert read_history(_write(tmp_path, "h.csv", "reviewer,author\n")) == []


def test_write_pairs_round_trips_through_csv():
    out = io.StringIO()
    write_pairs([Pair("a", "b", "https://x.example/?q=1,2"), Pair("b", "a", "u")], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [
        ["reviewer", "author", "post_url"],
        ["a", "b", "https://x.example/?q=1,2"],
        ["b", "a", "u"],
    ]


def test_run_assign_writes_pairs_and_relaxations(tmp_path):
    roster = _write(tmp_path, "r.csv", "student,post_url\na,ua\nb,ub\nc,uc\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_assign(roster, 0, None, 2, out, err) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 6
    assert {(r["reviewer"], r["author"]) for r in rows} == {(x, y) for x in "abc" for y in "abc" if x != y}
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("relaxed no_mutual: ")


def test_run_assign_is_deterministic_and_uses_history(tmp_path):
    roster = _write(
        tmp_path,
        "r.csv",
        "student,post_url,team,tool\n" + "".join(f"s{i},u{i},t{i // 3},x{i % 4}\n" for i in range(12)),
    )
    history = _write(
        tmp_path, "h.csv", "reviewer,author\n" + "".join(f"s{i},s{(i + 1) % 12}\n" for i in range(12))
    )
    outputs = []
    for _ in range(2):
        out, err = io.StringIO(), io.StringIO()
        assert run_assign(roster, 7, history, 2, out, err) == 0
        assert err.getvalue() == ""
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    pairs = {tuple(r[:2]) for r in list(csv.reader(io.StringIO(outputs[0])))[1:]}
    assert not pairs & {(f"s{i}", f"s{(i + 1) % 12}") for i in range(12)}


def test_run_assign_bad_input_exits_2_with_one_line(tmp_path):
    roster = _write(tmp_path, "r.csv", "student,post_url\na,u\na,v\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_assign(roster, 0, None, 2, out, err) == 2
    assert out.getvalue() == ""
    assert err.getvalue().count("\n") == 1
    assert "r.csv, row 3: duplicate student 'a'" in err.getvalue()


def test_run_assign_bad_history_and_bad_k(tmp_path):
    roster = _write(tmp_path, "r.csv", "student,post_url\na,u\nb,v\nc,w\n")
    err = io.StringIO()
    assert run_assign(roster, 0, tmp_path / "nope.csv", 2, io.StringIO(), err) == 2
    assert "nope.csv" in err.getvalue()
    err = io.StringIO()
    assert run_assign(roster, 0, None, 0, io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1
