"""GitHub-backed comment widgets on a post page: utterances (issue comments, REST) and giscus
(Discussions, GraphQL: needs a token). URL and query builders and parsers; no network."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from scrapers.comments._util import json_answer, utc_time
from scrapers.comments.model import Comment, CommentSourceError, CommentStep, Listing
from scrapers.platforms._common import clean_space, get, text_of
from scrapers.platforms._html import page_metadata, parse_document
from scrapers.platforms.errors import PlatformError

GITHUB_API = "https://api.github.com"
PER_PAGE = 100
_REPO = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_ISSUE_LINK = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/?$")
_DISCUSSION_LINK = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/discussions/(?P<number>\d+)/?$")
_KEYWORDS = ("pathname", "url", "title", "og:title")

DISCUSSION_FIELDS = """
  number title url
  comments(first: 100) {
    pageInfo { hasNextPage }
    nodes {
      id databaseId url bodyText createdAt isMinimized
      author { login url }
      replies(first: 100) {
        pageInfo { hasNextPage }
        nodes { id databaseId url bodyText createdAt isMinimized author { login url } }
      }
    }
  }
"""
SEARCH_QUERY = (
    "query($q: String!) { search(type: DISCUSSION, query: $q, first: 10) { nodes { ... on Discussion {"
    + DISCUSSION_FIELDS
    + "} } } }"
)
NUMBER_QUERY = (
    "query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) {"
    " discussion(number: $number) {" + DISCUSSION_FIELDS + "} } }"
)


@dataclass(frozen=True)
class Widget:
    """A comment widget found on a post page."""

    kind: str  # utterances | giscus
    repo: str  # owner/name
    term: str = ""  # the issue or discussion title it maps the page to
    number: int = 0  # a fixed issue or discussion number


def widgets(page: bytes | str, post_url: str) -> list[Widget]:
    """The utterances and giscus widgets a page embeds, with the title each maps this page to."""
    try:
        doc = parse_document(page, "the post page")
    except PlatformError:
        return []
    found: list[Widget] = []
    for script in doc.xpath(".//script[@src]"):
        src = script.get("src") or ""
        if "utteranc.es/client.js" in src:
            repo, mapping = script.get("repo") or "", script.get("issue-term") or "pathname"
            number = script.get("issue-number") or ""
            kind = "utterances"
        elif "giscus.app/client.js" in src:
            repo, mapping = script.get("data-repo") or "", script.get("data-mapping") or "pathname"
            number = script.get("data-term") if mapping == "number" else ""
            kind = "giscus"
            if mapping == "specific":
                mapping = script.get("data-term") or ""
        else:
            continue
        repo = repo.strip()
        if not _REPO.match(repo):
            continue
        if number and str(number).strip().isdigit():
            found.append(Widget(kind, repo, number=int(str(number).strip())))
        else:
            found.append(Widget(kind, repo, term=term_for(mapping, post_url, doc)))
    return found


def term_for(mapping: str, post_url: str, doc: Any = None) -> str:
    """The title utterances and giscus give the issue or discussion of a page."""
    if mapping not in _KEYWORDS:
        return mapping  # a fixed term
    parts = urlsplit(post_url)
    if mapping == "pathname":
        path = parts.path or "/"
        return "index" if len(path) < 2 else re.sub(r"\.\w+$", "", path[1:])
    if mapping == "url":
        return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    if doc is None:
        return ""
    if mapping == "og:title":
        found = doc.xpath(".//meta[@property='og:title']/@content")
        if found:
            return clean_space(found[0])
    title = doc.findtext(".//title")
    return clean_space(title) if title else page_metadata(doc)["title"]


def _same_title(a: str, b: str) -> bool:
    return bool(a) and a.strip().strip("/").casefold() == b.strip().strip("/").casefold()


# utterances: issue comments over REST ---------------------------------------------------------------


def issue_comments_url(repo: str, number: int, api: str = GITHUB_API) -> str:
    return f"{api.rstrip('/')}/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}"


def issue_search_url(repo: str, term: str, api: str = GITHUB_API) -> str:
    query = f'"{term}" repo:{repo} in:title type:issue'
    return f"{api.rstrip('/')}/search/issues?q={quote(query, safe='')}&per_page=10"


def utterances_steps(widget: Widget, api: str = GITHUB_API) -> list[CommentStep]:
    """The issue's comments (by number), or a search for the issue titled with the page's term first."""
    if widget.number:
        url = issue_comments_url(widget.repo, widget.number, api)
        return [CommentStep(url, parse_issue_comments, "github_issue", auth="github")]
    if not widget.term:
        return []
    return [
        CommentStep(
            issue_search_url(widget.repo, widget.term, api),
            issue_search_parser(widget.repo, widget.term, api),
            "github_search",
            auth="github",
        )
    ]


def issue_search_parser(repo: str, term: str, api: str = GITHUB_API):  # type: ignore[no-untyped-def]
    """Reads a search answer: the issue titled `term` becomes the next fetch; none means no comments yet
    (utterances opens the issue with the first comment)."""

    def parse(body: bytes, url: str) -> Listing:
        data = json_answer(body, "a GitHub search answer")
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise CommentSourceError(f"GitHub search failed: {text_of(get(data, 'message')) or 'no items'}")
        for item in data["items"]:
            if isinstance(item, dict) and _same_title(text_of(item.get("title")), term):
                number = item.get("number")
                if isinstance(number, int):
                    step = CommentStep(
                        issue_comments_url(repo, number, api), parse_issue_comments, "github_issue", "github"
                    )
                    return Listing(follow=[step], source="github_search")
        return Listing(comments=[], source="github_search", notes=[f"no issue titled {term!r} in {repo}"])

    return parse


def parse_issue_comments(body: bytes | str, url: str) -> Listing:
    """`GET /repos/:o/:r/issues/:n/comments`: a list of issue comments."""
    data = json_answer(body, "a GitHub issue comments answer")
    if isinstance(data, dict) and "message" in data:
        raise CommentSourceError(f"GitHub API error: {text_of(data.get('message'))}")
    if isinstance(data, dict) and "body" in data and "user" in data:
        data = [data]  # one comment (GET .../issues/comments/:id)
    if not isinstance(data, list):
        raise CommentSourceError("not a list of GitHub issue comments")
    comments = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        user = item.get("user") if isinstance(item.get("user"), dict) else {}
        cid = item["id"]
        comments.append(
            Comment(
                platform="github",
                id=f"issuecomment-{cid}",
                url=text_of(item.get("html_url")),
                author=text_of(user.get("name")),
                handle=text_of(user.get("login")),
                author_url=text_of(user.get("html_url")),
                author_id=str(user["id"]) if isinstance(user.get("id"), int) else "",
                posted_at=utc_time(item.get("created_at")),
                text=(item.get("body") or "").strip() if isinstance(item.get("body"), str) else "",
                anchors=(f"issuecomment-{cid}",),
            )
        )
    return Listing(comments=comments, complete=len(data) < PER_PAGE, source="github_issue")


# giscus: discussions over GraphQL --------------------------------------------------------------------


def graphql_url(api: str = GITHUB_API) -> str:
    return f"{api.rstrip('/')}/graphql"


def giscus_steps(widget: Widget, api: str = GITHUB_API) -> list[CommentStep]:
    """One GraphQL query (a token is required): the discussion by number, or searched by its title."""
    if widget.number:
        payload = discussion_query(widget.repo, widget.number)
    elif widget.term:
        payload = search_query(widget.repo, widget.term)
    else:
        return []
    return [
        CommentStep(
            graphql_url(api),
            discussion_parser(widget.term),
            "giscus_graphql",
            auth="github_required",
            payload=payload,
        )
    ]


def search_query(repo: str, term: str) -> bytes:
    q = f'repo:{repo} in:title "{term}"'
    return json.dumps({"query": SEARCH_QUERY, "variables": {"q": q}}).encode()


def discussion_query(repo: str, number: int) -> bytes:
    owner, name = repo.split("/", 1)
    variables = {"owner": owner, "name": name, "number": number}
    return json.dumps({"query": NUMBER_QUERY, "variables": variables}).encode()


def discussion_parser(term: str = ""):  # type: ignore[no-untyped-def]
    """Reads a GraphQL answer: `repository.discussion`, or `search.nodes` (the discussion titled `term`)."""

    def parse(body: bytes, url: str) -> Listing:
        return parse_discussion(body, term)

    return parse


def parse_discussion(body: bytes | str, term: str = "") -> Listing:
    data = json_answer(body, "a GitHub GraphQL answer")
    if not isinstance(data, dict):
        raise CommentSourceError("not a GitHub GraphQL answer")
    errors = data.get("errors")
    if errors and not get(data, "data", "repository", "discussion") and not get(data, "data", "search"):
        message = text_of(get(errors, 0, "message")) if isinstance(errors, list) else ""
        raise CommentSourceError(f"GitHub GraphQL error: {message or 'unknown'}")
    if "message" in data and "data" not in data:
        raise CommentSourceError(f"GitHub API error: {text_of(data.get('message'))}")
    discussion = get(data, "data", "repository", "discussion")
    if discussion is None:
        nodes = get(data, "data", "search", "nodes", default=[])
        if not isinstance(nodes, list):
            nodes = []
        discussion = next(
            (n for n in nodes if isinstance(n, dict) and _same_title(text_of(n.get("title")), term)), None
        )
    if not isinstance(discussion, dict):
        return Listing(comments=[], source="giscus_graphql", notes=["no discussion for this post yet"])
    comments: list[Comment] = []
    complete = not get(discussion, "comments", "pageInfo", "hasNextPage", default=False)
    for node in get(discussion, "comments", "nodes", default=[]) or []:
        top = _discussion_comment(node, "")
        if top is None:
            continue
        comments.append(top)
        if get(node, "replies", "pageInfo", "hasNextPage", default=False):
            complete = False
        for reply in get(node, "replies", "nodes", default=[]) or []:
            child = _discussion_comment(reply, top.id)
            if child is not None:
                comments.append(child)
    return Listing(comments=comments, complete=complete, source="giscus_graphql")


def _discussion_comment(node: Any, parent: str) -> Comment | None:
    if not isinstance(node, dict) or node.get("isMinimized") is True:
        return None
    number = node.get("databaseId")
    cid = f"discussioncomment-{number}" if isinstance(number, int) else text_of(node.get("id"))
    if not cid:
        return None
    author = node.get("author") if isinstance(node.get("author"), dict) else {}
    return Comment(
        platform="giscus",
        id=cid,
        url=text_of(node.get("url")),
        handle=text_of(author.get("login")),
        author_url=text_of(author.get("url")),
        posted_at=utc_time(node.get("createdAt")),
        text=(node.get("bodyText") or node.get("body") or "").strip()
        if isinstance(node.get("bodyText") or node.get("body"), str)
        else "",
        parent=parent,
        anchors=(cid,),
    )


# links to comments on github.com -------------------------------------------------------------------


def link_steps(link: str, api: str = GITHUB_API) -> list[CommentStep]:
    """The fetch that lists the comments a github.com issue or discussion link points into."""
    try:
        path = urlsplit(link).path or ""
    except ValueError:
        return []
    issue = _ISSUE_LINK.match(path)
    if issue and _REPO.match(issue["repo"]):
        url = issue_comments_url(issue["repo"], int(issue["number"]), api)
        return [CommentStep(url, parse_issue_comments, "github_issue", auth="github")]
    discussion = _DISCUSSION_LINK.match(path)
    if discussion and _REPO.match(discussion["repo"]):
        widget = Widget("giscus", discussion["repo"], number=int(discussion["number"]))
        return giscus_steps(widget, api)
    return []
