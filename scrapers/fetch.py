"""The polite, defensive HTTP fetcher for student links.

Per-host concurrency and delay, connect/read timeouts, deadlines for the headers and for the body
(against servers that trickle bytes), retries on 429/5xx honouring Retry-After, a body size cap
(after decompression), a redirect limit with each hop re-checked, conditional requests, robots.txt,
and the SSRF guard of netguard.py. Every failure comes back as a FetchResult with a reason a TA
understands; nothing raises.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from scrapers.netguard import AddressGuard, UnsafeAddress, guarded_session

KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "location", "retry-after")
TEXT_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
    "application/json", "application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
    "application/pdf", "application/octet-stream",
)  # fmt: skip


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners of the fetcher."""

    user_agent: str = "Reviewbot/0.1"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 30.0  # for the headers, then for the body: against servers that trickle bytes
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 60.0
    per_host_delay: float = 1.0
    per_host_concurrency: int = 1
    respect_robots: bool = True
    allow_loopback: bool = False  # only tests and the demo
    allow_private: bool = False  # a course fetching from its own intranet


@dataclass
class FetchResult:
    """What one fetch gave: the body, or the reason it failed."""

    url: str
    final_url: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""  # empty when the fetch worked
    not_modified: bool = False
    fetched_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


class _HostGate:
    """Per-host politeness: at most N requests at once, and a pause between two requests."""

    def __init__(self, concurrency: int, delay: float, clock: Callable[[], float]) -> None:
        self.slots = threading.Semaphore(concurrency)
        self.delay = delay
        self.clock = clock
        self.lock = threading.Lock()
        self.next_start = 0.0

    def __enter__(self) -> None:
        self.slots.acquire()
        with self.lock:
            now = self.clock()
            start = max(now, self.next_start)
            self.next_start = start + self.delay
        if start > now:
            time.sleep(start - now)

    def __exit__(self, *exc: object) -> None:
        self.slots.release()


class Fetcher:
    """Fetches student links safely. Thread-safe: one instance serves a whole audit."""

    def __init__(self, policy: FetchPolicy, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self.guard = AddressGuard(allow_loopback=policy.allow_loopback, allow_private=policy.allow_private)
        self.session = guarded_session(self.guard, header_deadline=policy.deadline)
        self.session.headers["User-Agent"] = policy.user_agent
        self.sleep = sleep
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        accept: tuple[str, ...] = TEXT_TYPES,
        credentials: dict[str, str] | None = None,
    ) -> FetchResult:
        """GET `url`, following safe redirects; never raises.

        `credentials` (e.g. an Authorization header) go to `url`'s own host only: a redirect to
        another host drops them.
        """
        result = FetchResult(url=url, fetched_at=_now())
        try:
            return self._fetch(url, etag, last_modified, accept, credentials, result)
        except Exception as exc:  # a bug or an odd answer on one link never stops an audit
            result.error = f"could not fetch ({type(exc).__name__}: {str(exc)[:120]})"
            return result

    def _fetch(
        self,
        url: str,
        etag: str,
        last_modified: str,
        accept: tuple[str, ...],
        credentials: dict[str, str] | None,
        result: FetchResult,
    ) -> FetchResult:
        try:
            origin = _origin(url)
        except ValueError:
            result.error = "malformed link"
            return result
        headers = dict(credentials or {})
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                result.error = f"unsafe address: redirect to a non-web link ({urlsplit(current).scheme}:)"
                return result
            if current in seen:
                result.error = "redirect loop"
                return result
            seen.add(current)
            if self.policy.respect_robots and not self._allowed_by_robots(current):
                result.error = "blocked by robots.txt"
                return result
            response = self._get_with_retries(current, headers, result)
            if response is None:
                return result
            with response:
                result.final_url = current
                result.status = response.status_code
                result.headers = {k: v for k in KEPT_HEADERS if (v := response.headers.get(k))}
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        result.error = f"redirect without a target (HTTP {response.status_code})"
                        return result
                    try:
                        current = urljoin(current, location)
                        target = _origin(current)
                    except ValueError:
                        result.error = f"malformed redirect target {location[:100]!r}"
                        return result
                    if target != origin:  # another host, or https to http: no credentials
                        for name in credentials or {}:
                            headers.pop(name, None)
                    continue
                if response.status_code == 304:
                    result.not_modified = True
                    return result
                if response.status_code >= 400:
                    result.error = status_reason(response.status_code)
                    if response.status_code in (403, 429, 503) and self._is_challenge(response):
                        result.error = "challenge page: the site asked for a bot check instead of the post"
                    return result
                if result.content_type and result.content_type not in accept:
                    result.error = f"not HTML (content type {result.content_type})"
                    return result
                self._read_body(response, result)
                return result
        result.error = f"too many redirects (more than {self.policy.max_redirects})"
        return result

    # internals -----------------------------------------------------------------------------

    def _gate(self, url: str) -> _HostGate:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(self.policy.per_host_concurrency, self.policy.per_host_delay, time.monotonic)
                self._gates[host] = gate
            return gate

    def _get_with_retries(
        self, url: str, headers: dict[str, str], result: FetchResult
    ) -> requests.Response | None:
        for attempt in range(self.policy.retries + 1):
            try:
                with self._gate(url):
                    response = self.session.get(
                        url,
                        headers=headers,
                        timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                        allow_redirects=False,
                        stream=True,
                    )
            except requests.RequestException as exc:
                result.error = network_reason(exc)
                return None
            except ValueError as exc:  # requests parses a redirect target eagerly
                result.error = f"malformed redirect target ({exc})"
                return None
            retryable = response.status_code == 429 or 500 <= response.status_code < 600
            if not retryable or attempt == self.policy.retries:
                return response
            wait = self._retry_wait(response.headers.get("retry-after", ""), attempt)
            response.close()
            if wait > self.policy.max_retry_after:
                result.status = response.status_code
                result.error = f"{status_reason(response.status_code)}; asked to wait {wait:.0f} s"
                return None
            self.sleep(wait)
        return None

    def _retry_wait(self, retry_after: str, attempt: int) -> float:
        base = self.policy.backoff * 2**attempt
        if not retry_after:
            return base
        if retry_after.strip().isdigit():
            return max(base, float(retry_after))
        try:
            when = email.utils.parsedate_to_datetime(retry_after)
        except (TypeError, ValueError, IndexError):
            return base  # "soon", "1.5": not a delay we can read
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return max(base, (when - dt.datetime.now(dt.UTC)).total_seconds())

    def _read_body(self, response: requests.Response, result: FetchResult) -> None:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            result.error = (
                f"too large ({int(declared) // 1_000_000} MB; limit {self.policy.max_bytes // 1_000_000} MB)"
            )
            return
        body, error = self._read_capped(response, self.policy.max_bytes)
        if error:
            result.error = error
            return
        result.body = body
        if not result.body.strip():
            result.error = "empty page"

    def _read_capped(self, response: requests.Response, limit: int) -> tuple[bytes, str]:
        """Read the body under the size cap and the deadline; (bytes, "") or (b"", reason)."""
        started = time.monotonic()
        body = bytearray()
        try:
            while True:  # read1: whatever has arrived, so the deadline holds against a trickle
                chunk = response.raw.read1(65536, decode_content=True)  # decoded: caps a gzip bomb too
                if not chunk:
                    return bytes(body), ""
                body += chunk
                if len(body) > limit:
                    return b"", f"too large (over {limit // 1_000_000} MB)"
                if time.monotonic() - started > self.policy.deadline:
                    return b"", "timeout (the server sends too slowly)"
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            return b"", network_reason(exc)

    def _is_challenge(self, response: requests.Response) -> bool:
        """Whether an error answer is a bot-check page (Cloudflare and the like)."""
        from scrapers.platforms.medium import is_challenge_page

        head, error = self._read_capped(response, 1_000_000)
        return not error and is_challenge_page(head, response.status_code)

    def _allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._robots
        if not known:
            parser = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = parser
        parser = self._robots[origin]
        agent = self.policy.user_agent.split("/", 1)[0]
        return parser is None or parser.can_fetch(agent, url)

    def _load_robots(self, origin: str) -> robotparser.RobotFileParser | None:
        """The site's robots.txt; None (allow everything) when it has none or it cannot be read."""
        try:
            with self._gate(origin):
                response = self.session.get(
                    f"{origin}/robots.txt",
                    timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                    allow_redirects=True,
                    stream=True,
                )
            with response:
                if response.status_code >= 400:
                    return None
                raw, error = self._read_capped(response, 500_000)
                if error:
                    return None
        except (requests.RequestException, OSError):
            return None
        parser = robotparser.RobotFileParser()
        parser.parse(raw.decode("utf-8", errors="replace").splitlines())
        return parser


def status_reason(status: int) -> str:
    """A TA-readable reason for an HTTP error status."""
    if status in (401, 402, 403, 407):
        return f"not public: login wall or access denied (HTTP {status})"
    if status == 404:
        return "not found (HTTP 404): deleted, or the link is wrong"
    if status == 410:
        return "gone (HTTP 410): the post was deleted"
    if status == 429:
        return "the site is rate-limiting us (HTTP 429)"
    if status >= 500:
        return f"the site's server failed (HTTP {status})"
    return f"HTTP {status}"


def network_reason(exc: BaseException) -> str:
    """A TA-readable reason for a network error."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in chain:
        if isinstance(item, UnsafeAddress):
            return f"unsafe address: {item}"
        for arg in getattr(item, "args", ()):
            if isinstance(arg, UnsafeAddress):
                return f"unsafe address: {arg}"
    text = " ".join(str(item) for item in chain).lower()
    if any(isinstance(item, requests.Timeout) for item in chain) or "timed out" in text:
        return "timeout (the site did not answer in time)"
    if "name resolution" in text or "name or service not known" in text or "nodename nor servname" in text:
        return "DNS failure: no such host"
    if "ssl" in text or "certificate" in text:
        return "TLS error: the site's certificate is not valid"
    if "refused" in text:
        return "connection refused: the site is down"
    return f"network error ({type(exc).__name__})"


def _origin(url: str) -> tuple[str, str]:
    """Scheme and host of a URL; ValueError when it cannot be parsed."""
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
