"""The progress bar: drawn in place on a terminal, silent when piped or under CI."""

from __future__ import annotations

import io
import threading

import pytest

from bot.progress import Bar, interactive, progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal (and, like a real file, refuses once closed)."""

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_piped_output_stays_clean() -> None:
    out = io.StringIO()
    with progress(3, "fetch", stream=out, env={}) as bar:
        for _ in range(3):
            bar.advance(note="https://example.com/post")
    assert out.getvalue() == "" and bar.done == 3


@pytest.mark.parametrize(
    ("env", "drawn"),
    [
        ({}, True),
        ({"TERM": "xterm-256color"}, True),
        ({"CI": "true"}, False),
        ({"CI": "1"}, False),
        ({"CI": "false"}, True),
        ({"CI": ""}, True),
        ({"TERM": "dumb"}, False),
    ],
)
def test_drawn_only_on_an_interactive_terminal(env: dict[str, str], drawn: bool) -> None:
    assert interactive(Terminal(), env) is drawn
    out = Terminal()
    with progress(2, "audit", stream=out, env=env) as bar:
        bar.advance()
        bar.advance()
    assert bool(out.getvalue()) is drawn


def test_closed_stream_is_not_interactive() -> None:
    stream = Terminal()
    stream.close()
    assert interactive(stream, {}) is False


def test_terminal_bar_counts_to_the_end_and_ends_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    with progress(3, "check", stream=out, env={}) as bar:
        for i in range(3):
            bar.advance(note=f"post {i}")
    text = out.getvalue()
    frames = [f.replace("\x1b[K", "") for f in text.split("\r") if f]
    assert frames[0].startswith("check [------------------------------]  0/3    0%")
    assert frames[-1].startswith("check [##############################]  3/3  100%  0:00  post 2")
    assert text.endswith("\n") and text.count("\n") == 1


def test_redraws_are_throttled_but_the_last_frame_is_drawn() -> None:
    clock, out = Clock(), Terminal()
    bar = Bar(1000, "sync", out, True, clock=clock, interval=0.1, columns=80)
    for _ in range(999):
        bar.advance()
        clock.now += 0.001  # a thousand quick steps in one second: about ten redraws
    bar.advance()
    bar.close()
    frames = [f for f in out.getvalue().split("\r") if f]
    assert 8 <= len(frames) <= 14
    assert "1000/1000" in frames[-1]


def test_time_left_and_unknown_total() -> None:
    clock, out = Clock(), Terminal()
    bar = Bar(4, "fetch", out, True, clock=clock, columns=80)
    clock.now += 10
    bar.advance()
    assert "0:30 left" in bar.render()  # 10 s for one of four
    spinner = Bar(None, "fetch", out, True, clock=clock, columns=80)
    spinner.advance(5)
    assert spinner.render() == "fetch / 5 done  0:00"  # started at this clock time


def test_the_line_never_wraps() -> None:
    bar = Bar(10, "a-long-label", Terminal(), True, columns=40)
    bar.advance(note="https://example.com/" + "x" * 200)
    assert len(bar.render()) <= 39


def test_write_prints_above_the_bar() -> None:
    out = Terminal()
    with progress(2, "audit", stream=out, env={}) as bar:
        bar.advance()
        bar.write("fetch: 1 failed")
        bar.advance()
    lines = out.getvalue().split("\n")
    assert lines[0].endswith("\r\x1b[Kfetch: 1 failed")
    piped = io.StringIO()
    with progress(2, "audit", stream=piped, env={}) as bar:
        bar.write("fetch: 1 failed")
    assert piped.getvalue() == "fetch: 1 failed\n"


def test_an_error_leaves_a_clean_line() -> None:
    out = Terminal()
    with pytest.raises(RuntimeError), progress(5, "audit", stream=out, env={}) as bar:
        bar.advance()
        raise RuntimeError("boom")
    assert out.getvalue().endswith("\n")


def test_forced_on_or_off() -> None:
    piped, terminal = io.StringIO(), Terminal()
    with progress(1, "x", stream=piped, enabled=True) as bar:
        bar.advance()
    with progress(1, "x", stream=terminal, enabled=False) as bar:
        bar.advance()
    assert piped.getvalue() and not terminal.getvalue()


def test_advance_from_threads() -> None:
    with progress(400, "fetch", stream=Terminal(), env={}) as bar:
        workers = [threading.Thread(target=lambda: [bar.advance() for _ in range(100)]) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    assert bar.done == 400
