"""Small helpers shared by the comment parsers: HTML to text, dates, URL bits, JSON."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.comments.model import CommentSourceError
from scrapers.platforms._common import clean_space, iso_date, load_json, origin, utc_from_millis
from scrapers.platforms._html import blocks_of, parse_fragment
from scrapers.platforms.errors import PlatformError

__all__ = ["clean_space", "html_text", "json_answer", "origin", "page_url", "utc_time"]

_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
_COMMENT_QUERY = {"showcomment", "replytocom", "commentid", "comment_id", "responsesopen"}


def html_text(fragment: str | None) -> str:
    """An HTML fragment (a comment body) as plain text, paragraphs separated by blank lines."""
    if not fragment or not fragment.strip():
        return ""
    return element_text(parse_fragment(fragment))


def element_text(el: Any) -> str:
    """The text of an lxml element, one block per paragraph."""
    blocks = blocks_of(el)
    text = "\n\n".join(b.text for b in blocks if b.text.strip())
    return text or clean_space(el.text_content())


def utc_time(value: Any) -> str:
    """A timestamp as ISO 8601 in UTC when it carries an offset, as written otherwise ("" if unreadable)."""
    text = iso_date(value)
    if not text:
        return ""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def millis_time(value: Any) -> str:
    """Epoch milliseconds as ISO 8601 UTC ("" when not a plausible time)."""
    try:
        stamp = utc_from_millis(int(str(value)))
    except (TypeError, ValueError):
        return ""
    return stamp.replace(microsecond=0).isoformat() if stamp else ""


def first_group(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    """The first group of the first pattern that matches `text`, None when none does."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def json_answer(body: bytes | str, what: str) -> Any:
    """Parse a JSON answer; CommentSourceError naming what was expected."""
    try:
        return load_json(body, what)
    except PlatformError as exc:
        raise CommentSourceError(str(exc)) from None


def page_url(url: str) -> str:
    """The page a comment link is on: fragment, comment paging and comment query parameters dropped.

    `https://site/2016/post/comment-page-1/#comment-5` -> `https://site/2016/post/`;
    `https://x.blogspot.com/2017/05/p.html?showComment=1494#c56` -> `https://x.blogspot.com/2017/05/p.html`.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return url or ""
    path = _COMMENT_PAGE.sub("/", parts.path or "")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _COMMENT_QUERY
    ]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def fragment_of(url: str) -> str:
    """The fragment of a link ("" when none)."""
    return (url or "").split("#", 1)[1].strip() if "#" in (url or "") else ""


def host_of(url: str) -> str:
    """The host of a link, lower case, without `www.` ("" for a bad link)."""
    try:
        host = (urlsplit(url if "://" in (url or "") else f"https://{url}").hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def path_key(url: str) -> str:
    """The path of a link for comparing pages: comment paging and the trailing slash dropped, lower case."""
    try:
        path = urlsplit(page_url(url)).path or "/"
    except ValueError:
        return ""
    return path.rstrip("/").lower() or "/"
