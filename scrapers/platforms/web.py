"""Any other page: recognise the blog engine from the page itself, else generic extraction.

A self-hosted WordPress, a Blogger blog on its own domain or a Medium custom domain look like any
other site from their link; their pages say what they are (generator meta, Apollo state).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers.article import Article
from scrapers.platforms import blogger, devto, medium, pdf, wordpress, youtube
from scrapers.platforms._common import check_size, to_text
from scrapers.platforms._html import generic_article, meta_map, parse_document
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.markdown import article_from_markdown

_DRIVE_FILE = re.compile(r"^/file/d/(?P<id>[\w-]{10,})")
_GOOGLE_DOC = re.compile(r"^/document/d/(?P<id>[\w-]{10,})")


def engine(body: bytes | str) -> str:
    """The blog engine a page was made with: medium | wordpress | blogger | devto | youtube | ""."""
    text = to_text(body)
    head = text[:600_000]
    if "__APOLLO_STATE__" in head and "medium" in head.lower():
        return "medium"
    try:
        meta = meta_map(parse_document(text))
    except PlatformError:
        return ""
    generator = meta.get("generator", "").lower()
    site = meta.get("og:site_name", "").lower()
    if site == "medium" or meta.get("al:android:package") == "com.medium.reader":
        return "medium"
    if generator.startswith("wordpress"):
        return "wordpress"
    if generator == "blogger":
        return "blogger"
    if site in ("dev community", "the practical dev"):
        return "devto"
    if site == "youtube" or meta.get("og:type", "").startswith("video"):
        return "youtube"
    return ""


def page_from_html(body: bytes | str, url: str) -> Article:
    """A post page of any site: its engine's reader when the page names one, else the generic
    extractor. PlatformError for a bot-check page or a page with nothing to read."""
    check_size(body, "the page")
    if medium.is_challenge_page(body, 200):
        raise PlatformError("the site answered with a challenge page (a bot check), not the post")
    readers = {
        "medium": medium.story_from_html,
        "wordpress": wordpress.post_from_html,
        "blogger": blogger.post_from_html,
        "devto": devto.post_from_html,
        "youtube": youtube.video_from_html,
    }
    found = engine(body)
    if found in readers:
        return readers[found](body, url)
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    return generic_article(body, url, "github_pages" if host.endswith(".github.io") else "web")


def document_url(url: str) -> str | None:
    """The download address of a shared document: a Google Drive file (often a PDF) or a Google
    Doc exported as plain text. None for other links."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    drive = _DRIVE_FILE.match(parts.path or "") if host == "drive.google.com" else None
    if drive:
        return f"https://drive.google.com/uc?export=download&id={drive.group('id')}"
    doc = _GOOGLE_DOC.match(parts.path or "") if host == "docs.google.com" else None
    if doc:
        return f"https://docs.google.com/document/d/{doc.group('id')}/export?format=txt"
    return None


def document_from_bytes(body: bytes | str, url: str) -> Article:
    """A downloaded document of unknown type: a PDF, an HTML page, or plain text/Markdown."""
    check_size(body, "the document")
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    if b"%PDF" in data[:1024]:
        return pdf.article_from_pdf(data, url)
    head = to_text(data[:2048]).lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        if "accounts.google.com" in to_text(data[:200_000]) and "signin" in to_text(data[:200_000]).lower():
            raise PlatformError("the document is not shared publicly (Google asks to sign in)")
        return page_from_html(data, url)
    if not head:
        raise PlatformError("the document is empty")
    article = article_from_markdown(data, url, platform="web")
    return article
