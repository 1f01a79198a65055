"""Canvas discussion replies: the topic's full view, `/api/v1/courses/:c/discussion_topics/:t/view`
(entries nested with `replies`, authors in `participants`). It needs the course's token, which the
caller sends to the course's own Canvas host only."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.comments._util import html_text, json_answer, origin, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms._common import text_of
from scrapers.platforms.canvas import TOPIC_PATH, entry_of

PLATFORM = "canvas"
_API_TOPIC = re.compile(r"/api/v1/(?P<scope>courses|groups)/(?P<owner>\d+)/discussion_topics/(?P<topic>\d+)")


def view_url(post_url: str) -> str | None:
    """The full view of the discussion topic a Canvas link names; None for other links."""
    try:
        parts = urlsplit(post_url)
    except ValueError:
        return None
    match = TOPIC_PATH.match(parts.path or "")
    base = origin(post_url)
    if not match or not base:
        return None
    return f"{base}/api/v1/{match['scope']}/{match['owner']}/discussion_topics/{match['topic']}/view"


def parser_for(post_url: str):  # type: ignore[no-untyped-def]
    """The parser of a topic's view for a post: replies to the post's entry when the post is one entry
    of a topic (`#entry-12`), every entry when the post is the topic itself."""
    entry = entry_of(post_url)
    return lambda body, url: parse_view(body, url, entry)


def parse_view(body: bytes | str, url: str, under_entry: str = "") -> Listing:
    """A topic's `/view`: every entry and reply (deleted ones left out), or only those below one entry."""
    data = json_answer(body, "a Canvas discussion view")
    if not isinstance(data, dict) or not isinstance(data.get("view"), list):
        if isinstance(data, dict) and data.get("errors"):
            raise CommentSourceError(f"Canvas refused the discussion: {str(data['errors'])[:160]}")
        raise CommentSourceError("not a Canvas discussion view (no 'view')")
    names: dict[str, str] = {}
    for person in data.get("participants") or []:
        if isinstance(person, dict) and person.get("id") is not None:
            names[str(person["id"])] = text_of(person.get("display_name"))
    api = _API_TOPIC.search(url or "")
    page = f"{origin(url)}/{api['scope']}/{api['owner']}/discussion_topics/{api['topic']}" if api else ""
    comments: list[Comment] = []
    stack: list[tuple[Any, str, bool]] = [(e, "", not under_entry) for e in reversed(data["view"])]
    while stack and len(comments) < 100_000:
        item, parent, wanted = stack.pop()
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        eid = str(item["id"])
        replies = item.get("replies") if isinstance(item.get("replies"), list) else []
        below = wanted or eid == under_entry
        stack.extend((r, eid, below) for r in reversed(replies))
        if not wanted or item.get("deleted") is True or item.get("deleted_at"):
            continue
        message = item.get("message")
        user = str(item.get("user_id")) if item.get("user_id") is not None else ""
        comments.append(
            Comment(
                platform=PLATFORM,
                id=eid,
                url=f"{page}#entry-{eid}" if page else "",
                author=text_of(item.get("user_name")) or names.get(user, ""),
                author_id=user,
                posted_at=utc_time(item.get("created_at") or item.get("updated_at")),
                text=html_text(message if isinstance(message, str) else ""),
                parent=str(item["parent_id"]) if item.get("parent_id") is not None else parent,
                anchors=(f"entry-{eid}", f"entry_{eid}"),
            )
        )
    return Listing(comments=comments, source="canvas_view")
