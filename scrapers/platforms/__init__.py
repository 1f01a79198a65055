"""Platform adapters: which URLs to fetch for a post, and how to read each answer.

Pure parsing, no network: `plan(url, platform)` lists the fetches to try, in order, each with
the parser for its answer. The fetcher walks the steps and keeps the first Article that has text
(or is a video post)::

    for step in plan(link.url, link.platform):
        result = fetch(step.url)
        if not result.ok:
            continue
        try:
            article = step.parse(result.body, link.url)  # the POST's url, not step.url
        except PlatformError as exc:
            last_error = str(exc)  # words a TA understands
            continue
        if article.blocks or "video_post" in article.flags:
            break

Every parser takes `(body: bytes, post_url: str)` and returns an `Article`, or raises
`PlatformError` (a ValueError) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapers.article import Article
from scrapers.platforms import (
    blogger,
    canvas,
    devto,
    feeds,
    github,
    markdown,
    medium,
    pdf,
    web,
    wordpress,
    youtube,
)
from scrapers.platforms.errors import PlatformError
from scrapers.urls import BadLink, normalise

__all__ = ["FetchStep", "PlatformError", "plan"]

Parser = Callable[[bytes, str], Article]


@dataclass(frozen=True)
class FetchStep:
    """One thing to fetch for a post, and the parser of its answer."""

    url: str
    parse: Parser  # called as parse(body, post_url)
    kind: str  # e.g. medium_html, medium_json, wordpress_api, github_pages_html, html, pdf, oembed


def _markdown(body: bytes, url: str) -> Article:
    return markdown.article_from_markdown(body, url)


def _suffix(url: str) -> str:
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return ""
    for suffix in (".pdf", ".ipynb", *github.MARKDOWN_SUFFIXES):
        if path.endswith(suffix):
            return suffix
    return ""


def _platform_of(url: str) -> str:
    try:
        return normalise(url, loopback_ok=True).platform
    except BadLink:
        return "web"


def plan(url: str, platform: str | None = None) -> list[FetchStep]:
    """The fetches to try for a post, best first. `platform` is `PostLink.platform` (from
    `scrapers.urls.normalise`); when None it is worked out from the link."""
    platform = platform or _platform_of(url)
    suffix = _suffix(url)
    html = FetchStep(url, web.page_from_html, "html")
    steps: list[FetchStep] = []
    if platform == "github":
        raw = github.raw_url(url)
        readme = github.readme_url(url)
        pages = github.pages_url(url)
        if raw:
            steps.append(FetchStep(raw, github.article_from_raw, "github_raw"))
        elif readme:
            if pages:  # the post is often the repository's site, its README a setup guide
                steps.append(FetchStep(pages, github.site_from_pages, "github_pages_html"))
            steps.append(FetchStep(readme, github.article_from_raw, "github_readme"))
        return [*steps, html]
    if suffix == ".pdf":
        return [FetchStep(url, pdf.article_from_pdf, "pdf")]
    if suffix == ".ipynb":
        return [FetchStep(url, github.article_from_notebook, "notebook")]
    if suffix:
        return [FetchStep(url, _markdown, "markdown")]
    document = web.document_url(url)
    if document:
        return [FetchStep(document, web.document_from_bytes, "document"), html]
    if platform == "medium":
        steps = [FetchStep(url, medium.story_from_html, "medium_html"),
                 FetchStep(medium.json_url(url), medium.story_from_json, "medium_json")]  # fmt: skip
        feed = medium.feed_url(url)
        if feed:
            steps.append(FetchStep(feed, medium.story_from_feed, "medium_feed"))
        return steps
    if platform == "wordpress":
        api = wordpress.api_url(url)
        if api:
            steps.append(FetchStep(api, wordpress.post_from_api, "wordpress_api"))
        return [*steps, FetchStep(url, wordpress.post_from_html, "wordpress_html")]
    if platform == "blogger":
        feed = blogger.feed_url(url)
        if feed:
            steps.append(FetchStep(feed, blogger.post_from_feed, "blogger_feed"))
        return [*steps, FetchStep(url, blogger.post_from_html, "blogger_html")]
    if platform == "devto":
        api = devto.api_url(url)
        if api:
            steps.append(FetchStep(api, devto.post_from_api, "devto_api"))
        steps.append(FetchStep(url, devto.post_from_html, "devto_html"))
        feed = devto.feed_url(url)
        if feed:
            steps.append(FetchStep(feed, feeds.post_from_site_feed, "devto_feed"))
        return steps
    if platform in ("youtube", "video") or youtube.is_video_url(url):
        if platform == "youtube" or youtube.is_video_url(url):
            steps.append(FetchStep(youtube.oembed_url(url), youtube.video_article, "oembed"))
        return [*steps, FetchStep(url, youtube.video_from_html, "video_html")]
    if platform == "canvas":
        api = canvas.api_url(url)
        if api:
            steps.append(FetchStep(api, canvas.article_from_discussion, "canvas_api"))
        return [*steps, html]
    if platform == "github_pages":
        feed = feeds.site_feed_url(url)
        return [html, *([FetchStep(feed, feeds.post_from_site_feed, "site_feed")] if feed else [])]
    return [html]
