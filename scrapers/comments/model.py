"""Plain records for comments and the fetches that list them. No network here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


class CommentSourceError(ValueError):
    """An answer that holds no comment listing; the message says why in words a TA understands."""


@dataclass(frozen=True)
class Comment:
    """One comment (or reply, or Medium response) as a platform shows it."""

    platform: str  # wordpress | blogger | devto | github | giscus | canvas | medium | web
    id: str  # the platform's id for it ("129", "c568...", "comment-3", "issuecomment-42", ...)
    url: str = ""  # its permalink, when the platform gives one
    author: str = ""  # display name
    handle: str = ""  # login / user name, when the platform has one
    author_url: str = ""  # the author's profile or site
    author_id: str = ""  # a platform account id (Canvas user id)
    posted_at: str = ""  # ISO 8601 when known
    text: str = ""  # plain text, paragraphs separated by blank lines
    parent: str = ""  # id of the comment it answers ("" for a top-level comment)
    in_reply_to: str = ""  # the post it answers, when the record says so (a Medium response)
    anchors: tuple[str, ...] = ()  # fragment ids that point at it on its page ("comment-3", "c568...")


@dataclass
class Listing:
    """What one source gave: the comments, or follow-up fetches to make, or why it failed."""

    comments: list[Comment] = field(default_factory=list)
    follow: list[CommentStep] = field(default_factory=list)  # alternatives to fetch next, best first
    complete: bool = True  # False when the source may hold more than we read (paging, JS widgets)
    ok: bool = True
    notes: list[str] = field(default_factory=list)  # why a source failed or was skipped
    source: str = ""  # kind of the step that gave the comments


Parser = Callable[[bytes, str], Listing]


@dataclass(frozen=True)
class CommentStep:
    """One fetch that lists comments, and the parser of its answer.

    `auth` names the credentials the caller may attach: "canvas" (the course token, to the course's
    Canvas host only), "github" (a GitHub token, to the GitHub API host only; optional), or
    "github_required" (GraphQL: skipped cleanly without a token). `payload` makes it a POST of JSON.
    `data` is an answer already at hand (the post's kept snapshot): nothing is fetched.
    """

    url: str
    parse: Parser  # called as parse(body, url)
    kind: str
    auth: str = ""
    payload: bytes | None = None
    data: bytes | None = None
