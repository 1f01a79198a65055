"""Markdown posts (GitHub files, Jekyll/Hugo sources, dev.to's body_markdown) as Blocks.

A small line-based reader, written for blog posts rather than for full CommonMark: ATX and setext
headings, paragraphs, bullet and numbered list items with nesting, fenced (``` ~~~), indented and
Liquid `{% highlight %}` code, blockquotes, pipe tables, HTML blocks (tags stripped), and YAML
(`---`) or TOML (`+++`) front matter, whose title/author/date are read and removed. Inline markup
is reduced to its text (links keep their text, images go). It never raises.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from scrapers.article import Article, Block
from scrapers.platforms._common import clean_space, iso_date, to_text
from scrapers.platforms._html import blocks_of, parse_fragment

MAX_CHARS = 1_000_000  # longer input is cut: a post is never that long

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_ATX = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?P<char>=+|-+)[ \t]*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?(?P<text>.*)$")
_LIST = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*)|[ \t]*$)")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HTML_BLOCK = re.compile(r"^ {0,3}</?(?:[A-Za-z][\w-]*)(?:\s[^>]*)?/?>|^ {0,3}<!--")
_LIQUID_HIGHLIGHT = re.compile(r"^\s*{%-?\s*highlight\b[^%]*-?%}\s*$")
_LIQUID_END = re.compile(r"^\s*{%-?\s*endhighlight\s*-?%}\s*$")
_LIQUID_TAG = re.compile(r"^\s*{%.*%}\s*$")
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
_ATTRIBUTES = re.compile(r"\s*\{\s*[#.:][^}]*\}\s*$")  # kramdown/Pandoc `{ #id .class }`
_JEKYLL_FILE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})-[^/]+$")

# Each pattern is linear (bounded repeats, no nested brackets): input is untrusted.
_INLINE = (
    (re.compile(r"!\[[^\[\]]{0,1000}\]\([^()]{0,2000}\)"), ""),  # images
    (re.compile(r"!\[[^\[\]]{0,1000}\]\[[^\[\]]{0,200}\]"), ""),
    (re.compile(r"\[\^[^\[\]]{1,100}\]"), ""),  # footnote references
    (re.compile(r"\[([^\[\]]{1,1000})\]\([^()]{0,2000}\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\[\]]{1,1000})\]\[[^\[\]]{0,200}\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]{1,2000})>"), r"\1"),
    (re.compile(r"<[A-Za-z/!][^<>]{0,1000}>"), ""),  # inline HTML tags
    (re.compile(r"(`+)([^`]{1,2000}?)\1"), r"\2"),
)
_EMPHASIS = (
    (re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.{1,500}?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.{1,500}?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.{1,500}?)~~"), r"\1"),
)
_EMPHASIS_LIMIT = 20_000  # longer runs of text keep their * and _ (no paragraph is that long)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PRIVATE = 0xE000  # escaped characters hide in the private use area while markup is removed


def inline(text: str) -> str:
    """Markdown inline markup reduced to plain text."""
    text = _ESCAPED.sub(lambda m: chr(_PRIVATE + ord(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    if len(text) <= _EMPHASIS_LIMIT:
        for pattern, replacement in _EMPHASIS:
            text = pattern.sub(replacement, text)
    text = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PRIVATE), text)
    return clean_space(html.unescape(text))


def _indent(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _dedent(line: str, amount: int) -> str:
    removed = 0
    index = 0
    while index < len(line) and removed < amount and line[index] in " \t":
        removed += 4 - removed % 4 if line[index] == "\t" else 1
        index += 1
    return line[index:]


# --- front matter ---------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML (`---`) or TOML (`+++`) front matter as simple key -> text, and the rest of the text."""
    lines = text.split("\n")
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text
    closing = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for end in range(1, min(len(lines), 300)):
        if lines[end].strip() in closing:
            return _front_matter(lines[1:end]), "\n".join(lines[end + 1 :])
    return {}, text


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.strip()


def _front_matter(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    parent = ""
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*[:=]\s*(?P<value>.*)$", line)
        if match is None:
            item = re.match(r"^\s*-\s+(?P<value>.+)$", line)
            if item and parent in ("author", "authors") and "author" not in found:
                found["author"] = _unquote(item.group("value"))
            continue
        key, value = match.group("key").lower(), match.group("value").strip()
        if not match.group("indent"):
            parent = key
            if value.startswith("[") and value.endswith("]"):
                value = value[1:-1].split(",")[0]
            if value and value not in ("|", ">", "|-", ">-"):
                found.setdefault(key, _unquote(value))
        elif parent in ("author", "authors") and key in ("name", "display_name") and value:
            found.setdefault("author", _unquote(value))
    if "author" not in found and "authors" in found:
        found["author"] = found["authors"]
    return found


# --- blocks ---------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.item: Block | None = None  # the list item being continued
        self.list_indents: list[int] = []

    def flush(self) -> None:
        if self.paragraph:
            text = inline(" ".join(self.paragraph))
            if text:
                self.blocks.append(Block("paragraph", text))
            self.paragraph = []

    def close_list(self) -> None:
        self.item = None
        self.list_indents = []

    def add_to_item(self, text: str) -> None:
        """A continuation line of the current list item (a paragraph when a block came between)."""
        if self.item is None or not self.blocks or self.blocks[-1] is not self.item:
            self.paragraph.append(text)
            return
        joined = inline(f"{self.item.text} {text}") if self.item.text else inline(text)
        self.item = Block("list_item", joined, self.item.level)
        self.blocks[-1] = self.item

    def read(self) -> list[Block]:
        blank_before = True
        while self.at < len(self.lines):
            line = self.lines[self.at]
            self.at += 1
            blank = not line.strip()
            self.step(line, blank, blank_before)
            blank_before = blank
        self.flush()
        return [b for b in self.blocks if b.text]

    def step(self, line: str, blank: bool, blank_before: bool) -> None:
        if blank:
            self.flush()
            return
        indent = _indent(line)
        in_list = bool(self.list_indents)
        fence = _FENCE.match(line)
        if (
            fence
            and (indent < 4 or in_list)
            and not ("`" in fence.group("info") and fence.group("fence")[0] == "`")
        ):
            self.flush()
            if indent < 2:
                self.close_list()
            self.code_fence(fence, indent)
            return
        if _LIQUID_HIGHLIGHT.match(line):
            self.flush()
            self.close_list()
            self.until(_LIQUID_END)
            return
        listed = _LIST.match(line)
        if listed and not (listed.group("text") or "").strip():
            listed = None
        if listed and _HR.match(line):
            listed = None
        if listed and in_list:
            self.flush()
            self.list_item(listed, indent)
            return
        if indent >= 4 and not self.paragraph and not (in_list and indent >= self._item_indent()):
            self.close_list()
            self.indented_code(line)
            return
        if in_list and (not blank_before or indent >= 2) and not (self.paragraph and blank_before):
            self.add_to_item(line.strip())
            return
        if self.paragraph:
            setext = _SETEXT.match(line)
            if setext:
                text = inline(" ".join(self.paragraph))
                self.paragraph = []
                if text:
                    self.blocks.append(Block("heading", text, 1 if setext.group("char")[0] == "=" else 2))
                return
        self.close_list()
        atx = _ATX.match(line)
        if atx:
            self.flush()
            text = _ATTRIBUTES.sub("", atx.group("text") or "")
            self.blocks.append(Block("heading", inline(text), len(atx.group("marks"))))
            return
        if _HR.match(line):
            self.flush()
            return
        if _QUOTE.match(line):
            self.flush()
            self.quote(line)
            return
        if listed:
            marker = listed.group("marker")
            if not self.paragraph or marker[0] in "-*+" or marker[:-1] == "1":
                self.flush()
                self.list_item(listed, indent)
                return
        if "|" in line and self.at < len(self.lines) and _TABLE_RULE.match(self.lines[self.at]):
            self.flush()
            self.table(line)
            return
        if not self.paragraph and (_LINK_DEF.match(line) or _LIQUID_TAG.match(line)):
            return
        if not self.paragraph and _HTML_BLOCK.match(line):
            self.html_block(line)
            return
        self.paragraph.append(line.strip())

    def _item_indent(self) -> int:
        return (self.list_indents[-1] if self.list_indents else 0) + 2

    def code_fence(self, fence: re.Match[str], indent: int) -> None:
        mark = fence.group("fence")
        body: list[str] = []
        while self.at < len(self.lines):
            line = self.lines[self.at]
            self.at += 1
            stripped = line.strip()
            if stripped.startswith(mark[0] * len(mark)) and not stripped.strip(mark[0]):
                break
            body.append(_dedent(line, indent))
        self.code(body)

    def until(self, end: re.Pattern[str]) -> None:
        body: list[str] = []
        while self.at < len(self.lines):
            line = self.lines[self.at]
            self.at += 1
            if end.match(line):
                break
            body.append(line)
        self.code(body)

    def indented_code(self, first: str) -> None:
        body = [_dedent(first, 4)]
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if line.strip() and _indent(line) < 4:
                break
            body.append(_dedent(line, 4))
            self.at += 1
        self.code(body)

    def code(self, body: list[str]) -> None:
        lines = [line.rstrip() for line in body]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            self.blocks.append(Block("code", "\n".join(lines)))

    def quote(self, first: str) -> None:
        inner = [_QUOTE.match(first).group("text")]  # type: ignore[union-attr]
        while self.at < len(self.lines):
            line = self.lines[self.at]
            match = _QUOTE.match(line)
            if match:
                inner.append(match.group("text"))
            elif line.strip() and inner[-1].strip() and not _FENCE.match(line) and not _ATX.match(line):
                inner.append(line)  # lazy continuation
            else:
                break
            self.at += 1
        for block in _Reader(inner).read():
            if block.kind in ("paragraph", "heading"):
                self.blocks.append(Block("quote", block.text))
            else:
                self.blocks.append(block)

    def list_item(self, match: re.Match[str], indent: int) -> None:
        while self.list_indents and indent < self.list_indents[-1]:
            self.list_indents.pop()
        if not self.list_indents or indent > self.list_indents[-1]:
            self.list_indents.append(indent)
        level = len(self.list_indents)
        text = match.group("text") or ""
        task = re.match(r"^\[[ xX]\]\s+", text)
        if task:
            text = text[task.end() :]
        self.item = Block("list_item", inline(text), level)
        self.blocks.append(self.item)

    def table(self, header: str) -> None:
        rows = [header]
        self.at += 1  # the |---|---| rule
        while self.at < len(self.lines) and "|" in self.lines[self.at] and self.lines[self.at].strip():
            rows.append(self.lines[self.at])
            self.at += 1
        cells = []
        for row in rows:
            parts = [inline(c) for c in row.strip().strip("|").split("|")]
            if any(parts):
                cells.append(" | ".join(parts))
        if cells:
            self.blocks.append(Block("table", "\n".join(cells)))

    def html_block(self, first: str) -> None:
        chunk = [first]
        if first.lstrip().startswith("<!--"):
            while "-->" not in chunk[-1] and self.at < len(self.lines):
                chunk.append(self.lines[self.at])
                self.at += 1
            return
        while self.at < len(self.lines) and self.lines[self.at].strip():
            line = self.lines[self.at]
            if _ATX.match(line) or _FENCE.match(line) or (_LIST.match(line) and "<" not in line[:4]):
                break  # lenient: a heading, fence or list right after a tag line is Markdown again
            chunk.append(line)
            self.at += 1
        for block in blocks_of(parse_fragment("\n".join(chunk))):
            self.blocks.append(block)


def parse_markdown(text: str | bytes) -> tuple[dict[str, str], list[Block]]:
    """Front matter (lower-cased keys -> text) and the body's Blocks; never raises."""
    try:
        source = to_text(text if isinstance(text, str | bytes) else b"")[:MAX_CHARS]
        source = source.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        front, body = split_front_matter(source)
        return front, _Reader(body.split("\n")).read()
    except Exception:
        raw = to_text(text if isinstance(text, str | bytes) else b"")[:MAX_CHARS]
        parts = [clean_space(p) for p in re.split(r"\n\s*\n", raw)]
        return {}, [Block("paragraph", p) for p in parts if p]


def article_from_markdown(text: str | bytes, source: str = "", *, platform: str = "markdown") -> Article:
    """A Markdown post: title from the front matter or the first H1 (which then leaves the body)."""
    front, blocks = parse_markdown(text)
    title = inline(front.get("title", ""))
    if not title:
        first_h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        title = first_h1.text if first_h1 is not None else ""
    if (
        blocks
        and blocks[0].kind == "heading"
        and re.sub(r"\W+", "", blocks[0].text.lower()) == re.sub(r"\W+", "", title.lower())
    ):
        blocks = blocks[1:]
    published = iso_date(front.get("date", "")) or _date_from_name(source)
    return Article(
        source=source,
        platform=platform,
        title=title,
        author=inline(front.get("author", "")),
        published=published,
        blocks=blocks,
    )


def _date_from_name(source: str) -> str:
    """A Jekyll post's date from its file name (`_posts/2024-05-01-slug.md`)."""
    try:
        path = urlsplit(source).path if "://" in source else source
    except ValueError:
        return ""
    match = _JEKYLL_FILE.search(str(PurePosixPath(path)))
    return match.group(1) if match else ""
