"""RSS and Atom feeds, read safely: no DTD, no entity expansion, no network, bounded size.

Used for Medium's author/publication RSS, Blogger's Atom feed and a Jekyll site's feed.xml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from scrapers.article import Article
from scrapers.platforms._common import check_size, clean_space, iso_date, origin, same_post_path
from scrapers.platforms._html import drop_title, fragment_blocks
from scrapers.platforms.errors import PlatformError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    # resolve_entities=False: an entity is never expanded (no billion laughs, no external files);
    # recover=True: real feeds are often slightly broken (a stray "<", an unbound prefix).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(body: bytes | str, what: str) -> Any:
    """The root element of an XML document, or PlatformError."""
    check_size(body, what)
    data = body if isinstance(body, bytes) else _XML_DECL.sub("", body, count=1).encode("utf-8")
    if not data.strip():
        raise PlatformError(f"empty answer where {what} was expected")
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise PlatformError(f"{what} is not readable XML ({exc})") from None
    if root is None:
        raise PlatformError(f"{what} is not readable XML")
    return root


def local(el: Any) -> str:
    """The element name without its namespace ("" for comments, entities and the like)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def text(el: Any) -> str:
    """All character data under an element; unexpanded entity references are dropped."""
    if el is None:
        return ""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(text(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if local(c) == name]


def _child(el: Any, *names: str) -> Any:
    for name in names:
        for c in el:
            if local(c) == name:
                return c
    return None


@dataclass
class FeedEntry:
    """One item of a feed, as plain fields."""

    title: str = ""
    links: list[str] = field(default_factory=list)  # alternate (page) links first
    ids: list[str] = field(default_factory=list)  # guid / id
    html: str = ""  # the body as HTML (escaped text is wrapped in <p>)
    author: str = ""
    published: str = ""
    kind: str = ""  # Blogger's kind#post / kind#comment / ..., "" elsewhere
    summary_only: bool = False  # the feed carries a summary (<description>/<summary>), no full body


@dataclass
class Feed:
    title: str = ""
    author: str = ""
    entries: list[FeedEntry] = field(default_factory=list)


def _content_html(el: Any) -> str:
    if el is None:
        return ""
    kind = (el.get("type") or "").lower()
    if kind == "xhtml" or (
        len(el) and all(isinstance(c.tag, str) for c in el) and not (el.text or "").strip()
    ):
        inner = [etree.tostring(c, method="html", encoding="unicode", with_tail=True) for c in el]
        html = "".join(inner)
        return re.sub(r"\s?xmlns(:\w+)?=\"[^\"]*\"", "", html)
    body = text(el)
    if kind == "text":
        return "".join(f"<p>{_escape(p)}</p>" for p in re.split(r"\n\s*\n", body) if p.strip())
    return body


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _author(el: Any) -> str:
    node = _child(el, "creator")
    if node is not None and clean_space(text(node)):
        return clean_space(text(node))
    node = _child(el, "author")
    if node is None:
        return ""
    name = _child(node, "name")
    value = clean_space(text(name if name is not None else node))
    # RSS <author> is "email (Name)"
    match = re.match(r"^\S+@\S+\s+\((.+)\)$", value)
    return match.group(1) if match else value


def parse_feed(body: bytes | str, what: str = "the feed") -> Feed:
    """An RSS 2.0, RSS 1.0 (RDF) or Atom feed as entries; PlatformError for anything else."""
    root = parse_xml(body, what)
    name = local(root)
    if name == "html":
        raise PlatformError(f"got an HTML page, not {what}")
    if name not in ("rss", "feed", "rdf", "entry"):
        raise PlatformError(f"not {what} (an XML document of type <{name or '?'}>)")
    feed = Feed()
    if name == "rss":
        channel = _child(root, "channel")
        scope = channel if channel is not None else root
        items = _children(scope, "item")
    elif name == "rdf":
        channel = _child(root, "channel")
        scope = channel if channel is not None else root
        items = _children(root, "item")
    elif name == "entry":
        scope, items = root, [root]
    else:
        scope, items = root, _children(root, "entry")
    feed.title = clean_space(text(_child(scope, "title")))
    feed.author = _author(scope)
    for item in items:
        feed.entries.append(_entry(item))
    return feed


def _entry(item: Any) -> FeedEntry:
    entry = FeedEntry(title=clean_space(text(_child(item, "title"))))
    alternates, others = [], []
    for link in _children(item, "link"):
        href = (link.get("href") or text(link)).strip()
        if not href:
            continue
        rel = (link.get("rel") or "alternate").lower()
        (alternates if rel == "alternate" else others).append(href)
    entry.links = alternates + others
    for node in (_child(item, "guid"), _child(item, "id")):
        if node is not None and text(node).strip():
            entry.ids.append(text(node).strip())
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    if about:
        entry.ids.append(about)
    content = _child(item, "encoded", "content")
    if content is None or (not text(content).strip() and not len(content)):
        content = _child(item, "description", "summary")
        entry.summary_only = local(content) == "summary" if content is not None else True
    entry.html = _content_html(content)
    entry.author = _author(item)
    entry.published = iso_date(text(_child(item, "published", "pubdate", "date", "issued", "updated")))
    for category in _children(item, "category"):
        term = category.get("term") or ""
        if "#kind" in (category.get("scheme") or "") and "#" in term:
            entry.kind = term.rsplit("#", 1)[-1]
    return entry


def find_entry(feed: Feed, matches: Callable[[FeedEntry], bool]) -> FeedEntry | None:
    return next((e for e in feed.entries if matches(e)), None)


def entry_for_url(url: str) -> Callable[[FeedEntry], bool]:
    """An entry whose page link has the same path as `url`."""
    return lambda entry: any(same_post_path(link, url) for link in entry.links)


def article_from_entry(entry: FeedEntry, feed: Feed, url: str, platform: str) -> Article:
    blocks = drop_title(fragment_blocks(entry.html, url), entry.title)
    return Article(
        source=url,
        platform=platform,
        title=entry.title,
        author=entry.author or feed.author,
        published=entry.published,
        blocks=blocks,
    )


def site_feed_url(url: str) -> str | None:
    """The Atom feed jekyll-feed writes for a GitHub Pages site (`/feed.xml`).

    A user site (`user.github.io/slug`) has it at the root; a project site
    (`user.github.io/repo/...`) under the repository's folder. A first path segment that is a
    year (`/2024/05/...`) is a dated permalink of a user site.
    """
    base = origin(url)
    if not base:
        return None
    try:
        segments = [s for s in url.split("://", 1)[-1].split("?", 1)[0].split("/")[1:] if s]
    except ValueError:
        return None
    if len(segments) >= 2 and not segments[0].isdigit():
        return f"{base}/{segments[0]}/feed.xml"
    return f"{base}/feed.xml"


def post_from_site_feed(body: bytes | str, url: str) -> Article:
    """The post at `url` from its site's RSS/Atom feed (Jekyll's feed.xml and the like)."""
    feed = parse_feed(body, "the site's feed")
    entry = find_entry(feed, entry_for_url(url))
    if entry is None:
        raise PlatformError("post not in the site's feed (the feed lists only recent posts)")
    platform = "github_pages" if ".github.io" in origin(url) else "web"
    return article_from_entry(entry, feed, url, platform)
