"""Blogger / Blogspot posts: the blog's feed first, the post page second.

Feed choice: the JSON feed filtered by the post's path,
`https://<host>/feeds/posts/default?alt=json&path=/yyyy/mm/slug.html`: one small request that
returns just this post with its full body, title, author and date. `post_from_feed` reads that
JSON and also the Atom form of the same feed (`alt=atom`, the default, or a Blogger export),
picking the entry whose alternate link has the post's path.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from scrapers.article import Article
from scrapers.platforms._common import (
    check_size,
    clean_space,
    get,
    iso_date,
    load_json,
    origin,
    same_post_path,
    text_of,
    to_text,
)
from scrapers.platforms._html import (
    byline,
    drop_title,
    find_first,
    fragment_blocks,
    page_metadata,
    parse_document,
    published_time,
    themed_article,
)
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.feeds import article_from_entry, entry_for_url, parse_feed

PLATFORM = "blogger"
CONTENT_CLASSES = ("post-body", "entry-content", "post-entry", "blog-post-body")
_JSONP = re.compile(r"^[\w.$]{1,80}\(")
_DATE_HEADER = re.compile(r"(?:[A-Za-z]+,\s+)?([A-Za-z]+)\s+(\d{1,2}),\s+(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}  # fmt: skip


def feed_url(url: str) -> str | None:
    """The blog's JSON feed filtered to this post's path, or None for a link that is no post."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    base = origin(url)
    path = parts.path or ""
    if not base or not path.endswith(".html") or path.startswith("/p/"):
        return None
    return f"{base}/feeds/posts/default?alt=json&path={quote(path, safe='')}"


def post_from_feed(body: bytes | str, url: str) -> Article:
    """The post from a Blogger feed: the JSON feed (`alt=json`, also as JSONP) or Atom XML."""
    check_size(body, "the Blogger feed")
    text = strip_jsonp(to_text(body).lstrip())
    if text[:1] in ("[", "{"):
        return _from_json(load_json(text, "a Blogger JSON feed"), url)
    feed = parse_feed(text, "the Blogger feed")
    entries = [e for e in feed.entries if e.kind in ("", "post", "page")]
    entry = next((e for e in entries if entry_for_url(url)(e)), None)
    if entry is None:
        raise PlatformError("post not in the blog's feed")
    if entry.summary_only:
        raise PlatformError("the blog's feed carries only a summary of the post")
    return article_from_entry(entry, feed, url, PLATFORM)


def strip_jsonp(text: str) -> str:
    """A JSON feed without its JSONP wrapper (`alt=json-in-script`: `callback({...});`)."""
    prefix = _JSONP.match(text)
    if not prefix:
        return text
    return text[prefix.end() :].rstrip().removesuffix(";").rstrip().removesuffix(")")


def gdata_text(value: Any) -> str:
    """A GData JSON text node ({"$t": ...}) as a string."""
    return text_of(value.get("$t")) if isinstance(value, dict) else text_of(value)


def _from_json(data: Any, url: str) -> Article:
    if not isinstance(data, dict) or not isinstance(data.get("feed", data.get("entry")), dict | list):
        raise PlatformError("not a Blogger JSON feed (no feed or entry)")
    entries = get(data, "feed", "entry", default=None)
    if entries is None:
        entries = data.get("entry")
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        entries = []
    chosen = None
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        links = entry.get("link") if isinstance(entry.get("link"), list) else []
        hrefs = [
            str(link.get("href") or "")
            for link in links
            if isinstance(link, dict) and (link.get("rel") or "alternate") == "alternate"
        ]
        if any(same_post_path(href, url) for href in hrefs):
            chosen = entry
            break
    if chosen is None:
        raise PlatformError("post not in the blog's feed")
    raw = chosen.get("content", {}).get("$t") if isinstance(chosen.get("content"), dict) else None
    if not isinstance(raw, str):
        if isinstance(chosen.get("summary"), dict):
            raise PlatformError("the blog's feed carries only a summary of the post")
        raise PlatformError("the Blogger feed entry has no content")
    title = gdata_text(chosen.get("title"))
    author = gdata_text(get(chosen, "author", 0, "name")) or gdata_text(
        get(data, "feed", "author", 0, "name")
    )
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=iso_date(gdata_text(chosen.get("published"))),
        blocks=drop_title(fragment_blocks(raw, url), title),
    )


def post_from_html(body: bytes | str, url: str) -> Article:
    """A Blogger post page: `.post-body` (comments excluded), the post title, byline and date."""
    doc = parse_document(body, "the Blogger page")
    meta = page_metadata(doc)
    heading = find_first(doc, "post-title", "entry-title")
    title = meta["title"] or (clean_space(heading.text_content()) if heading is not None else "")
    published = meta["published"] or published_time(doc) or _date_header(doc)
    author = byline(doc) or meta["author"]
    return themed_article(doc, body, url, PLATFORM, CONTENT_CLASSES, title, author, published)


def _date_header(doc: Any) -> str:
    """Blogger's "Sunday, May 8, 2016" date header as 2016-05-08."""
    node = find_first(doc, "date-header")
    if node is None:
        return ""
    match = _DATE_HEADER.search(clean_space(node.text_content()))
    if not match or match.group(1).lower() not in _MONTHS:
        return ""
    month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
    return f"{year:04d}-{month:02d}-{day:02d}"
