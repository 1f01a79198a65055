"""The HTML dashboard: structure, escaping of hostile student strings, nothing loaded from anywhere."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.report import coverage
from bot.report_html import SCRIPT, render_html, write_html
from bot.store import Store

_spec = importlib.util.spec_from_file_location("report_builder", Path(__file__).with_name("test_report.py"))
builder = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(builder)  # type: ignore[union-attr]
HOSTILE = builder.HOSTILE

VOID = {"meta", "br", "input", "img", "link", "hr", "rect", "source", "wbr", "area", "col", "embed"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.text_parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.text_parts) + "".join(c.text for c in self.children)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        out = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(child.attrs.get(k) == v for k, v in attrs.items()):
                out.append(child)
            out += child.find_all(tag, **attrs)
        return out


class Tree(HTMLParser):
    """A small DOM from html.parser: enough to check structure without a browser."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.all: list[Node] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.all.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.all.append(node)

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent  # type: ignore[assignment]
        if node is not self.root:
            self.current = node.parent  # type: ignore[assignment]

    def handle_data(self, data: str) -> None:
        self.current.text_parts.append(data)


@pytest.fixture
def config(make_config) -> Config:  # type: ignore[no-untyped-def]
    return make_config(course=dict(builder.COURSE))


@pytest.fixture
def page(store: Store, config: Config) -> str:
    builder.sample_course(store)
    return render_html(coverage(store, None, config))


@pytest.fixture
def tree(page: str) -> Tree:
    return Tree(page)


def rows(tree: Tree) -> list[Node]:
    (table,) = tree.root.find_all("table", id="report")
    (body,) = table.find_all("tbody")
    return [tr for tr in body.find_all("tr") if "empty" not in (tr.attrs.get("class") or "")]


def row_of(tree: Tree, name: str) -> Node:
    matches = [tr for tr in rows(tree) if tr.find_all("td")[0].find_all("span")[0].text == name]
    assert len(matches) == 1, name
    return matches[0]


def test_table_has_one_row_per_student_and_sortable_headers(tree: Tree) -> None:
    assert len(rows(tree)) == 7
    heads = tree.root.find_all("th")
    assert [h.attrs["data-key"] for h in heads] == [
        "name", "tool", "post", "problem", "movie_example", "strengths_limitations", "flags", "given",
        "received",
    ]  # fmt: skip
    assert all(h.find_all("button") for h in heads)
    for tr in rows(tree):
        assert len(tr.find_all("td")) == len(heads)
        assert all("data-sort" in td.attrs for td in tr.find_all("td") if td.parent is tr)


def test_filters_and_charts_are_present(tree: Tree) -> None:
    assert tree.root.find_all("input", id="q")
    for select in ("section", "flag", "reviews"):
        assert tree.root.find_all("select", id=select)
    flag_values = [o.attrs["value"] for o in tree.root.find_all("select", id="flag")[0].find_all("option")]
    assert {"", "none", "late", "duplicate_tool", "video_post", "unreachable"} <= set(flag_values)
    sections = tree.root.find_all("svg", id="chart-sections")[0]
    comments = tree.root.find_all("svg", id="chart-comments")[0]
    present = [
        r.attrs["data-count"] for r in sections.find_all("rect") if r.attrs.get("data-segment") == "present"
    ]
    assert present == ["4", "3", "2"]  # problem, movie example, strengths and limitations
    substantive = [r for r in comments.find_all("rect") if r.attrs.get("data-segment") == "substantive"]
    assert substantive[0].attrs["data-count"] == "3"


def test_row_attributes_drive_the_filters(tree: Tree) -> None:
    cy = row_of(tree, "Cy Lam")
    assert set(cy.attrs["data-flags"].split()) == {
        "draft_placeholder", "duplicate_tool", "earlier_term_tool", "late", "too_short",
    }  # fmt: skip
    assert cy.attrs["data-sections"] == "problem:yes movie_example:no strengths_limitations:no"
    assert row_of(tree, "Gus Ito").attrs["data-sections"] == (
        "problem:no-post movie_example:no-post strengths_limitations:no-post"
    )
    assert row_of(tree, "Ana Rivera").attrs["data-reviews"] == "complete"
    assert row_of(tree, "Ben Ode").attrs["data-reviews"] == "incomplete"
    assert "team-1" in row_of(tree, "Ana Rivera").attrs["data-search"]


def test_each_verdict_links_to_its_evidence(tree: Tree) -> None:
    ana = row_of(tree, "Ana Rivera")
    cells = [td for td in ana.find_all("td") if "v" in (td.attrs.get("class") or "").split()]
    assert len(cells) == 3
    for td in cells:
        (details,) = td.find_all("details")
        assert details.find_all("blockquote")[0].text
        (a,) = [a for a in details.find_all("a")]
        assert a.attrs["href"].startswith("https://blog.example.com/ana/feast#:~:text=")
        assert a.attrs["rel"] == "noopener noreferrer" and a.attrs["target"] == "_blank"
    assert "under “Demo”" in cells[1].text


def test_hostile_strings_are_escaped(page: str, tree: Tree) -> None:
    assert not [n for n in tree.all if n.tag == "img"]
    assert len([n for n in tree.all if n.tag == "script"]) == 1
    assert all(not k.startswith("on") for n in tree.all for k in n.attrs)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    eve = row_of(tree, HOSTILE)  # the text survives, as text
    assert '</script><script>alert("t")</script>' in eve.text
    assert f"{HOSTILE} javascript:alert(1) is the problem" in eve.text
    assert "<img" not in page.replace("&lt;img", "")


def test_only_web_links(tree: Tree) -> None:
    hrefs = [n.attrs["href"] for n in tree.all if "href" in n.attrs]
    assert hrefs and all(re.match(r"https?://", h or "") for h in hrefs)
    # Eve's comment link is javascript:, so it is no link at all
    eve = row_of(tree, HOSTILE)
    assert "javascript:" not in " ".join(a.attrs.get("href") or "" for a in eve.find_all("a"))
    assert "comment ↗" not in eve.find_all("td")[7].text  # the review of Dee: unverified, no link


def test_nothing_is_loaded_from_anywhere(page: str, tree: Tree) -> None:
    assert not [n for n in tree.all if "src" in n.attrs]
    assert not [n for n in tree.all if n.tag in ("link", "iframe", "object", "embed", "img", "base")]
    style = "".join(n.text for n in tree.all if n.tag == "style")
    assert "@import" not in style and "url(" not in style
    assert not re.search(r"https?://", SCRIPT)
    (csp,) = [n for n in tree.all if n.attrs.get("http-equiv") == "Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert "default-src 'none'" in csp.attrs["content"]
    assert f"script-src 'sha256-{digest}'" in csp.attrs["content"]
    (script,) = [n for n in tree.all if n.tag == "script"]
    assert script.text == SCRIPT  # the hash names exactly the inline script


def test_empty_course_renders(store: Store, config: Config, tmp_path: Path) -> None:
    path = write_html(coverage(store, None, config), tmp_path / "out" / "report.html")
    tree = Tree(path.read_text(encoding="utf-8"))
    assert rows(tree) == []
    assert "No students yet" in tree.root.find_all("table", id="report")[0].text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", '"><script>alert(1)</script>'),
        ("team", "' onmouseover='alert(1)"),
        ("tool", "</style><b>x</b>"),
    ],
)
def test_escaping_in_every_place_a_student_string_lands(
    store: Store, config: Config, field: str, value: Any
) -> None:
    b = builder.CourseBuilder(store)
    b.student(**{"name": "Ok Name", field: value}) if field != "name" else b.student(value)
    tree = Tree(render_html(coverage(store, None, config)))
    assert len([n for n in tree.all if n.tag == "script"]) == 1
    assert not [n for n in tree.all if n.tag == "b"]
    assert all(not k.startswith("on") for n in tree.all for k in n.attrs)
    assert value in rows(tree)[0].text or value.lower() in rows(tree)[0].attrs["data-search"]
