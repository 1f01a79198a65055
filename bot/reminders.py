"""What each reviewer still owes, and what to tell whom when.

- Progress: every active review of the published round with the comment that counts for it
  (bot/review_match.py: by assignment, by post, or by a comment link that points into the post)
  and the verdict on it.
- Announcements: the assignment at publication, then each later revision (late posts,
  reassignments) to the reviewers it concerns.
- Reminders: at `reminder_hours` before the comment deadline, only to students still missing a
  comment, within a budget of `max_reminders` messages per student (the publication included).
  The schedule is stored (table `reminders`), so a restart neither loses nor repeats one.

Everything here is plain and synchronous on a Store; the Discord layer runs it in a worker thread
and sends the resulting `Message`s through bot/delivery.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Config
from bot.delivery import Message
from bot.review_match import match_comments
from bot.rounds import published_round
from bot.store import Store, iso_utc

DONE_STATUSES = ("found", "reported", "unverified")


@dataclass(frozen=True)
class ReviewLine:
    """One post a student must comment on, and how far they got."""

    assignment_id: int
    round_id: int
    reviewer_key: str
    reviewer_name: str
    author_key: str
    author_name: str
    post_url: str
    post_title: str
    reason: str  # why the pair exists: initial, late posts, stalled reviews, ...
    comment_status: str = "none"  # none | reported | found | missing | unverified
    comment_url: str = ""
    substantive: bool | None = None
    reasons: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        """A comment is there (or reported) and was not judged too thin."""
        return self.comment_status in DONE_STATUSES and self.substantive is not False

    def explain(self) -> str:
        """The state of the comment, in words a student understands, with the reason when it fails."""
        why = "; ".join(self.reasons)
        if self.comment_status == "found":
            if self.substantive is True:
                return "Comment found and judged substantive."
            if self.substantive is False:
                return (
                    f"Comment found but not substantive{': ' + why if why else ''}. Add to it: engage with "
                    "a specific point of the post (a question, a suggestion, a comparison)."
                )
            return "Comment found; not judged yet."
        if self.comment_status == "reported":
            return f"You reported {self.comment_url}; it is checked in the next audit."
        if self.comment_status == "unverified":
            return f"Reported {self.comment_url}; this site cannot be checked automatically, a TA will look."
        if self.comment_status == "missing":
            return (
                f"Checked and not found{': ' + why if why else ''}. If you did comment, report the link "
                "with /comment."
            )
        return "No comment found yet."


def review_lines(store: Store, student_key: str | None = None) -> list[ReviewLine]:
    """Active reviews of the published round (of one reviewer, or everyone), with comment state."""
    rnd = published_round(store)
    if rnd is None:
        return []
    where, params = "round_id = ? and status = 'active'", [rnd["id"]]
    if student_key is not None:
        where, params = where + " and reviewer_key = ?", [*params, student_key]
    assignments = list(store.rows("assignments", where, params, order_by="id"))
    if not assignments:
        return []
    names = {s["key"]: s["name"] for s in store.rows("students")}
    current = {p["student_key"]: p for p in store.rows("posts", "status = 'current'")}
    posts = {p["key"]: p for p in store.rows("posts")}
    c_where, c_params = ("reviewer_key = ?", [student_key]) if student_key else (None, None)
    comments = store.rows("comments", c_where, c_params)
    counted = match_comments(assignments, comments, {k: p["key"] for k, p in current.items()}).counted
    lines = []
    for a in assignments:
        post = current.get(a["author_key"]) or posts.get(a["post_key"]) or {}
        url = post.get("url") or a["post_key"]
        comment = counted.get(a["id"])
        lines.append(
            ReviewLine(
                assignment_id=a["id"],
                round_id=a["round_id"],
                reviewer_key=a["reviewer_key"],
                reviewer_name=names.get(a["reviewer_key"], a["reviewer_key"]),
                author_key=a["author_key"],
                author_name=names.get(a["author_key"], a["author_key"]),
                post_url=url,
                post_title=post.get("title") or "",
                reason=a["reason"] or "",
                comment_status=(comment or {}).get("status") or "none",
                comment_url=(comment or {}).get("url") or "",
                substantive=None
                if not comment or comment.get("substantive") is None
                else bool(comment["substantive"]),
                reasons=tuple(_reasons(comment)),
            )
        )
    return lines


def _reasons(comment: dict[str, Any] | None) -> list[str]:
    if not comment or not comment.get("reasons"):
        return []
    try:
        value = json.loads(comment["reasons"])
    except (TypeError, ValueError):
        return [str(comment["reasons"])]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def by_reviewer(lines: Iterable[ReviewLine]) -> dict[str, list[ReviewLine]]:
    """The lines grouped by reviewer, in the order they come."""
    result: dict[str, list[ReviewLine]] = defaultdict(list)
    for line in lines:
        result[line.reviewer_key].append(line)
    return dict(result)


def owing(store: Store) -> dict[str, list[ReviewLine]]:
    """Students still missing a comment on at least one assigned post, with those posts."""
    return by_reviewer(line for line in review_lines(store) if not line.done)


# wording -----------------------------------------------------------------------------------------


def due_text(config: Config) -> str:
    """The comment deadline in the course's time zone, and relative for the reader."""
    due = config.course.comments_due
    local = due.astimezone(config.course.tz)
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()} (<t:{int(due.timestamp())}:R>)"


def _post_line(n: int, line: ReviewLine) -> str:
    title = f"**{line.post_title}**" if line.post_title else "a post"
    return f"{n}. {title} by {line.author_name}: <{line.post_url}>"


def reviews_text(config: Config, lines: list[ReviewLine], heading: str = "") -> str:
    body = [heading] if heading else []
    body.append(f"Please comment on these posts by **{due_text(config)}**:")
    body += [_post_line(i, line) for i, line in enumerate(lines, 1)]
    body.append(
        "A comment counts when it engages with the post: a question, a concrete suggestion, a "
        'comparison with your own tool. "Looks good!" does not count.'
    )
    body.append(
        "See your progress any time with `/reviews`. Commented where the bot cannot read "
        "(Medium, for one)? Report the link with `/comment`."
    )
    return "\n".join(body)


# announcements -----------------------------------------------------------------------------------


def unannounced(store: Store) -> list[dict[str, Any]]:
    """Revisions of the published round nobody has been told about yet, oldest first."""
    rnd = published_round(store)
    if rnd is None:
        return []
    return list(
        store.rows("revisions", "round_id = ? and announced_at is null", [rnd["id"]], order_by="revision")
    )


def mark_announced(store: Store, revision_id: int, now: dt.datetime | None = None) -> None:
    moment = iso_utc(now or dt.datetime.now(dt.UTC))
    store.db["revisions"].update(revision_id, {"announced_at": moment})  # type: ignore[union-attr]


def _people(store: Store) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in store.rows("students")}


def _message(kind: str, key: str, student: str, person: dict[str, Any], text: str, round_id: int) -> Message:
    """A message of the round for one student (their Discord id from the roster, "" if unlinked)."""
    return Message(
        key=key,
        kind=kind,
        student_key=student,
        discord_id=person.get("discord_id") or "",
        text=text,
        round_id=round_id,
    )


def assignment_messages(store: Store, config: Config, round_id: int) -> list[Message]:
    """At publication: each reviewer's posts to comment on."""
    people = _people(store)
    heading = f"**{config.course.name}**: your peer reviews are here."
    return [
        _message(
            "assignment",
            f"assignment:{round_id}:{student}",
            student,
            people[student],
            reviews_text(config, lines, heading),
            round_id,
        )
        for student, lines in sorted(by_reviewer(review_lines(store)).items())
        if people.get(student, {}).get("active")
    ]


def revision_messages(store: Store, config: Config, revision: dict[str, Any]) -> list[Message]:
    """After a revision: who got a new post to comment on, and who no longer has to."""
    if revision["revision"] == 0:
        return assignment_messages(store, config, revision["round_id"])
    detail = json.loads(revision["detail"] or "{}")
    added = {a["id"]: a for a in _assignments(store, detail.get("added", []))}
    dropped = _assignments(store, detail.get("replaced", []))
    people = _people(store)
    lines = {line.assignment_id: line for line in review_lines(store)}
    gained: dict[str, list[ReviewLine]] = defaultdict(list)
    for assignment_id in added:
        if assignment_id in lines:
            gained[lines[assignment_id].reviewer_key].append(lines[assignment_id])
    lost: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in dropped:
        lost[a["reviewer_key"]].append(a)
    why = {
        "late posts": "a post came in late",
        "stalled reviews": "a review had no comment when its time ran out",
        "departed students": "a student left the course",
    }.get(revision["reason"], revision["reason"])
    messages = []
    for student in sorted(set(gained) | set(lost)):
        person = people.get(student, {})
        if not person.get("active"):
            continue
        parts = [f"**{config.course.name}**: your reviews changed ({why})."]
        if lost.get(student):
            names = ", ".join(
                people.get(a["author_key"], {}).get("name", a["author_key"]) for a in lost[student]
            )
            if revision["reason"] == "stalled reviews":
                parts.append(
                    f"Your review of the post by {names} went to someone else: no comment was found."
                )
            else:
                parts.append(f"You no longer need to comment on the post by {names}.")
        if gained.get(student):
            mine = [line for line in lines.values() if line.reviewer_key == student]
            parts.append(reviews_text(config, mine, "Your posts to comment on now:"))
        messages.append(
            _message(
                "revision",
                f"revision:{revision['round_id']}:{revision['revision']}:{student}",
                student,
                person,
                "\n".join(parts),
                revision["round_id"],
            )
        )
    return messages


def _assignments(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    return [row for i in ids if (row := store.get("assignments", i)) is not None]


def welcome_message(store: Store, config: Config, student_key: str, key: str) -> Message | None:
    """After a link: who they are linked as, and their reviews if the round is out."""
    person = store.get("students", student_key)
    if person is None or not person.get("discord_id"):
        return None
    text = f"**{config.course.name}**: your Discord account is now linked to {person['name']}."
    lines = review_lines(store, student_key)
    if lines:
        text += "\n" + reviews_text(config, lines)
    else:
        text += " You will get your posts to comment on here once the review round is published."
    return Message(key=key, kind="link", student_key=student_key, discord_id=person["discord_id"], text=text)


# reminders ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    name: str  # h48
    hours: int
    due_at: dt.datetime  # aware, UTC


@dataclass
class ReminderRun:
    """A reminder slot that is due now, and its messages (budget and targeting applied)."""

    reminder_id: int
    slot: str
    messages: list[Message] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)  # students who owe but were not reminded


def slots(config: Config) -> list[Slot]:
    due = config.course.comments_due.astimezone(dt.UTC)
    hours = sorted({h for h in config.schedule.reminder_hours if h > 0}, reverse=True)
    return [Slot(f"h{h}", h, due - dt.timedelta(hours=h)) for h in hours]


def ensure_schedule(store: Store, config: Config, now: dt.datetime) -> None:
    """Store the reminder slots of the published round once; a slot before publication is skipped."""
    rnd = published_round(store)
    if rnd is None:
        return
    published = dt.datetime.fromisoformat(rnd["published_at"]) if rnd["published_at"] else now
    for slot in slots(config):
        skipped = slot.due_at <= published
        store.db.execute(
            "insert into reminders (round_id, slot, due_at, status, reason, sent) values (?, ?, ?, ?, ?, 0) "
            "on conflict(round_id, slot) do nothing",
            [
                rnd["id"],
                slot.name,
                iso_utc(slot.due_at),
                "skipped" if skipped else "pending",
                "before the round was published" if skipped else None,
            ],
        )


def due_reminder(store: Store, config: Config, now: dt.datetime) -> ReminderRun | None:
    """The reminder to send now, if any, with its messages; stale slots are marked skipped.

    When the bot was down through several slots, only the latest is sent; after the deadline none.
    A slot left "running" by a crash is resumed: students already reminded are skipped by key.
    """
    ensure_schedule(store, config, now)
    rnd = published_round(store)
    if rnd is None:
        return None
    due = list(
        store.rows(
            "reminders",
            "round_id = ? and status in ('pending', 'running') and due_at <= ?",
            [rnd["id"], iso_utc(now)],
            order_by="due_at",
        )
    )
    if not due:
        return None
    if now >= config.course.comments_due:
        for row in due:
            _close(store, row["id"], "skipped", "the comment deadline had passed")
        return None
    for row in due[:-1]:
        _close(store, row["id"], "skipped", "a later reminder was due (the bot was down)")
    row = due[-1]
    store.db["reminders"].update(row["id"], {"status": "running"})  # type: ignore[union-attr]
    run = ReminderRun(reminder_id=row["id"], slot=row["slot"])
    people = _people(store)
    limit = config.schedule.max_reminders
    used = budgets_used(store, rnd["id"])
    heading = (
        f"**{config.course.name}**: reminder, comments are due in about {row['slot'].lstrip('h')} hours."
    )
    footer = f"Due **{due_text(config)}**. `/reviews` shows where you stand."
    for student, all_lines in sorted(by_reviewer(review_lines(store)).items()):
        lines = [line for line in all_lines if not line.done]
        person = people.get(student, {})
        if not lines or not person.get("active"):
            continue
        if used[student] >= limit:
            run.over_budget.append(student)
            continue
        text = [heading, f"Still open: {len(lines)} of your {len(all_lines)} reviews."]
        text += [_post_line(i, line) + f" ({line.explain()})" for i, line in enumerate(lines, 1)]
        text.append(footer)
        key = f"reminder:{rnd['id']}:{row['slot']}:{student}"
        run.messages.append(_message("reminder", key, student, person, "\n".join(text), rnd["id"]))
    return run


def budgets_used(store: Store, round_id: int) -> Counter[str]:
    """Per student, messages of the round that count against the reminder budget (publication and
    reminders)."""
    rows = store.db.execute(
        "select student_key, count(*) from deliveries where round_id = ? "
        "and kind in ('assignment', 'reminder') and status not in ('unlinked', 'failed') "
        "group by student_key",
        [round_id],
    )
    return Counter({student: int(n) for student, n in rows})


def budget_used(store: Store, round_id: int, student_key: str) -> int:
    """One student's messages of the round that count against the reminder budget."""
    return budgets_used(store, round_id)[student_key]


def finish_reminder(store: Store, reminder_id: int, sent: int) -> None:
    _close(store, reminder_id, "done", None, sent)


def _close(store: Store, reminder_id: int, status: str, reason: str | None, sent: int = 0) -> None:
    store.db["reminders"].update(  # type: ignore[union-attr]
        reminder_id,
        {"status": status, "reason": reason, "sent": sent, "finished_at": iso_utc(dt.datetime.now(dt.UTC))},
    )
