"""dev.to comments: the public API, `/api/comments?a_id=<article id>` (threads with `children`), and
`/api/comments/<id_code>` for one comment link (`https://dev.to/<user>/comment/<id_code>`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.comments._util import first_group, html_text, json_answer, origin, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms._common import text_of, to_text

PLATFORM = "devto"
_ARTICLE_ID = (
    re.compile(r"""data-article-id=["'](\d+)"""),
    re.compile(r"""["']article_id["']\s*:\s*(\d+)"""),
)
_COMMENT_PATH = re.compile(r"^/[^/]+/comment/(?P<code>[a-z0-9]+)/?$", re.I)


def article_id(page: bytes | str, kind: str) -> str | None:
    """The article id from the kept post: its API answer (`devto_api`) or its page."""
    if kind == "devto_api":
        try:
            data = json_answer(page, "a dev.to article")
        except CommentSourceError:
            return None
        value = data.get("id") if isinstance(data, dict) else None
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    return first_group(_ARTICLE_ID, to_text(page))


def comments_url(post_url: str, article_id: str) -> str | None:
    base = origin(post_url)
    if not base or not article_id or not article_id.isdigit():
        return None
    return f"{base}/api/comments?a_id={article_id}"


def comment_api_url(link: str) -> str | None:
    """`https://dev.to/<user>/comment/<code>` -> `https://dev.to/api/comments/<code>`."""
    try:
        match = _COMMENT_PATH.match(urlsplit(link).path or "")
    except ValueError:
        return None
    base = origin(link)
    return f"{base}/api/comments/{match.group('code')}" if match and base else None


def parse_comments(body: bytes | str, url: str) -> Listing:
    """`/api/comments?a_id=` (a list of threads) or `/api/comments/<code>` (one thread)."""
    data = json_answer(body, "a dev.to comments answer")
    if isinstance(data, dict) and "error" in data and "type_of" not in data:
        raise CommentSourceError(f"dev.to API error: {text_of(data.get('error')) or data.get('status')}")
    threads = [data] if isinstance(data, dict) else data
    if not isinstance(threads, list):
        raise CommentSourceError("not a dev.to comments answer")
    base = origin(url)
    comments: list[Comment] = []
    stack: list[tuple[Any, str]] = [(t, "") for t in reversed(threads)]
    while stack and len(comments) < 10_000:
        item, parent = stack.pop()
        if not isinstance(item, dict) or item.get("type_of", "comment") != "comment":
            continue
        code = text_of(item.get("id_code"))
        children = item.get("children") if isinstance(item.get("children"), list) else []
        stack.extend((child, code) for child in reversed(children))
        user = item.get("user") if isinstance(item.get("user"), dict) else {}
        username = text_of(user.get("username"))
        if not code or not username:  # deleted or hidden: no author, placeholder text
            continue
        comments.append(
            Comment(
                platform=PLATFORM,
                id=code,
                url=f"{base}/{username}/comment/{code}" if base else "",
                author=text_of(user.get("name")),
                handle=username,
                author_url=f"{base}/{username}" if base else "",
                posted_at=utc_time(item.get("created_at")),
                text=html_text(item["body_html"] if isinstance(item.get("body_html"), str) else ""),
                parent=parent,
                anchors=(f"comment-{code}", code),
            )
        )
    return Listing(comments=comments, source="devto_api")
