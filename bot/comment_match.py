"""Who wrote a comment: the comment's signature (name, handle, profile link, account id) against the
roster (name, e-mail, Discord handle, Canvas id, the handle in each student's own post link).

Fuzzy but careful: "Ana Rivera", "ana.rivera", "anarivera" and "Ana R." can all be Ana Rivera, but
a weak match ("Ana R.") counts only when no other student fits as well, and a signature that fits
another student better is that student's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapers.comments import Comment

EXACT, STRONG, PARTIAL, WEAK, NONE = 4, 3, 2, 1, 0
_PROFILE_HOSTS = ("github.com", "medium.com", "dev.to", "twitter.com", "x.com", "linkedin.com", "gitlab.com")
_SUBDOMAIN_HOSTS = (".github.io", ".wordpress.com", ".medium.com", ".blogspot.com", ".substack.com")


def fold(text: str) -> str:
    """Lower case, accents and everything but letters and digits dropped: "Ana R." -> "anar"."""
    return "".join(_tokens(text))


def _tokens(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return [t for t in re.split(r"[^0-9a-z]+", plain) if t]


def handles_in_url(url: str) -> set[str]:
    """Folded account names a link carries: `medium.com/@ana`, `dev.to/ana`, `ana.github.io`, `/@ana/`."""
    try:
        parts = urlsplit(url if "://" in (url or "") else f"https://{url or ''}")
    except ValueError:
        return set()
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in (parts.path or "").split("/") if s]
    found: set[str] = set()
    for segment in segments[:2]:
        if segment.startswith("@") and len(segment) > 2:
            found.add(fold(segment[1:]))
    if host in _PROFILE_HOSTS and segments and not segments[0].startswith("@"):
        if segments[0] not in ("in", "u", "users", "p", "feed"):
            found.add(fold(segments[0]))
        elif len(segments) > 1:
            found.add(fold(segments[1]))
    for suffix in _SUBDOMAIN_HOSTS:
        if host.endswith(suffix) and host.count(".") == suffix.count(".") + 1:
            found.add(fold(host[: -len(suffix)]))
    return {h for h in found if len(h) >= 3}


@dataclass(frozen=True)
class Identity:
    """What the roster knows about one student, folded for comparison."""

    key: str
    name: str
    tokens: tuple[str, ...]
    handles: frozenset[str]  # folded: the whole name, the e-mail's local part, Discord and post handles
    emails: frozenset[str]
    canvas_id: str = ""


def identities(
    students: Iterable[Mapping[str, Any]], posts: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Identity]:
    """One Identity per student; each student's own post links add the handles they carry."""
    post_handles: dict[str, set[str]] = {}
    for post in posts:
        owner = post.get("student_key")
        if owner:
            for link in (post.get("url") or "", post.get("submitted_url") or ""):
                post_handles.setdefault(owner, set()).update(handles_in_url(link))
    out = {}
    for row in students:
        key = row["key"]
        name = row.get("name") or ""
        email = (row.get("email") or "").strip().lower()
        handles = {fold(name)}
        if email and "@" in email:
            handles.add(fold(email.split("@", 1)[0]))
        discord = (row.get("discord_handle") or "").strip().lstrip("@").split("#", 1)[0]
        if discord:
            handles.add(fold(discord))
        handles |= post_handles.get(key, set())
        out[key] = Identity(
            key=key,
            name=name,
            tokens=tuple(_tokens(name)),
            handles=frozenset(h for h in handles if len(h) >= 3),
            emails=frozenset({email} if email else set()),
            canvas_id=str(row["canvas_id"]) if row.get("canvas_id") not in (None, "") else "",
        )
    return out


@dataclass(frozen=True)
class Fit:
    level: int
    why: str = ""


@dataclass(frozen=True)
class Signature:
    """A comment's signature, folded once: name words, account names, e-mail, Canvas account."""

    text: str
    words: tuple[str, ...]
    folded: str
    accounts: tuple[tuple[str, str], ...]  # (as shown, folded): the login, handles in the profile link
    email: str
    canvas_id: str

    @classmethod
    def of(cls, comment: Comment) -> Signature:
        text = comment.author.strip()
        accounts = [(h, fold(h)) for h in (comment.handle, *sorted(handles_in_url(comment.author_url))) if h]
        return cls(
            text=text,
            words=tuple(_tokens(text)),
            folded=fold(text),
            accounts=tuple(accounts),
            email=text.lower() if "@" in text else "",
            canvas_id=comment.author_id if comment.platform == "canvas" else "",
        )

    def index_words(self) -> set[str]:
        """The index words that may lead to a student."""
        found = {*self.words, self.folded, *(f for _, f in self.accounts)}
        if self.email:
            found.add(self.email)
        if self.canvas_id:
            found.add(f"canvas:{self.canvas_id}")
        return found - {""}


def fit(identity: Identity, comment: Comment | Signature) -> Fit:
    """How well a comment's signature fits one student, with the evidence in words."""
    sig = comment if isinstance(comment, Signature) else Signature.of(comment)
    if identity.canvas_id and sig.canvas_id == identity.canvas_id:
        return Fit(EXACT, "same Canvas account")
    if sig.email and sig.email in identity.emails:
        return Fit(EXACT, "same e-mail")
    for shown, folded in sig.accounts:
        if folded in identity.handles:
            return Fit(STRONG, f"account {shown!r}")
    if not sig.text:
        return Fit(NONE)
    words, signature = sig.words, sig.text
    if sig.folded in identity.handles:
        return Fit(STRONG, f"signed {signature!r}")
    mine = identity.tokens
    if not words or not mine:
        return Fit(NONE)
    if set(words) == set(mine):
        return Fit(STRONG, f"signed {signature!r}")
    if len(words) >= 2 and len(mine) >= 2 and words[0] == mine[0] and words[-1] == mine[-1]:
        return Fit(STRONG, f"signed {signature!r}")
    if len(words) >= 2 and set(words) <= set(mine):
        return Fit(PARTIAL, f"signed {signature!r}")
    if len(words) >= 2 and len(mine) >= 2:
        first, last = words[0], words[-1]
        if first == mine[0] and len(last) == 1 and mine[-1].startswith(last):
            return Fit(WEAK, f"signed {signature!r}")  # "Ana R."
        if len(first) == 1 and mine[0].startswith(first) and last == mine[-1]:
            return Fit(WEAK, f"signed {signature!r}")  # "A. Rivera"
    if len(words) == 1 and words[0] == mine[0] and len(words[0]) >= 3:
        return Fit(WEAK, f"signed {signature!r}")  # first name only
    return Fit(NONE)


@dataclass(frozen=True)
class Attribution:
    """Whose comment it is, as far as the roster tells."""

    verdict: str  # reviewer | other | unknown
    reason: str
    other: str = ""  # the other student's key
    level: int = NONE


class Matcher:
    """Attributes comments to the students of one roster.

    Only students who share a name word, a handle, an e-mail or a Canvas account with a signature
    are compared with it (an index), and each signature is compared once, so a comment costs about
    the same whatever the size of the class.
    """

    def __init__(self, people: Mapping[str, Identity]) -> None:
        self.people = dict(people)
        self._index: dict[str, set[str]] = {}
        for key, person in self.people.items():
            for word in (*person.tokens, *person.handles, *person.emails):
                self._index.setdefault(word, set()).add(key)
            if person.canvas_id:
                self._index.setdefault(f"canvas:{person.canvas_id}", set()).add(key)
        self._fits: dict[Signature, list[tuple[int, str, Fit]]] = {}

    def fits(self, sig: Signature) -> list[tuple[int, str, Fit]]:
        """(level, student, fit) of every student the signature fits at all, best first."""
        cached = self._fits.get(sig)
        if cached is None:
            candidates: set[str] = set()
            for word in sig.index_words():
                candidates |= self._index.get(word, set())
            scored = [
                (f.level, key, f) for key in candidates if (f := fit(self.people[key], sig)).level > NONE
            ]
            cached = sorted(scored, key=lambda t: (-t[0], t[1]))
            self._fits[sig] = cached
        return cached

    def attribute(self, comment: Comment, reviewer: str) -> Attribution:
        me = self.people.get(reviewer)
        signed = comment.author or comment.handle or "no name"
        if me is None:
            return Attribution("unknown", f"the reviewer {reviewer!r} is not on the roster")
        sig = Signature.of(comment)
        ranked = self.fits(sig)
        mine = next((f for _, key, f in ranked if key == reviewer), Fit(NONE))
        best_other, other_key = next(((f, key) for _, key, f in ranked if key != reviewer), (Fit(NONE), ""))
        if mine.level >= PARTIAL and mine.level > best_other.level:
            return Attribution("reviewer", f"by {me.name} ({mine.why})", level=mine.level)
        if mine.level == WEAK and best_other.level == NONE:
            return Attribution(
                "reviewer", f"by {me.name} ({mine.why}; no other student fits)", level=mine.level
            )
        if best_other.level >= PARTIAL and best_other.level > mine.level:
            other = self.people[other_key].name
            return Attribution("other", f"written by {other} ({best_other.why}), not by {me.name}", other_key)
        if mine.level >= WEAK and mine.level == best_other.level:
            other = self.people[other_key].name
            return Attribution(
                "unknown", f"signed {signed!r}, which fits both {me.name} and {other}", level=mine.level
            )
        return Attribution(
            "unknown", f"signed {signed!r}, which is not {me.name}'s roster name, e-mail or handles"
        )
