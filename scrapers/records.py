"""Plain records that the sources return: who is in the course, and which links they claimed."""

from __future__ import annotations

from dataclasses import dataclass, field


class SourceError(Exception):
    """A whole source failed (unreachable, refused, wrong format); the message says what to do."""


@dataclass(frozen=True)
class StudentRecord:
    """A person on the roster of one source."""

    name: str
    email: str = ""
    sis_id: str = ""
    canvas_id: int | None = None
    role: str = "student"  # student | ta
    team: str = ""
    discord_handle: str = ""
    source: str = ""


@dataclass(frozen=True)
class ClaimRecord:
    """One student's claim: the tool, the post link and the comment links, as a source gives them."""

    student: str  # a roster key (canvas:<id>), an e-mail address or a name
    source: str
    post_url: str = ""
    tool: str = ""
    comment_urls: tuple[str, ...] = ()
    team: str = ""
    submitted_at: str = ""
    row: int | None = None  # the row number in a sheet, for messages
    discussion_url: str = ""  # the Canvas topic that links out to the post: classmates reply there too

    @property
    def where(self) -> str:
        return f"{self.source} row {self.row}" if self.row is not None else self.source


@dataclass(frozen=True)
class SourceProblem:
    """Something wrong with one row of a source; the rest of the source is still used."""

    source: str
    message: str
    row: int | None = None

    def __str__(self) -> str:
        return (
            f"{self.source} row {self.row}: {self.message}" if self.row else f"{self.source}: {self.message}"
        )


@dataclass
class SourceResult:
    """What one source gave: people, claims, and the problems met on the way."""

    name: str
    students: list[StudentRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    has_roster: bool = False  # the source lists the whole class (not only who has claimed)
    reads_claims: bool = False  # the source carries post links (absent ones mean "none yet")
    skipped_rows: int = 0  # rows that could not be read: someone listed there may be missing
