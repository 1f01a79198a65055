"""Posts written inside Canvas: a discussion topic or entry (JSON), a wiki page, or message HTML.

The Canvas API needs the course's token, so these steps are for the fetcher's Canvas session
(kind "canvas_api" in `plan`); the parsing here is plain.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.article import Article
from scrapers.platforms._common import check_size, get, iso_date, load_json, origin, text_of, to_text
from scrapers.platforms._html import drop_title, fragment_blocks
from scrapers.platforms.errors import PlatformError

PLATFORM = "canvas"
TOPIC_PATH = re.compile(r"^/(?P<scope>courses|groups)/(?P<owner>\d+)/discussion_topics/(?P<topic>\d+)")
_PAGE = re.compile(r"^/courses/(?P<course>\d+)/pages/(?P<page>[^/]+)")
ENTRY_LINK = re.compile(r"(?:#entry[-_]|/entries/|[?&]entry_id=)(?P<id>\d+)")


def api_url(url: str) -> str | None:
    """The API address of a discussion topic (its full `/view` when the link names an entry) or a
    wiki page; None for other Canvas links."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    base = origin(url)
    topic = TOPIC_PATH.match(parts.path or "")
    if base and topic:
        path = (
            f"/api/v1/{topic.group('scope')}/{topic.group('owner')}/discussion_topics/{topic.group('topic')}"
        )
        return f"{base}{path}/view" if ENTRY_LINK.search(url) else f"{base}{path}"
    page = _PAGE.match(parts.path or "")
    if base and page:
        return f"{base}/api/v1/courses/{page.group('course')}/pages/{page.group('page')}"
    return None


def article_from_discussion(body: bytes | str, url: str) -> Article:
    """A Canvas discussion topic, entry (or entry list / full `/view`), wiki page, or bare message
    HTML, as an Article. PlatformError when the entry is missing, deleted or locked."""
    check_size(body, "the Canvas answer")
    text = to_text(body).strip()
    if not text:
        raise PlatformError("empty answer where a Canvas discussion was expected")
    if text[0] not in "[{":
        return Article(source=url, platform=PLATFORM, blocks=fragment_blocks(text, url))
    data = load_json(text, "a Canvas discussion")
    entry = entry_of(url)
    entry_id = int(entry) if entry else None
    names: dict[Any, str] = {}
    if isinstance(data, dict) and isinstance(data.get("view"), list):
        for person in data.get("participants") or []:
            if isinstance(person, dict):
                names[person.get("id")] = text_of(person.get("display_name"))
        item = _pick(_flatten(data["view"]), entry_id)
    elif isinstance(data, list):
        item = _pick(_flatten(data), entry_id)
    elif isinstance(data, dict):
        item = data
    else:
        raise PlatformError("not a Canvas discussion")
    if item.get("deleted") is True or item.get("deleted_at"):
        raise PlatformError("the Canvas discussion entry was deleted")
    message = item.get("message", item.get("body"))
    if not isinstance(message, str):
        if item.get("locked_for_user") is True:
            reason = text_of(item.get("lock_explanation")) or "it is locked for this user"
            raise PlatformError(f"the Canvas discussion is not readable: {reason}")
        raise PlatformError("not a Canvas discussion (no message)")
    title = text_of(item.get("title"))
    author = (
        text_of(item.get("user_name"))
        or text_of(get(item, "author", "display_name"))
        or names.get(item.get("user_id"), "")
    )
    published = iso_date(item.get("posted_at") or item.get("created_at") or item.get("updated_at"))
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=published,
        blocks=drop_title(fragment_blocks(message, url), title),
    )


def entry_of(link: str) -> str:
    """The entry a Canvas link names (`#entry-12`, `/entries/12`, `?entry_id=12`), "" for the topic."""
    match = ENTRY_LINK.search(link or "")
    return match.group("id") if match else ""


def _flatten(entries: list[Any]) -> list[dict[str, Any]]:
    """Entries and their nested replies, in order."""
    out: list[dict[str, Any]] = []
    stack = list(reversed(entries))
    while stack and len(out) < 100_000:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        out.append(item)
        replies = item.get("replies")
        if isinstance(replies, list):
            stack.extend(reversed(replies))
    return out


def _pick(entries: list[dict[str, Any]], entry_id: int | None) -> dict[str, Any]:
    if entry_id is not None:
        for entry in entries:
            if entry.get("id") == entry_id or str(entry.get("id")) == str(entry_id):
                return entry
        raise PlatformError(f"entry {entry_id} is not in the Canvas discussion")
    if len(entries) == 1:
        return entries[0]
    if not entries:
        raise PlatformError("the Canvas discussion has no entries")
    raise PlatformError("the link names no entry of this Canvas discussion (it has several)")
