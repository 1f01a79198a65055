"""Main-content extraction on the ScrapingHub article-extraction benchmark, against trafilatura.

Run from the repository root: `python benchmarks/extraction_bench.py [--shared PATH] [--no-baseline]`.
Scores `extract_html(...).plain_text` with 4-gram shingle precision/recall averaged over pages (F1 of
the averages), times every page, and does the same for trafilatura (default settings) in the same
run. Exits 1 if our F1 is below trafilatura's (or, without a baseline, below the floor in
benchmarks/extraction_floor.json) or if our median time per page exceeds 20 ms; exits 0 with
"skipped: ../shared absent" when the benchmark data is not there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extract import extract_html
from scrapers.extract.benchmark import Page, Score, benchmark_dir, evaluate, load_pages

ROOT = Path(__file__).resolve().parent.parent
MEDIAN_LIMIT_MS = 20.0
FLOOR_FILE = ROOT / "benchmarks" / "extraction_floor.json"


@dataclass
class Run:
    """One extractor's quality and per-page timings."""

    name: str
    score: Score
    times_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(name: str, pages: list[Page], extract: Callable[[Page], str]) -> Run:
    """Score an extractor over the pages, timing each call."""
    times: list[float] = []

    def run(page: Page) -> str:
        start = time.perf_counter()
        text = extract(page)
        times.append((time.perf_counter() - start) * 1000)
        return text

    for page in pages[:3]:  # warm up imports and caches
        extract(page)
    score, _ = evaluate(pages, run)
    return Run(name, score, times)


def ours(page: Page) -> str:
    """Our extractor's body text."""
    return extract_html(page.html, page.url).plain_text


def trafilatura_extractor() -> Callable[[Page], str] | None:
    """trafilatura.extract with default settings, or None when it is not installed."""
    try:
        import trafilatura
    except ImportError:
        return None

    def extract(page: Page) -> str:
        return trafilatura.extract(page.html, url=page.url) or ""

    return extract


def print_table(runs: list[Run]) -> None:
    """The comparison table."""
    print(f"{'extractor':<14}{'F1':>8}{'precision':>11}{'recall':>9}{'median ms':>11}{'p95 ms':>9}")
    for run in runs:
        s = run.score
        print(
            f"{run.name:<14}{s.f1:>8.4f}{s.precision:>11.4f}{s.recall:>9.4f}"
            f"{run.median_ms:>11.1f}{run.p95_ms:>9.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data folder")
    parser.add_argument("--no-baseline", action="store_true", help="do not run trafilatura")
    args = parser.parse_args(argv)

    if not (benchmark_dir(args.shared) / "ground-truth.json").exists():
        print(f"skipped: ../shared absent (no benchmark at {benchmark_dir(args.shared)})")
        return 0
    pages = list(load_pages(args.shared))
    print(f"{len(pages)} pages from {benchmark_dir(args.shared)}")

    runs = [timed("reviewbot", pages, ours)]
    baseline = None if args.no_baseline else trafilatura_extractor()
    if baseline is not None:
        runs.append(timed("trafilatura", pages, baseline))
    elif not args.no_baseline:
        print("trafilatura is not installed: no baseline (pip install -e '.[dev]')")
    print_table(runs)

    mine = runs[0]
    failures = []
    if len(runs) > 1:
        theirs = runs[1]
        print(
            f"F1 difference: {mine.score.f1 - theirs.score.f1:+.4f}; "
            f"median time ratio (ours/trafilatura): {mine.median_ms / theirs.median_ms:.2f}"
        )
        if mine.score.f1 < theirs.score.f1:
            failures.append(f"F1 {mine.score.f1:.4f} is below trafilatura's {theirs.score.f1:.4f}")
    elif FLOOR_FILE.exists():
        floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
        for key in ("f1", "precision", "recall"):
            if getattr(mine.score, key) < floor[key]:
                failures.append(f"{key} {getattr(mine.score, key):.4f} is below the floor {floor[key]:.4f}")
    if mine.median_ms > MEDIAN_LIMIT_MS:
        failures.append(f"median {mine.median_ms:.1f} ms per page exceeds {MEDIAN_LIMIT_MS:.0f} ms")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
