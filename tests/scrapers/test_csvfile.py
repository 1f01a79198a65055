"""Defensive CSV reading: encodings, ragged rows, empty and binary files."""

from __future__ import annotations

import pytest

from scrapers.csvfile import parse_csv
from scrapers.records import SourceError


def test_empty_file() -> None:
    with pytest.raises(SourceError, match="is empty"):
        parse_csv(b"  \n\n", "claims.csv")


def test_binary_file() -> None:
    with pytest.raises(SourceError, match="binary"):
        parse_csv(b"PK\x03\x04\x00\x00xlsx", "claims.csv")


def test_bom_and_crlf() -> None:
    table = parse_csv("\ufeffstudent,team\r\nAda,t1\r\n".encode(), "roster")
    assert table.header == ["student", "team"] and table.rows == [(2, {"student": "Ada", "team": "t1"})]


def test_non_utf8_row_is_named_and_read_as_cp1252() -> None:
    data = b"student,team\nAda,t1\n" + "Zoë Müller,t2\n".encode("cp1252")
    table = parse_csv(data, "roster")
    assert table.rows[1][1]["student"] == "Zoë Müller"
    assert [str(p) for p in table.problems] == [
        "roster row 3: text is not valid UTF-8; read it as Windows-1252"
    ]


def test_short_rows_are_padded_and_blank_lines_skipped() -> None:
    table = parse_csv(b"a,b,c\n1\n\n,,\n2,3,4\n", "x")
    assert [r for _, r in table.rows] == [{"a": "1", "b": "", "c": ""}, {"a": "2", "b": "3", "c": "4"}]


def test_duplicate_header_is_reported() -> None:
    table = parse_csv(b"a,A\n1,2\n", "x")
    assert table.column("A") == "a" and "appears twice" in str(table.problems[0])


def test_unterminated_quote_does_not_raise() -> None:
    table = parse_csv(b'a,b\n1,"never closed\n2,3\n', "x")
    assert table.header == ["a", "b"]
