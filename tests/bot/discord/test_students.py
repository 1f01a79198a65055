"""Student commands, called through their callbacks with spec'd fakes of discord.py objects."""

from __future__ import annotations

import json

import pytest

from bot.reminders import review_lines
from bot.store import Store, utcnow


def cog(bot):  # type: ignore[no-untyped-def]
    return bot.get_cog("Students")


async def test_unlinked_user_is_told_to_link_first(fake, bot, course) -> None:  # type: ignore[no-untyped-def]
    for command in ("reviews", "mypost"):
        interaction = fake.interaction(fake.member(55555))
        await getattr(cog(bot), command).callback(cog(bot), interaction)
        assert "/link" in fake.text(interaction) and fake.ephemeral(interaction)
    interaction = fake.interaction(fake.member(55555))
    await cog(bot).comment.callback(cog(bot), interaction, "1", "https://ada.dev/post#c1")
    assert "/link" in fake.text(interaction)


async def test_reviews_lists_only_my_posts_ephemerally(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    interaction = fake.interaction(fake.student("Ada"))
    await cog(bot).reviews.callback(cog(bot), interaction)
    assert fake.ephemeral(interaction)
    text = fake.text(interaction)
    mine = review_lines(store, "ada@x.edu")
    assert len(mine) == 2
    for line in mine:
        assert line.post_url in text and line.author_name in text
    others = {line.post_url for line in review_lines(store)} - {line.post_url for line in mine}
    assert not any(url in text for url in others if url != "https://ada.dev/post")
    assert "Nov 2026, 23:59 EST" in text, "the due date in the course's time zone"
    assert "No comment found yet" in text


async def test_reviews_says_why_a_comment_does_not_count(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    first, second = review_lines(store, "ben@x.edu")
    store.db["comments"].insert_all(  # type: ignore[union-attr]
        [
            {
                "id": "c1",
                "assignment_id": first.assignment_id,
                "reviewer_key": "ben@x.edu",
                "status": "found",
                "substantive": 0,
                "reasons": json.dumps(["generic praise, nothing from the post"]),
                "url": first.post_url + "#c",
                "updated_at": utcnow(),
            },
            {
                "id": "c2",
                "reviewer_key": "ben@x.edu",
                "status": "found",
                "substantive": 1,
                "url": second.post_url + "#comment-3",
                "updated_at": utcnow(),
            },
        ]
    )
    interaction = fake.interaction(fake.student("Ben"))
    await cog(bot).reviews.callback(cog(bot), interaction)
    text = fake.text(interaction)
    assert "not substantive: generic praise, nothing from the post" in text
    assert "judged substantive" in text and "1 of 2 done" in text


async def test_a_student_cannot_see_another_students_results(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    post = store.get("posts", "ben.dev/post")
    store.db["checks"].insert(  # type: ignore[union-attr]
        {
            "post_key": "ben.dev/post",
            "sha256": "b" * 64,
            "model_version": "m1",
            "created_at": utcnow(),
            "result": json.dumps(
                {
                    "sections": {
                        "problem": {"present": True, "confidence": 0.9, "evidence": "BEN-SECRET-EVIDENCE"}
                    }
                }
            ),
        }
    )
    store.db["posts"].update(post["key"], {"sha256": "b" * 64, "fetch_status": "ok"})  # type: ignore[union-attr]
    interaction = fake.interaction(fake.student("Ada"))
    await cog(bot).mypost.callback(cog(bot), interaction)
    text = fake.text(interaction)
    assert "BEN-SECRET-EVIDENCE" not in text and "ada.dev/post" in text
    assert not hasattr(cog(bot).mypost.callback, "student"), "no argument can name another student"
    interaction = fake.interaction(fake.student("Ben"))
    await cog(bot).mypost.callback(cog(bot), interaction)
    assert "BEN-SECRET-EVIDENCE" in fake.text(interaction) and fake.ephemeral(interaction)


async def test_mypost_not_checked_yet_then_with_evidence_and_missing(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    interaction = fake.interaction(fake.student("Cy"))
    await cog(bot).mypost.callback(cog(bot), interaction)
    assert "Not fetched yet" in fake.text(interaction)
    store.db["posts"].update(
        "cy.dev/post",
        {
            "sha256": "c" * 64,
            "fetch_status": "ok",
            "words": 350,  # type: ignore[union-attr]
            "title": "Cy on Tool2",
        },
    )
    interaction = fake.interaction(fake.student("Cy"))
    await cog(bot).mypost.callback(cog(bot), interaction)
    assert "not checked yet" in fake.text(interaction)
    sections = {
        "problem": {"present": True, "confidence": 0.93, "evidence": "Recommenders drift.", "heading": "Why"},
        "movie_example": {"present": False, "confidence": 0.2, "evidence": "", "heading": ""},
        "strengths_limitations": {
            "present": True,
            "confidence": 0.8,
            "evidence": "It is slow.",
            "heading": "",
        },
    }
    store.db["checks"].insert(  # type: ignore[union-attr]
        {
            "post_key": "cy.dev/post",
            "sha256": "c" * 64,
            "model_version": "m1",
            "created_at": utcnow(),
            "result": json.dumps({"sections": sections, "flags": ["too_short"]}),
        }
    )
    interaction = fake.interaction(fake.student("Cy"))
    await cog(bot).mypost.callback(cog(bot), interaction)
    text = fake.text(interaction)
    assert "Recommenders drift." in text and "Why" in text and "0.93" in text
    assert "movie-streaming scenario: missing" in text and "Missing 1 of 3" in text
    assert "at least 400" in text and "shorter than the course asks" in text


async def test_comment_report_is_stored_as_reported_from_discord(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    line = review_lines(store, "di@x.edu")[0]
    interaction = fake.interaction(fake.student("Di"))
    choices = await cog(bot)._post_choices(interaction, "")
    assert [c.value for c in choices] == [f"a:{x.assignment_id}" for x in review_lines(store, "di@x.edu")]
    link = "https://medium.com/@di/a-response-1234abcd5678"
    await cog(bot).comment.callback(cog(bot), interaction, f"a:{line.assignment_id}", link)
    assert "You reported" in fake.text(interaction) and fake.ephemeral(interaction)
    rows = list(store.rows("comments", "reviewer_key = 'di@x.edu'"))
    assert len(rows) == 1
    assert (rows[0]["status"], rows[0]["source"], rows[0]["assignment_id"]) == (
        "reported",
        "discord",
        line.assignment_id,
    )
    assert review_lines(store, "di@x.edu")[0].comment_status == "reported"


@pytest.mark.parametrize(
    ("post", "link", "why"),
    [
        ("a:999999", "https://x.dev/c#1", "not one of yours"),
        ("1", "javascript:alert(1)", "does not work"),
        ("1", "FIRST-POST", "the post itself"),
    ],
)
async def test_comment_refusals(fake, bot, course, store: Store, post: str, link: str, why: str) -> None:  # type: ignore[no-untyped-def]
    if link == "FIRST-POST":
        link = review_lines(store, "ed@x.edu")[0].post_url
    interaction = fake.interaction(fake.student("Ed"))
    await cog(bot).comment.callback(cog(bot), interaction, post, link)
    assert why in fake.text(interaction)
    assert not list(store.rows("comments", "reviewer_key = 'ed@x.edu'"))


async def test_comment_on_someone_elses_assignment_is_refused(fake, bot, course, store: Store) -> None:  # type: ignore[no-untyped-def]
    theirs = review_lines(store, "ada@x.edu")[0]
    interaction = fake.interaction(fake.student("Flo"))
    await cog(bot).comment.callback(cog(bot), interaction, f"a:{theirs.assignment_id}", "https://x.dev/c#1")
    assert "not one of yours" in fake.text(interaction)


async def test_link_request_goes_to_tas_and_links_nothing(
    fake, bot, config, store: Store, ta_channel
) -> None:  # type: ignore[no-untyped-def]
    from bot.sync import sync

    sync(config, store, env={})
    user = fake.member(4242, name="ada_dc")
    interaction = fake.interaction(user)
    await cog(bot).link.callback(cog(bot), interaction, "ADA@x.edu")
    assert "Request #1" in fake.text(interaction) and fake.ephemeral(interaction)
    assert store.get("students", "ada@x.edu")["discord_id"] is None, "nothing is linked before a TA approves"
    await fake.settle(bot)
    assert "New link request #1" in ta_channel.send.call_args.args[0]


async def test_link_with_a_code_links_at_once(fake, bot, config, store: Store, transport) -> None:  # type: ignore[no-untyped-def]
    from bot.linking import LinkService
    from bot.sync import sync

    sync(config, store, env={})
    code = LinkService(store).issue_code("ben@x.edu", 1)
    interaction = fake.interaction(fake.member(4343))
    await cog(bot).link.callback(cog(bot), interaction, "ben@x.edu", code.lower())
    assert "you are Ben" in fake.text(interaction)
    assert store.get("students", "ben@x.edu")["discord_id"] == "4343"
    await fake.settle(bot)
    assert transport.dms and "linked to Ben" in transport.dms[0][1]


async def test_no_student_command_takes_another_student(fake, bot) -> None:  # type: ignore[no-untyped-def]
    for command in cog(bot).get_app_commands():
        names = {p.name for p in command.parameters}
        assert not names & {"student", "user", "member", "email_of"}, command.name
