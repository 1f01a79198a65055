"""Schema migrations for the Reviewbot database (sqlite-utils `Migrations`).

Each migration is applied once, inside a transaction, and recorded in `_sqlite_migrations`.
Never edit an applied migration: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("reviewbot")


@migrations()
def m001_initial(db: Database) -> None:
    """Students, posts, flags, snapshots, checks, rounds, assignments, comments, audit runs."""
    db["students"].create(
        {
            "key": str,  # stable id: canvas:<id>, else e-mail, else name:<folded name>
            "name": str,
            "email": str,
            "sis_id": str,
            "canvas_id": int,
            "role": str,  # student | ta
            "team": str,
            "tool": str,
            "discord_id": str,
            "discord_handle": str,
            "active": int,
            "source": str,
            "first_seen": str,
            "updated_at": str,
        },
        pk="key",
        not_null={"name", "role", "active"},
        defaults={"role": "student", "active": 1},
    )
    db["students"].create_index(["email"])
    db["students"].create_index(["canvas_id"])

    db["posts"].create(
        {
            "key": str,  # canonical URL: one post is one row
            "url": str,  # normalised link, as shown to people
            "submitted_url": str,  # the link exactly as the student gave it
            "student_key": str,
            "platform": str,
            "tool": str,
            "source": str,
            "status": str,  # current | replaced
            "first_seen": str,
            "updated_at": str,
        },
        pk="key",
        foreign_keys=[("student_key", "students", "key")],
        not_null={"url", "status"},
    )
    db["posts"].create_index(["student_key"])

    db["flags"].create(
        {
            "id": str,  # hash of (student, kind, detail): the same finding is one row
            "student_key": str,
            "post_key": str,
            "kind": str,
            "detail": str,
            "source": str,
            "first_seen": str,
            "resolved_at": str,
        },
        pk="id",
        not_null={"kind", "detail"},
    )
    db["flags"].create_index(["student_key"])
    db["flags"].create_index(["kind"])

    db["snapshots"].create(
        {
            "id": int,
            "post_key": str,
            "sha256": str,  # raw bytes live on disk, content-addressed, stored once
            "url": str,
            "final_url": str,
            "status": int,
            "content_type": str,
            "headers": str,  # JSON of the headers that matter (etag, last-modified, ...)
            "size": int,
            "fetched_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("post_key", "posts", "key")],
    )
    db["snapshots"].create_index(["post_key", "fetched_at"])
    db["snapshots"].create_index(["sha256"])

    db["checks"].create(
        {
            "id": int,
            "post_key": str,
            "sha256": str,
            "model_version": str,
            "result": str,  # JSON verdict: sections, confidence, evidence, flags
            "created_at": str,
        },
        pk="id",
    )
    db["checks"].create_index(["sha256", "model_version"], unique=True)
    db["checks"].create_index(["post_key"])

    db["rounds"].create(
        {
            "id": int,
            "status": str,  # preview | published
            "seed": int,
            "k": int,
            "constraint_log": str,  # JSON list of relaxations, with reasons
            "created_at": str,
            "published_at": str,
        },
        pk="id",
    )

    db["assignments"].create(
        {
            "id": int,
            "round_id": int,
            "revision": int,  # 0 at publication; each later change is a new revision
            "reviewer_key": str,
            "author_key": str,
            "post_key": str,
            "status": str,  # active | replaced
            "reason": str,  # why this row exists (initial, late post, stalled review, ...)
            "lease_ends_at": str,
            "replaced_by": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("round_id", "rounds", "id")],
    )
    db["assignments"].create_index(["reviewer_key"])
    db["assignments"].create_index(["post_key"])

    db["comments"].create(
        {
            "id": str,  # hash of (reviewer, slot or url)
            "assignment_id": int,
            "reviewer_key": str,
            "post_key": str,
            "slot": int,  # 1 or 2 on the claim sheet; null when reported another way
            "url": str,
            "source": str,  # sheet | canvas | discord | found
            "status": str,  # reported | found | missing | unverified
            "author": str,
            "posted_at": str,
            "text": str,
            "substantive": int,
            "score": float,
            "reasons": str,
            "first_seen": str,
            "updated_at": str,
        },
        pk="id",
    )
    db["comments"].create_index(["reviewer_key"])

    db["audit_runs"].create(
        {
            "id": int,
            "kind": str,  # sync | audit | demo
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | failed
            "counts": str,  # JSON
            "errors": str,  # JSON list of messages
        },
        pk="id",
    )


@migrations()
def m002_round_revisions(db: Database) -> None:
    """Every change to a published round, with its reason, for the record and for announcements."""
    db["revisions"].create(
        {
            "id": int,
            "round_id": int,
            "revision": int,  # 0: publication; then 1, 2, ... one per change
            "reason": str,  # published | late posts | departed students | stalled reviews | ...
            "detail": str,  # JSON: pairs added and replaced, relaxations
            "created_at": str,
            "announced_at": str,  # set by the Discord layer once it has told the people concerned
        },
        pk="id",
        foreign_keys=[("round_id", "rounds", "id")],
    )
    db["revisions"].create_index(["round_id", "revision"], unique=True)
    db["assignments"].create_index(["round_id", "status"])


@migrations()
def m003_fetch_state(db: Database) -> None:
    """Each post's latest fetch (status, reason, snapshot, extracted metadata); one row per version."""
    posts = db["posts"]
    for column, kind in [
        ("fetch_status", str),  # ok | failed
        ("fetch_reason", str),  # a reason a TA understands, when it failed
        ("sha256", str),  # the snapshot the post's text comes from
        ("snapshot_kind", str),  # which fetch step gave it: page | json | feed | api | raw | oembed
        ("fetched_at", str),
        ("changed_at", str),  # when the post's text last changed (bytes alone until m006)
        ("title", str),
        ("author", str),
        ("published", str),
        ("words", int),
        ("post_flags", str),  # JSON list: member_only_partial, video_post, ...
    ]:
        posts.add_column(column, kind)  # type: ignore[union-attr]
    db["snapshots"].add_column("kind", str)  # type: ignore[union-attr]
    db["snapshots"].create_index(["post_key", "sha256"], unique=True)  # type: ignore[union-attr]


@migrations()
def m004_discord(db: Database) -> None:
    """The Discord layer: account links (requests, one-time codes, attempts), deliveries, reminders."""
    db["link_requests"].create(
        {
            "id": int,
            "discord_id": str,  # the Discord account asking
            "discord_name": str,  # its user name when it asked (for the TA who decides)
            "student_key": str,  # the roster identity it claims
            "email": str,  # the e-mail it gave, as typed
            "status": str,  # pending | approved | rejected | superseded | code
            "created_at": str,
            "decided_at": str,
            "decided_by": str,  # Discord id of the TA who decided
            "note": str,
        },
        pk="id",
        not_null={"discord_id", "student_key", "status"},
    )
    db["link_requests"].create_index(["status"])
    db["link_requests"].create_index(["student_key"])
    db["link_codes"].create(
        {
            "id": int,
            "student_key": str,
            "code_hash": str,  # sha256 of the code: the code itself is never stored
            "created_at": str,
            "created_by": str,
            "expires_at": str,
            "used_at": str,
            "used_by": str,  # Discord id that redeemed it
            "revoked_at": str,
        },
        pk="id",
        not_null={"student_key", "code_hash"},
    )
    db["link_codes"].create_index(["code_hash"], unique=True)
    db["link_attempts"].create({"id": int, "discord_id": str, "at": str, "ok": int}, pk="id")
    db["link_attempts"].create_index(["discord_id", "at"])
    # One Discord account per roster identity and one identity per account, enforced by the database.
    db.execute(
        "create unique index idx_students_discord_id on students (discord_id) "
        "where discord_id is not null and discord_id != ''"
    )

    db["deliveries"].create(
        {
            "id": int,
            "key": str,  # one delivery per key, ever: a restart never sends it again
            "kind": str,  # assignment | revision | reminder | link
            "round_id": int,
            "student_key": str,
            "discord_id": str,
            "status": str,  # sending | sent | fallback | mention | failed | unlinked
            "channel": str,  # dm | thread | mention | none
            "dm_error": str,  # dm_closed (Discord error 50007) or another reason the DM failed
            "error": str,
            "thread_id": str,  # the private fallback thread, reused for later messages
            "created_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"key", "kind", "status"},
    )
    db["deliveries"].create_index(["key"], unique=True)
    db["deliveries"].create_index(["student_key", "kind"])

    db["reminders"].create(
        {
            "id": int,
            "round_id": int,
            "slot": str,  # h48, h12, ...: hours before the comment deadline
            "due_at": str,  # UTC
            "status": str,  # pending | running | done | skipped
            "reason": str,  # why it was skipped
            "sent": int,
            "finished_at": str,
        },
        pk="id",
        not_null={"round_id", "slot", "due_at", "status"},
    )
    db["reminders"].create_index(["round_id", "slot"], unique=True)

    db["discord_state"].create({"key": str, "value": str, "updated_at": str}, pk="key")


@migrations()
def m005_comments(db: Database) -> None:
    """Comment verification: lateness and the judged text per comment, the judge's verdict cache."""
    comments = db["comments"]
    for column, kind in [
        ("late", int),  # 1: posted after the comment deadline plus grace; 0: on time; null: no date
        ("text_sha256", str),  # the text the verdict is about
        ("judge_version", str),  # the comment judge's MODEL_VERSION that gave the verdict
    ]:
        comments.add_column(column, kind)  # type: ignore[union-attr]
    comments.create_index(["assignment_id"])  # type: ignore[union-attr]
    db["comment_verdicts"].create(
        {
            "id": str,  # hash of (text sha256, post key, model version): one verdict, judged once
            "text_sha256": str,
            "post_key": str,
            "model_version": str,
            "substantive": int,
            "score": float,
            "reasons": str,  # JSON list of TA-readable strings
            "created_at": str,
        },
        pk="id",
    )


@migrations()
def m006_post_text_digest(db: Database) -> None:
    """A digest of each post's extracted text: `changed_at` (and so `edited_late`) follows the text
    the student wrote, not the page's bytes, which change with every new comment or counter."""
    db["posts"].add_column("text_sha256", str)  # type: ignore[union-attr]


@migrations()
def m007_check_text_digest(db: Database) -> None:
    """The text digest each verdict was given for: a new snapshot with the same text reuses it."""
    db["checks"].add_column("text_sha256", str)  # type: ignore[union-attr]
    db["checks"].create_index(["post_key", "text_sha256", "model_version"])  # type: ignore[union-attr]


@migrations()
def m008_post_discussion(db: Database) -> None:
    """The Canvas topic ("Blog: ...") that links out to each post: classmates' replies there are
    comments on the post, read alongside its own platform's comments."""
    db["posts"].add_column("discussion_url", str)  # type: ignore[union-attr]


@migrations()
def m009_snapshot_text_and_check_tool(db: Database) -> None:
    """The text digest of each snapshot (an edit is the text changing between two readings through
    the same fetch step), and the claimed tool each verdict was given with (it decides the
    `tool_not_mentioned` flag, so a verdict is only reused for the same tool)."""
    db["snapshots"].add_column("text_sha256", str)  # type: ignore[union-attr]
    db["checks"].add_column("tool", str)  # type: ignore[union-attr]
