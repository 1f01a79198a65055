"""Discord account <-> roster identity: nobody links without a TA or the identity's own code, and
nobody claims an identity that is someone else's."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.linking import LinkError, LinkService, normalise_code
from bot.store import Store
from bot.sync import sync


@pytest.fixture
def roster(tmp_path: Path, make_config, store: Store) -> LinkService:  # type: ignore[no-untyped-def]
    (tmp_path / "roster.csv").write_text(
        "student,email,discord\nAda Park,ada@x.edu,ada_p\nBen Ode,ben@x.edu,\nCy Lu,cy@x.edu,\n"
    )
    sync(make_config(sources={"roster": {"path": "roster.csv"}}), store, env={})
    return LinkService(store)


def linked(store: Store, key: str) -> str | None:
    return store.get("students", key)["discord_id"]  # type: ignore[index]


def test_a_request_links_nothing_until_a_ta_approves(roster: LinkService, store: Store) -> None:
    request = roster.request(11, "ada_p", " ADA@x.edu ")
    assert (request.status, request.student_name, request.handle_matches) == ("pending", "Ada Park", True)
    assert linked(store, "ada@x.edu") is None
    person = roster.approve(request.id, ta_discord_id=99)
    assert person.discord_id == "11" and linked(store, "ada@x.edu") == "11"
    assert roster.person_for(11).key == "ada@x.edu"  # type: ignore[union-attr]
    assert store.get("link_requests", request.id)["decided_by"] == "99"  # type: ignore[index]


def test_nobody_approves_their_own_request(roster: LinkService, store: Store) -> None:
    request = roster.request(11, "someone", "ben@x.edu")
    with pytest.raises(LinkError, match="cannot approve your own"):
        roster.approve(request.id, ta_discord_id=11)
    assert linked(store, "ben@x.edu") is None


def test_an_identity_linked_to_someone_else_cannot_be_claimed(roster: LinkService, store: Store) -> None:
    roster.approve(roster.request(11, "ada_p", "ada@x.edu").id, 99)
    with pytest.raises(LinkError, match="already linked to another Discord account"):
        roster.request(12, "impostor", "ada@x.edu")
    code = roster.issue_code("ada@x.edu", 99)
    with pytest.raises(LinkError, match="already linked to another Discord account"):
        roster.redeem(12, "impostor", "ada@x.edu", code)
    assert linked(store, "ada@x.edu") == "11"


def test_a_rival_claim_is_closed_when_the_first_is_approved(roster: LinkService, store: Store) -> None:
    real = roster.request(11, "ada_p", "ada@x.edu")
    rival = roster.request(12, "impostor", "ada@x.edu")
    assert [r.rivals for r in roster.pending()] == [1, 1], "the TA sees that two accounts claim Ada"
    assert [r.handle_matches for r in roster.pending()] == [True, False]
    roster.approve(real.id, 99)
    assert store.get("link_requests", rival.id)["status"] == "superseded"  # type: ignore[index]
    with pytest.raises(LinkError, match="already superseded"):
        roster.approve(rival.id, 99)


def test_one_account_one_identity(roster: LinkService, store: Store) -> None:
    roster.approve(roster.request(11, "ada_p", "ada@x.edu").id, 99)
    with pytest.raises(LinkError, match="already linked to Ada Park"):
        roster.request(11, "ada_p", "ben@x.edu")
    with pytest.raises(sqlite3.IntegrityError):  # the database refuses it too
        store.db["students"].update("ben@x.edu", {"discord_id": "11"})  # type: ignore[union-attr]


def test_unknown_email_is_refused(roster: LinkService) -> None:
    with pytest.raises(LinkError, match="not on the course roster"):
        roster.request(11, "x", "nobody@x.edu")


def test_a_new_request_replaces_my_pending_one(roster: LinkService, store: Store) -> None:
    first = roster.request(11, "ben", "cy@x.edu")  # a typo
    second = roster.request(11, "ben", "ben@x.edu")
    assert store.get("link_requests", first.id)["status"] == "superseded"  # type: ignore[index]
    assert [r.id for r in roster.pending()] == [second.id]


def test_one_time_code_links_at_once_and_only_once(roster: LinkService, store: Store) -> None:
    code = roster.issue_code("cy@x.edu", 99)
    assert len(normalise_code(code)) == 10
    assert code not in str(list(store.rows("link_codes"))), "only the hash is stored"
    assert roster.redeem(21, "cy", "cy@x.edu", code.lower().replace("-", " ")).name == "Cy Lu"
    assert linked(store, "cy@x.edu") == "21"
    roster.unlink("cy@x.edu", 99)
    with pytest.raises(LinkError, match="used, replaced or has expired"):
        roster.redeem(22, "cy2", "cy@x.edu", code)


def test_a_code_only_opens_its_own_identity(roster: LinkService, store: Store) -> None:
    code = roster.issue_code("cy@x.edu", 99)
    with pytest.raises(LinkError, match="does not match this e-mail"):
        roster.redeem(21, "ben", "ben@x.edu", code)
    assert linked(store, "ben@x.edu") is None and linked(store, "cy@x.edu") is None


def test_a_new_code_replaces_the_old_and_codes_expire(roster: LinkService, store: Store) -> None:
    old = roster.issue_code("ben@x.edu", 99)
    roster.issue_code("ben@x.edu", 99)
    with pytest.raises(LinkError):
        roster.redeem(31, "ben", "ben@x.edu", old)
    issued = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    code = LinkService(store, now=issued).issue_code("ben@x.edu", 99)
    with pytest.raises(LinkError):
        LinkService(store, now=issued + dt.timedelta(days=15)).redeem(31, "ben", "ben@x.edu", code)


def test_guessing_codes_is_rate_limited(roster: LinkService) -> None:
    code = roster.issue_code("ben@x.edu", 99)
    for _ in range(5):
        with pytest.raises(LinkError, match="does not match"):
            roster.redeem(41, "guesser", "ben@x.edu", "AAAAA-AAAAA")
    with pytest.raises(LinkError, match="Too many wrong codes"):
        roster.redeem(41, "guesser", "ben@x.edu", code)


def test_asking_again_does_not_make_a_new_request(roster: LinkService) -> None:
    first = roster.request(11, "ada_p", "ada@x.edu")
    again = roster.request(11, "ada_p", "ada@x.edu")
    assert (again.id, again.fresh, first.fresh) == (first.id, False, True)
    assert len(roster.pending()) == 1
