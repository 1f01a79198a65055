"""Medium responses. Medium has no comment API: a response is itself a story (its `?format=json` says
which post it answers, `inResponseToPostId`), and it appears as an item of its writer's public feed
(`https://medium.com/feed/@handle`), which does not say which post it answers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers.comments._util import html_text, json_answer, millis_time, origin, utc_time
from scrapers.comments.model import Comment, CommentSourceError, Listing
from scrapers.platforms import medium as medium_posts
from scrapers.platforms._common import get, text_of, to_text
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.feeds import parse_feed
from scrapers.urls import medium_post_id

PLATFORM = "medium"
_HANDLE = re.compile(r"^@([A-Za-z0-9_.-]{1,60})$")
_IN_RESPONSE = re.compile(r'"inResponseToPostId"\s*:\s*"([0-9a-f]{8,12})"')
_IN_RESPONSE_REF = re.compile(r'"inResponseToPostResult"\s*:\s*\{\s*"__ref"\s*:\s*"Post:([0-9a-f]{8,12})"')


def story_id(url: str) -> str:
    """The Medium story id of a link ("" when it names no story)."""
    try:
        return medium_post_id(urlsplit(url or "").path or "") or ""
    except ValueError:
        return ""


def handle_of(url: str) -> str:
    """The `@handle` of a Medium link (`medium.com/@ana/...`, `ana.medium.com/...`), without the `@`."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    first = next((s for s in (parts.path or "").split("/") if s), "")
    match = _HANDLE.match(first)
    if match:
        return match.group(1)
    host = (parts.hostname or "").lower()
    if host.endswith(".medium.com") and host.count(".") == 2 and not host.startswith(("www.", "m.")):
        return host.split(".", 1)[0]
    return ""


def feed_url(url: str, handle: str = "") -> str | None:
    """The public feed of the writer of a Medium link (or of `handle` on that link's site):
    `https://medium.com/feed/@handle`, `https://handle.medium.com/feed`."""
    base = origin(url)
    handle = handle or handle_of(url)
    if not base or not handle:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".medium.com") and host.split(".", 1)[0] == handle.lower():
        return f"{base}/feed"
    return f"{base}/feed/@{handle}"


def json_url(url: str) -> str:
    return medium_posts.json_url(url)


def parse_response_json(body: bytes | str, url: str) -> Listing:
    """A story's `?format=json` as one Comment: its writer, date, text, and the post it answers
    (`in_reply_to`, "" when the story is not a response)."""
    raw = to_text(body).lstrip().removeprefix(medium_posts.XSSI_PREFIX)
    if raw[:1] == "<":
        if medium_posts.is_challenge_page(raw, 200):
            raise CommentSourceError("Medium answered with a challenge page (a bot check)")
        raise CommentSourceError("Medium answered with a web page, not the story's JSON")
    data = json_answer(raw, "Medium's story JSON")
    if not isinstance(data, dict) or not isinstance(get(data, "payload", "value"), dict):
        if isinstance(data, dict) and data.get("success") is False:
            raise CommentSourceError(f"Medium refused the story: {text_of(data.get('error')) or 'no reason'}")
        raise CommentSourceError("not Medium's story JSON (no payload.value)")
    value = data["payload"]["value"]
    creator = medium_posts.story_creator(data, value)
    paragraphs = get(value, "content", "bodyModel", "paragraphs", default=[])
    blocks = medium_posts.paragraph_blocks([p for p in paragraphs if isinstance(p, dict)])
    sid = text_of(value.get("id")) or story_id(url)
    handle = text_of(creator.get("username"))
    link = text_of(value.get("mediumUrl")) or url.split("?", 1)[0]
    return Listing(
        comments=[
            Comment(
                platform=PLATFORM,
                id=sid,
                url=link,
                author=text_of(creator.get("name")),
                handle=handle,
                author_url=f"{origin(url)}/@{handle}" if handle and origin(url) else "",
                posted_at=millis_time(value.get("firstPublishedAt")),
                text="\n\n".join(b.text for b in blocks),
                in_reply_to=text_of(value.get("inResponseToPostId")),
            )
        ],
        source="medium_json",
    )


def parse_response_page(body: bytes | str, url: str) -> Listing:
    """A story page as one Comment; the post it answers is read from its embedded state when present."""
    try:
        article = medium_posts.story_from_html(body, url)
    except PlatformError as exc:
        raise CommentSourceError(str(exc)) from None
    raw = to_text(body)
    parent = _IN_RESPONSE.search(raw) or _IN_RESPONSE_REF.search(raw)
    return Listing(
        comments=[
            Comment(
                platform=PLATFORM,
                id=story_id(url),
                url=url.split("?", 1)[0].split("#", 1)[0],
                author=article.author,
                handle=handle_of(url),
                posted_at=utc_time(article.published),
                text=article.plain_text,
                in_reply_to=parent.group(1) if parent else "",
            )
        ],
        source="medium_html",
    )


def parse_feed_items(body: bytes | str, url: str) -> Listing:
    """A writer's feed as Comments (stories and responses alike; `in_reply_to` is unknown)."""
    try:
        feed = parse_feed(body, "the Medium feed")
    except PlatformError as exc:
        raise CommentSourceError(str(exc)) from None
    handle = handle_of(url) or handle_of(url.replace("/feed/", "/"))
    comments = []
    for entry in feed.entries:
        sid = next((story_id(v) for v in (*entry.ids, *entry.links) if story_id(v)), "")
        if not sid:
            continue
        link = next((v for v in entry.links if story_id(v) == sid), entry.links[0] if entry.links else "")
        comments.append(
            Comment(
                platform=PLATFORM,
                id=sid,
                url=link.split("?", 1)[0],
                author=entry.author or feed.author,
                handle=handle,
                posted_at=utc_time(entry.published),
                text=html_text(entry.html),
            )
        )
    return Listing(comments=comments, complete=False, source="medium_feed")
