"""Generic main-content extraction from an HTML page into an `Article` of structured blocks."""

from __future__ import annotations

import logging
import re

from lxml import etree

from scrapers.article import Article, Block
from scrapers.extract.clean import clean
from scrapers.extract.decode import decode_html, looks_binary
from scrapers.extract.metadata import extract_metadata
from scrapers.extract.score import choose
from scrapers.extract.segments import Segment, collect_segments
from scrapers.extract.text import normalize_space
from scrapers.extract.trim import trim

log = logging.getLogger(__name__)

MAX_ELEMENTS = 50_000  # real pages have a few thousand; past this the rest of the page is dropped
MAX_INPUT_CHARS = 12_000_000  # beyond this the page is cut (after dropping scripts and styles)
DECLARED_BODY_MIN_WORDS = 50  # a JSON-LD articleBody shorter than this is a summary, not the text
DECLARED_BODY_SHARE = 0.3  # use that articleBody when the page yields less than this share of its words
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def _parser() -> etree.HTMLParser:
    """An HTML parser for UTF-8 input that drops comments and processing instructions."""
    return etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False)


def parse(text: str) -> etree._Element | None:
    """Parse decoded HTML into an lxml tree (at most MAX_ELEMENTS elements), or None if there is none."""
    text = _XML_DECL.sub("", _CONTROL.sub("", text), count=1)
    if len(text) > MAX_INPUT_CHARS:
        text = _without_scripts(text)[:MAX_INPUT_CHARS]
    if not text.strip():
        return None
    try:
        doc = etree.fromstring(text.encode("utf-8", "replace"), parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if doc is None or not isinstance(doc.tag, str):
        return None
    _truncate(doc, MAX_ELEMENTS)
    return doc


def _truncate(doc: etree._Element, limit: int) -> None:
    """Drop everything after the first `limit` elements, so the work per page stays bounded."""
    last = None
    for count, el in enumerate(doc.iter(), start=1):
        if count >= limit:
            last = el
            break
    if last is None:
        return
    for child in list(last):
        last.remove(child)
    node = last
    while node is not None:
        for sibling in list(node.itersiblings()):
            node.getparent().remove(sibling)
        node = node.getparent()


def _without_scripts(text: str) -> str:
    """The page without <script>/<style> elements (one linear scan; an unclosed one ends the page)."""
    lower = text.lower()
    parts: list[str] = []
    pos = 0
    while True:
        starts = [i for i in (lower.find("<script", pos), lower.find("<style", pos)) if i >= 0]
        if not starts:
            parts.append(text[pos:])
            break
        start = min(starts)
        parts.append(text[pos:start])
        closing = "</script" if lower.startswith("<script", start) else "</style"
        end = lower.find(closing, start)
        if end < 0:
            break
        close = lower.find(">", end)
        pos = len(text) if close < 0 else close + 1
    return "".join(parts)


def extract_html(html_data: str | bytes, url: str = "", *, encoding: str | None = None) -> Article:
    """Title, author, date and the main text as blocks; an empty Article when nothing can be read."""
    try:
        return _extract(html_data, url, encoding)
    except Exception:  # hostile input must never escape as an exception
        log.warning("extraction failed for %s", url or "<html>", exc_info=True)
        return Article(source=url)


def _extract(html_data: str | bytes, url: str, encoding: str | None) -> Article:
    """decode -> parse -> metadata -> clean -> segments -> choose root -> trim -> blocks."""
    if not html_data:
        return Article(source=url)
    text = decode_html(html_data, encoding)
    if looks_binary(text):
        return Article(source=url)
    doc = parse(text)
    if doc is None:
        return Article(source=url)
    meta = extract_metadata(doc, url)
    body = doc.find("body")
    if body is None:
        body = doc
    clean(body)
    choice = choose(collect_segments(body))
    blocks = _to_blocks(trim(choice.segments, meta.title))
    declared = _declared_body(meta.article_body)
    if declared and _words(blocks) < DECLARED_BODY_SHARE * _words(declared):
        blocks = declared  # the page renders its text with scripts; its JSON-LD articleBody has it
    return Article(
        source=url,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        blocks=blocks,
    )


def _words(blocks: list[Block]) -> int:
    """Words in the blocks."""
    return sum(len(block.text.split()) for block in blocks)


def _declared_body(text: str) -> list[Block]:
    """Paragraph blocks from a schema.org articleBody (plain text, paragraphs on separate lines)."""
    if not text or len(text.split()) < DECLARED_BODY_MIN_WORDS:
        return []
    if "<" in text and ">" in text:  # some sites put HTML in it
        doc = parse(f"<html><body>{text}</body></html>")
        text = "\n".join(doc.itertext()) if doc is not None else ""
    paragraphs = (normalize_space(line) for line in text.splitlines())
    return [Block("paragraph", line) for line in paragraphs if line]


def _to_blocks(segments: list[Segment]) -> list[Block]:
    """The Article blocks for the kept segments."""
    return [Block(seg.kind, seg.text, seg.level) for seg in segments]
