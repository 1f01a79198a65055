"""Canvas through the real canvasapi client against a fake Canvas on loopback HTTP."""

from __future__ import annotations

import json

import pytest
from fakes.canvas import FakeCanvas, serve

from scrapers.canvas import CanvasSettings, read_canvas
from scrapers.records import SourceError


@pytest.fixture
def fake() -> FakeCanvas:
    canvas = FakeCanvas()
    for i, name in enumerate(["Ada Park", "Ben Ode", "Cy Ruiz", "Di Wu", "Ed Lam"], start=1):
        canvas.add_student(200 + i, name, f"{name.split()[0].lower()}@example.edu")
    canvas.add_submission(201, url="https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f")
    canvas.add_submission(
        202, body='<p>My post: <a href="https://ben.github.io/mlflow-movies/">MLflow</a></p>'
    )
    canvas.add_submission(203, body="<p>I will post it soon, sorry</p>")
    canvas.add_topic(204, "Di Wu", "Blog: Locust", "<p>See https://di.dev/locust-movies for my post.</p>")
    canvas.add_topic(205, "Ed Lam", "Blog: Prometheus", "<p>Here is the whole post, written on Canvas.</p>")
    canvas.add_topic(205, "Ed Lam", "Week 3 questions", "<p>not a blog post</p>")
    return canvas


def settings(base: str, token: str = "fake-canvas-token", **kw) -> CanvasSettings:  # type: ignore[no-untyped-def]
    return CanvasSettings(
        url=base, course_id=110000000, token=token, assignment_id=110000100, base_delay=0.0, **kw
    )


def test_reads_people_with_roles_across_pages(httpserver, fake: FakeCanvas) -> None:
    result = read_canvas(settings(serve(httpserver, fake)))
    roles = {s.name: s.role for s in result.students}
    assert roles["course-admin"] == "ta"  # TaEnrollment
    assert roles["course-owner"] == "ta"  # TeacherEnrollment
    assert roles["course-student"] == "student"
    assert roles["Ada Park"] == "student"
    assert "course-other" not in roles  # an observer is not on the roster
    assert len(result.students) == 9
    pages = [r for r in fake.requests if "search_users" in r]
    assert len(pages) >= 3, "the users list spans several pages, followed through Link headers"


def test_post_links_from_submissions_and_topics(httpserver, fake: FakeCanvas) -> None:
    result = read_canvas(settings(serve(httpserver, fake)))
    claims = {(c.student, c.post_url, c.source) for c in result.claims}
    assert (
        "canvas:201",
        "https://medium.com/@ada/feast-for-movies-1a2b3c4d5e6f",
        "canvas submission",
    ) in claims
    assert ("canvas:202", "https://ben.github.io/mlflow-movies/", "canvas submission") in claims
    assert ("canvas:204", "https://di.dev/locust-movies", "canvas discussion") in claims
    ed = [c for c in result.claims if c.student == "canvas:205"]
    assert len(ed) == 1 and ed[0].post_url.endswith("/discussion_topics/2")  # the topic is the post
    assert ed[0].tool == "Prometheus"
    assert any("203" in str(p) and "no link" in str(p) for p in result.problems)


def test_backs_off_on_429_and_403_rate_limit(httpserver, fake: FakeCanvas) -> None:
    fake.throttle = [
        (429, json.dumps({"errors": "throttled"}), {"Retry-After": "0"}),
        (403, "403 Forbidden (Rate Limit Exceeded)", {}),
        (429, "", {}),
    ]
    result = read_canvas(settings(serve(httpserver, fake)))
    assert not fake.throttle, "every throttled answer was consumed and retried"
    assert len(result.students) == 9


def test_gives_up_after_retries(httpserver, fake: FakeCanvas) -> None:
    fake.throttle = [(429, "", {})] * 10
    with pytest.raises(SourceError, match="Rate Limit"):
        read_canvas(settings(serve(httpserver, fake), max_retries=2))


def test_permission_error_names_token_and_course(httpserver, fake: FakeCanvas) -> None:
    fake.forbidden = True
    with pytest.raises(SourceError) as info:
        read_canvas(settings(serve(httpserver, fake), token_env="MY_CANVAS_TOKEN"))
    message = str(info.value)
    assert "MY_CANVAS_TOKEN" in message and "110000000" in message and "fake-canvas-token" not in message


def test_invalid_token(httpserver, fake: FakeCanvas) -> None:
    with pytest.raises(SourceError, match="CANVAS_TOKEN was refused"):
        read_canvas(settings(serve(httpserver, fake), token="wrong"))


def test_missing_token_is_clear() -> None:
    with pytest.raises(SourceError, match="set the environment variable CANVAS_TOKEN"):
        read_canvas(settings("http://127.0.0.1:9", token=""))


def test_unknown_course(httpserver, fake: FakeCanvas) -> None:
    fake.course_id = 999
    with pytest.raises(SourceError, match="not found"):
        read_canvas(settings(serve(httpserver, fake)))


def test_unreachable_canvas() -> None:
    with pytest.raises(SourceError, match="cannot reach"):
        read_canvas(settings("http://127.0.0.1:9"))
