"""Walk a cleaned tree into text segments: each block of text with its kind, owner element and links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from scrapers.extract.text import normalize_space, text_of

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that start a new block of text; everything else is inline.
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "ul",
    "caption",
    "legend",
    "menu",
    "listing",
    "xmp",
    "plaintext",
    *HEADINGS,
}
LIST_TAGS = {"ul", "ol", "menu"}
# Tags that decide the kind of the text inside them, nearest first.
_KIND_TAGS = {"pre", "li", "blockquote", "dt", "dd", "figcaption", "caption", "listing", "xmp", *HEADINGS}
_BR = "\x00"
_PARAGRAPH_BREAK = re.compile(r"\x00\s*\x00[\s\x00]*")
_LINE_BREAK = re.compile(r"\s*\x00\s*")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_CELL_LIMIT = 400


@dataclass
class Segment:
    """One block of text found in the page, with the element that owns it."""

    kind: str
    text: str
    owner: etree._Element
    level: int = 0
    link_chars: int = 0

    @property
    def chars(self) -> int:
        return len(self.text)


def _code_text(el: etree._Element) -> str:
    """The text of a code block, keeping its line breaks (<br>, line-per-element markup) and indentation."""
    parts: list[str] = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if node is el:
            if event == "start" and node.text:
                parts.append(node.text)
            continue
        if event == "start":
            tag = node.tag
            new_line = parts and node.getparent() is el and _is_code_line(node)
            if tag == "br" or (new_line and not parts[-1].endswith("\n")):
                parts.append("\n")
            if node.text and isinstance(tag, str):
                parts.append(node.text)
        elif node.tail:
            parts.append(node.tail)
    text = "".join(parts).replace("\r\n", "\n").replace("\xa0", " ")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return _TRAILING_SPACE.sub("\n", "\n".join(line.rstrip() for line in lines))


def _is_code_line(node: etree._Element) -> bool:
    """A child of <pre> that renders as its own line (div/p, or Medium-style spans with ids)."""
    return node.tag in ("div", "p") or (node.tag == "span" and node.get("id") is not None)


def _rows(table: etree._Element) -> list[list[etree._Element]]:
    """Rows of a table (not of tables nested in it), each a list of cells."""
    rows = []
    for tr in table.iter("tr"):
        owner = next((a for a in tr.iterancestors("table")), None)
        if owner is table:
            rows.append([c for c in tr if c.tag in ("td", "th")])
    return rows


def is_data_table(table: etree._Element) -> bool:
    """A table of data (rows of short cells) rather than a layout grid holding paragraphs."""
    rows = _rows(table)
    if len(rows) < 1 or max((len(r) for r in rows), default=0) < 2:
        return False
    for el in table.iterdescendants():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in ("table", "p", "pre", "blockquote", "ul", "ol", "form", "article", "section") or (
            tag in HEADINGS
        ):
            return False
    return all(len(normalize_space(text_of(cell))) <= _CELL_LIMIT for row in rows for cell in row)


def is_code_table(table: etree._Element) -> bool:
    """A highlighted-code table (GitHub gists, Pygments line tables)."""
    marks = f"{table.get('class') or ''} {table.get('id') or ''}".lower()
    if "highlight" in marks or "code" in marks:
        return True
    return any("blob-code" in (td.get("class") or "") for td in table.iter("td"))


def _table_text(table: etree._Element) -> tuple[str, int]:
    """Rows as lines of ' | '-separated cells, and how many characters sit in links."""
    lines = []
    for row in _rows(table):
        cells = [normalize_space(text_of(cell)) for cell in row]
        if any(cells):
            lines.append(" | ".join(cells))
    link_chars = sum(len(normalize_space(text_of(a))) for a in table.iter("a"))
    return "\n".join(lines), link_chars


def _code_table_text(table: etree._Element) -> str:
    """The code of a highlighted-code table: the last cell of each row that is not a line number."""
    lines = []
    for row in _rows(table):
        cells = [c for c in row if not any(m in (c.get("class") or "") for m in ("num", "gutter", "lineno"))]
        if cells:
            lines.append(_code_text(cells[-1]))
    return "\n".join(lines)


def _is_navigation_link(el: etree._Element) -> bool:
    """A link to another page (in-page anchors such as heading permalinks and footnotes do not count)."""
    href = el.get("href")
    return href is not None and not href.strip().startswith("#")


class _Walker:
    """Collects segments while walking the tree with start/end events (no recursion)."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.stack: list[etree._Element] = []
        self.pieces: list[str] = []
        self.link_pieces: list[str] = []
        self.links = 0

    def add(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)
            if self.links:
                self.link_pieces.append(text)

    def context(self) -> tuple[str, int, etree._Element | None]:
        """Kind, level and owner for text at the current position."""
        owner = self.stack[-1] if self.stack else None
        for el in reversed(self.stack):
            tag = el.tag
            if tag in _KIND_TAGS:
                if tag in HEADINGS:
                    return "heading", HEADINGS[tag], owner
                if tag in ("pre", "listing", "xmp"):
                    return "code", 0, owner
                if tag == "li":
                    depth = sum(1 for a in self.stack if a.tag in LIST_TAGS)
                    return "list_item", max(1, depth), owner
                if tag == "blockquote":
                    return "quote", 0, owner
                return "paragraph", 0, owner
        return "paragraph", 0, owner

    def flush(self) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        link_raw = "".join(self.link_pieces)
        self.pieces, self.link_pieces = [], []
        if not raw.strip(" \t\n\r\x00\xa0"):
            return
        kind, level, owner = self.context()
        if owner is None:
            return
        chunks = _PARAGRAPH_BREAK.split(raw) if kind != "heading" else [raw]
        link_chars = len(normalize_space(link_raw.replace(_BR, " ")))
        total = 0
        made: list[Segment] = []
        for chunk in chunks:
            lines = [normalize_space(line) for line in _LINE_BREAK.split(chunk)]
            text = "\n".join(line for line in lines if line)
            if text:
                made.append(Segment(kind, text, owner, level))
                total += len(text)
        for seg in made:
            seg.link_chars = round(link_chars * seg.chars / total) if total else 0
        self.segments.extend(made)

    def emit(self, kind: str, text: str, owner: etree._Element, link_chars: int = 0) -> None:
        if text.strip():
            self.segments.append(Segment(kind, text, owner, 0, link_chars))

    def walk(self, root: etree._Element) -> list[Segment]:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            if not isinstance(tag, str):
                if event == "end":
                    self.add(el.tail)
                continue
            if event == "start":
                if tag in BLOCK_TAGS:
                    self.flush()
                    if tag in ("pre", "listing", "xmp") or (tag == "table" and is_code_table(el)):
                        text = _code_text(el) if tag != "table" else _code_table_text(el)
                        self.emit("code", text, el)
                        walker.skip_subtree()
                        self.stack.append(el)
                        continue
                    if tag == "table" and is_data_table(el):
                        text, link_chars = _table_text(el)
                        self.emit("table", text, el, link_chars)
                        walker.skip_subtree()
                        self.stack.append(el)
                        continue
                    self.stack.append(el)
                elif tag == "br":
                    self.add(_BR)
                elif tag == "code" and "\n" in text_of(el).strip() and not self._in_code():
                    self.flush()
                    self.stack.append(el)
                    self.emit("code", _code_text(el), el)
                    walker.skip_subtree()
                    continue
                elif tag == "a" and _is_navigation_link(el):
                    self.links += 1
                self.add(el.text)
            else:
                if tag in BLOCK_TAGS or (tag == "code" and self.stack and self.stack[-1] is el):
                    self.flush()
                    if self.stack and self.stack[-1] is el:
                        self.stack.pop()
                elif tag == "a" and _is_navigation_link(el):
                    self.links = max(0, self.links - 1)
                self.add(el.tail)
        self.flush()
        return self.segments

    def _in_code(self) -> bool:
        return any(el.tag in ("pre", "listing", "xmp") for el in self.stack)


def collect_segments(root: etree._Element) -> list[Segment]:
    """All text segments under `root`, in document order."""
    return _Walker().walk(root)
