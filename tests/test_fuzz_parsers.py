"""Property-based fuzzing: the parsers of hostile input fail only with their own clear errors."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.csvfile import parse_csv
from scrapers.extract import extract_html
from scrapers.platforms import PlatformError, plan
from scrapers.platforms.markdown import article_from_markdown
from scrapers.platforms.medium import story_from_json
from scrapers.records import SourceError
from scrapers.roster import parse_roster
from scrapers.sheet import SheetColumns, parse_sheet
from scrapers.urls import BadLink, normalise

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CSV_CHARS = st.sampled_from(
    [",", '"', "\n", "\r", "a", "é", "\x00", " ", "Student", "http://x.dev/p", "\ufeff"]
)
csv_bytes = st.one_of(
    st.binary(max_size=400),
    st.lists(CSV_CHARS, max_size=80).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
    st.lists(CSV_CHARS, max_size=80).map(
        lambda parts: ("Student,Tool,Blog post link\n" + "".join(parts)).encode()
    ),
)
html_text = st.one_of(
    st.text(max_size=500),
    st.lists(
        st.sampled_from(["<p>", "</p>", "<div class='comments'>", "</div>", "<h2>", "<pre><code>", "&amp;",
                         "<script>", "<!--", "text ", "<table><tr><td>", "<meta charset='x'>", "\x00"]),
        max_size=60,
    ).map("".join),
)  # fmt: skip


@FUZZ
@given(csv_bytes)
def test_csv_reader(data: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_csv(data, "fuzz.csv")


@FUZZ
@given(csv_bytes)
def test_claim_sheet(data: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_sheet(data, SheetColumns())


@FUZZ
@given(csv_bytes)
def test_roster(data: bytes) -> None:
    with contextlib.suppress(SourceError):
        parse_roster(data)


@FUZZ
@given(st.one_of(st.text(max_size=300), st.text(max_size=100).map(lambda t: "https://" + t)))
def test_link_normaliser(link: str) -> None:
    try:
        post = normalise(link)
    except BadLink:
        return
    assert post.url.startswith(("https://", "http://")) and post.key
    assert plan(post.url, post.platform), "every accepted link has something to fetch"


@FUZZ
@given(st.one_of(html_text, st.binary(max_size=500)))
def test_html_extractor(data: str | bytes) -> None:
    article = extract_html(data, "https://example.com/post")
    assert isinstance(article.plain_text, str)


@FUZZ
@given(st.text(max_size=800))
def test_markdown_reader(text: str) -> None:
    article_from_markdown(text, "fuzz.md")


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: "])}while(1);</x>" + t)))
def test_medium_json(data: str | bytes) -> None:
    with contextlib.suppress(PlatformError):
        story_from_json(data, "https://medium.com/@a/s-1a2b3c4d5e6f")
