"""Walk comment steps over the network: fetch each step (GET, or a JSON POST for GraphQL), parse it,
follow what it points to. Runs in worker threads and never touches the database; never raises.

Credentials go only where they belong: the course's Canvas token to the course's Canvas host, a
GitHub token to the GitHub API host; a redirect elsewhere drops them (the fetcher's rule).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from scrapers.comments import CommentSourceError, CommentStep, Listing
from scrapers.fetch import Fetcher, FetchResult, network_reason, status_reason

MAX_DEPTH = 3
# Fetched like posts, robots.txt respected: student pages and Medium (as the fetch step reads Medium).
PAGE_KINDS = ("html", "page", "medium_json", "medium_html", "medium_feed")


@dataclass(frozen=True)
class Credentials:
    """Tokens and the hosts they may be sent to."""

    canvas_host: str = ""
    canvas_token: str = ""
    github_host: str = ""
    github_token: str = ""
    github_token_env: str = "GITHUB_TOKEN"


class CommentFetcher:
    """Lists comments through `CommentStep`s with the polite fetcher.

    Pages (a student's blog) are fetched with the audit's fetcher, robots.txt included; documented
    APIs (WordPress REST, Blogger feeds, dev.to, GitHub, Canvas) with a copy that skips robots.txt,
    which governs crawlers, not API clients (api.github.com's disallows everything).
    """

    def __init__(self, fetcher: Fetcher, credentials: Credentials) -> None:
        self.pages = fetcher
        policy = fetcher.policy
        self.apis = (
            Fetcher(dataclasses.replace(policy, respect_robots=False), sleep=fetcher.sleep)
            if policy.respect_robots
            else fetcher
        )
        self.credentials = credentials

    def close(self) -> None:
        if self.apis is not self.pages:
            self.apis.close()

    def walk(self, steps: list[CommentStep], depth: int = 0) -> Listing:
        """The first step (in order) that lists comments, following search results; notes say why
        the others failed. `ok` is False when none worked."""
        notes: list[str] = []
        for step in steps:
            headers, skip = self._auth(step)
            if skip:
                notes.append(skip)
                continue
            if step.data is not None:
                body, error = step.data, ""
            else:
                body, error = self.fetch(step, headers)
            if error:
                notes.append(f"{_what(step)}: {error}")
                continue
            try:
                listing = step.parse(body, step.url)
            except CommentSourceError as exc:
                notes.append(f"{_what(step)}: {exc}")
                continue
            except Exception as exc:  # a parser bug on one answer must not cost the others
                notes.append(f"{_what(step)}: could not read the answer ({type(exc).__name__})")
                continue
            if listing.follow:
                if depth >= MAX_DEPTH:
                    notes.append(f"{_what(step)}: too many steps")
                    continue
                inner = self.walk(listing.follow, depth + 1)
                if inner.ok:
                    inner.notes = notes + inner.notes
                    return inner
                notes.extend(inner.notes)
                continue
            listing.notes = notes + listing.notes
            listing.source = listing.source or step.kind
            return listing
        return Listing(ok=False, complete=False, notes=notes or ["no way to list this post's comments"])

    def fetch(self, step: CommentStep, headers: dict[str, str] | None = None) -> tuple[bytes, str]:
        """(body, "") or (b"", reason)."""
        if step.payload is not None:
            result = self.post_json(step.url, step.payload, headers or {})
        else:
            fetcher = self.pages if step.kind in PAGE_KINDS else self.apis
            result = fetcher.fetch(step.url, credentials=headers or None)
        if result.not_modified:
            return b"", "not modified (nothing kept to compare)"
        return (b"", result.error) if not result.ok else (result.body, "")

    def post_json(self, url: str, payload: bytes, headers: dict[str, str]) -> FetchResult:
        """A JSON POST (GitHub GraphQL) through the fetcher's guarded session; never raises."""
        result = FetchResult(url=url, final_url=url)
        policy = self.apis.policy
        try:
            response = self.apis.session.post(
                url,
                data=payload,
                headers={**headers, "Content-Type": "application/json", "Accept": "application/json"},
                timeout=(policy.connect_timeout, policy.read_timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            result.error = network_reason(exc)
            return result
        except Exception as exc:
            result.error = f"could not fetch ({type(exc).__name__})"
            return result
        with response:
            result.status = response.status_code
            if response.status_code >= 300:
                result.error = status_reason(response.status_code)
                return result
            started, body = time.monotonic(), bytearray()
            try:
                for chunk in response.iter_content(65536):
                    body += chunk
                    if len(body) > policy.max_bytes:
                        result.error = "too large"
                        return result
                    if time.monotonic() - started > policy.deadline:
                        result.error = "timeout (the server sends too slowly)"
                        return result
            except (requests.RequestException, OSError) as exc:
                result.error = network_reason(exc)
                return result
        result.body = bytes(body)
        return result

    def _auth(self, step: CommentStep) -> tuple[dict[str, str], str]:
        """Headers for the step, or a note saying why it is skipped."""
        creds = self.credentials
        host = urlsplit(step.url).netloc.lower()
        if step.auth == "canvas":
            if creds.canvas_token and creds.canvas_host and host == creds.canvas_host:
                return {"Authorization": f"Bearer {creds.canvas_token}"}, ""
            return {}, ""
        if step.auth in ("github", "github_required"):
            headers = {"Accept": "application/vnd.github+json"}
            if creds.github_token and creds.github_host and host == creds.github_host:
                headers["Authorization"] = f"Bearer {creds.github_token}"
            elif step.auth == "github_required":
                return {}, (
                    f"giscus comments (GitHub Discussions) need a GitHub token in ${creds.github_token_env}; "
                    "not checked"
                )
            return headers, ""
        return {}, ""


def _what(step: CommentStep) -> str:
    return {
        "wordpress_api": "WordPress comments API",
        "blogger_feed": "Blogger comment feed",
        "devto_api": "dev.to comments API",
        "devto_article": "dev.to article API",
        "github_issue": "GitHub issue comments",
        "github_search": "GitHub issue search",
        "giscus_graphql": "GitHub Discussions",
        "canvas_view": "Canvas discussion",
        "html": "comments in the page",
        "page": "the page",
        "medium_json": "Medium story JSON",
        "medium_html": "Medium story page",
        "medium_feed": "Medium feed",
    }.get(step.kind, step.kind)
