"""The article-extraction benchmark: load its pages and score extracted text with 4-gram shingles."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class Page:
    """One benchmark page: raw HTML bytes, its URL and the reference article body."""

    page_id: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True)
class PageScore:
    """Shingle precision and recall of one extraction against its reference."""

    precision: float
    recall: float


@dataclass(frozen=True)
class Score:
    """Averaged precision and recall over pages, and the F1 of those two averages."""

    precision: float
    recall: float
    f1: float
    pages: int


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of `size` consecutive word tokens; a text shorter than that is one shingle."""
    tokens = TOKEN_RE.findall(text or "")
    if not tokens:
        return set()
    if len(tokens) < size:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def score_page(extracted: str, truth: str) -> PageScore:
    """Precision |E∩G|/|E| and recall |E∩G|/|G|; both empty scores 1, one empty scores 0."""
    got, want = shingles(extracted), shingles(truth)
    if not got and not want:
        return PageScore(1.0, 1.0)
    if not got or not want:
        return PageScore(0.0, 0.0)
    common = len(got & want)
    return PageScore(common / len(got), common / len(want))


def aggregate(scores: list[PageScore]) -> Score:
    """Average precision and recall over pages; F1 is the harmonic mean of the two averages."""
    if not scores:
        return Score(0.0, 0.0, 0.0, 0)
    precision = statistics.fmean(s.precision for s in scores)
    recall = statistics.fmean(s.recall for s in scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, len(scores))


def benchmark_dir(shared: Path) -> Path:
    """Where the benchmark lives inside a shared folder."""
    return shared / "benchmarks" / "extraction"


def load_pages(shared: Path) -> Iterator[Page]:
    """Yield the benchmark pages in a stable order (sorted by id)."""
    root = benchmark_dir(shared)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        path = root / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        entry = truth[page_id]
        yield Page(page_id, entry.get("url", ""), gzip.decompress(path.read_bytes()), entry["articleBody"])


def evaluate(pages: list[Page], extract: Callable[[Page], str]) -> tuple[Score, list[PageScore]]:
    """Run `extract` on every page and score the results."""
    per_page = [score_page(extract(page), page.truth) for page in pages]
    return aggregate(per_page), per_page
