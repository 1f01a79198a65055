"""HTML helpers for the adapters: safe parsing, page metadata, and a structural block walker.

The walker turns a known content container (a Medium <article>, a WordPress .entry-content, a
Blogger .post-body, a feed entry's HTML) into Blocks: headings with their level, paragraphs, list
items with their nesting depth, <pre> as code, blockquotes as quotes, tables as table blocks.
Pages whose content container is unknown go to the generic extractor (`scrapers.extract`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from lxml import etree

from scrapers.article import Article, Block
from scrapers.platforms._common import check_size, clean_space, iso_date, to_text
from scrapers.platforms.errors import PlatformError

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Never article text.
SKIP_TAGS = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "button", "select", "option", "textarea", "input", "label", "form", "nav", "aside", "footer",
    "figcaption", "video", "audio", "source", "track", "map", "head", "title", "meta", "link",
    "picture", "img", "dialog", "menu",
}  # fmt: skip
# Elements that start a new block (everything else is inline text).
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "figure", "blockquote", "pre", "ul", "ol", "li",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "dl", "dt", "dd", "center", "details",
    "summary", "hgroup", "address", "fieldset", "hr", "body", "html", *HEADINGS,
}  # fmt: skip
# Boilerplate inside a content container: sharing buttons, related posts, comment areas, captions.
SKIP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharedaddy|social|related|jp-relatedposts|jp-post-flair|wpcnt"
    r"|comments?|comment-respond|respond|post-footer|post-share-buttons|author-bio|author-box"
    r"|newsletter|subscribe|advert|adsbygoogle|ad-slot|tr-caption|wp-caption-text|screen-reader-text"
    r"|sr-only|visually-hidden|blogger-post-footer|post-footer-line|reactions|likes|navigation"
    r"|breadcrumbs?|toc-skip)(?:$|[\s_-])",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\xa0]*\n")
_LINE_BREAKS = re.compile(r"[\r\n\t\f\v]+")
_MAX_DEPTH = 300

_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def parse_document(body: bytes | str, what: str = "the page", encoding: str | None = None) -> Any:
    """Parse an HTML page into an lxml tree; PlatformError when there is nothing to parse."""
    check_size(body, what)
    text = _XML_DECL.sub("", to_text(body, encoding), count=1)
    if not text.strip():
        raise PlatformError(f"{what} is empty")
    try:
        doc = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise PlatformError(f"{what} is not readable HTML ({exc})") from None
    return doc


def parse_fragment(html: str) -> Any:
    """Parse an HTML fragment (a feed entry's or API's content) into a <div> element."""
    text = _XML_DECL.sub("", to_text(html or ""), count=1)
    try:
        doc = lxml.html.document_fromstring(f"<html><body><div>{text}</div></body></html>", parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.fromstring("<div></div>")
    body = doc.find("body")
    return body if body is not None else doc


# --- metadata -------------------------------------------------------------------------------------


def meta_map(doc: Any) -> dict[str, str]:
    """Lower-cased meta name/property/itemprop -> first non-empty content (or value= attribute)."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = clean_space(meta.get("content") or meta.get("value") or "")
        if key and value and key not in found:
            found[key] = value
    return found


def json_ld(doc: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (top-level objects and @graph members)."""
    found: list[dict[str, Any]] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    found.extend(x for x in graph if isinstance(x, dict))
    return found


def _ld_author(item: dict[str, Any]) -> str:
    author = item.get("author") or item.get("creator")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        return clean_space(str(author.get("name") or ""))
    return clean_space(author) if isinstance(author, str) else ""


def page_metadata(doc: Any) -> dict[str, str]:
    """Title, author and published date the page declares about itself (meta tags, JSON-LD,
    microformats, itemprops); empty strings where it says nothing."""
    meta = meta_map(doc)
    ld = [x for x in json_ld(doc) if str(x.get("@type", "")).lower() not in ("website", "organization")]
    title = meta.get("og:title") or meta.get("twitter:title") or ""
    if not title:
        title = next((clean_space(str(x.get("headline") or "")) for x in ld if x.get("headline")), "")
    if not title:
        title = _first_text(doc, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' p-name ')]")
    if not title:
        title = meta.get("title") or ""
    if not title:
        node = doc.find(".//title")
        title = clean_space(node.text_content()) if node is not None else ""
    author = meta.get("author") or ""
    if not author or author.startswith(("http://", "https://", "/")):
        author = next((a for a in map(_ld_author, ld) if a), "")
    if not author:
        author = _first_text(doc, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' p-author ')]")
    if not author:
        author = _first_text(doc, ".//*[@rel='author']")
    published = meta.get("article:published_time") or meta.get("datepublished") or ""
    if not published:
        published = next((str(x["datePublished"]) for x in ld if isinstance(x.get("datePublished"), str)), "")
    if not published:
        for node in doc.iterfind(".//time"):
            classes = f" {node.get('class') or ''} {node.get('itemprop') or ''} "
            if (" dt-published " in classes or "datePublished" in classes) and node.get("datetime"):
                published = node.get("datetime")
                break
    return {"title": title, "author": clean_space(author), "published": iso_date(published)}


def _first_text(doc: Any, xpath: str) -> str:
    try:
        nodes = doc.xpath(xpath)
    except etree.XPathError:
        return ""
    for node in nodes:
        text = clean_space(node.text_content()) if hasattr(node, "text_content") else ""
        if text:
            return text
    return ""


def find_first(doc: Any, *class_names: str, tags: tuple[str, ...] = ()) -> Any:
    """The first element carrying one of the class names (in order of preference), or of the tags."""
    for name in class_names:
        nodes = doc.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
        if nodes:
            return nodes[0]
    for tag in tags:
        node = doc.find(f".//{tag}")
        if node is not None:
            return node
    return None


# --- blog pages ----------------------------------------------------------------------------------

_COMMENT_AREA = re.compile(r"comment|respond|replies", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^(?:view all posts by|posted by|written by|author|by)[:\s]+", re.IGNORECASE)


def _in_comments(el: Any) -> bool:
    for node in (el, *el.iterancestors()):
        hint = f"{node.get('class') or ''} {node.get('id') or ''}"
        if _COMMENT_AREA.search(hint):
            return True
    return False


def content_element(doc: Any, classes: tuple[str, ...]) -> Any:
    """The post body element of a blog page (outside any comment area), or None."""
    for name in classes:
        nodes = doc.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
        for node in nodes:
            if not _in_comments(node) and len(node.text_content().split()) >= 5:
                return node
    nodes = doc.xpath(".//*[@itemprop='articleBody']")
    return nodes[0] if nodes else None


def byline(doc: Any) -> str:
    """The post author's name from a theme's byline (comment authors excluded)."""
    paths = (
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-author ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' post-author-name ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]"
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' fn ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]"
        "[contains(concat(' ', normalize-space(@class), ' '), ' vcard ')]",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' post-author ')]",
        ".//*[@rel='author']",
        ".//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    )
    for path in paths:
        for node in doc.xpath(path):
            if _in_comments(node):
                continue
            name = _BY_PREFIX.sub("", clean_space(node.text_content()))
            if name and len(name) <= 80:
                return name
    return ""


def themed_article(
    doc: Any,
    body: bytes | str,
    url: str,
    platform: str,
    classes: tuple[str, ...],
    title: str,
    author: str,
    published: str,
) -> Article:
    """A blog page's post from its theme's content element (`content_element`), or, when the page
    has none, the generic extractor's, with the byline and date the page gave."""
    container = content_element(doc, classes)
    if container is None:
        article = generic_article(body, url, platform)
        article.author = author or article.author
        article.published = published or article.published
        return article
    return Article(
        source=url,
        platform=platform,
        title=title,
        author=author,
        published=published,
        blocks=drop_title(blocks_of(container), title),
    )


def published_time(doc: Any) -> str:
    """The first publication timestamp a theme prints (<time class=published|entry-date>, <abbr>)."""
    for node in doc.xpath(".//time[@datetime] | .//abbr[@title]"):
        if _in_comments(node):
            continue
        hint = f" {node.get('class') or ''} {node.get('itemprop') or ''} "
        if any(word in hint for word in ("published", "entry-date", "datePublished", "dt-published")):
            return iso_date(node.get("datetime") or node.get("title"))
    return ""


# --- blocks ---------------------------------------------------------------------------------------


def _is_skipped(el: Any) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in SKIP_TAGS:
        return True
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if tag in ("pre", "code", "a", "span", "em", "strong", "b", "i"):
        return False
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(hint.strip()) and bool(SKIP_CLASS.search(hint))


def inline_text(el: Any, *, keep_breaks: bool = False, raw: bool = False) -> str:
    """The text of an element and its descendants.

    Source line breaks are spaces (HTML whitespace); <br> is a newline, kept when `keep_breaks`.
    `raw` keeps every character as written (the text of a <pre>).
    """
    parts: list[str] = []
    same = raw

    def add(value: str | None) -> None:
        if value:
            parts.append(value if same else _LINE_BREAKS.sub(" ", value))

    def walk(node: Any, depth: int) -> None:
        add(node.text)
        for child in node:
            if isinstance(child.tag, str) and depth < _MAX_DEPTH:
                tag = child.tag.lower()
                if tag == "br":
                    parts.append("\n")
                elif tag not in SKIP_TAGS:
                    walk(child, depth + 1)
            add(child.tail)

    walk(el, 0)
    text = "".join(parts)
    return text if keep_breaks or raw else clean_space(text)


def code_text(el: Any) -> str:
    """The text of a <pre>: line breaks kept, trailing spaces and blank edges dropped."""
    text = inline_text(el, raw=True).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _has_block(el: Any) -> bool:
    return any(isinstance(d.tag, str) and d.tag.lower() in BLOCK_TAGS for d in el.iterdescendants())


class _Walker:
    def __init__(self, list_depth: int = 0) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.list_depth = list_depth

    def flush(self) -> None:
        if not self.buffer:
            return
        text = "".join(self.buffer)
        self.buffer = []
        for part in _PARAGRAPH_BREAK.split(text):
            part = clean_space(part)
            if part:
                self.blocks.append(Block("paragraph", part))

    def emit(self, kind: str, text: str, level: int = 0) -> None:
        if text:
            self.blocks.append(Block(kind, text, level))

    def walk(self, node: Any, depth: int = 0) -> None:
        if node.text:
            self.buffer.append(_LINE_BREAKS.sub(" ", node.text))
        for child in node:
            if isinstance(child.tag, str) and depth < _MAX_DEPTH:
                self.child(child, depth + 1)
            if child.tail:
                self.buffer.append(_LINE_BREAKS.sub(" ", child.tail))

    def sub(self, node: Any, depth: int, list_depth: int | None = None) -> list[Block]:
        walker = _Walker(self.list_depth if list_depth is None else list_depth)
        walker.walk(node, depth)
        walker.flush()
        return walker.blocks

    def child(self, el: Any, depth: int) -> None:
        tag = el.tag.lower()
        if tag == "br":
            self.buffer.append("\n")
            return
        if _is_skipped(el):
            return
        if tag in HEADINGS:
            self.flush()
            self.emit("heading", inline_text(el), HEADINGS[tag])
        elif tag == "pre":
            self.flush()
            self.emit("code", code_text(el))
        elif tag in ("ul", "ol"):
            self.flush()
            self.blocks.extend(self.sub(el, depth, self.list_depth + 1))
        elif tag == "li":
            self.flush()
            self._list_item(el, depth)
        elif tag == "blockquote":
            self.flush()
            inner = self.sub(el, depth)
            self.blocks.extend(Block("quote", b.text) if b.kind == "paragraph" else b for b in inner)
        elif tag == "table":
            self.flush()
            self._table(el, depth)
        elif tag == "hr":
            self.flush()
        elif tag in BLOCK_TAGS or _has_block(el):
            self.flush()
            self.walk(el, depth)
            self.flush()
        else:
            self.buffer.append(inline_text(el, keep_breaks=True))

    def _list_item(self, el: Any, depth: int) -> None:
        inner = self.sub(el, depth, max(self.list_depth, 1))
        lead: list[str] = []
        while inner and inner[0].kind == "paragraph":
            lead.append(inner.pop(0).text)
        self.emit("list_item", " ".join(lead), max(self.list_depth, 1))
        self.blocks.extend(inner)

    def _table(self, el: Any, depth: int) -> None:
        cells = [c for c in el.iter("td", "th")]
        if any(_has_block_content(c) for c in cells) or el.find(".//table") is not None:
            self.walk(el, depth)  # a layout table: its cells hold the text
            self.flush()
            return
        rows = []
        for row in el.iter("tr"):
            texts = [inline_text(c) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if any(texts):
                rows.append(" | ".join(texts))
        self.emit("table", "\n".join(rows))


def _has_block_content(cell: Any) -> bool:
    return any(
        isinstance(d.tag, str) and d.tag.lower() in ("p", "div", "pre", "ul", "ol", "blockquote", *HEADINGS)
        for d in cell.iterdescendants()
    )


def blocks_of(el: Any) -> list[Block]:
    """The structured blocks of a content element, in document order, without duplicates in a row."""
    if el is None:
        return []
    walker = _Walker()
    walker.walk(el)
    walker.flush()
    out: list[Block] = []
    for block in walker.blocks:
        if out and out[-1] == block:
            continue
        out.append(block)
    return out


def drop_title(blocks: list[Block], title: str) -> list[Block]:
    """Drop a heading among the first four blocks that repeats the title."""
    want = _key(title)
    if not want:
        return blocks
    for index, block in enumerate(blocks[:4]):
        if block.kind == "heading" and _key(block.text) == want:
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", (text or "").lower()).strip()


def words(blocks: list[Block]) -> int:
    return sum(len(b.text.split()) for b in blocks if b.kind != "code")


def fragment_blocks(html: str, url: str = "") -> list[Block]:
    """The blocks of an HTML fragment that is the whole post (API content, feed content).

    The generic extractor (`scrapers.extract.extract_html`) reads it first, so that every
    adapter shares its improvements; when it is missing, fails, keeps much less of the text than
    the fragment holds, or loses headings, code or list items (a fragment has no boilerplate to
    remove, and a readability-style scorer drops short fragments), the walker's blocks are used.
    """
    own = blocks_of(parse_fragment(html))
    extracted = _extract(f"<html><body><article>{html or ''}</article></body></html>", url)
    if extracted is not None and extracted.blocks:
        theirs = list(extracted.blocks)
        keeps_structure = all(
            sum(b.kind == kind for b in theirs) >= sum(b.kind == kind for b in own)
            for kind in ("heading", "code", "list_item")
        )
        if keeps_structure and words(theirs) >= 0.8 * words(own):
            return theirs
    return own


def _extract(body: bytes | str, url: str, encoding: str | None = None) -> Article | None:
    """Run the shared generic extractor; None when it is unavailable or fails on this input."""
    try:
        from scrapers.extract import extract_html
    except ImportError:
        return None
    try:
        return extract_html(body, url, encoding=encoding)
    except Exception:
        return None


def generic_article(
    body: bytes | str, url: str, platform: str = "web", encoding: str | None = None
) -> Article:
    """A page whose content container is unknown: the generic extractor, or the structural walker
    over <article>/<main>/<body> when the extractor is unavailable. Page metadata fills gaps."""
    doc = parse_document(body, encoding=encoding)
    meta = page_metadata(doc)
    article = _extract(body, url, encoding)
    if article is None:
        root = doc.find(".//article")
        if root is None:
            root = doc.find(".//main")
        if root is None:
            root = doc.find("body") if doc.find("body") is not None else doc
        article = Article(blocks=blocks_of(root))
    title = article.title or meta["title"]
    return Article(
        source=url,
        platform=platform,
        title=title,
        author=article.author or meta["author"],
        published=article.published or meta["published"],
        blocks=drop_title(list(article.blocks), title),
        flags=list(article.flags),
    )
