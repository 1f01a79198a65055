"""The claim sheet over loopback HTTP (as Google serves its CSV export) and from a file."""

from __future__ import annotations

import json

import pytest
from fakes.shared import shared_path

from scrapers.records import SourceError
from scrapers.sheet import SheetColumns, download_sheet, export_url, parse_sheet

HEADER = "Timestamp,Student,Tool,Blog post link,Comment link 1,Comment link 2\n"
LOGIN_PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Google Sheets - sign in</title></head>
<body><form action="https://accounts.google.com/signin">Sign in to continue</form></body></html>"""


def google_export_headers() -> dict[str, str]:
    """The headers of a real Sheets CSV export, from a recorded session."""
    cassette = json.loads(
        shared_path(
            "fixtures", "platforms", "google_sheets", "gspread_SpreadsheetTest.test_export_spreadsheet.json"
        ).read_text()
    )
    export = next(i for i in cassette["interactions"] if "/export" in i["request"]["uri"])
    return {k: v[0] for k, v in export["response"]["headers"].items() if k.lower() == "content-type"}


def test_downloads_csv_export(httpserver) -> None:
    body = HEADER + "11/20/2026 10:00:00,Ada Park,Feast,https://medium.com/@ada/feast-1a2b3c4d5e6f,,\n"
    httpserver.expect_request("/spreadsheets/export").respond_with_data(body, headers=google_export_headers())
    data = download_sheet(httpserver.url_for("/spreadsheets/export"), user_agent="test")
    result = parse_sheet(data, SheetColumns())
    assert [(c.student, c.tool, c.row) for c in result.claims] == [("Ada Park", "Feast", 2)]
    assert result.reads_claims and not result.problems


def test_html_login_page_is_a_clear_error(httpserver) -> None:
    httpserver.expect_request("/sheet").respond_with_data(LOGIN_PAGE, content_type="text/html; charset=utf-8")
    with pytest.raises(SourceError, match=r"HTML page .*not CSV"):
        download_sheet(httpserver.url_for("/sheet"), user_agent="test")


def test_html_served_as_csv_is_still_caught(httpserver) -> None:
    httpserver.expect_request("/sheet").respond_with_data(LOGIN_PAGE, content_type="text/csv")
    with pytest.raises(SourceError, match="sign-in page"):
        download_sheet(httpserver.url_for("/sheet"), user_agent="test")


@pytest.mark.parametrize(
    ("status", "message"), [(403, "access denied"), (404, "HTTP 404"), (500, "HTTP 500")]
)
def test_http_errors(httpserver, status: int, message: str) -> None:
    httpserver.expect_request("/sheet").respond_with_data("nope", status=status)
    with pytest.raises(SourceError, match=message):
        download_sheet(httpserver.url_for("/sheet"), user_agent="test")


def test_sends_user_agent(httpserver) -> None:
    httpserver.expect_request(
        "/sheet", headers={"User-Agent": "Reviewbot/0.1 (+https://x.edu)"}
    ).respond_with_data(HEADER, content_type="text/csv")
    assert (
        download_sheet(httpserver.url_for("/sheet"), user_agent="Reviewbot/0.1 (+https://x.edu)")
        == HEADER.encode()
    )


def test_edit_link_becomes_export_link() -> None:
    edit = "https://docs.google.com/spreadsheets/d/1prFqy9DWoiXkdkNFfwzFVOZBtuCrc8yXNZrEYvOX1j8/edit#gid=42"
    assert export_url(edit) == (
        "https://docs.google.com/spreadsheets/d/1prFqy9DWoiXkdkNFfwzFVOZBtuCrc8yXNZrEYvOX1j8/export?format=csv&gid=42"
    )
    assert export_url("https://example.edu/claims.csv") == "https://example.edu/claims.csv"


def test_missing_mapped_column_names_key_and_columns() -> None:
    with pytest.raises(SourceError) as info:
        parse_sheet(b"Name,Tool,Link\nAda,Feast,x\n", SheetColumns())
    assert "sources.sheet.columns.student" in str(info.value) and "'Link'" in str(info.value)


def test_custom_column_names_and_case() -> None:
    columns = SheetColumns(
        student="Your name", tool="Tool claimed", post_url="Post", comment_1="", comment_2=""
    )
    result = parse_sheet(b"your name,TOOL CLAIMED,post\nAda Park,Feast,https://a.dev/x\n", columns)
    assert result.claims[0].post_url == "https://a.dev/x" and result.claims[0].tool == "Feast"


def test_bad_rows_are_named_and_the_rest_goes_on() -> None:
    data = (
        HEADER
        + ",,Feast,https://a.dev/x,,\n"  # no student
        + "t,Ben Ode,MLflow,https://b.dev/y,,,extra,fields\n"  # too many fields
        + "t,Cy Ruiz,Locust,https://c.dev/z,,\n"
        + "t,Cy Ruiz,Locust,https://c.dev/z2,,\n"  # second row for one student
    ).encode()
    result = parse_sheet(data, SheetColumns())
    assert [c.student for c in result.claims] == ["Ben Ode", "Cy Ruiz", "Cy Ruiz"]
    problems = [str(p) for p in result.problems]
    assert any("row 2" in p and "no student" in p for p in problems)
    assert any("row 3" in p and "extra fields ignored" in p for p in problems)
    assert any("row 5" in p and "second row" in p for p in problems)
