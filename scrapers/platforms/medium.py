"""Medium stories (medium.com, *.medium.com, custom-domain publications): parsing only.

Three ways to the same story, tried in this order by `scrapers.platforms.plan`:

1. the story page: its embedded Apollo state (`window.__APOLLO_STATE__`) holds the post, its
   paragraphs with their types and the author; older or stripped pages fall back to the <article>
   markup, and pages without one to the generic extractor;
2. `?format=json`: the same paragraphs behind the XSSI prefix `])}while(1);</x>`;
3. the author's (or publication's) RSS feed, which holds the ten latest stories in full.

A member-only story read without a membership yields its preview only: such an Article carries
the flag "member_only_partial".
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.article import Article, Block
from scrapers.platforms._common import (
    check_size,
    clean_space,
    get,
    iso_date,
    iso_from_millis,
    load_json,
    origin,
    text_of,
    to_text,
)
from scrapers.platforms._html import (
    blocks_of,
    drop_title,
    find_first,
    generic_article,
    page_metadata,
    parse_document,
)
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.feeds import FeedEntry, article_from_entry, parse_feed
from scrapers.urls import medium_post_id

PLATFORM = "medium"
XSSI_PREFIX = "])}while(1);</x>"
MEMBER_ONLY = "member_only_partial"

# Paragraph types of Medium's rich text; the JSON API numbers them, the Apollo state names them.
TYPE_NAMES = {
    1: "P", 2: "H2", 3: "H3", 4: "IMG", 5: "IMG", 6: "BQ", 7: "PQ", 8: "PRE", 9: "ULI", 10: "OLI",
    11: "IFRAME", 12: "SECTION", 13: "H4", 14: "MIXTAPE_EMBED", 15: "IMG",
}  # fmt: skip
# Medium's H3 is its large in-story heading and H4 the small one (the title is a level-1 heading).
HEADING_LEVELS = {"H1": 1, "H2": 1, "H3": 2, "H4": 3}
SKIPPED_TYPES = {"IMG", "IFRAME", "MIXTAPE_EMBED", "SECTION", "EMBED", "VIDEO", "SECTION_CAPTION"}

# Strong signs of a bot check instead of a page (Cloudflare, PerimeterX, DataDome, Imperva).
_CHALLENGE_STRONG = (
    b"cf_chl_opt", b"cf-browser-verification", b"<title>just a moment...</title>",
    b"<title>just a moment\xe2\x80\xa6</title>", b"attention required! | cloudflare",
    b"checking your browser before accessing", b"enable javascript and cookies to continue",
    b"captcha-delivery.com", b"px-captcha", b"_incapsula_resource", b"cf-challenge-running",
    b"challenge-error-text", b"verify you are human",
)  # fmt: skip
# Weaker signs that count only on an error status (403/429/503).
_CHALLENGE_WEAK = (b"cloudflare", b"captcha", b"challenge", b"cf-ray", b"access denied", b"bot")
_APOLLO = re.compile(r"window\.__APOLLO_STATE__\s*=\s*")
_READ_TIME = re.compile(r"^\d+\s+min read$|·", re.IGNORECASE)
_SHORT_DATE = re.compile(r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,8} \d{4})$")
_CHROME_WORDS = {"follow", "listen", "share", "member-only story", "·", "--", "sign up", "sign in"}
_CONTINUE = re.compile(r"^Continue reading on .{0,120}»?$", re.IGNORECASE)


def is_challenge_page(body: bytes | str, status: int = 200) -> bool:
    """Whether Medium (or its CDN) answered with a bot check instead of the story."""
    data = body.encode("utf-8", "replace") if isinstance(body, str) else bytes(body or b"")
    head = data[:300_000].lower()
    if b"__apollo_state__" in head and status < 400 and len(data) > 20_000:
        return False  # a real story page: the Cloudflare script it embeds is no challenge
    if any(marker in head for marker in _CHALLENGE_STRONG):
        return True
    return status in (403, 429, 503) and any(marker in head for marker in _CHALLENGE_WEAK)


# --- URLs -----------------------------------------------------------------------------------------


def json_url(url: str) -> str:
    """The story's `?format=json` address (same host and path, other query parameters dropped)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    base = origin(url)
    return f"{base}{parts.path or '/'}?format=json"


def feed_url(url: str) -> str | None:
    """The RSS feed that lists the story: the author's, the subdomain's or the publication's.

    `medium.com/@user/slug-id` -> `medium.com/feed/@user`; `user.medium.com/slug-id` ->
    `user.medium.com/feed`; `medium.com/publication/slug-id` -> `medium.com/feed/publication`;
    a custom domain -> its `/feed` (or `/feed/@user` for its `/@user/...` paths). None when the
    link names no story (no post id) or no feed (`medium.com/p/<id>`).
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    base = origin(url)
    if not base or medium_post_id(parts.path or "") is None:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in (parts.path or "").split("/") if s]
    first = segments[0] if len(segments) >= 2 else ""
    if first.startswith("@"):
        return f"{base}/feed/{first}"
    if host == "medium.com":
        if not first or first == "p":
            return None
        return f"{base}/feed/{first}"
    return f"{base}/feed"


# --- the story page -------------------------------------------------------------------------------


def story_from_html(body: bytes | str, url: str) -> Article:
    """A story page: the Apollo state when present, else the <article> markup, else generic."""
    check_size(body, "the Medium page")
    if is_challenge_page(body, 200):
        raise PlatformError("Medium answered with a challenge page (a bot check), not the story")
    text = to_text(body)
    state = _apollo_state(text)
    if state is not None:
        article = _story_from_apollo(state, url)
        if article is not None and (article.blocks or MEMBER_ONLY in article.flags):
            if not article.title or not article.author:
                meta = page_metadata(parse_document(text))
                article.title = article.title or meta["title"]
                article.author = article.author or meta["author"]
            return article
    doc = parse_document(text, "the Medium page")
    meta = page_metadata(doc)
    title = _clean_title(meta["title"])
    container = find_first(doc, "postArticle-content", tags=("article",))
    if container is None:
        nodes = doc.xpath(".//section[@data-field='body']")
        container = nodes[0] if nodes else None
    if container is None:
        article = generic_article(text, url, PLATFORM)
        if "member-only story" in text[:400_000].lower():
            article.flags = sorted({*article.flags, MEMBER_ONLY})
        return article
    # the badge sits in the story's header; "More from" lists elsewhere badge other stories
    flags = [MEMBER_ONLY] if "member-only story" in container.text_content().lower() else []
    blocks = _strip_chrome(blocks_of(container), title, meta["author"])
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=meta["author"],
        published=meta["published"],
        blocks=blocks,
        flags=flags,
    )


def _clean_title(title: str) -> str:
    """Drop the " | by Author | Medium" / " – Medium" decorations of a page title."""
    title = re.sub(r"\s+\|\s+by\s+.+?\s+\|\s+.+$", "", title)
    return re.sub(r"\s+[-–—|]\s+Medium$", "", title).strip()


def _strip_chrome(blocks: list[Block], title: str, author: str) -> list[Block]:
    """Drop the byline ("Name", "Aug 8, 2016", "7 min read", "Follow") around the title."""
    head, rest = blocks[:10], blocks[10:]
    kept = [b for b in head if not _is_chrome(b, author)]
    return drop_title(kept + rest, title)


def _is_chrome(block: Block, author: str) -> bool:
    if block.kind != "paragraph" or len(block.text.split()) > 8:
        return False
    text = block.text.strip()
    return (
        text.lower() in _CHROME_WORDS
        or (bool(author) and text == author)
        or bool(_READ_TIME.search(text))
        or bool(_SHORT_DATE.match(text))
    )


def _apollo_state(text: str) -> dict[str, Any] | None:
    match = _APOLLO.search(text)
    if match is None:
        return None
    start = text.find("{", match.end())
    if start < 0 or start - match.end() > 10:
        return None
    try:
        state, _ = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return state if isinstance(state, dict) else None


def _deref(state: dict[str, Any], value: Any) -> Any:
    """Follow an Apollo reference ({"__ref": id} or {"type": "id", "id": id})."""
    for _ in range(5):
        if not isinstance(value, dict):
            return value
        key = value.get("__ref")
        if key is None and value.get("type") == "id" and isinstance(value.get("id"), str):
            key = value["id"]
        if not isinstance(key, str):
            return value
        value = state.get(key)
    return value


def _content_of(state: dict[str, Any], post: dict[str, Any]) -> dict[str, Any]:
    for key, value in post.items():
        if key == "content" or key.startswith("content("):
            content = _deref(state, value)
            if isinstance(content, dict):
                return content
    return {}


def _paragraphs_of(state: dict[str, Any], content: dict[str, Any]) -> list[dict[str, Any]]:
    body = _deref(state, content.get("bodyModel"))
    if not isinstance(body, dict):
        return []
    items = body.get("paragraphs")
    if not isinstance(items, list):
        return []
    paragraphs = (_deref(state, item) for item in items)
    return [p for p in paragraphs if isinstance(p, dict)]


def _main_post(state: dict[str, Any], url: str) -> dict[str, Any] | None:
    root = state.get("ROOT_QUERY")
    if isinstance(root, dict):
        for key, value in root.items():
            if key.startswith("postResult("):
                post = _deref(state, value)
                if isinstance(post, dict) and post.get("__typename", "Post") == "Post":
                    return post
    post_id = medium_post_id(urlsplit(url).path) if url else None
    if post_id and isinstance(state.get(f"Post:{post_id}"), dict):
        return state[f"Post:{post_id}"]
    best, best_count = None, 0
    for key, value in state.items():
        if key.startswith("Post:") and isinstance(value, dict):
            count = len(_paragraphs_of(state, _content_of(state, value)))
            if count > best_count:
                best, best_count = value, count
    return best


def _story_from_apollo(state: dict[str, Any], url: str) -> Article | None:
    post = _main_post(state, url)
    if post is None:
        return None
    content = _content_of(state, post)
    title = text_of(post.get("title"))
    blocks = drop_title(paragraph_blocks(_paragraphs_of(state, content)), title)
    creator = _deref(state, post.get("creator"))
    author = text_of(creator.get("name")) if isinstance(creator, dict) else ""
    locked = content.get("isLockedPreviewOnly") is True or (
        post.get("isLocked") is True and content.get("isLockedPreviewOnly") is not False
    )
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=iso_from_millis(post.get("firstPublishedAt")),
        blocks=blocks,
        flags=[MEMBER_ONLY] if locked else [],
    )


def paragraph_blocks(paragraphs: list[dict[str, Any]]) -> list[Block]:
    """Medium paragraphs (Apollo or JSON) as Blocks; images, embeds and empty ones are skipped."""
    blocks: list[Block] = []
    for paragraph in paragraphs:
        kind = paragraph.get("type")
        name = TYPE_NAMES.get(kind, "P") if isinstance(kind, int) else str(kind or "P").upper()
        raw = paragraph.get("text")
        if name in SKIPPED_TYPES or not isinstance(raw, str):
            continue
        if name == "PRE":
            code = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")).strip("\n")
            if code.strip():
                blocks.append(Block("code", code))
            continue
        text = clean_space(raw.replace("\n", " "))
        if not text:
            continue
        if name in HEADING_LEVELS:
            blocks.append(Block("heading", text, HEADING_LEVELS[name]))
        elif name in ("ULI", "OLI"):
            blocks.append(Block("list_item", text, 1))
        elif name in ("BQ", "PQ"):
            blocks.append(Block("quote", text))
        else:
            blocks.append(Block("paragraph", text))
    return blocks


# --- ?format=json ---------------------------------------------------------------------------------


def story_from_json(body: bytes | str, url: str) -> Article:
    """A `?format=json` answer (with or without the `])}while(1);</x>` prefix)."""
    check_size(body, "Medium's JSON answer")
    text = to_text(body).lstrip().removeprefix(XSSI_PREFIX)
    if text[:1] == "<":
        if is_challenge_page(text, 200):
            raise PlatformError("Medium answered with a challenge page (a bot check), not the story")
        raise PlatformError("Medium answered with a web page, not the story's JSON")
    data = load_json(text, "Medium's story JSON")
    if not isinstance(data, dict):
        raise PlatformError("not Medium's story JSON (no payload)")
    if data.get("success") is False:
        error = text_of(data.get("error")) or "no reason given"
        raise PlatformError(f"Medium refused the story JSON: {error}")
    value = get(data, "payload", "value")
    if not isinstance(value, dict):
        raise PlatformError("not Medium's story JSON (no payload.value)")
    content = value.get("content") if isinstance(value.get("content"), dict) else {}
    paragraphs = get(content, "bodyModel", "paragraphs", default=[])
    paragraphs = [p for p in paragraphs if isinstance(p, dict)] if isinstance(paragraphs, list) else []
    title = text_of(value.get("title"))
    author = text_of(story_creator(data, value).get("name"))
    locked = any(
        value.get(key) is True for key in ("isSubscriptionLocked", "isLocked", "isMarkedPaywallOnly")
    ) or any(content.get(key) is True for key in ("isLockedPreviewOnly", "isMetered"))
    locked = locked or bool(get(data, "payload", "paywall")) or bool(get(data, "payload", "meteredContent"))
    return Article(
        source=url,
        platform=PLATFORM,
        title=title,
        author=author,
        published=iso_from_millis(value.get("firstPublishedAt")),
        blocks=drop_title(paragraph_blocks(paragraphs), title),
        flags=[MEMBER_ONLY] if locked else [],
    )


def story_creator(data: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """The writer of the story in a `?format=json` answer (its only user when the id is missing),
    {} when the answer does not say."""
    users = get(data, "payload", "references", "User", default={})
    creator = users.get(value.get("creatorId")) if isinstance(users, dict) else None
    if not isinstance(creator, dict) and isinstance(users, dict) and len(users) == 1:
        creator = next(iter(users.values()))
    return creator if isinstance(creator, dict) else {}


# --- RSS ------------------------------------------------------------------------------------------


def story_from_feed(body: bytes | str, url: str) -> Article:
    """The story from its author's or publication's RSS feed, found by its post id."""
    feed = parse_feed(body, "Medium's RSS feed")
    try:
        post_id = medium_post_id(urlsplit(url).path)
    except ValueError:
        post_id = None
    if not post_id:
        raise PlatformError("the Medium link has no post id to look up in the feed")

    def matches(entry: FeedEntry) -> bool:
        return any(_has_id(value, post_id) for value in (*entry.links, *entry.ids))

    entry = next((e for e in feed.entries if matches(e)), None)
    if entry is None:
        raise PlatformError("post not in the author's feed (Medium's feed lists only the latest stories)")
    article = article_from_entry(entry, feed, url, PLATFORM)
    kept = [b for b in article.blocks if not _CONTINUE.match(b.text)]
    if len(kept) != len(article.blocks) or "continue reading on" in entry.html[-600:].lower():
        article.flags.append(MEMBER_ONLY)
    article.blocks = kept
    article.published = article.published or iso_date(entry.published)
    return article


def _has_id(link: str, post_id: str) -> bool:
    try:
        path = urlsplit(link).path
    except ValueError:
        return False
    return medium_post_id(path) == post_id
