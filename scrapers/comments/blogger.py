"""Blogger comments: the post's comment feed, `https://<blog>/feeds/<postId>/comments/default?alt=json`
(GData JSON; the Atom form of the same feed, and a Blogger export's comment entries, read too)."""

from __future__ import annotations

import re
from typing import Any

from scrapers.comments._util import first_group, html_text, json_answer, millis_time, origin, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms._common import get, text_of, to_text
from scrapers.platforms.blogger import gdata_text, strip_jsonp
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.feeds import local, parse_xml, text

PLATFORM = "blogger"
MAX_RESULTS = 500
_ENTRY_ID = re.compile(r"blog-(\d+)\.post-(\d+)")
_ID_PATTERNS = (
    re.compile(r"/feeds/(\d{6,})/comments/default"),
    re.compile(r"""data-post-id=["'](\d{6,})"""),
    re.compile(r"""['"]postId['"]\s*:\s*['"]?(\d{6,})"""),
    re.compile(r"""itemprop=["']postId["'][^>]*content=["'](\d{6,})"""),
)
_MARKERS = ("www.blogger.com/static", "_WidgetManager", "blogger.com/feeds", "content='blogger'")
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,})")


def is_blogger_page(page: bytes | str) -> bool:
    head = to_text(page[:400_000])
    return any(marker in head for marker in _MARKERS)


def post_id(page: bytes | str, kind: str) -> str | None:
    """The Blogger post id from the kept post: its feed entry (`blogger_feed`) or its page."""
    body = to_text(page)
    if kind == "blogger_feed":
        match = _ENTRY_ID.search(body)
        return match.group(2) if match else None
    return first_group(_ID_PATTERNS, body)


def comments_url(post_url: str, post_id: str) -> str | None:
    """`https://<blog host>/feeds/<postId>/comments/default?alt=json&max-results=500`."""
    base = origin(post_url)
    if not base or not post_id or not post_id.isdigit():
        return None
    return f"{base}/feeds/{post_id}/comments/default?alt=json&max-results={MAX_RESULTS}"


def parse_comments(body: bytes | str, url: str) -> Listing:
    """A Blogger comment feed: GData JSON (`alt=json`, also as JSONP) or Atom XML."""
    raw = strip_jsonp(to_text(body).lstrip())
    if raw[:1] in ("{", "["):
        return _from_json(json_answer(raw, "a Blogger comment feed"))
    try:
        root = parse_xml(raw, "the Blogger comment feed")
    except PlatformError as exc:
        raise CommentSourceError(str(exc)) from None
    if local(root) not in ("feed", "entry"):
        raise CommentSourceError("not a Blogger comment feed")
    entries = [root] if local(root) == "entry" else [e for e in root if local(e) == "entry"]
    comments = [c for c in map(_from_atom, entries) if c is not None]
    total = next((text(e) for e in root if local(e) == "totalresults"), "")
    complete = not (total.strip().isdigit() and int(total) > len(entries))
    return Listing(comments=comments, complete=complete, source="blogger_feed")


def _from_json(data: Any) -> Listing:
    if not isinstance(data, dict) or not isinstance(data.get("feed"), dict):
        raise CommentSourceError("not a Blogger comment feed (no feed)")
    feed = data["feed"]
    entries = feed.get("entry") or []
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        raise CommentSourceError("not a Blogger comment feed (no entries)")
    comments = []
    for entry in entries:
        if not isinstance(entry, dict) or _removed(entry.get("gd$extendedProperty")):
            continue
        match = _ENTRY_ID.search(gdata_text(entry.get("id")))
        if not match:
            continue
        links = [x for x in entry.get("link") or [] if isinstance(x, dict)]
        alternate = next((str(x.get("href") or "") for x in links if x.get("rel") == "alternate"), "")
        related = next((str(x.get("href") or "") for x in links if x.get("rel") == "related"), "")
        author = get(entry, "author", 0, default={})
        comments.append(
            _comment(
                match.group(2),
                alternate,
                gdata_text(get(author, "name")),
                gdata_text(get(author, "uri")),
                gdata_text(entry.get("published")),
                str(get(entry, "content", "$t", default="") or get(entry, "summary", "$t", default="")),
                related,
            )
        )
    total = gdata_text(feed.get("openSearch$totalResults"))
    complete = not (total.isdigit() and int(total) > len(entries))
    return Listing(comments=comments, complete=complete, source="blogger_feed")


def _removed(props: Any) -> bool:
    return isinstance(props, list) and any(
        isinstance(p, dict) and p.get("name") == "blogger.contentRemoved" for p in props
    )


def _from_atom(entry: Any) -> Comment | None:
    kinds = [c.get("term") or "" for c in entry if local(c) == "category"]
    if kinds and not any(k.endswith("#comment") for k in kinds):
        return None  # an export also holds posts, pages and settings
    match = _ENTRY_ID.search(text(next((c for c in entry if local(c) == "id"), None)))
    if not match:
        return None
    if any(local(c) == "extendedproperty" and c.get("name") == "blogger.contentRemoved" for c in entry):
        return None
    links = [c for c in entry if local(c) == "link"]
    alternate = next((x.get("href") or "" for x in links if x.get("rel") == "alternate"), "")
    related = next((x.get("href") or "" for x in links if x.get("rel") == "related"), "")
    author = next((c for c in entry if local(c) == "author"), None)
    name = uri = ""
    if author is not None:
        name = text_of(text(next((c for c in author if local(c) == "name"), None)))
        uri = text_of(text(next((c for c in author if local(c) == "uri"), None)))
    published = text(next((c for c in entry if local(c) == "published"), None))
    content = next((c for c in entry if local(c) in ("content", "summary")), None)
    return _comment(match.group(2), alternate, name, uri, published, text(content), related)


def _comment(cid: str, link: str, name: str, uri: str, published: str, html: str, related: str) -> Comment:
    parent = re.search(r"/comments/default/(\d+)$", related or "")
    posted = utc_time(published)
    if not posted:
        shown = _SHOW_COMMENT.search(link)
        posted = millis_time(shown.group(1)) if shown else ""
    return Comment(
        platform=PLATFORM,
        id=cid,
        url=link,
        author=name if name not in ("Anonymous", "Anonym") else "",
        author_url=uri,
        posted_at=posted,
        text=html_text(html),
        parent=parent.group(1) if parent else "",
        anchors=(f"c{cid}",),
    )
