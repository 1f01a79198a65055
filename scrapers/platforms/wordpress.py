"""WordPress posts (self-hosted and *.wordpress.com): the REST API first, the page second.

`api_url` turns a pretty permalink into the REST query for its slug; `post_from_api` reads the
answer (the wp/v2 list or single post, or WordPress.com's v1.1 `posts` shape); `post_from_html`
reads the post page itself: its `.entry-content` (or a theme's equivalent) and WordPress's meta.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from scrapers.article import Article
from scrapers.platforms._common import clean_space, get, iso_date, load_json, origin, same_post_path, text_of
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

PLATFORM = "wordpress"
# Where themes put the post body, most specific first.
CONTENT_CLASSES = (
    "entry-content", "wp-block-post-content", "post-content", "entrytext", "entry-body", "post-entry",
    "single-content", "article-content", "storycontent", "post-body", "the-content",
)  # fmt: skip
_DATED = re.compile(r"^(?P<base>(?:/[^/]+)*?)/(?:19|20)\d{2}/[01]\d(?:/[0-3]\d)?/(?P<slug>[^/]+)/?$")
_TAGS = re.compile(r"<[^>]+>")
_GMT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def api_url(url: str) -> str | None:
    """The REST query for the post a permalink names, or None when the link names no post.

    `https://site/yyyy/mm/dd/slug/` -> `https://site/wp-json/wp/v2/posts?slug=slug&_embed=author`
    (a WordPress installed under a folder, `https://site/blog/2019/08/02/slug/`, is asked at
    `https://site/blog/wp-json/...`); `?p=123` -> `.../wp/v2/posts/123?_embed=author`;
    `*.wordpress.com` -> `https://public-api.wordpress.com/wp/v2/sites/<host>/posts?slug=...`.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    base = origin(url)
    if not base or not host:
        return None
    path = parts.path or "/"
    post_id = parse_qs(parts.query).get("p", [""])[0]
    if post_id.isdigit():
        if host.endswith(".wordpress.com"):
            return f"https://public-api.wordpress.com/wp/v2/sites/{host}/posts/{post_id}?_embed=author"
        return f"{base}/wp-json/wp/v2/posts/{post_id}?_embed=author"
    match = _DATED.match(path)
    if match:
        prefix, slug = match.group("base"), match.group("slug")
    else:
        segments = [s for s in path.split("/") if s]
        if not segments:
            return None
        prefix, slug = "", segments[-1]
    slug = re.sub(r"\.(?:html?|php)$", "", slug)
    if not slug or slug in ("wp-admin", "wp-json", "feed", "page", "category", "tag", "author"):
        return None
    query = f"posts?slug={quote(slug, safe='')}&_embed=author"
    if host.endswith(".wordpress.com"):
        return f"https://public-api.wordpress.com/wp/v2/sites/{host}/{query}"
    return f"{base}{prefix}/wp-json/wp/v2/{query}"


def _plain(value: Any) -> str:
    """A rendered title: tags stripped, entities decoded."""
    if isinstance(value, dict):
        value = value.get("rendered")
    if not isinstance(value, str):
        return ""
    return clean_space(html.unescape(_TAGS.sub("", value)))


def _pick(posts: list[Any], url: str) -> dict[str, Any]:
    candidates = [p for p in posts if isinstance(p, dict)]
    if not candidates:
        raise PlatformError("the WordPress REST API found no post at this address (wrong slug, or a page)")
    for post in candidates:
        if same_post_path(str(post.get("link") or post.get("URL") or ""), url):
            return post
    return candidates[0]


def rest_error(data: Any) -> str:
    """What a WordPress REST error answer (`{"code": ..., "message": ...}`) says, "" for any other."""
    if isinstance(data, dict) and "code" in data and "message" in data and "content" not in data:
        return f"WordPress REST API error: {text_of(data.get('message')) or data.get('code')}"
    return ""


def gmt_time(value: Any) -> str:
    """A REST `date_gmt` (UTC, written without an offset) as ISO 8601 with one; "" in any other form."""
    gmt = text_of(value)
    return f"{gmt}+00:00" if _GMT.match(gmt) else ""


def post_from_api(body: bytes | str, url: str) -> Article:
    """A WordPress REST answer: a wp/v2 list (`?slug=`) or single post, or WordPress.com v1.1."""
    data = load_json(body, "a WordPress REST answer")
    error = rest_error(data)
    if error:
        raise PlatformError(error)
    if isinstance(data, list):
        post = _pick(data, url)
    elif isinstance(data, dict) and isinstance(data.get("posts"), list):
        post = _pick(data["posts"], url)
    elif isinstance(data, dict):
        post = data
    else:
        raise PlatformError("not a WordPress REST answer")
    content = post.get("content")
    if isinstance(content, dict):
        body_html = content.get("rendered")
        protected = content.get("protected") is True
    else:
        body_html, protected = content, False
    if not isinstance(body_html, str) or ("title" not in post and "slug" not in post):
        raise PlatformError("not a WordPress REST answer (no title or content)")
    if protected and not body_html.strip():
        raise PlatformError("the WordPress post is password-protected")
    title = _plain(post.get("title"))
    author = text_of(get(post, "_embedded", "author", 0, "name"))
    if not author and isinstance(post.get("author"), dict):
        author = text_of(post["author"].get("name"))  # WordPress.com v1.1
    published = gmt_time(post.get("date_gmt")) or iso_date(post.get("date"))
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=published,
        blocks=drop_title(fragment_blocks(body_html, url), title),
    )


def post_from_html(body: bytes | str, url: str) -> Article:
    """A WordPress post page: the theme's content element, WordPress meta, the byline."""
    doc = parse_document(body, "the WordPress page")
    meta = page_metadata(doc)
    title = meta["title"]
    if not title or title == clean_space(doc.findtext(".//title") or ""):
        heading = find_first(doc, "entry-title", "post-title")
        title = clean_space(heading.text_content()) if heading is not None else title
    author = byline(doc) or meta["author"]
    published = meta["published"] or published_time(doc)
    return themed_article(doc, body, url, PLATFORM, CONTENT_CLASSES, title, author, published)
