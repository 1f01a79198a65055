"""Link hygiene: clean the links students paste, give each post one canonical key, name its platform."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_URL_LENGTH = 2048

# Query parameters that track a click, never select content.
TRACKING_PARAMS = {
    "source", "sk", "gi", "ref", "referrer", "r", "fbclid", "gclid", "dclid", "msclkid",
    "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "si", "postpublishedtype", "sharedtrace",
    "trk", "trkcampaign", "s", "feature", "share", "triedredirect", "ocid", "cmpid",
}  # fmt: skip

# Hosts where Medium serves stories on a domain of their own (a custom-domain publication).
MEDIUM_CUSTOM_DOMAINS = {
    "towardsdatascience.com", "betterprogramming.pub", "levelup.gitconnected.com",
    "pub.towardsai.net", "blog.devgenius.io", "python.plainenglish.io", "ai.plainenglish.io",
    "javascript.plainenglish.io", "medium.datadriveninvestor.com", "blog.det.life",
    "itnext.io", "proandroiddev.com", "uxdesign.cc", "heartbeat.comet.ml", "eng.lyft.com",
    "netflixtechblog.com", "blog.dataiku.com", "bootcamp.uxdesign.cc", "medium.freecodecamp.org",
}  # fmt: skip

_MEDIUM_ID = re.compile(r"(?:^|-)([0-9a-f]{8,12})$")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
_IPV4ISH = re.compile(r"^[0-9.]+$|^0x", re.I)
_LINK_IN_TEXT = re.compile(r"""(?:https?://|www\.)[^\s<>"'\])]+""", re.I)


class BadLink(ValueError):
    """A link that cannot be a blog post; the message says why in words a student understands."""


@dataclass(frozen=True)
class PostLink:
    """A cleaned post link."""

    url: str  # cleaned, shown to people and fetched
    key: str  # canonical identity: two spellings of one post share it
    platform: (
        str  # medium | youtube | video | github | github_pages | wordpress | blogger | devto | canvas | web
    )
    is_video: bool = False


def normalise(raw: str, *, loopback_ok: bool = False) -> PostLink:
    """Clean one link; raise BadLink when it is not a usable web link.

    `loopback_ok` accepts hosts such as 127.0.0.1 and localhost (the bundled demo and tests).
    """
    text = (raw or "").strip().strip("<>\"'").strip()
    if not text:
        raise BadLink("empty link")
    if len(text) > MAX_URL_LENGTH:
        raise BadLink(f"link is {len(text)} characters long (limit {MAX_URL_LENGTH})")
    if any(c.isspace() for c in text) or any(ord(c) < 32 for c in text):
        raise BadLink("link contains spaces or control characters")
    if "://" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not re.match(r"^[^:/]+:\d", text):
            raise BadLink(f"not a web link (scheme {text.split(':', 1)[0]!r})")
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadLink(f"malformed link: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadLink(f"not a web link (scheme {scheme!r})")
    if parts.username or parts.password:
        raise BadLink("link carries a user name or password")
    host = (parts.hostname or "").rstrip(".")
    local = loopback_ok and (host in ("localhost", "::1") or host.startswith("127."))
    if not local:
        if not host:
            raise BadLink("link has no host name")
        if _IPV4ISH.match(host) or ":" in host:
            raise BadLink("link points at a bare IP address, not a blog")
        if not _HOST.match(host):
            raise BadLink(f"host name {host!r} is not valid")
    if host.startswith("www."):
        host = host[4:]
    if host.startswith("m.") and host[2:] in ("youtube.com", "medium.com"):
        host = host[2:]
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")]  # fmt: skip

    video = _video(host, path, query)
    if video is not None:
        url = video
        return PostLink(url=url, key=url, platform="youtube" if "youtube" in url else "video",
                        is_video=True)  # fmt: skip
    if host in ("github.com", "gist.github.com") and "/blob/" in path:
        platform = "github"
    else:
        platform = _platform(host, path)
    if local and platform == "medium":
        platform = "web"
    url = urlunsplit(("https", netloc, path, urlencode(query), ""))
    if local:
        url = urlunsplit((scheme, netloc, path, urlencode(query), ""))
    key = url.split("://", 1)[1]
    if local:
        key = urlunsplit(("", host, path, urlencode(query), ""))[2:]  # the port changes per run
    if platform == "medium":
        post_id = medium_post_id(path)
        if post_id is None:
            raise BadLink("Medium link is not a story (a profile or list page?)")
        key = f"medium.com/p/{post_id}"
        url = urlunsplit(("https", netloc, path, "", ""))
    return PostLink(url=url, key=key, platform=platform)


def medium_post_id(path: str) -> str | None:
    """The hex story id at the end of a Medium path (`.../slug-1a2b3c4d5e6f` or `/p/1a2b...`)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    match = _MEDIUM_ID.search(last)
    if match is None or not re.search(r"\d", match.group(1)):
        return None
    return match.group(1)


def _platform(host: str, path: str) -> str:
    if host == "medium.com" or host.endswith(".medium.com") or host in MEDIUM_CUSTOM_DOMAINS:
        return "medium"
    if host.endswith(".github.io"):
        return "github_pages"
    if host in ("github.com", "raw.githubusercontent.com", "gist.github.com"):
        return "github"
    if host.endswith(".wordpress.com"):
        return "wordpress"
    if host.endswith((".blogspot.com", ".blogger.com")) or re.search(r"\.blogspot\.[a-z.]+$", host):
        return "blogger"
    if host == "dev.to":
        return "devto"
    if "canvas" in host or host.endswith(".instructure.com"):
        return "canvas"
    if path.startswith("/@") and medium_post_id(path):
        return "medium"  # a Medium-shaped path on a custom domain we do not know yet
    return "web"


def _video(host: str, path: str, query: list[tuple[str, str]]) -> str | None:
    """Canonical URL of a video link, or None when the link is not a video."""
    video_id = None
    if host in ("youtube.com", "music.youtube.com", "youtube-nocookie.com"):
        if path == "/watch":
            video_id = dict(query).get("v")
        elif re.match(r"^/(shorts|embed|live|v)/", path):
            video_id = path.split("/")[2]
        elif path.startswith(("/channel/", "/@", "/playlist", "/c/", "/user/")):
            return f"https://youtube.com{path}"
    elif host == "youtu.be":
        video_id = path.strip("/").split("/")[0]
    elif host in ("vimeo.com", "player.vimeo.com", "loom.com", "drive.google.com") and (
        host != "drive.google.com" or "/file/" in path
    ):
        if host == "drive.google.com":
            return None  # a Drive file may be a PDF; the fetcher decides
        return f"https://{host}{path}"
    if video_id is None:
        return None
    if not _YOUTUBE_ID.match(video_id):
        raise BadLink("YouTube link has no valid video id")
    return f"https://youtube.com/watch?v={video_id}"


def links_in_text(text: str) -> list[str]:
    """Web links written in free text or HTML attributes, in order, without duplicates."""
    seen: dict[str, None] = {}
    for match in _LINK_IN_TEXT.finditer(text or ""):
        seen.setdefault(match.group(0).rstrip(".,;:!?)"), None)
    return list(seen)
