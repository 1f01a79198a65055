"""Helpers shared by the adapters: size limits, decoding, JSON loading, dates, URL bits."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from typing import Any
from urllib.parse import urlsplit

from scrapers.extract.decode import decode_bom
from scrapers.extract.text import normalize_space as clean_space
from scrapers.platforms.errors import PlatformError

# Larger answers are refused rather than parsed: the fetcher caps bodies at a few MB already.
MAX_TEXT_BYTES = 12_000_000

_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def check_size(body: bytes | str, what: str, limit: int = MAX_TEXT_BYTES) -> None:
    """Refuse an answer larger than `limit` bytes (characters for text)."""
    if len(body) > limit:
        raise PlatformError(f"{what} is too large to read ({len(body) // 1_000_000} MB)")


def to_text(body: bytes | str, encoding: str | None = None) -> str:
    """Bytes to text: a BOM, the caller's charset, valid UTF-8, the declared charset, then cp1252.

    Control characters (NUL and friends) are dropped: no parser needs them and some choke on them.
    """
    text = body if isinstance(body, str) else _decode(bytes(body), encoding)
    return _CONTROL.sub("", text)


def _decode(data: bytes, encoding: str | None) -> str:
    text = decode_bom(data)
    if text is not None:
        return text
    names = [encoding]
    match = _DECLARED.search(data[:4096])
    if match:
        names.append(match.group(1).decode("ascii", "ignore"))
    for name in names:
        if name and name.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
            try:
                return data.decode(name)
            except (UnicodeDecodeError, LookupError):
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name in names:
        if not name:
            continue
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")


def load_json(body: bytes | str, what: str) -> Any:
    """Parse a JSON answer or raise PlatformError naming what was expected."""
    check_size(body, what)
    text = to_text(body).strip()
    if not text:
        raise PlatformError(f"empty answer where {what} was expected")
    if text[0] not in "[{":
        if text[:1] == "<":
            raise PlatformError(f"got an HTML/XML page, not {what}")
        raise PlatformError(f"not {what} (the answer is not JSON)")
    try:
        return json.loads(text)
    except RecursionError:
        raise PlatformError(f"not {what} (JSON nested too deeply)") from None
    except ValueError as exc:
        raise PlatformError(
            f"not {what} (broken or truncated JSON: {exc.msg} at character {exc.pos})"
        ) from None


def get(obj: Any, *path: str | int, default: Any = None) -> Any:
    """obj[path[0]][path[1]]..., or default when any step is missing or of the wrong type."""
    for key in path:
        if isinstance(key, int):
            if not isinstance(obj, list) or not -len(obj) <= key < len(obj):
                return default
        elif not isinstance(obj, dict) or key not in obj:
            return default
        obj = obj[key]
    return default if obj is None else obj


def text_of(value: Any) -> str:
    """A JSON value that should be a string, as a clean string ("" for anything else)."""
    if isinstance(value, str):
        return clean_space(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def utc_from_millis(millis: int) -> dt.datetime | None:
    """Epoch milliseconds as a UTC time, None when not a plausible time."""
    if millis <= 0:
        return None
    try:
        return dt.datetime.fromtimestamp(millis / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def iso_from_millis(value: Any) -> str:
    """Epoch milliseconds (Medium's firstPublishedAt) as an ISO 8601 UTC timestamp."""
    try:
        stamp = utc_from_millis(int(value))
    except (TypeError, ValueError):
        return ""
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z") if stamp else ""


def iso_date(value: Any) -> str:
    """A date as written by a feed or API, as ISO 8601 ("" when it cannot be read).

    ISO strings pass through (normalised), RFC 822 dates (RSS pubDate) are converted.
    """
    text = text_of(value)
    if not text:
        return ""
    if _ISO.match(text):
        return text
    candidate = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        parsed = dt.datetime.fromisoformat(candidate)
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed.isoformat()
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.isoformat()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)", text)
    if match:
        return f"{match.group(1)}T{match.group(2)}"
    match = re.match(r"^\d{4}-\d{2}-\d{2}$", text)
    return match.group(0) if match else ""


def url_path(url: str) -> str:
    """The path of a URL without a trailing slash ("" for the root or a bad URL)."""
    try:
        return urlsplit(url or "").path.rstrip("/")
    except ValueError:
        return ""


def origin(url: str) -> str:
    """scheme://host[:port] of a URL (https when the scheme is missing), "" when there is no host."""
    try:
        parts = urlsplit(url if "://" in (url or "") else f"https://{url or ''}")
    except ValueError:
        return ""
    if not parts.netloc:
        return ""
    return f"{parts.scheme or 'https'}://{parts.netloc}"


def same_post_path(a: str, b: str) -> bool:
    """Two links name the same post: equal paths (case, trailing slash and .html aside)."""
    pa, pb = url_path(a).lower(), url_path(b).lower()
    return bool(pa) and pa == pb
