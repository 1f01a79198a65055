"""Canvas through canvasapi: the roster from enrollments, post links from submissions and topics."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from canvasapi import Canvas
from canvasapi.exceptions import (
    CanvasException,
    Forbidden,
    InvalidAccessToken,
    RateLimitExceeded,
    ResourceDoesNotExist,
    Unauthorized,
)
from canvasapi.requester import Requester

from scrapers.records import ClaimRecord, SourceError, SourceProblem, SourceResult, StudentRecord
from scrapers.urls import links_in_text

log = logging.getLogger(__name__)

ROLE_BY_ENROLLMENT = {
    "StudentEnrollment": "student",
    "TaEnrollment": "ta",
    "TeacherEnrollment": "ta",
}


class ThrottledRequester(Requester):
    """canvasapi's Requester, backing off and retrying when Canvas throttles.

    Canvas answers 429, or 403 with "Rate Limit Exceeded", when a token spends its quota.
    """

    max_retries = 5
    base_delay = 1.0
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def request(self, method, endpoint=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        original = kwargs.get("_kwargs")
        for attempt in range(self.max_retries + 1):
            if original is not None:
                kwargs["_kwargs"] = list(original)  # Requester.request extends it in place
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except (RateLimitExceeded, Forbidden) as exc:
                throttled = isinstance(exc, RateLimitExceeded) or "rate limit exceeded" in str(exc).lower()
                if not throttled or attempt == self.max_retries:
                    raise
                self.sleep(self._delay(attempt))
        raise AssertionError("unreachable")

    def _delay(self, attempt: int) -> float:
        retry_after = self._cache[0].headers.get("Retry-After") if self._cache else None
        try:
            wait = float(retry_after) if retry_after else 0.0
        except ValueError:
            wait = 0.0
        return min(60.0, max(wait, self.base_delay * 2**attempt))


@dataclass(frozen=True)
class CanvasSettings:
    url: str
    course_id: int
    token: str = field(repr=False)
    token_env: str = "CANVAS_TOKEN"
    assignment_id: int = 0
    discussion_prefix: str = "Blog:"
    max_retries: int = 5
    base_delay: float = 1.0


def connect(settings: CanvasSettings) -> Canvas:
    """A canvasapi client whose requests back off on throttling."""
    canvas = Canvas(settings.url, settings.token)
    plain: Requester = canvas._Canvas__requester  # type: ignore[attr-defined]
    requester = ThrottledRequester(plain.original_url, settings.token)
    requester.max_retries = settings.max_retries
    requester.base_delay = settings.base_delay
    canvas._Canvas__requester = requester  # type: ignore[attr-defined]
    return canvas


def read_canvas(settings: CanvasSettings) -> SourceResult:
    """People and post links of one Canvas course."""
    origin = f"Canvas course {settings.course_id}"
    if not settings.token:
        raise SourceError(f"{origin}: no token; set the environment variable {settings.token_env}")
    reads_claims = bool(settings.assignment_id or settings.discussion_prefix)
    result = SourceResult(name="canvas", has_roster=True, reads_claims=reads_claims)
    try:
        canvas = connect(settings)
        course = canvas.get_course(settings.course_id)
        _read_people(course, result)
        if settings.assignment_id:
            _read_submissions(course, settings.assignment_id, result)
        if settings.discussion_prefix:
            _read_topics(course, settings.discussion_prefix, result)
    except (InvalidAccessToken, Unauthorized):
        raise SourceError(
            f"{origin}: the token in {settings.token_env} was refused (expired or revoked?)"
        ) from None
    except Forbidden as exc:
        raise SourceError(
            f"{origin}: the token in {settings.token_env} may not read this course "
            f"(HTTP 403{_short(exc)}); it needs a TA or teacher enrollment"
        ) from None
    except ResourceDoesNotExist:
        raise SourceError(f"{origin}: not found (check sources.canvas.course_id and assignment_id)") from None
    except CanvasException as exc:
        raise SourceError(f"{origin}: {_short(exc).lstrip(': ') or type(exc).__name__}") from None
    except OSError as exc:  # requests' connection errors derive from OSError
        raise SourceError(f"{origin}: cannot reach {settings.url}: {type(exc).__name__}") from None
    return result


def _read_people(course, result: SourceResult) -> None:  # type: ignore[no-untyped-def]
    users = course.get_users(enrollment_type=["student", "ta", "teacher"], include=["enrollments", "email"])
    for user in users:
        roles = {
            ROLE_BY_ENROLLMENT.get(e.get("type") or e.get("role"), "")
            for e in getattr(user, "enrollments", None) or []
            if e.get("enrollment_state", "active") in ("active", "invited")
        }
        roles.discard("")
        if not roles and getattr(user, "enrollments", None):
            continue  # observers, or enrollments that ended
        result.students.append(
            StudentRecord(
                name=getattr(user, "name", "") or getattr(user, "short_name", "") or f"user {user.id}",
                email=(getattr(user, "email", "") or getattr(user, "login_id", "") or "").lower(),
                sis_id=getattr(user, "sis_user_id", "") or "",
                canvas_id=int(user.id),
                role="ta" if "ta" in roles else "student",
                source="canvas",
            )
        )


def _read_submissions(course, assignment_id: int, result: SourceResult) -> None:  # type: ignore[no-untyped-def]
    assignment = course.get_assignment(assignment_id)
    for sub in assignment.get_submissions():
        if getattr(sub, "workflow_state", "") == "unsubmitted":
            continue
        links: list[str] = []
        if getattr(sub, "url", None):
            links.append(sub.url)
        body = getattr(sub, "body", None)
        if body:
            links.extend(_links_in_html(body))
        if not links:
            if getattr(sub, "submission_type", None) in ("online_url", "online_text_entry"):
                result.problems.append(
                    SourceProblem("canvas", f"submission of user {sub.user_id} holds no link")
                )
            continue
        # The first link is the post; later ones in a text entry are usually a repo or a demo.
        result.claims.append(
            ClaimRecord(
                student=f"canvas:{sub.user_id}",
                source="canvas submission",
                post_url=links[0],
                submitted_at=getattr(sub, "submitted_at", "") or "",
            )
        )


def _read_topics(course, prefix: str, result: SourceResult) -> None:  # type: ignore[no-untyped-def]
    for topic in course.get_discussion_topics():
        title = getattr(topic, "title", "") or ""
        if not title.casefold().startswith(prefix.casefold()):
            continue
        author = getattr(topic, "author", None) or {}
        user_id = author.get("id") or getattr(topic, "user_id", None)
        if not user_id:
            result.problems.append(SourceProblem("canvas", f"topic {title!r} has no author"))
            continue
        links = _links_in_html(getattr(topic, "message", "") or "")
        topic_url = getattr(topic, "html_url", "") or ""
        # A topic that links out points at the post, and classmates often reply in the topic, so it
        # is kept with the claim; otherwise the topic itself is the post.
        result.claims.append(
            ClaimRecord(
                student=f"canvas:{user_id}",
                source="canvas discussion",
                post_url=links[0] if links else topic_url,
                tool=title[len(prefix) :].strip(),
                submitted_at=getattr(topic, "posted_at", "") or "",
                discussion_url=topic_url if links and links[0] != topic_url else "",
            )
        )


def _links_in_html(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.find_all("a", href=True)]
    links += links_in_text(soup.get_text(" "))
    return [link for i, link in enumerate(links) if link.startswith("http") and link not in links[:i]]


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return f": {text[:120]}" if text else ""
