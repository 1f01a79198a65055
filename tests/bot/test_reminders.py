"""Reviewer progress, announcements and reminders: only students still missing a comment are
reminded, within the budget, at the scheduled times, and a restart repeats nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.config import Config
from bot.delivery import Outcome, claim, finish
from bot.reminders import (
    assignment_messages,
    budget_used,
    due_reminder,
    finish_reminder,
    owing,
    review_lines,
    revision_messages,
    slots,
    unannounced,
)
from bot.rounds import RoundService
from bot.store import Store, utcnow
from bot.sync import sync

NAMES = ["Ada", "Ben", "Cy", "Di", "Ed", "Flo"]
H48 = dt.datetime(2026, 11, 22, 4, 59, tzinfo=dt.UTC)  # comments due 2026-11-23 23:59 New York
H12 = dt.datetime(2026, 11, 23, 16, 59, tzinfo=dt.UTC)


def write_course(tmp_path: Path, names: list[str], posts: list[str]) -> None:
    (tmp_path / "roster.csv").write_text(
        "student,email,team\n" + "".join(f"{n},{n.lower()}@x.edu,t{i % 3}\n" for i, n in enumerate(names))
    )
    (tmp_path / "claims.csv").write_text(
        "Student,Tool,Blog post link\n"
        + "".join(f"{n},Tool{i},https://{n.lower()}.dev/post\n" for i, n in enumerate(posts))
    )


@pytest.fixture
def course(tmp_path: Path, make_config, store: Store) -> Config:  # type: ignore[no-untyped-def]
    write_course(tmp_path, NAMES, NAMES)
    config = make_config(
        sources={"roster": {"path": "roster.csv"}, "sheet": {"path": "claims.csv"}},
        schedule={"reminder_hours": [48, 12], "max_reminders": 3},
    )
    sync(config, store, env={})
    for i, name in enumerate(NAMES):
        store.db["students"].update(f"{name.lower()}@x.edu", {"discord_id": str(100 + i)})  # type: ignore[union-attr]
    service = RoundService(store, config)
    service.preview(seed=1)
    rnd = service.publish()
    store.db["rounds"].update(rnd.round_id, {"published_at": "2026-11-21T12:00:00+00:00"})  # type: ignore[union-attr]
    return config


def comment(store: Store, cid: str, reviewer: str, **fields) -> None:  # type: ignore[no-untyped-def]
    store.db["comments"].insert({"id": cid, "reviewer_key": reviewer, "updated_at": utcnow(), **fields})  # type: ignore[union-attr]


def sent(store: Store, message) -> None:  # type: ignore[no-untyped-def]
    claim(store, message)
    finish(store, message.key, Outcome(message.key, message.student_key, "sent", "dm"))


def test_slots_are_hours_before_the_comment_deadline(course: Config) -> None:
    assert [(s.name, s.due_at) for s in slots(course)] == [("h48", H48), ("h12", H12)]


def test_comments_are_matched_by_assignment_post_or_link(course: Config, store: Store) -> None:
    a, b = review_lines(store, "ada@x.edu")
    comment(store, "1", "ada@x.edu", assignment_id=a.assignment_id, status="found", substantive=1)
    comment(
        store,
        "2",
        "ada@x.edu",
        url=b.post_url + "#comment-9",
        status="found",
        substantive=0,
        reasons=json.dumps(["only praise"]),
    )
    comment(store, "3", "ada@x.edu", url="https://elsewhere.dev/post#c", status="found", substantive=1)
    a, b = review_lines(store, "ada@x.edu")
    assert (a.comment_status, a.substantive, a.done) == ("found", True, True)
    assert (b.comment_status, b.substantive, b.done, b.reasons) == ("found", False, False, ("only praise",))
    assert "not substantive: only praise" in b.explain()
    comment(store, "4", "ada@x.edu", url=b.post_url + "#comment-10", status="reported")
    assert review_lines(store, "ada@x.edu")[1].comment_status == "reported", "a newer report counts"


def test_reminders_go_only_to_students_missing_a_comment(course: Config, store: Store) -> None:
    assert due_reminder(store, course, H48 - dt.timedelta(minutes=1)) is None
    for i, line in enumerate(review_lines(store, "ada@x.edu")):
        comment(store, f"a{i}", "ada@x.edu", assignment_id=line.assignment_id, status="found", substantive=1)
    ben = review_lines(store, "ben@x.edu")[0]
    comment(store, "b0", "ben@x.edu", assignment_id=ben.assignment_id, status="found", substantive=1)
    run = due_reminder(store, course, H48 + dt.timedelta(minutes=1))
    assert run is not None and run.slot == "h48"
    targets = {m.student_key for m in run.messages}
    assert "ada@x.edu" not in targets and "ben@x.edu" in targets and len(targets) == 5
    ben_text = next(m.text for m in run.messages if m.student_key == "ben@x.edu")
    assert "Still open: 1 of your 2 reviews" in ben_text and ben.post_url not in ben_text
    assert set(owing(store)) == targets


def test_budget_counts_publication_and_reminders(course: Config, store: Store) -> None:
    config = course
    for message in assignment_messages(store, config, 1):
        sent(store, message)
    assert budget_used(store, 1, "cy@x.edu") == 1
    run = due_reminder(store, config, H48 + dt.timedelta(minutes=1))
    for message in run.messages:  # type: ignore[union-attr]
        sent(store, message)
    finish_reminder(store, run.reminder_id, len(run.messages))  # type: ignore[union-attr]
    assert budget_used(store, 1, "cy@x.edu") == 2
    store.db.execute("update reminders set status = 'pending' where slot = 'h12'")
    from dataclasses import replace

    tight = replace(config, schedule=replace(config.schedule, max_reminders=2))
    run = due_reminder(store, tight, H12 + dt.timedelta(minutes=1))
    assert run is not None and run.messages == [] and len(run.over_budget) == 6


def test_a_restart_repeats_no_reminder(course: Config, store: Store) -> None:
    now = H48 + dt.timedelta(minutes=5)
    run = due_reminder(store, course, now)
    sent(store, run.messages[0])  # type: ignore[union-attr]  # the bot died after one message
    again = due_reminder(store, course, now + dt.timedelta(minutes=10))
    assert again is not None and again.slot == "h48", "a slot left running is resumed"
    assert [m.key for m in again.messages] == [m.key for m in run.messages]  # type: ignore[union-attr]
    assert claim(store, again.messages[0]).claimed is False, "the one already sent is not sent again"
    finish_reminder(store, again.reminder_id, len(again.messages))
    assert due_reminder(store, course, now + dt.timedelta(minutes=20)) is None


def test_a_bot_down_through_two_slots_sends_only_the_latest(course: Config, store: Store) -> None:
    run = due_reminder(store, course, H12 + dt.timedelta(hours=1))
    assert run is not None and run.slot == "h12"
    h48 = next(store.rows("reminders", "slot = 'h48'"))
    assert (h48["status"], h48["reason"]) == ("skipped", "a later reminder was due (the bot was down)")


def test_no_reminder_after_the_deadline_or_before_publication(course: Config, store: Store) -> None:
    store.db["rounds"].update(1, {"published_at": "2026-11-22T10:00:00+00:00"})  # type: ignore[union-attr]
    assert due_reminder(store, course, H48 + dt.timedelta(hours=1)) is None
    h48 = next(store.rows("reminders", "slot = 'h48'"))
    assert (h48["status"], h48["reason"]) == ("skipped", "before the round was published")
    assert due_reminder(store, course, dt.datetime(2026, 11, 25, tzinfo=dt.UTC)) is None
    h12 = next(store.rows("reminders", "slot = 'h12'"))
    assert (h12["status"], h12["reason"]) == ("skipped", "the comment deadline had passed")


def test_publication_tells_each_reviewer_their_posts(course: Config, store: Store) -> None:
    messages = assignment_messages(store, course, 1)
    assert len(messages) == 6 and len({m.key for m in messages}) == 6
    ada = next(m for m in messages if m.student_key == "ada@x.edu")
    for line in review_lines(store, "ada@x.edu"):
        assert line.post_url in ada.text
    assert "Mon 23 Nov 2026, 23:59 EST" in ada.text and ada.discord_id == "100"


def test_a_late_post_revision_tells_only_those_concerned(
    course: Config, store: Store, tmp_path: Path
) -> None:
    (rev0,) = unannounced(store)
    assert rev0["revision"] == 0
    store.db["revisions"].update(rev0["id"], {"announced_at": utcnow()})  # type: ignore[union-attr]
    write_course(tmp_path, [*NAMES, "Gus"], [*NAMES, "Gus"])
    sync(course, store, env={})
    RoundService(store, course).update()
    (rev1,) = unannounced(store)
    messages = revision_messages(store, course, rev1)
    added = json.loads(rev1["detail"])["added"]
    reviewers = {store.get("assignments", a)["reviewer_key"] for a in added}  # type: ignore[index]
    assert {m.student_key for m in messages} == reviewers and "gus@x.edu" in reviewers
    assert all("a post came in late" in m.text for m in messages)


def test_a_stalled_review_tells_both_reviewers(course: Config, store: Store) -> None:
    store.db.execute("update revisions set announced_at = ?", [utcnow()])
    line = review_lines(store, "cy@x.edu")[0]
    comment(store, "m", "cy@x.edu", assignment_id=line.assignment_id, status="missing")
    RoundService(store, course).update(now=dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC))
    (revision,) = unannounced(store)
    assert revision["reason"] == "stalled reviews"
    messages = {m.student_key: m.text for m in revision_messages(store, course, revision)}
    assert f"review of the post by {line.author_name} went to someone else" in messages.pop("cy@x.edu")
    (new_reviewer, text) = messages.popitem()
    assert line.post_url in text and new_reviewer != "cy@x.edu"
