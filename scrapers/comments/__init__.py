"""Comment sources, one per platform: which URLs list a post's comments, and how to read each answer.

Pure URL builders and parsers, no network (the caller fetches, like `scrapers.platforms.plan`)::

    listing = None
    for step in plan(post_url, platform, page=snapshot_bytes, page_kind=snapshot_kind):
        body = step.data if step.data is not None else fetch(step.url)   # POST step.payload if set
        listing = step.parse(body, step.url)      # CommentSourceError when it holds no listing
        # listing.follow: further fetches (a search found the issue; fetch its comments), best first

`plan` lists alternatives, best first: the platform's API (WordPress REST, Blogger comment feed,
dev.to API, Canvas discussion view, utterances issue / giscus discussion found on the page), then
the comments printed in the kept page. `link_plan` does the same for a link to one comment that is
not on a known post (a github.com issue, a dev.to comment, any page). Medium has no comment API:
see `scrapers.comments.medium`.

A post that lives elsewhere but was announced in a Canvas topic ("Blog: ..." linking to Medium,
WordPress, ...) has a second source: classmates reply in that topic. `discussion_plan` lists it, and
`combine` joins it with what `plan` found; it is read in addition to the post's own source, not
instead of it.
"""

from __future__ import annotations

import re

from scrapers.comments import blogger, canvas, devto, github, html, medium, wordpress
from scrapers.comments._util import fragment_of, host_of, page_url, path_key
from scrapers.comments.model import Comment, CommentSourceError, CommentStep, Listing
from scrapers.platforms import devto as devto_posts
from scrapers.platforms._common import to_text
from scrapers.platforms.github import pages_url as github_pages_url

__all__ = [
    "Comment",
    "CommentSourceError",
    "CommentStep",
    "Listing",
    "anchor_of",
    "blogger",
    "canvas",
    "combine",
    "devto",
    "discussion_plan",
    "github",
    "html",
    "link_plan",
    "medium",
    "page_step",
    "plan",
    "points_at",
    "wordpress",
]

HTML_KINDS = ("html", "wordpress_html", "blogger_html", "devto_html", "video_html", "github_pages_html", "")


def _is_html(page: bytes | None, kind: str) -> bool:
    if page is None:
        return False
    if kind in HTML_KINDS:
        head = to_text(page[:2048]).lstrip().lower()
        return head.startswith(("<!doctype html", "<html", "<head", "<meta", "<div", "<body", "<!--")) or (
            "<html" in head
        )
    return False


def plan(
    post_url: str,
    platform: str,
    page: bytes | None = None,
    page_kind: str = "",
    *,
    read_at: str = "",
    github_api: str = github.GITHUB_API,
    wpcom_api: str = wordpress.WPCOM_API,
) -> list[CommentStep]:
    """The fetches that list a post's comments, best first. `page` is the post's kept snapshot (from
    the fetch step of kind `page_kind`, read at `read_at`): ids and comment widgets are read from
    it, and when it is a page its printed comments are the last alternative (no fetch). A comment
    widget maps the address the page was read at (a repository's Pages site, not the repository
    link the student gave) to its discussion."""
    steps: list[CommentStep] = []
    is_html = _is_html(page, page_kind)
    if not read_at and page_kind == "github_pages_html":
        read_at = github_pages_url(post_url) or ""
    address = read_at or post_url
    if platform == "canvas":
        view = canvas.view_url(post_url)
        if view:
            steps.append(CommentStep(view, canvas.parser_for(post_url), "canvas_view", auth="canvas"))
    if page is not None:
        if (
            platform == "wordpress"
            or page_kind.startswith("wordpress")
            or (is_html and wordpress.is_wordpress_page(page))
        ):
            pid = wordpress.post_id(page, page_kind, post_url)
            root = wordpress.api_root(page, post_url) if is_html else ""
            url = wordpress.comments_url(post_url, pid or "", root, wpcom_api)
            if url:
                steps.append(CommentStep(url, wordpress.parse_comments, "wordpress_api"))
        if (
            platform == "blogger"
            or page_kind.startswith("blogger")
            or (is_html and blogger.is_blogger_page(page))
        ):
            pid = blogger.post_id(page, page_kind)
            url = blogger.comments_url(post_url, pid or "")
            if url:
                steps.append(CommentStep(url, blogger.parse_comments, "blogger_feed"))
        if platform == "devto" or page_kind.startswith("devto"):
            aid = devto.article_id(page, page_kind)
            url = devto.comments_url(post_url, aid or "")
            if url:
                steps.append(CommentStep(url, devto.parse_comments, "devto_api"))
        if is_html:
            for widget in github.widgets(page, address):
                if widget.kind == "utterances":
                    steps.extend(github.utterances_steps(widget, github_api))
                else:
                    steps.extend(github.giscus_steps(widget, github_api))
            steps.append(CommentStep(address, html.parse_page, "html", data=page))
    elif platform == "devto":
        api = devto_posts.api_url(post_url)
        if api:
            steps.append(CommentStep(api, _devto_then_comments, "devto_article"))
    if page is None and platform not in ("canvas", "medium"):
        steps.append(page_step(post_url, platform, github_api=github_api, wpcom_api=wpcom_api))
    return steps


def _devto_then_comments(body: bytes, url: str) -> Listing:
    aid = devto.article_id(body, "devto_api")
    comments = devto.comments_url(url.split("/api/", 1)[0] + "/", aid or "")
    if not comments:
        raise CommentSourceError("the dev.to API answer has no article id")
    return Listing(follow=[CommentStep(comments, devto.parse_comments, "devto_api")], source="devto_article")


def page_step(
    url: str,
    platform: str = "web",
    *,
    github_api: str = github.GITHUB_API,
    wpcom_api: str = wordpress.WPCOM_API,
) -> CommentStep:
    """Fetch a page, then list its comments the way `plan` would with that page kept."""

    def parse(body: bytes, fetched: str) -> Listing:
        steps = plan(url, platform, body, "html", github_api=github_api, wpcom_api=wpcom_api)
        return Listing(follow=steps, source="page")

    return CommentStep(page_url(url), parse, "page")


def link_plan(
    link: str,
    platform: str = "web",
    *,
    github_api: str = github.GITHUB_API,
    wpcom_api: str = wordpress.WPCOM_API,
) -> list[CommentStep]:
    """The fetches that list the comments around a link to one comment that is not on a known post."""
    host = host_of(link)
    if host == "github.com":
        return github.link_steps(link, github_api)
    if host == "dev.to" or platform == "devto":
        api = devto.comment_api_url(link)
        if api:
            return [CommentStep(api, devto.parse_comments, "devto_api")]
    if platform == "canvas":
        view = canvas.view_url(link)
        return [CommentStep(view, canvas.parser_for(""), "canvas_view", auth="canvas")] if view else []
    return [page_step(link, platform, github_api=github_api, wpcom_api=wpcom_api)]


def discussion_plan(topic_url: str) -> list[CommentStep]:
    """The fetch that lists the replies in the Canvas topic kept with a post hosted elsewhere: the
    topic's full view, with the course token (sent to the course's Canvas host only)."""
    view = canvas.view_url(canvas_topic(topic_url)) if topic_url else None
    return [CommentStep(view, canvas.parser_for(""), "canvas_view", auth="canvas")] if view else []


def combine(own: Listing | None, topic: Listing) -> Listing:
    """A post's own comments (None: its platform has no source we can read, as Medium) and the replies
    in its Canvas topic, as one listing: readable when either was read, complete only when both were
    read in full, so nothing is called missing while one place could not be looked at."""
    parts = [p for p in (own, topic) if p is not None]
    read = [p for p in parts if p.ok]
    return Listing(
        comments=[c for p in read for c in p.comments],
        complete=own is not None and all(p.ok and p.complete for p in parts),
        ok=bool(read),
        notes=[n for p in parts for n in p.notes],
        source="+".join(p.source for p in read if p.source),
    )


def canvas_topic(link: str) -> str:
    """A Canvas entry link's topic page: `.../discussion_topics/5/entries/31` -> `.../discussion_topics/5`."""
    return re.sub(r"/entries/\d+/?$", "", page_url(link).split("?", 1)[0])


def anchor_of(link: str) -> str:
    """What a comment link points at: its fragment (`comment-3`, `c5689...`, `issuecomment-42`,
    `entry-7`), a dev.to comment code, or a Canvas entry id."""
    fragment = fragment_of(link)
    if fragment:
        return fragment
    code = devto.comment_api_url(link)
    if code:
        return code.rsplit("/", 1)[1]
    entry = canvas.entry_of(link)
    return f"entry-{entry}" if entry else ""


def points_at(link: str, comment: Comment) -> bool:
    """Whether a reported link names this comment: same host and page (comment paging and comment
    query parameters aside), and an anchor of the comment (or its exact permalink)."""
    if not link or not comment.url:
        return False
    if page_url(link).rstrip("/") == page_url(comment.url).rstrip("/") and fragment_of(link) == fragment_of(
        comment.url
    ):
        return bool(fragment_of(link)) or comment.platform in ("devto", "medium")
    if host_of(link) != host_of(comment.url):
        return False
    if comment.platform == "canvas" and canvas.entry_of(link):  # `/entries/31`, `?entry_id=31`, `#entry-31`
        return canvas.entry_of(link) == comment.id and path_key(canvas_topic(link)) == path_key(comment.url)
    if path_key(link) != path_key(comment.url):
        return False
    anchor = anchor_of(link)
    return bool(anchor) and (anchor in comment.anchors or anchor == comment.id)
