"""A progress bar for long CLI runs (sync, audit, check over many posts).

    with progress(len(posts), "fetch") as bar:
        for post in posts:
            ...
            bar.advance(note=post.url)

On a terminal (stderr is a TTY, `CI` is not set, `TERM` is not `dumb`) it draws one line that
redraws in place, at most ten times a second:

    fetch [##########----------]  12/40  30%  0:05 left  https://...

Piped, redirected, or under CI it writes nothing at all, so logs and captured output stay clean.
`advance` may be called from worker threads. `bar.write(line)` prints a line above the bar.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

_SPINNER = "|/-\\"


def interactive(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether to draw: the stream is a terminal, and neither CI nor a dumb terminal is declared."""
    env = os.environ if env is None else env
    if env.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Bar:
    """Counts work done; draws itself when `enabled`. Use `progress()` to make one."""

    def __init__(
        self,
        total: int | None,
        label: str,
        stream: TextIO,
        enabled: bool,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.1,
        columns: int | None = None,
    ) -> None:
        self.total = total if total and total > 0 else None
        self.label = label
        self.done = 0
        self.note = ""
        self.stream = stream
        self.enabled = enabled
        self._clock = clock
        self._interval = interval
        self._columns = columns
        self._started = clock()
        self._last_draw: float | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._drawn = False

    # counting ---------------------------------------------------------------------------------

    def advance(self, n: int = 1, note: str = "") -> None:
        with self._lock:
            self.done += n
            if note:
                self.note = note
            self._maybe_draw()

    def write(self, line: str) -> None:
        """Print a line (to the bar's stream) without garbling the bar."""
        with self._lock:
            if self.enabled and self._drawn:
                self.stream.write("\r\x1b[K")
            self.stream.write(line.rstrip("\n") + "\n")
            if self.enabled and self._drawn:
                self._draw()
            self.stream.flush()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self.enabled:
                self._draw()
                self.stream.write("\n")
                self.stream.flush()

    # drawing ----------------------------------------------------------------------------------

    def _maybe_draw(self, force: bool = False) -> None:
        if not self.enabled or self._closed:
            return
        now = self._clock()
        finished = self.total is not None and self.done >= self.total
        if force or finished or self._last_draw is None or now - self._last_draw >= self._interval:
            self._draw()

    def _draw(self) -> None:
        self._last_draw = self._clock()
        self._drawn = True
        self.stream.write("\r" + self.render() + "\x1b[K")
        self.stream.flush()

    def render(self) -> str:
        """The bar's line as it is now (no control characters)."""
        columns = self._columns or shutil.get_terminal_size((80, 24)).columns
        elapsed = self._clock() - self._started
        if self.total is None:
            spin = _SPINNER[self.done % len(_SPINNER)]
            head = f"{self.label} {spin} {self.done} done  {_clock(elapsed)}"
        else:
            done = min(self.done, self.total)
            share = done / self.total
            left = elapsed / done * (self.total - done) if done else None
            count = f"{self.done:>{len(str(self.total))}}/{self.total}"
            timing = f"{_clock(left)} left" if left is not None and done < self.total else _clock(elapsed)
            tail = f"  {count}  {share:4.0%}  {timing}"
            width = max(10, min(30, columns - len(self.label) - len(tail) - 4))
            filled = int(width * share)
            head = f"{self.label} [{'#' * filled}{'-' * (width - filled)}]{tail}"
        line = f"{head}  {self.note}" if self.note else head
        return line[: max(columns - 1, 10)]


@contextmanager
def progress(
    total: int | None,
    label: str,
    *,
    stream: TextIO | None = None,
    enabled: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Bar]:
    """A progress bar on stderr for `total` steps (None: unknown), silent unless interactive.

    `enabled` forces drawing on or off (e.g. a `--no-progress` flag); by default it is on only
    when the stream is a terminal and the environment declares no CI.
    """
    stream = stream or sys.stderr
    bar = Bar(total, label, stream, interactive(stream, env) if enabled is None else enabled)
    with bar._lock:
        bar._maybe_draw(force=True)  # show the bar before the first (maybe slow) step
    try:
        yield bar
    finally:
        bar.close()
