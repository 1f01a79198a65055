"""WordPress comments: the REST API (`/wp-json/wp/v2/comments?post=<id>`, and WordPress.com's public
API for `*.wordpress.com` sites), with the post id read from the kept post (REST answer or page)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.comments._util import first_group, host_of, html_text, json_answer, origin, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms import wordpress as wp_posts
from scrapers.platforms._common import get, same_post_path, text_of, to_text

PLATFORM = "wordpress"
WPCOM_API = "https://public-api.wordpress.com"
PER_PAGE = 100
_ID_PATTERNS = (
    re.compile(r"""name=["']comment_post_ID["'][^>]*value=["'](\d+)""", re.I),
    re.compile(r"""value=["'](\d+)["'][^>]*name=["']comment_post_ID["']""", re.I),
    re.compile(r"""<link[^>]+rel=["']shortlink["'][^>]+href=["'][^"']*[?&]p=(\d+)""", re.I),
    re.compile(r"""/wp-json/wp/v2/posts/(\d+)"""),
    re.compile(r"""<body[^>]+class=["'][^"']*\bpostid-(\d+)""", re.I),
    re.compile(r"""data-postid=["'](\d+)""", re.I),
    re.compile(r"""<article[^>]+id=["']post-(\d+)""", re.I),
    re.compile(r"""\bid=["']post-(\d+)["']""", re.I),
)
_API_LINK = re.compile(r"""<link[^>]+rel=["']https://api\.w\.org/["'][^>]+href=["']([^"']+)["']""", re.I)
_MARKERS = ("/wp-content/", "api.w.org", "comment_post_ID", "wp-includes", 'content="WordPress')


def is_wordpress_page(page: bytes | str) -> bool:
    """Whether a page was made by WordPress (self-hosted or WordPress.com)."""
    head = to_text(page[:400_000])
    return any(marker in head for marker in _MARKERS)


def post_id(page: bytes | str, kind: str, post_url: str) -> str | None:
    """The WordPress post id from the kept post: its REST answer (`wordpress_api`) or its page."""
    if kind == "wordpress_api":
        try:
            data = json_answer(page, "a WordPress REST answer")
        except CommentSourceError:
            return None
        items = data if isinstance(data, list) else data.get("posts") if isinstance(data, dict) else None
        if isinstance(items, list):
            chosen = next(
                (
                    p
                    for p in items
                    if isinstance(p, dict) and same_post_path(str(p.get("link") or ""), post_url)
                ),
                items[0] if items and isinstance(items[0], dict) else None,
            )
        else:
            chosen = data if isinstance(data, dict) else None
        value = (chosen or {}).get("id", (chosen or {}).get("ID"))
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    return first_group(_ID_PATTERNS, to_text(page))


def api_root(page: bytes | str, post_url: str) -> str:
    """The REST root the page announces (`<link rel="https://api.w.org/">`) when it is on the post's
    own host, else the one the post's permalink implies (`https://site[/folder]/wp-json`)."""
    match = _API_LINK.search(to_text(page[:400_000]))
    if match and host_of(match.group(1)) == host_of(post_url):
        scheme = urlsplit(post_url).scheme or "https"
        root = match.group(1).rstrip("/")
        return f"{scheme}://{root.split('://', 1)[1]}" if "://" in root else root
    implied = wp_posts.api_url(post_url) or ""
    if "/wp/v2/" in implied:
        return implied.split("/wp/v2/", 1)[0]
    base = origin(post_url)
    return f"{base}/wp-json" if base else ""


def comments_url(post_url: str, post_id: str, root: str = "", wpcom_api: str = WPCOM_API) -> str | None:
    """The REST query for a post's comments: `*.wordpress.com` through WordPress.com's public API
    (`/wp/v2/sites/<host>/comments?post=<id>`), any other site at its own `/wp-json`."""
    if not post_id or not post_id.isdigit():
        return None
    host = host_of(post_url)
    query = f"comments?post={post_id}&per_page={PER_PAGE}&orderby=date_gmt&order=asc"
    if host.endswith(".wordpress.com"):
        return f"{wpcom_api.rstrip('/')}/wp/v2/sites/{host}/{query}"
    root = root or (origin(post_url) + "/wp-json" if origin(post_url) else "")
    return f"{root.rstrip('/')}/wp/v2/{query}" if root else None


def parse_comments(body: bytes | str, url: str) -> Listing:
    """A WordPress REST answer: a wp/v2 comment list (or one comment), or WordPress.com v1.1
    `{"found": N, "comments": [...]}`."""
    data = json_answer(body, "a WordPress comments answer")
    error = wp_posts.rest_error(data)
    if error:
        raise CommentSourceError(error)
    if isinstance(data, dict) and isinstance(data.get("comments"), list):
        items = [c for c in data["comments"] if isinstance(c, dict)]
        found = data.get("found")
        comments = [c for c in map(_from_v11, items) if c is not None]
        complete = not (isinstance(found, int) and found > len(items))
        return Listing(comments=comments, complete=complete, source="wordpress_api")
    if isinstance(data, dict) and "author_name" in data:
        data = [data]
    if not isinstance(data, list):
        raise CommentSourceError("not a WordPress comments answer")
    items = [c for c in data if isinstance(c, dict)]
    comments = [c for c in map(_from_v2, items) if c is not None]
    return Listing(comments=comments, complete=len(items) < PER_PAGE, source="wordpress_api")


def _from_v2(item: dict[str, Any]) -> Comment | None:
    if item.get("status", "approved") not in ("approved", "publish") or item.get("type", "comment") not in (
        "comment",
        "",
    ):
        return None
    cid = item.get("id")
    if not isinstance(cid, int):
        return None
    posted = utc_time(wp_posts.gmt_time(item.get("date_gmt")))
    parent = item.get("parent")
    return Comment(
        platform=PLATFORM,
        id=str(cid),
        url=text_of(item.get("link")),
        author=text_of(item.get("author_name")),
        author_url=text_of(item.get("author_url")),
        author_id=str(item["author"]) if isinstance(item.get("author"), int) and item["author"] else "",
        posted_at=posted or utc_time(item.get("date")),
        text=html_text(get(item, "content", "rendered", default="")),
        parent=str(parent) if isinstance(parent, int) and parent else "",
        anchors=(f"comment-{cid}", f"div-comment-{cid}"),
    )


def _from_v11(item: dict[str, Any]) -> Comment | None:
    if item.get("status", "approved") != "approved" or item.get("type", "comment") != "comment":
        return None
    cid = item.get("ID")
    if not isinstance(cid, int):
        return None
    author = item.get("author") if isinstance(item.get("author"), dict) else {}
    parent = item.get("parent")
    parent_id = get(parent, "ID") if isinstance(parent, dict) else None
    return Comment(
        platform=PLATFORM,
        id=str(cid),
        url=text_of(item.get("URL")),
        author=text_of(author.get("name")),
        handle=text_of(author.get("login")) or text_of(author.get("nice_name")),
        author_url=text_of(author.get("URL")),
        author_id=str(author["ID"]) if isinstance(author.get("ID"), int) and author["ID"] else "",
        posted_at=utc_time(item.get("date")),
        text=html_text(item["content"] if isinstance(item.get("content"), str) else ""),
        parent=str(parent_id) if parent_id else "",
        anchors=(f"comment-{cid}", f"div-comment-{cid}"),
    )
