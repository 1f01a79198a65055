"""Read a post from a file or a URL into an Article (the `extract` and `check` commands)."""

from __future__ import annotations

from pathlib import Path

from scrapers.article import Article
from scrapers.fetch import Fetcher
from scrapers.platforms import FetchStep, PlatformError, markdown, pdf, plan, web

MAX_FILE_BYTES = 20_000_000


class ExtractError(Exception):
    """A post that cannot be read; the message says why."""


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def article_from_file(path: Path, url: str = "") -> Article:
    """A saved page, Markdown, text or PDF file; `url` (the post's address) picks the platform's reader."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ExtractError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        body = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"cannot read {path}: {exc.strerror or exc}") from None
    reasons: list[str] = []
    for parse in _readers_for(path, body, url):
        try:
            article = parse(body, url or str(path))
        except PlatformError as exc:
            reasons.append(str(exc))
            continue
        article.source = str(path)
        return article
    raise ExtractError(reasons[0] if reasons else f"cannot read {path}")


def _readers_for(path: Path, body: bytes, url: str) -> list:  # type: ignore[type-arg]
    """The parsers that may read this saved body, best first."""
    suffix = path.suffix.lower()
    head = body[:2048].lstrip()
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return [pdf.article_from_pdf]
    if suffix in (".md", ".markdown", ".txt", ".rst"):
        return [markdown.article_from_markdown]
    kinds = {"json": ("json", "api", "oembed"), "feed": ("feed",), "html": ("html",)}[_kind_of(head)]
    readers = [step.parse for step in plan(url) if any(k in step.kind for k in kinds)] if url else []
    return readers or [web.page_from_html]


def _kind_of(head: bytes) -> str:
    """Which kind of answer a saved body is: json, feed or html."""
    if head.startswith((b"{", b"[", b"])}while(1);")):
        return "json"
    if head.startswith(b"<?xml") or b"<rss" in head[:512] or b"<feed" in head[:512]:
        return "feed"
    return "html"


def article_from_url(url: str, fetcher: Fetcher) -> Article:
    """Fetch a post through its platform's plan; the first step that yields text wins."""
    reasons: list[str] = []
    for step in plan(url):
        result = fetcher.fetch(step.url)
        if not result.ok:
            reasons.append(result.error)
            continue
        article = _try(step, result.body, url, reasons)
        if article is not None:
            article.source = url
            return article
    raise ExtractError(reasons[0] if reasons else "nothing to fetch")


def _try(step: FetchStep, body: bytes, url: str, reasons: list[str]) -> Article | None:
    try:
        article = step.parse(body, url)
    except PlatformError as exc:
        reasons.append(str(exc))
        return None
    if article.blocks or "video_post" in article.flags:
        return article
    reasons.append("no article text found")
    return None
