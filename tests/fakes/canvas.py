"""A small fake Canvas for canvasapi, answering over loopback HTTP.

Its answers are built from HTTP exchanges recorded against a real Canvas
(../shared/fixtures/platforms/canvas/recorded): the course, users with enrollments and
submissions keep the recorded shapes; only ids, names and links are added for our course.
A topic's full view (`/discussion_topics/:t/view`) takes its shape from canvasapi's recorded
fixtures beside them (the view with its participants, entries as the entry list gives them).
Pagination follows Canvas: a `Link` header built from the client's own base URL; a topic's
`html_url` is on the host the client asked, as a real Canvas's is.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug import Request, Response

from fakes.shared import shared_path

RECORDED = ("fixtures", "platforms", "canvas", "recorded", "testdata", "http", "api", "v1")


def recorded(name: str) -> Any:
    """The response body of one recorded Canvas exchange, parsed."""
    exchange = json.loads(shared_path(*RECORDED, name).read_text())
    return json.loads(exchange["response_body"])


def canvasapi_fixture(name: str, method: str) -> Any:
    """The answer canvasapi's own test fixtures give for one method (`course.json`, `get_full_...`)."""
    fixtures = json.loads(
        shared_path("fixtures", "platforms", "canvas", f"canvasapi_{name}.json").read_text()
    )
    return fixtures[method]["data"]


@dataclass
class FakeCanvas:
    """State of the fake: a course with people, one assignment's submissions, discussion topics."""

    token: str = "fake-canvas-token"
    course_id: int = 110000000
    assignment_id: int = 110000100
    page_size: int = 3
    users: list[dict] = field(default_factory=list)
    submissions: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    entries: dict[int, list[dict]] = field(default_factory=dict)  # topic id -> its top-level entries
    forbidden: bool = False
    throttle: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.course = recorded("courses/110000000%3Finclude=syllabus_body_GET.httpex.json")
        self.users = recorded(
            "courses/110000000/users%3Finclude%5B%5D=enrollments&per_page=95_GET.httpex.json"
        )
        self._submission_shape = recorded(
            "courses/110000000/assignments/110000100/submissions_GET.httpex.json"
        )[0]
        self._student_shape = next(
            u for u in self.users if u["enrollments"][0]["type"] == "StudentEnrollment"
        )
        self.assignment = recorded("courses/110000000/assignments%3Fper_page=95_GET.httpex.json")[0]
        self._view_shape = canvasapi_fixture("course", "get_full_discussion_topic")
        self._entry_shape = canvasapi_fixture("discussion_topic", "list_topic_entries")[0]
        self._entry_time = canvasapi_fixture("discussion_topic", "post_entry")["created_at"]

    # building the course ------------------------------------------------------------------

    def add_student(self, user_id: int, name: str, email: str) -> dict:
        user = copy.deepcopy(self._student_shape)
        user.update(
            id=user_id,
            name=name,
            short_name=name,
            sortable_name=name,
            email=email,
            login_id=email,
            sis_user_id=email,
            integration_id=email,
        )
        for enrollment in user["enrollments"]:
            enrollment.update(user_id=user_id, id=user_id + 7)
        self.users.append(user)
        return user

    def add_submission(self, user_id: int, *, url: str | None = None, body: str | None = None) -> dict:
        sub = copy.deepcopy(self._submission_shape)
        sub.update(
            id=user_id + 50_000,
            user_id=user_id,
            url=url,
            body=body,
            submission_type="online_url" if url else "online_text_entry",
            submitted_at="2026-11-20T18:00:00Z",
            workflow_state="submitted",
        )
        self.submissions.append(sub)
        return sub

    def add_topic(self, user_id: int, name: str, title: str, message: str) -> dict:
        topic_id = len(self.topics) + 1
        topic = {
            "id": topic_id,
            "title": title,
            "message": message,
            "html_url": f"http://canvas.test/courses/{self.course_id}/discussion_topics/{topic_id}",
            "posted_at": "2026-11-19T12:00:00Z",
            "user_name": name,
            "author": {"id": user_id, "display_name": name, "html_url": "http://canvas.test/users/1"},
            "discussion_type": "threaded",
        }
        self.topics.append(topic)
        self.entries[topic_id] = []
        return topic

    def add_reply(
        self, topic_id: int, user_id: int, name: str, message: str, *, at: str = "", parent: int | None = None
    ) -> dict:
        """A reply in a topic: a top-level entry, or a reply to entry `parent`."""
        entry = copy.deepcopy(self._entry_shape)
        entry_id = 1 + sum(1 for t in self.entries for _ in self._walk(t))  # ids are Canvas-wide
        entry.update(
            id=entry_id,
            user_id=user_id,
            user_name=name,
            message=message,
            created_at=at or self._entry_time,
            updated_at=at or self._entry_time,
            parent_id=parent,
            replies=[],
        )
        if parent is None:
            self.entries[topic_id].append(entry)
        else:
            next(e for e in self._walk(topic_id) if e["id"] == parent)["replies"].append(entry)
        return entry

    def _walk(self, topic_id: int):  # type: ignore[no-untyped-def]
        stack = list(self.entries[topic_id])
        while stack:
            entry = stack.pop()
            yield entry
            stack.extend(entry["replies"])

    def view(self, topic_id: int) -> dict:
        """The topic's full view: nested entries, and each writer once among the participants."""
        people = {e["user_id"]: e["user_name"] for e in self._walk(topic_id)}
        view = copy.deepcopy(self._view_shape)
        view.update(
            id=topic_id,
            view=copy.deepcopy(self.entries[topic_id]),
            participants=[{"id": uid, "display_name": name} for uid, name in sorted(people.items())],
        )
        return view

    # serving ------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        if self.throttle:
            status, body, headers = self.throttle.pop(0)
            return Response(body, status=status, headers=headers, content_type="application/json")
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _json(
                {"errors": [{"message": "Invalid access token."}]},
                401,
                {"WWW-Authenticate": 'Bearer realm="canvas-lms"'},
            )
        if self.forbidden:
            return _json(
                {
                    "status": "unauthorized",
                    "errors": [{"message": "user not authorized to perform that action"}],
                },
                403,
            )
        path = request.path.removeprefix("/api/v1/")
        course = f"courses/{self.course_id}"
        host = request.host_url.rstrip("/")
        routes = {
            course: lambda: self.course,
            f"{course}/users": lambda: self.users,
            f"{course}/search_users": lambda: self.users,
            f"{course}/assignments/{self.assignment_id}": lambda: self.assignment,
            f"{course}/assignments/{self.assignment_id}/submissions": lambda: self.submissions,
            f"{course}/discussion_topics": lambda: [
                dict(t, html_url=f"{host}/{course}/discussion_topics/{t['id']}") for t in self.topics
            ],
        }
        for topic in self.topics:
            routes[f"{course}/discussion_topics/{topic['id']}/view"] = lambda t=topic["id"]: self.view(t)
        if path not in routes:
            return _json({"errors": [{"message": "The specified resource does not exist."}]}, 404)
        data = routes[path]()
        if isinstance(data, list):
            return self._page(request, data)
        return _json(data)

    def _page(self, request: Request, items: list[dict]) -> Response:
        per_page = min(int(request.args.get("per_page", 10)), self.page_size)
        page = int(request.args.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
            params += [("page", str(page + 1)), ("per_page", str(per_page))]
            headers["Link"] = (
                f'<{request.host_url}{request.path.lstrip("/")}?{urlencode(params)}>; rel="next"'
            )
        return _json(chunk, 200, headers)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers or {}, content_type="application/json")


def serve(httpserver, fake: FakeCanvas) -> str:  # type: ignore[no-untyped-def]
    """Route every Canvas API path of `httpserver` to the fake; return the base URL."""
    httpserver.expect_request(re.compile(r"^/api/v1/.*")).respond_with_handler(fake.handle)
    return httpserver.url_for("/").rstrip("/")
