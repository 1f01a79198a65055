"""dev.to posts: the public articles API first, the page second."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from scrapers.article import Article
from scrapers.platforms._common import get, iso_date, load_json, origin, text_of
from scrapers.platforms._html import (
    blocks_of,
    drop_title,
    fragment_blocks,
    generic_article,
    page_metadata,
    parse_document,
)
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.markdown import inline, parse_markdown

PLATFORM = "devto"
_RESERVED = {"api", "t", "search", "top", "latest", "settings", "dashboard", "enter", "new", "feed", "tags"}


def _user_and_slug(url: str) -> tuple[str, str] | None:
    """The two path segments of a post link (`/<user>/<slug>`), quoted; None for any other link."""
    try:
        segments = [s for s in (urlsplit(url).path or "").split("/") if s]
    except ValueError:
        return None
    if len(segments) != 2 or segments[0] in _RESERVED:
        return None
    return quote(segments[0], safe="-_.~"), quote(segments[1], safe="-_.~")


def api_url(url: str) -> str | None:
    """`https://dev.to/<user>/<slug>` -> `https://dev.to/api/articles/<user>/<slug>`."""
    base, post = origin(url), _user_and_slug(url)
    return f"{base}/api/articles/{post[0]}/{post[1]}" if base and post else None


def feed_url(url: str) -> str | None:
    """The author's RSS feed (`https://dev.to/feed/<user>`), which holds recent posts in full."""
    base, post = origin(url), _user_and_slug(url)
    return f"{base}/feed/{post[0]}" if base and post else None


def post_from_api(body: bytes | str, url: str) -> Article:
    """An `/api/articles/...` answer: body_markdown read as Markdown, else body_html."""
    data = load_json(body, "a dev.to API answer")
    if not isinstance(data, dict):
        raise PlatformError("not a dev.to article (the API answered with a list)")
    if "error" in data and "title" not in data:
        raise PlatformError(f"dev.to API error: {text_of(data.get('error')) or data.get('status')}")
    if "title" not in data or not any(k in data for k in ("body_markdown", "body_html")):
        raise PlatformError("not a dev.to article (no title or body)")
    title = text_of(data.get("title"))
    markdown = data.get("body_markdown")
    blocks = []
    if isinstance(markdown, str) and markdown.strip():
        front, blocks = parse_markdown(markdown)
        title = title or inline(front.get("title", ""))
    if not blocks and isinstance(data.get("body_html"), str):
        blocks = fragment_blocks(data["body_html"], url)
    author = text_of(get(data, "user", "name")) or text_of(get(data, "user", "username"))
    published = iso_date(
        data.get("published_at") or data.get("published_timestamp") or data.get("created_at")
    )
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=published,
        blocks=drop_title(blocks, title),
    )


def post_from_html(body: bytes | str, url: str) -> Article:
    """A dev.to post page: `#article-body`, the page's meta for title, author and date."""
    doc = parse_document(body, "the dev.to page")
    meta = page_metadata(doc)
    nodes = doc.xpath(".//*[@id='article-body']")
    if not nodes:
        return generic_article(body, url, PLATFORM)
    title = re.sub(r"\s+-\s+DEV Community.*$", "", meta["title"])
    author = meta["author"]
    if not author:
        found = doc.xpath(".//*[contains(@class,'crayons-article__header')]//a[contains(@class,'fw-bold')]")
        author = found[0].text_content().strip() if found else ""
    published = meta["published"]
    if not published:
        times = doc.xpath(".//time[@datetime]")
        published = iso_date(times[0].get("datetime")) if times else ""
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=published,
        blocks=drop_title(blocks_of(nodes[0]), title),
    )
