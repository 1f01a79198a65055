"""The course configuration: `bot.toml` read into typed dataclasses and validated at load."""

from __future__ import annotations

import datetime as dt
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapers.sheet import SheetColumns


class ConfigError(ValueError):
    """bot.toml is missing, unreadable or invalid; the message is one line naming the key."""


@dataclass(frozen=True)
class CourseConfig:
    name: str
    timezone: str
    post_deadline: dt.datetime
    comment_deadline: dt.datetime | None = None
    term: str = ""
    contact_url: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A deadline from bot.toml as an aware datetime in the course's time zone."""
        return moment if moment.tzinfo else moment.replace(tzinfo=self.tz)

    @property
    def post_due(self) -> dt.datetime:
        return self.local(self.post_deadline)

    @property
    def comments_due(self) -> dt.datetime:
        """Comment deadline; three days after the post deadline unless set."""
        if self.comment_deadline is not None:
            return self.local(self.comment_deadline)
        return self.post_due + dt.timedelta(days=3)


@dataclass(frozen=True)
class StorageConfig:
    database: str = "var/reviewbot.db"
    snapshots: str = "var/snapshots"


@dataclass(frozen=True)
class SheetSource:
    url: str = ""
    path: str = ""
    columns: SheetColumns = field(default_factory=SheetColumns)


@dataclass(frozen=True)
class RosterSource:
    path: str


@dataclass(frozen=True)
class CanvasSource:
    url: str
    course_id: int
    assignment_id: int = 0
    discussion_prefix: str = "Blog:"
    token_env: str = "CANVAS_TOKEN"
    max_retries: int = 5


@dataclass(frozen=True)
class SourcesConfig:
    roster: RosterSource | None = None
    sheet: SheetSource | None = None
    canvas: CanvasSource | None = None


@dataclass(frozen=True)
class ScheduleConfig:
    audit_time: str = "03:00"
    reminder_hours: list[int] = field(default_factory=lambda: [48, 12])
    max_reminders: int = 3


@dataclass(frozen=True)
class ThresholdsConfig:
    section_confidence: float = 0.5
    min_words: int = 400
    comment_min_score: float = 0.5
    comment_grace_hours: int = 0


@dataclass(frozen=True)
class AssignmentConfig:
    reviews_per_student: int = 2
    seed: int = 0
    lease_hours: int = 48


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str = "Reviewbot"
    timeout_seconds: float = 20.0
    max_bytes: int = 5_000_000
    respect_robots: bool = True
    per_host_delay: float = 1.0
    per_host_concurrency: int = 1
    allow_private_addresses: bool = False


@dataclass(frozen=True)
class CommentsConfig:
    """Where the comment APIs are and which variable holds the GitHub token."""

    github_token_env: str = "GITHUB_TOKEN"
    github_api: str = "https://api.github.com"
    wordpress_com_api: str = "https://public-api.wordpress.com"
    workers: int = 4
    medium_feed_items: int = 10  # responses read from a commenter's feed, at most


@dataclass(frozen=True)
class DiscordConfig:
    guild_id: int = 0
    course_channel_id: int = 0
    ta_channel_id: int = 0
    ta_role_id: int = 0
    token_env: str = "DISCORD_TOKEN"


@dataclass(frozen=True)
class Config:
    course: CourseConfig
    storage: StorageConfig = field(default_factory=StorageConfig)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    thresholds: ThresholdsConfig = field(default_factory=ThresholdsConfig)
    assignment: AssignmentConfig = field(default_factory=AssignmentConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    comments: CommentsConfig = field(default_factory=CommentsConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    earlier_tools: str = ""
    base_dir: Path = field(default=Path("."), metadata={"internal": True})

    def path(self, value: str) -> Path:
        """A path from bot.toml, relative to the folder that holds bot.toml."""
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() else self.base_dir / candidate

    @property
    def database_path(self) -> Path:
        return self.path(self.storage.database)

    @property
    def snapshot_dir(self) -> Path:
        return self.path(self.storage.snapshots)

    @property
    def user_agent(self) -> str:
        """The User-Agent the bot sends: its name, and the course's contact page when there is one."""
        contact = self.course.contact_url
        return self.fetch.user_agent + (f" (+{contact})" if contact else "")

    @property
    def comments_cutoff(self) -> dt.datetime:
        """The comment deadline plus its grace: a comment posted after it is late."""
        return self.course.comments_due + dt.timedelta(hours=self.thresholds.comment_grace_hours)


def load_config(path: str | Path) -> Config:
    """Read and validate bot.toml; raise ConfigError with one line naming the bad key."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (pass --config PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(raw, base_dir=path.resolve().parent, origin=str(path))


def parse_config(raw: dict[str, typing.Any], base_dir: Path, origin: str = "bot.toml") -> Config:
    """Build a Config from parsed TOML, checking keys, types and values."""
    try:
        config = _build(Config, raw, "", {"base_dir": base_dir})
        _check_values(config)
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    return config


def _build(cls: type, data: typing.Any, prefix: str, extra: dict[str, typing.Any] | None = None):
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'top level'}: expected a table")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls) if not f.metadata.get("internal")}
    for key in data:
        if key not in known:
            raise ConfigError(f"unknown key '{prefix}{key}'")
    values: dict[str, typing.Any] = dict(extra or {})
    for name, spec in known.items():
        key = f"{prefix}{name}"
        if name not in data:
            if spec.default is MISSING and spec.default_factory is MISSING:
                raise ConfigError(f"missing key '{key}'")
            continue
        values[name] = _coerce(hints[name], data[name], key)
    return cls(**values)


def _coerce(hint: typing.Any, value: typing.Any, key: str) -> typing.Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _coerce(options[0], value, key)
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"'{key}' must be a list, got {_kind(value)}")
        return [_coerce(item, v, f"{key}[{i}]") for i, v in enumerate(value)]
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        return _build(hint, value, f"{key}.")
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        raise ConfigError(f"'{key}' must be a date-time like 2026-12-01T23:59:00, got {_kind(value)}")
    if (hint is int and isinstance(value, bool)) or not isinstance(value, hint):
        raise ConfigError(f"'{key}' must be {_name(hint)}, got {_kind(value)}")
    return value


def _name(hint: typing.Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(
        hint, getattr(hint, "__name__", str(hint))
    )


def _kind(value: typing.Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _check_values(config: Config) -> None:
    course = config.course
    if not course.name.strip():
        raise ConfigError("'course.name' must not be empty")
    try:
        ZoneInfo(course.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"'course.timezone' is not a known time zone: {course.timezone!r}") from None
    if course.comments_due <= course.post_due:
        raise ConfigError("'course.comment_deadline' must be after 'course.post_deadline'")
    sheet = config.sources.sheet
    if sheet is not None and bool(sheet.url) == bool(sheet.path):
        raise ConfigError("'sources.sheet' needs exactly one of 'url' or 'path'")
    canvas = config.sources.canvas
    if canvas is not None:
        local = canvas.url.startswith(("http://127.", "http://localhost", "http://[::1]"))
        if not (canvas.url.startswith("https://") or local):
            raise ConfigError("'sources.canvas.url' must start with https:// (the token travels with it)")
        if canvas.max_retries < 0:
            raise ConfigError("'sources.canvas.max_retries' must be 0 or more")
    if config.earlier_tools and not config.path(config.earlier_tools).is_file():
        raise ConfigError(f"'earlier_tools' names a file that does not exist: {config.earlier_tools!r}")
    if config.fetch.per_host_concurrency < 1 or config.fetch.per_host_delay < 0:
        raise ConfigError(
            "'fetch.per_host_concurrency' must be at least 1 and 'fetch.per_host_delay' 0 or more"
        )
    if config.assignment.reviews_per_student < 1:
        raise ConfigError("'assignment.reviews_per_student' must be at least 1")
    hh, _, mm = config.schedule.audit_time.partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        raise ConfigError(f"'schedule.audit_time' must be HH:MM, got {config.schedule.audit_time!r}")
    for name in ("section_confidence", "comment_min_score"):
        value = getattr(config.thresholds, name)
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"'thresholds.{name}' must be between 0 and 1, got {value}")
    if config.fetch.max_bytes <= 0 or config.fetch.timeout_seconds <= 0:
        raise ConfigError("'fetch.max_bytes' and 'fetch.timeout_seconds' must be positive")
