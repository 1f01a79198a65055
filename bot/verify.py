"""Comment verification: find each assigned comment, check it is the right one, judge its substance.

For every active review of the published round, the comments of the assigned post are listed through
its platform's source (`scrapers.comments`) and, when the post was announced in a Canvas topic that
links out to it ("Blog: ..." pointing at Medium, WordPress, ...), the replies in that topic as well;
the links students reported (claim sheet, Discord `/comment`) are followed, and each comment is
checked: written by the reviewer (roster name, e-mail, Discord and post handles, Canvas id; a reply
by the post's author is the author's, never a review), on the assigned post (a link to another post
is a mismatch), by the comment deadline plus grace (late ones are kept, marked late), and not the
same text as the student's other comment. The substance judge (models.comments) reads each new text
once: verdicts are cached by (text hash, post, model version).

Statuses: `found`; `missing` only when the post's whole comment list was read and holds nothing by
the reviewer (a stalled review may then be handed on); `unverified` when it could not be checked
(Medium without a readable response, a signature that fits nobody): a TA spot-checks it.

Network work runs in threads; every database write happens in the calling thread, in one
transaction. One failing post never stops the others. A second run with nothing new writes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.comment_fetch import CommentFetcher, Credentials
from bot.comment_match import Matcher, identities
from bot.config import CommentsConfig, Config
from bot.fetching import VIDEO_PLATFORMS, article_from_snapshot, fetch_policy
from bot.review_match import post_key_of
from bot.snapshots import SnapshotStore
from bot.store import Store, parse_time, utcnow
from scrapers.comments import (
    Comment,
    CommentStep,
    Listing,
    canvas_topic,
    combine,
    discussion_plan,
    link_plan,
    plan,
    points_at,
)
from scrapers.comments import medium as medium_comments
from scrapers.comments._util import host_of, page_url, path_key
from scrapers.fetch import Fetcher
from scrapers.urls import BadLink, normalise

REPORTED_SOURCES = ("sheet", "discord")
BOT_SOURCES = ("found", "canvas")
SELF_REPORTED = "unverified, self-reported: a TA should spot-check it"


class Judge(Protocol):
    MODEL_VERSION: str

    def encode_post(self, article: Any) -> Any: ...

    def judge_encoded(self, texts: list[str], post_encoding: Any) -> list[Any]: ...


JudgeFactory = Callable[[], Judge]


# Where the comment APIs are and which variable holds the GitHub token: bot.toml `[comments]`.
VerifySettings = CommentsConfig


# the judge, loaded once per process and only when a new text needs it -----------------------------

_judge: Judge | None = None
_judge_lock = threading.Lock()


def _judge_class() -> Any:
    """The comment judge class (models.comments), imported only when a comment needs judging."""
    from models.comments import CommentJudge

    return CommentJudge


def load_judge() -> Judge:
    global _judge
    with _judge_lock:
        if _judge is None:
            _judge = _judge_class().load()
        return _judge


def _model_version(factory: Any) -> str | None:
    version = getattr(factory, "MODEL_VERSION", None)
    if version:
        return str(version)
    if factory is load_judge:
        return str(_judge_class().MODEL_VERSION)
    return None


# results -----------------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    """What one verification run found and wrote."""

    found: int = 0  # assigned comments found
    missing: int = 0  # looked at the whole list: not there
    unverified: int = 0  # could not be checked: a TA spot-checks
    late: int = 0  # found, posted after the deadline plus grace
    mismatched: int = 0  # reported links to another post, or to someone else's comment
    substantive: int = 0  # found and judged substantive
    duplicates: int = 0  # comments with the same text as the student's other one
    unchecked: int = 0  # reviews whose post's comments could not be read (nothing written)
    skipped: list[str] = field(default_factory=list)  # which reviews were not checked, and why
    judged: int = 0
    cached: int = 0
    written: Counter = field(default_factory=Counter)  # inserted / updated / deleted / unchanged
    errors: list[str] = field(default_factory=list)
    published: bool = True  # False: no round is published yet, nothing to verify
    judge_error: str = ""  # why new comments were not judged (the judge could not be loaded)

    @property
    def counts(self) -> dict[str, int]:
        names = ("found", "missing", "unverified", "late", "mismatched", "substantive", "duplicates")
        return {name: getattr(self, name) for name in names}

    def summary(self) -> str:
        if not self.published:
            return "no round published yet"
        text = (
            f"{self.found} found ({self.substantive} substantive, {self.late} late), {self.missing} missing, "
            f"{self.unverified} unverified, {self.mismatched} mismatched"
        )
        if self.duplicates:
            text += f", {self.duplicates} duplicate texts"
        if self.unchecked:
            text += f"; {self.unchecked} not checked (comments unreadable)"
        text += f"; judged {self.judged}, verdicts kept {self.cached}"
        if self.judge_error:
            text += " (comment judge unavailable: new comments not judged)"
        changed = self.written["inserted"] + self.written["updated"] + self.written["deleted"]
        return text + (f"; {changed} rows written" if changed else "; nothing changed")


@dataclass
class Review:
    """One active assignment and the post to comment on."""

    id: int
    reviewer: str
    author: str
    post_key: str  # the assignment's post, or the author's current post (reviews follow the author)
    keys: frozenset[str]
    url: str
    platform: str
    title: str = ""


@dataclass
class Outcome:
    """What verification says about one comment row."""

    status: str  # found | missing | unverified
    post_key: str
    assignment_id: int | None = None
    comment: Comment | None = None
    reasons: list[str] = field(default_factory=list)
    mismatched: bool = False
    judge_post: str = ""  # the post to judge the text against ("duplicate": counted once, not substantive)
    late: int | None = None
    reviewer: str = ""

    @property
    def judged_on(self) -> str:
        """The post whose verdict cache holds this comment's substance verdict."""
        return self.judge_post if self.judge_post not in ("", "duplicate") else self.post_key


@dataclass
class MediumLook:
    """A reviewer's Medium responses: their feed, and each candidate response read on its own."""

    feed_ok: bool = False
    feed_note: str = ""
    feed: dict[str, Comment] = field(default_factory=dict)  # story id -> item
    read: dict[str, Comment] = field(default_factory=dict)  # story id -> response (parent known)
    notes: dict[str, str] = field(default_factory=dict)  # story id -> why it could not be read


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _platform_of(url: str) -> str:
    try:
        return normalise(page_url(url), loopback_ok=True).platform
    except BadLink:
        return "web"


def _topic_key(url: str) -> str:
    """A Canvas topic link, compared as host and path: an entry link (`/entries/31`, `#entry-31`)
    names its topic."""
    return f"{host_of(url)}{path_key(canvas_topic(url))}" if url else ""


class VerifyService:
    """Verifies every assigned comment and every reported comment link; see the module docstring."""

    def __init__(
        self,
        store: Store,
        config: Config,
        fetcher: Fetcher | None = None,
        judge_factory: JudgeFactory | Any = load_judge,
        *,
        env: Mapping[str, str] | None = None,
        settings: VerifySettings | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.fetcher = fetcher or Fetcher(fetch_policy(config))
        self.judge_factory = judge_factory
        self.env = os.environ if env is None else env
        self.settings = settings or config.comments
        self.snapshots = SnapshotStore(config.snapshot_dir)
        self._judge: Judge | None = None
        self.version: str | None = None
        self.verdicts: dict[str, dict[str, Any]] = {}
        self._new_verdicts: list[dict[str, Any]] = []
        self.covered: set[int] = set()
        self.listings: dict[str, Listing] = {}

    # the run ---------------------------------------------------------------------------------------

    def run(self) -> VerifyReport:
        report = VerifyReport()
        rounds = list(self.store.rows("rounds", "status = 'published'", order_by="id desc", limit=1))
        if not rounds:
            report.published = False
            return report
        self.students = {s["key"]: s for s in self.store.rows("students")}
        self.posts = {p["key"]: p for p in self.store.rows("posts")}
        # a Canvas topic that links out to a post -> that post; of two, the current one (sorted last)
        linked = [p for p in self.posts.values() if p.get("discussion_url")]
        linked.sort(key=lambda p: p["status"] == "current")
        self.topics = {_topic_key(p["discussion_url"]): p["key"] for p in linked}
        current = {p["student_key"]: p for p in self.posts.values() if p["status"] == "current"}
        self.matcher = Matcher(identities(self.students.values(), self.posts.values()))
        reviews = self._reviews(rounds[0]["id"], current)
        self.by_reviewer: dict[str, list[Review]] = defaultdict(list)
        for review in reviews:
            self.by_reviewer[review.reviewer].append(review)
        rows = list(self.store.rows("comments", order_by="id"))
        active = {k for k, s in self.students.items() if s.get("active")}
        reported = [r for r in rows if r["source"] in REPORTED_SOURCES and r["reviewer_key"] in active]
        comment_fetcher = CommentFetcher(self.fetcher, self._credentials())
        try:
            outcomes = self._verify(reviews, reported, comment_fetcher, report)
        finally:
            comment_fetcher.close()
        self._check_duplicates(outcomes, report)
        self._judge_all(outcomes, report)
        self._write(outcomes, rows, reviews, report)
        return report

    def _reviews(self, round_id: int, current: dict[str, dict[str, Any]]) -> list[Review]:
        reviews = []
        for a in self.store.rows(
            "assignments", "round_id = ? and status = 'active'", [round_id], order_by="id"
        ):
            post = current.get(a["author_key"]) or self.posts.get(a["post_key"]) or {}
            key = post.get("key") or a["post_key"]
            reviews.append(
                Review(
                    id=a["id"],
                    reviewer=a["reviewer_key"],
                    author=a["author_key"],
                    post_key=key,
                    keys=frozenset({a["post_key"], key}),
                    url=post.get("url") or a["post_key"],
                    platform=post.get("platform") or "web",
                    title=post.get("title") or "",
                )
            )
        return reviews

    def _credentials(self) -> Credentials:
        canvas = self.config.sources.canvas
        settings = self.settings
        return Credentials(
            canvas_host=urlsplit(canvas.url).netloc.lower() if canvas else "",
            canvas_token=self.env.get(canvas.token_env, "") if canvas else "",
            github_host=urlsplit(settings.github_api).netloc.lower(),
            github_token=self.env.get(settings.github_token_env, ""),
            github_token_env=settings.github_token_env,
        )

    # finding comments ------------------------------------------------------------------------------

    def _verify(
        self, reviews: list[Review], reported: list[dict[str, Any]], net: CommentFetcher, report: VerifyReport
    ) -> dict[str, Outcome]:
        """Outcome per comment row id (reported rows keep their id; the bot's own rows get one per review)."""
        medium_reviews = {r.id for r in reviews if self._is_medium(r)}
        medium_rows = [r for r in reported if self._medium_row(r)]
        other_rows = [r for r in reported if not self._medium_row(r)]
        # 1. list the comments of every assigned post, and of course posts that reported links name
        wanted: dict[str, dict[str, Any]] = {}
        for review in reviews:
            has_own = review.id not in medium_reviews and review.platform not in VIDEO_PLATFORMS
            if has_own or self._topic_of(review.post_key):
                wanted.setdefault(review.post_key, self.posts.get(review.post_key) or self._bare_post(review))
        for row in other_rows:
            key = self._post_of(row["url"] or "")
            post = self.posts.get(key)
            if post is not None and (post.get("platform") != "medium" or post.get("discussion_url")):
                wanted.setdefault(key, post)
        medium_people = {r.reviewer for r in reviews if r.id in medium_reviews} | {
            r["reviewer_key"] for r in medium_rows
        }
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
            futures = {key: pool.submit(self._list_post, net, post) for key, post in sorted(wanted.items())}
            medium_futures = {
                who: pool.submit(self._look_medium, net, who, medium_rows, medium_reviews)
                for who in sorted(medium_people)
            }
            self.listings = {key: f.result() for key, f in futures.items()}
            looks: dict[str, MediumLook] = {who: f.result() for who, f in medium_futures.items()}
        for key, listing in sorted(self.listings.items()):
            if not listing.ok:
                report.errors.append(
                    f"comments of {self._show(key)} could not be read: {'; '.join(listing.notes)}"
                )
        # 2. follow reported links to what they point at; links outside the course's posts are fetched
        placed: dict[str, tuple[Review | None, str, Comment | None, Listing | None]] = {}
        elsewhere: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in other_rows:
            found = self._place(row)
            if found is None:
                elsewhere[page_url(row["url"] or "")].append(row)
            else:
                placed[row["id"]] = found
        if elsewhere:
            with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
                futures = {
                    page: pool.submit(self._list_link, net, rows[0]["url"])
                    for page, rows in sorted(elsewhere.items())
                }
                for page, future in futures.items():
                    listing = future.result()
                    key = post_key_of(page)
                    for row in elsewhere[page]:
                        hit = next((c for c in listing.comments if points_at(row["url"], c)), None)
                        placed[row["id"]] = (None, key, hit, listing)
        # 3. decide, reported rows first (they may cover a review), then every review
        outcomes: dict[str, Outcome] = {}
        covered: set[int] = set()
        for row in other_rows:
            review, key, comment, listing = placed[row["id"]]
            outcome = self._judge_report(row, review, key, comment, listing)
            outcome.reviewer = row["reviewer_key"]
            outcomes[row["id"]] = outcome
            if outcome.assignment_id is not None:
                covered.add(outcome.assignment_id)
        for row in medium_rows:
            outcome = self._medium_report(row, looks.get(row["reviewer_key"], MediumLook()))
            outcome.reviewer = row["reviewer_key"]
            outcomes[row["id"]] = outcome
            if outcome.assignment_id is not None:
                covered.add(outcome.assignment_id)
        for review in reviews:
            if review.id in covered:
                continue
            if review.id in medium_reviews:
                # a reply in the post's Canvas topic first (its author is a Canvas account), then Medium
                outcome = self._review_outcome(review, self.listings.get(review.post_key))
                if outcome is None:
                    outcome = self._medium_review(review, looks.get(review.reviewer, MediumLook()))
            else:
                outcome = self._review_outcome(review, self.listings.get(review.post_key))
            if outcome is None:
                report.unchecked += 1
                listing = self.listings.get(review.post_key)
                why = "; ".join(listing.notes) if listing is not None and listing.notes else review.platform
                report.skipped.append(
                    f"{self._name(review.reviewer)} on {self._show(review.post_key)}: {why}"
                )
                continue
            outcome.reviewer = review.reviewer
            outcomes[self.bot_id(review)] = outcome
        self.covered = covered
        return outcomes

    @staticmethod
    def bot_id(review: Review) -> str:
        return _digest(review.reviewer, "assignment", str(review.id))

    def _bare_post(self, review: Review) -> dict[str, Any]:
        return {"key": review.post_key, "url": review.url, "platform": review.platform}

    def _list_post(self, net: CommentFetcher, post: dict[str, Any]) -> Listing:
        """The comments of one post, with the replies in its Canvas topic (worker thread). Never raises."""
        try:
            platform = post.get("platform") or "web"
            topic = discussion_plan(post.get("discussion_url") or "")
            steps: list[CommentStep] = []
            # Medium has no comment listing (see _look_medium); a video's are not on its page, and it is
            # listed for a review only for its topic
            if platform != "medium" and not (topic and platform in VIDEO_PLATFORMS):
                page = self.snapshots.get(post.get("sha256") or "") if post.get("sha256") else None
                steps = plan(
                    post["url"],
                    platform,
                    page,
                    post.get("snapshot_kind") or "",
                    github_api=self.settings.github_api,
                    wpcom_api=self.settings.wordpress_com_api,
                )
            own_urls = {step.url for step in steps}  # a topic that is the post itself is read once
            topic = [step for step in topic if step.url not in own_urls]
            if topic:
                return combine(net.walk(steps) if steps else None, net.walk(topic))
            if not steps:  # nothing failed: this kind of post has no comments we can read
                return Listing(complete=False, notes=[f"no known way to read comments on a {platform} post"])
            return net.walk(steps)
        except Exception as exc:  # one odd post never stops the others
            return Listing(
                ok=False, complete=False, notes=[f"could not list comments ({type(exc).__name__})"]
            )

    def _list_link(self, net: CommentFetcher, link: str) -> Listing:
        try:
            steps = link_plan(
                link,
                _platform_of(link),
                github_api=self.settings.github_api,
                wpcom_api=self.settings.wordpress_com_api,
            )
            return net.walk(steps)
        except Exception as exc:
            return Listing(
                ok=False, complete=False, notes=[f"could not read the link ({type(exc).__name__})"]
            )

    def _place(self, row: dict[str, Any]) -> tuple[Review | None, str, Comment | None, Listing | None] | None:
        """Where a reported link leads among the listed posts: (review, post, comment, listing), or
        None when it leads outside them (fetched next)."""
        link = row["url"] or ""
        mine = self.by_reviewer.get(row["reviewer_key"], [])
        for review in mine:  # the assigned post, or the author's earlier post (reviews follow the author)
            for post_key in sorted(review.keys, key=lambda k: k != review.post_key):
                listing = self.listings.get(post_key)
                if listing is not None and listing.ok:
                    hit = next((c for c in listing.comments if points_at(link, c)), None)
                    if hit is not None:
                        return review, review.post_key, hit, listing
        key = self._post_of(link)
        for review in mine:
            if key and key in review.keys:
                return review, review.post_key, None, self.listings.get(review.post_key)
        listing = self.listings.get(key)
        if listing is not None:
            hit = next((c for c in listing.comments if points_at(link, c)), None) if listing.ok else None
            return None, key, hit, listing
        return None

    # deciding --------------------------------------------------------------------------------------

    def _topic_of(self, post_key: str) -> str:
        """The Canvas topic that links out to a post ("" when none)."""
        return (self.posts.get(post_key) or {}).get("discussion_url") or ""

    def _post_of(self, link: str) -> str:
        """The course post a link names: the post's own page, or a reply in its Canvas topic."""
        key = post_key_of(link)
        if key in self.posts or not self.topics:
            return key
        return self.topics.get(_topic_key(link), key)

    def _in_topic(self, review: Review, comment: Comment) -> bool:
        """Whether a comment is a reply in the post's Canvas topic rather than on the post itself."""
        return (
            comment.platform == "canvas"
            and review.platform != "canvas"
            and bool(self._topic_of(review.post_key))
        )

    def _mine(self, review: Review, listing: Listing | None) -> list[Comment]:
        if listing is None or not listing.ok:
            return []
        return [
            c for c in listing.comments if self.matcher.attribute(c, review.reviewer).verdict == "reviewer"
        ]

    def _best(self, comments: list[Comment]) -> tuple[Comment, list[str]]:
        """Of a reviewer's comments on one post, the one that counts: on time first, then the longest."""
        due = self.config.comments_cutoff

        def rank(c: Comment) -> tuple[int, int, str]:
            posted = parse_time(c.posted_at)
            on_time = 1 if posted is None or posted <= due else 0
            return (on_time, len(c.text), c.id)

        best = max(comments, key=rank)
        notes = [f"{len(comments)} comments by the reviewer on this post; the longest on time counts"]
        return best, (notes if len(comments) > 1 else [])

    def _review_outcome(self, review: Review, listing: Listing | None) -> Outcome | None:
        """A review nobody reported a link for: the reviewer's comment on the post, or missing."""
        mine = self._mine(review, listing)
        if mine:
            best, notes = self._best(mine)
            why = self.matcher.attribute(best, review.reviewer).reason
            where = "in the post's Canvas discussion" if self._in_topic(review, best) else "on the post"
            return Outcome("found", review.post_key, review.id, best, [f"found {where}, {why}", *notes])
        if listing is not None and listing.ok and listing.complete:
            n = len(listing.comments)
            where = "on the post"
            if self._topic_of(review.post_key):
                where = "on the post and in its Canvas discussion"
            return Outcome(
                "missing",
                review.post_key,
                review.id,
                reasons=[f"no comment by {self._name(review.reviewer)} among the {n} comments {where}"],
            )
        return None  # could not look: nothing is written, nothing is failed

    def _judge_report(
        self,
        row: dict[str, Any],
        review: Review | None,
        key: str,
        comment: Comment | None,
        listing: Listing | None,
    ) -> Outcome:
        """A reported link: on an assigned post, or a mismatch (another post, someone else's comment)."""
        reviewer = row["reviewer_key"]
        readable = listing is not None and listing.ok
        complete = readable and listing.complete  # type: ignore[union-attr]
        notes = "; ".join(listing.notes) if listing is not None and listing.notes else "no answer"
        if review is None:
            outcome = Outcome("unverified", key, None, comment, mismatched=True, judge_post=key)
            outcome.reasons.append(self._not_assigned(reviewer, key))
            if comment is not None:
                who = self.matcher.attribute(comment, reviewer)
                outcome.status = {"reviewer": "found", "other": "missing"}.get(who.verdict, "unverified")
                first = who.reason if who.verdict == "reviewer" else f"the linked comment is {who.reason}"
                outcome.reasons.insert(0, first)
                if who.verdict == "other":
                    outcome.comment = None  # someone else's words are not stored as the student's
                if who.verdict == "unknown":
                    outcome.reasons.append(SELF_REPORTED)
            elif complete:
                outcome.status = "missing"
                outcome.reasons.insert(
                    0,
                    "the linked comment is not on that page (awaiting moderation, deleted, or a wrong link?)",
                )
            else:
                outcome.reasons.insert(0, f"the link could not be checked ({notes})")
                outcome.reasons.append(SELF_REPORTED)
            return outcome
        mine = self._mine(review, listing)
        if comment is not None:
            who = self.matcher.attribute(comment, reviewer)
            if who.verdict == "reviewer":
                return Outcome(
                    "found",
                    review.post_key,
                    review.id,
                    comment,
                    [f"found at the reported link, {who.reason}"],
                )
            if mine:
                return self._found_own(
                    review,
                    mine,
                    f"the reported link points to a comment {who.reason}; "
                    "the reviewer's own comment was found on the post",
                    mismatched=True,
                )
            if who.verdict == "other":
                status = "missing" if complete else "unverified"
                return Outcome(
                    status,
                    review.post_key,
                    review.id,
                    None,
                    [f"the reported comment is {who.reason}", "no comment by the reviewer on the post"],
                    mismatched=True,
                )
            return Outcome(
                "unverified",
                review.post_key,
                review.id,
                comment,
                [f"the reported comment is {who.reason}", SELF_REPORTED],
            )
        if mine:
            return self._found_own(
                review,
                mine,
                "the reported link names no comment on the page; "
                "the reviewer's comment was found on the post",
            )
        if complete:
            return Outcome(
                "missing",
                review.post_key,
                review.id,
                None,
                [
                    "the reported comment is not on the post (awaiting moderation, deleted, or a wrong "
                    "link?), and none by the reviewer is"
                ],
            )
        return Outcome(
            "unverified",
            review.post_key,
            review.id,
            None,
            [f"the post's comments could not be read ({notes})", SELF_REPORTED],
        )

    def _found_own(
        self, review: Review, mine: list[Comment], note: str, *, mismatched: bool = False
    ) -> Outcome:
        """The reviewer's own comment on the post counts, whatever the reported link pointed at."""
        best, more = self._best(mine)
        return Outcome("found", review.post_key, review.id, best, [note, *more], mismatched=mismatched)

    def _not_assigned(self, reviewer: str, key: str) -> str:
        assigned = [f"{self._name(r.author)}'s post" for r in self.by_reviewer.get(reviewer, [])]
        where = self._show(key) if key else "another page"
        if not assigned:
            return f"on {where}, but no post is assigned to this student"
        return f"on {where}, not on a post assigned to this student (assigned: {', '.join(assigned)})"

    # Medium ----------------------------------------------------------------------------------------

    def _is_medium(self, review: Review) -> bool:
        return review.platform == "medium"

    def _medium_row(self, row: dict[str, Any]) -> bool:
        """A reported link to a Medium response: a Medium story link (or, for a course on a Medium-like
        host, a story link on the host of an assigned Medium post)."""
        link = row["url"] or ""
        if not medium_comments.story_id(link):
            return False
        if _platform_of(link) == "medium":
            return True
        host = urlsplit(link).netloc.lower()
        return any(
            r.platform == "medium" and urlsplit(r.url).netloc.lower() == host
            for r in self.by_reviewer.get(row["reviewer_key"], [])
        )

    def _medium_post_id(self, review: Review) -> str:
        if review.post_key.startswith("medium.com/p/"):
            return review.post_key.rsplit("/", 1)[1]
        return medium_comments.story_id(review.url)

    def _look_medium(
        self, net: CommentFetcher, reviewer: str, rows: list[dict[str, Any]], medium_reviews: set[int]
    ) -> MediumLook:
        """Read a reviewer's reported Medium responses and their feed (worker thread). Never raises."""
        look = MediumLook()
        try:
            links = [r["url"] for r in rows if r["reviewer_key"] == reviewer]
            assigned = [r for r in self.by_reviewer.get(reviewer, []) if r.id in medium_reviews]
            own = [p for p in self.posts.values() if p.get("student_key") == reviewer]
            handle, site = "", ""
            for link in [*links, *(p["url"] for p in own if p.get("platform") == "medium")]:
                handle = medium_comments.handle_of(link)
                if handle:
                    site = link
                    break
            skip = {self._medium_post_id(r) for r in assigned} | {
                medium_comments.story_id(p["url"]) for p in own
            }
            candidates: dict[str, str] = {}
            for link in links:
                sid = medium_comments.story_id(link)
                if sid and sid not in skip:
                    candidates.setdefault(sid, link)
            feed = medium_comments.feed_url(site, handle) if handle else None
            if feed:
                listing = net.walk([CommentStep(feed, medium_comments.parse_feed_items, "medium_feed")])
                look.feed_ok = listing.ok
                look.feed_note = "; ".join(listing.notes)
                for item in listing.comments[: self.settings.medium_feed_items]:
                    look.feed[item.id] = item
                    if assigned and item.id not in skip:  # a response to an assigned post, maybe
                        candidates.setdefault(item.id, item.url)
            for sid, link in sorted(candidates.items()):
                base = page_url(link).split("?", 1)[0]
                steps = [
                    CommentStep(
                        medium_comments.json_url(base), medium_comments.parse_response_json, "medium_json"
                    ),
                    CommentStep(base, medium_comments.parse_response_page, "medium_html"),
                ]
                listing = net.walk(steps)
                if listing.ok and listing.comments:
                    look.read[sid] = listing.comments[0]
                else:
                    look.notes[sid] = "; ".join(listing.notes)
        except Exception as exc:
            look.feed_note = f"could not read Medium ({type(exc).__name__})"
        return look

    def _medium_report(self, row: dict[str, Any], look: MediumLook) -> Outcome:
        reviewer = row["reviewer_key"]
        link = row["url"] or ""
        sid = medium_comments.story_id(link)
        assigned = [r for r in self.by_reviewer.get(reviewer, []) if self._is_medium(r)]
        by_id = {self._medium_post_id(r): r for r in assigned}
        hinted = next((r for r in assigned if r.id == row.get("assignment_id")), None)
        guess = hinted or (assigned[0] if len(assigned) == 1 else None)
        if sid in by_id:
            review = by_id[sid]
            return Outcome(
                "unverified",
                review.post_key,
                review.id,
                None,
                ["the reported link is the post itself, not a response to it", SELF_REPORTED],
            )
        response = look.read.get(sid)
        if response is not None and response.in_reply_to:
            who = self.matcher.attribute(response, reviewer)
            review = by_id.get(response.in_reply_to)
            if review is None:
                key = f"medium.com/p/{response.in_reply_to}"
                status = {"reviewer": "found", "other": "missing"}.get(who.verdict, "unverified")
                reasons = [who.reason if who.verdict == "reviewer" else f"the response is {who.reason}"]
                reasons.append(self._not_assigned(reviewer, key))
                if who.verdict == "unknown":
                    reasons.append(SELF_REPORTED)
                kept = None if who.verdict == "other" else response
                return Outcome(status, key, None, kept, reasons, True, key)
            if who.verdict == "reviewer":
                return Outcome(
                    "found", review.post_key, review.id, response, [f"Medium response, {who.reason}"]
                )
            status = "unverified" if who.verdict == "unknown" else "missing"
            reasons = [f"the reported response is {who.reason}"]
            if who.verdict == "unknown":
                reasons.append(SELF_REPORTED)
            mismatch = who.verdict == "other"
            return Outcome(
                status, review.post_key, review.id, response if not mismatch else None, reasons, mismatch
            )
        if response is not None:  # read, but Medium did not say which post it answers
            item = response
            where = "the response was read, but Medium did not say which post it answers"
        elif sid in look.feed:
            item = look.feed[sid]
            where = (
                f"the response is in its writer's Medium feed ({item.posted_at[:10] or 'no date'}), "
                "which does not say which post it answers"
            )
        else:
            item = None
            why = look.notes.get(sid) or look.feed_note or "no answer"
            where = f"Medium could not be read ({why})"
        reasons = [where]
        if item is not None:
            who = self.matcher.attribute(item, reviewer)
            reasons.insert(0, who.reason if who.verdict == "reviewer" else f"the response is {who.reason}")
        reasons.append(SELF_REPORTED)
        return Outcome(
            "unverified",
            guess.post_key if guess else post_key_of(link),
            guess.id if guess else None,
            item,
            reasons,
            judge_post=guess.post_key if guess else "",
        )

    def _medium_review(self, review: Review, look: MediumLook) -> Outcome | None:
        """A Medium post with no reported link: a response found through the reviewer's feed counts;
        nothing found says nothing (the feed lists only the latest stories)."""
        target = self._medium_post_id(review)
        for response in look.read.values():
            if response.in_reply_to == target:
                who = self.matcher.attribute(response, review.reviewer)
                if who.verdict == "reviewer":
                    return Outcome(
                        "found",
                        review.post_key,
                        review.id,
                        response,
                        [f"Medium response found in the reviewer's feed, {who.reason}"],
                    )
        return None

    # checks across comments ------------------------------------------------------------------------

    def _check_duplicates(self, outcomes: dict[str, Outcome], report: VerifyReport) -> None:
        due = self.config.course.comments_due.astimezone(dt.UTC)
        grace = self.config.thresholds.comment_grace_hours
        tz = self.config.course.tz
        by_reviewer: dict[str, list[tuple[str, Outcome]]] = defaultdict(list)
        for _, outcome in sorted(outcomes.items()):
            comment = outcome.comment
            if comment is None:
                continue
            posted = parse_time(comment.posted_at)
            if outcome.status in ("found", "unverified"):
                if posted is None:
                    outcome.reasons.append("no date shown for it: lateness not checked")
                elif posted > self.config.comments_cutoff:
                    outcome.late = 1
                    limit = f"{due.astimezone(tz):%a %d %b %H:%M %Z}" + (
                        f" + {grace} h grace" if grace else ""
                    )
                    outcome.reasons.append(
                        f"late: posted {posted.astimezone(tz):%a %d %b %H:%M %Z}, after {limit}"
                    )
                else:
                    outcome.late = 0
                    if posted > due:
                        outcome.reasons.append(
                            f"posted after the deadline, within the {grace}-hour grace period"
                        )
            if comment.text.strip():
                by_reviewer[outcome.reviewer].append((comment.id, outcome))
        for items in by_reviewer.values():
            for i, (_, first) in enumerate(items):
                for _, second in items[i + 1 :]:
                    a, b = first.comment, second.comment
                    if a is None or b is None or (a.url and a.url == b.url):
                        continue
                    if not _same_text(a.text, b.text):
                        continue
                    for this, that in ((first, second), (second, first)):
                        this.reasons.append(
                            f"same text as the student's comment on {self._show(that.post_key)}"
                        )
                    later = (
                        second
                        if (parse_time(b.posted_at) or due) >= (parse_time(a.posted_at) or due)
                        else first
                    )
                    later.reasons.append("counted once: the same text was posted on two posts")
                    later.judge_post = "duplicate"
                    report.duplicates += 1

    # judging ---------------------------------------------------------------------------------------

    def _judge_all(self, outcomes: dict[str, Outcome], report: VerifyReport) -> None:
        """Substance verdicts: from the cache when this text was judged on this post by this model,
        else judged in one batch per post (each post encoded once)."""
        todo = [o for o in outcomes.values() if o.comment is not None and o.comment.text.strip()]
        if not todo:
            return
        try:
            self.version = _model_version(self.judge_factory)
            if self.version is None:
                self.version = str(self._load().MODEL_VERSION)
        except Exception as exc:
            report.judge_error = f"comment judge unavailable: {type(exc).__name__}: {exc}"
            report.errors.append(report.judge_error)
            self.version = None
            return
        pending: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in todo:
            post = outcome.judged_on
            cache_id = self._verdict_id(outcome.comment.text, post)  # type: ignore[union-attr]
            found = self.store.get("comment_verdicts", cache_id)
            if found is not None:
                self.verdicts[cache_id] = found
                report.cached += 1
            else:
                pending[post].append(outcome)
        if not pending:
            return
        try:
            judge = self._load()
        except Exception as exc:
            report.judge_error = f"comment judge could not be loaded: {type(exc).__name__}: {exc}"
            report.errors.append(report.judge_error)
            return
        for post_key, items in sorted(pending.items()):
            texts = list(dict.fromkeys(o.comment.text for o in items))  # type: ignore[union-attr]
            try:
                post = self.posts.get(post_key)
                article = article_from_snapshot(self.snapshots, post) if post else None
                encoding = judge.encode_post(article) if article is not None else None
                verdicts = judge.judge_encoded(texts, encoding)
            except Exception as exc:
                report.errors.append(
                    f"judging comments on {self._show(post_key)} failed: {type(exc).__name__}: {exc}"
                )
                continue
            now = utcnow()
            for text, verdict in zip(texts, verdicts, strict=False):
                reasons = [str(r) for r in getattr(verdict, "reasons", []) or []]
                if article is None:
                    reasons.append("judged without the post (it could not be read)")
                record = {
                    "id": self._verdict_id(text, post_key),
                    "text_sha256": _sha(text),
                    "post_key": post_key,
                    "model_version": self.version,
                    "substantive": 1 if getattr(verdict, "substantive", False) else 0,
                    "score": round(float(getattr(verdict, "score", 0.0)), 4),
                    "reasons": json.dumps(reasons),
                    "created_at": now,
                }
                self.verdicts[record["id"]] = record
                self._new_verdicts.append(record)
                report.judged += 1

    def _load(self) -> Judge:
        if self._judge is None:
            factory = self.judge_factory
            self._judge = factory.load() if hasattr(factory, "load") else factory()
        return self._judge

    def _verdict_id(self, text: str, post_key: str) -> str:
        return _digest(_sha(text), post_key, str(self.version))

    # writing (calling thread only) -----------------------------------------------------------------

    def _write(
        self,
        outcomes: dict[str, Outcome],
        rows: list[dict[str, Any]],
        reviews: list[Review],
        report: VerifyReport,
    ) -> None:
        existing = {r["id"]: r for r in rows}
        active_ids = {r.id for r in reviews}
        min_score = self.config.thresholds.comment_min_score
        with self.store.db.atomic():
            for record in self._new_verdicts:
                if self.store.get("comment_verdicts", record["id"]) is None:
                    self.store.db["comment_verdicts"].insert(record)  # type: ignore[union-attr]
            for row_id, outcome in sorted(outcomes.items()):
                record = self._record(row_id, outcome, existing.get(row_id), min_score)
                report.written[self.store.save("comments", record, "id")] += 1
                self._count(outcome, record, report)
            for row in rows:  # the bot's own placeholders that no longer say anything true
                if row["source"] not in BOT_SOURCES or row["id"] in outcomes:
                    continue
                aid = row.get("assignment_id")
                superseded = aid in self.covered
                gone = aid not in active_ids and row["status"] == "missing"
                if superseded or gone:
                    self.store.db["comments"].delete(row["id"])  # type: ignore[union-attr]
                    report.written["deleted"] += 1

    def _record(
        self, row_id: str, outcome: Outcome, existing: dict[str, Any] | None, min_score: float
    ) -> dict[str, Any]:
        comment = outcome.comment
        reasons = list(dict.fromkeys(outcome.reasons))
        substantive: int | None = None
        score: float | None = None
        version: str | None = None
        if comment is not None and comment.text.strip():
            post = outcome.judged_on
            verdict = self.verdicts.get(self._verdict_id(comment.text, post)) if self.version else None
            if verdict is None and existing and existing.get("judge_version"):
                # the judge is unavailable this run: the earlier verdict on the same text stands
                earlier = _digest(_sha(comment.text), post, existing["judge_version"])
                verdict = self.store.get("comment_verdicts", earlier)
            if verdict is not None:
                score = verdict["score"]
                substantive = 1 if (score is not None and score >= min_score) else 0
                version = verdict["model_version"]
                reasons.extend(json.loads(verdict["reasons"] or "[]"))
                if outcome.judge_post == "duplicate":
                    substantive = 0
        record: dict[str, Any] = {
            "id": row_id,
            "assignment_id": outcome.assignment_id,
            "post_key": outcome.post_key or None,
            "status": outcome.status,
            "author": (comment.author or comment.handle) if comment else None,
            "posted_at": (comment.posted_at or None) if comment else None,
            "text": comment.text if comment else None,
            "substantive": substantive,
            "score": score,
            "reasons": json.dumps(list(dict.fromkeys(reasons))),
            "late": outcome.late,
            "text_sha256": _sha(comment.text) if comment and comment.text else None,
            "judge_version": version,
        }
        if existing is None or existing["source"] in BOT_SOURCES:
            record.update(
                reviewer_key=outcome.reviewer,
                url=(comment.url if comment and comment.url else self._url_of(outcome.post_key)),
                source="canvas" if comment is not None and comment.platform == "canvas" else "found",
            )
        return record

    def _count(self, outcome: Outcome, record: dict[str, Any], report: VerifyReport) -> None:
        if outcome.mismatched:
            report.mismatched += 1
        if outcome.status == "found" and outcome.assignment_id is not None:
            report.found += 1
            report.late += 1 if outcome.late == 1 else 0
            report.substantive += 1 if record["substantive"] == 1 else 0
        elif outcome.status == "missing":
            report.missing += 1
        elif outcome.status == "unverified":
            report.unverified += 1

    # words -----------------------------------------------------------------------------------------

    def _name(self, key: str) -> str:
        return (self.students.get(key) or {}).get("name") or key

    def _show(self, post_key: str) -> str:
        post = self.posts.get(post_key)
        if post is None:
            return post_key
        owner = self._name(post.get("student_key") or "")
        return f"{owner}'s post {post.get('url') or post_key}"

    def _url_of(self, post_key: str) -> str:
        post = self.posts.get(post_key)
        return (post or {}).get("url") or post_key


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _same_text(a: str, b: str) -> bool:
    """The same comment pasted twice: equal once case, spacing and punctuation are ignored, or nearly
    equal when long enough for near-equality to mean copying."""
    x, y = _normal(a), _normal(b)
    if not x or not y:
        return False
    if x == y:
        return True
    if min(len(x), len(y)) < 40:
        return False
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.9


__all__ = ["VerifyReport", "VerifyService", "VerifySettings", "load_judge"]
