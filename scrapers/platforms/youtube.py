"""Video posts (YouTube, Vimeo, Loom): title and channel only; the Article is flagged "video_post"."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote, urlsplit

from scrapers.article import Article
from scrapers.platforms._common import clean_space, iso_date, load_json, text_of, to_text
from scrapers.platforms._html import meta_map, parse_document
from scrapers.platforms.errors import PlatformError

VIDEO_FLAG = "video_post"
_YOUTUBE_HOSTS = ("youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com", "youtu.be")
_OWNER = re.compile(r'"(?:ownerChannelName|author)"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def is_video_url(url: str) -> bool:
    """A link to one video (YouTube watch/shorts/embed/live/youtu.be, Vimeo, Loom share)."""
    try:
        parts = urlsplit(url if "://" in (url or "") else f"https://{url or ''}")
    except ValueError:
        return False
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path or ""
    if host == "youtu.be":
        return len(path.strip("/")) >= 6
    if host in _YOUTUBE_HOSTS:
        if path == "/watch":
            return bool(parse_qs(parts.query).get("v"))
        return bool(re.match(r"^/(?:shorts|embed|live|v)/[\w-]{6,}", path))
    if host in ("vimeo.com", "player.vimeo.com"):
        return bool(re.search(r"/\d{5,}", path))
    if host == "loom.com":
        return path.startswith(("/share/", "/embed/"))
    return False


def oembed_url(url: str) -> str:
    """The provider's oEmbed query for a video link (YouTube's unless Vimeo or Loom)."""
    host = _host(url)
    quoted = quote(url, safe="")
    if host in ("vimeo.com", "player.vimeo.com"):
        return f"https://vimeo.com/api/oembed.json?url={quoted}"
    if host == "loom.com":
        return f"https://www.loom.com/v1/oembed?url={quoted}&format=json"
    return f"https://www.youtube.com/oembed?url={quoted}&format=json"


def _platform(url: str, provider: str = "") -> str:
    return "youtube" if "youtube" in provider.lower() or _host(url) in _YOUTUBE_HOSTS else "video"


def video_article(oembed_body: bytes | str, url: str) -> Article:
    """An oEmbed answer as a video Article: title, channel as author, no body."""
    text = to_text(oembed_body).strip()
    if text.lower() in ("unauthorized", "not found", "bad request", "forbidden"):
        raise PlatformError(f"the video provider answered {text!r} (private, removed or not embeddable)")
    data = load_json(text, "an oEmbed answer")
    if not isinstance(data, dict) or not ("title" in data or "author_name" in data or "type" in data):
        raise PlatformError("not an oEmbed answer")
    return Article(
        source=url,
        platform=_platform(url, text_of(data.get("provider_name"))),
        title=text_of(data.get("title")),
        author=text_of(data.get("author_name")),
        published=iso_date(data.get("upload_date")),
        flags=[VIDEO_FLAG],
    )


def video_from_html(body: bytes | str, url: str) -> Article:
    """A video's watch page: og:title, the channel (itemprop author), the upload date."""
    doc = parse_document(body, "the video page")
    meta = meta_map(doc)
    kind = meta.get("og:type", "")
    is_video = kind.startswith("video") or "og:video:url" in meta or "og:video" in meta
    if not is_video and not is_video_url(url):
        raise PlatformError("not a video page (no og:video)")
    title = meta.get("og:title") or meta.get("title") or meta.get("twitter:title") or ""
    if not title:
        node = doc.find(".//title")
        title = re.sub(r"\s+-\s+YouTube$", "", clean_space(node.text_content())) if node is not None else ""
    author = ""
    for node in doc.xpath(".//*[@itemprop='author']//*[@itemprop='name']"):
        author = clean_space(node.get("content") or node.text_content())
        if author:
            break
    if not author:
        match = _OWNER.search(to_text(body)[:2_000_000])
        if match:
            try:
                author = clean_space(json.loads(f'"{match.group(1)}"'))
            except ValueError:
                author = ""
    published = meta.get("datepublished") or meta.get("uploaddate") or ""
    return Article(
        source=url,
        platform=_platform(url, meta.get("og:site_name", "")),
        title=title,
        author=author,
        published=iso_date(published),
        flags=[VIDEO_FLAG],
    )
