"""Deterministic segmentation of an Article into the paragraphs the classifier labels.

A paragraph is every block of the Article that is not a heading (paragraph, list item, code,
quote, table), in document order, numbered from 0. Each one carries the heading it sits under
(the nearest heading before it) and the path of enclosing headings (by level). Files are read
with `load_document`: Markdown through `scrapers.platforms.markdown.article_from_markdown(text,
source=<file name>)`, HTML through `scrapers.extract.extract_html(bytes)`. The team's paragraph
labels (`models/data/paragraph_labels.tsv`) refer to the shared corpus by file name and this
index, so this module must not change without relabelling (the `sha` column catches drift).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scrapers.article import Article
from scrapers.extract import extract_html
from scrapers.platforms.markdown import article_from_markdown

MAX_PATH = 3  # enclosing headings kept in `path`


@dataclass(frozen=True)
class Paragraph:
    """One classifiable unit of a post."""

    index: int  # 0-based among the post's non-heading blocks
    kind: str  # paragraph, list_item, code, quote, table
    text: str
    heading: str  # the nearest heading before it ("" before the first heading)
    path: tuple[str, ...]  # enclosing headings, outermost first (at most MAX_PATH)
    position: float  # index / (count - 1), 0 for a single paragraph

    @property
    def sha(self) -> str:
        """A short digest of the text: lets label files detect segmentation drift without the text."""
        return text_sha(self.text)


def text_sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def paragraphs(article: Article) -> list[Paragraph]:
    """The article's paragraphs with their headings; deterministic."""
    stack: list[tuple[int, str]] = []  # (level, text) of the enclosing headings
    raw: list[tuple[str, str, str, tuple[str, ...]]] = []
    for block in article.blocks:
        text = block.text.strip()
        if block.kind == "heading":
            level = block.level or 2
            while stack and stack[-1][0] >= level:
                stack.pop()
            if text:
                stack.append((level, text))
            continue
        if not text:
            continue
        path = tuple(t for _, t in stack)[-MAX_PATH:]
        raw.append((block.kind, text, path[-1] if path else "", path))
    last = max(len(raw) - 1, 1)
    return [
        Paragraph(index=i, kind=kind, text=text, heading=heading, path=path, position=i / last)
        for i, (kind, text, heading, path) in enumerate(raw)
    ]


def by_path(paras: Sequence[Paragraph]) -> dict[tuple[str, ...], list[int]]:
    """The indexes of the paragraphs under each heading path, in document order."""
    blocks: dict[tuple[str, ...], list[int]] = {}
    for i, para in enumerate(paras):
        blocks.setdefault(para.path, []).append(i)
    return blocks


def load_document(path: Path) -> Article:
    """A corpus file (Markdown, or HTML by suffix) as an Article whose source is the file name."""
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        article = extract_html(data, "")
        article.source = path.name
        return article
    return article_from_markdown(data, path.name)
