"""Quality gate: our extraction on the ScrapingHub article benchmark stays above the recorded floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.extract import extract_html
from scrapers.extract.benchmark import (
    Score,
    aggregate,
    benchmark_dir,
    evaluate,
    load_pages,
    score_page,
    shingles,
)

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
FLOOR = json.loads((ROOT / "benchmarks" / "extraction_floor.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def score() -> Score:
    if not (benchmark_dir(SHARED) / "ground-truth.json").exists():
        pytest.skip(f"benchmark absent: {benchmark_dir(SHARED)} (../shared beside the repository)")
    pages = list(load_pages(SHARED))
    result, _ = evaluate(pages, lambda page: extract_html(page.html, page.url).plain_text)
    assert result.pages == len(pages) > 100
    return result


@pytest.mark.parametrize("metric", ["f1", "precision", "recall"])
def test_at_or_above_the_floor(score: Score, metric: str) -> None:
    assert getattr(score, metric) >= FLOOR[metric], (
        f"{metric} {getattr(score, metric):.4f} < floor {FLOOR[metric]}"
    )


def test_shingles_are_four_word_windows() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"), ("b", "c", "d", "e")}
    assert shingles("only two") == {("only", "two")}
    assert shingles("  ...  ") == set()


def test_page_score_edge_cases() -> None:
    assert score_page("", "") == score_page("same words in here", "same words in here")
    assert score_page("", "some reference text here").precision == 0.0
    assert score_page("extra words we made up", "").recall == 0.0
    half = score_page("one two three four five six seven", "one two three four")
    assert (half.precision, half.recall) == (0.25, 1.0)


def test_f1_is_the_harmonic_mean_of_the_averages() -> None:
    total = aggregate([score_page("a b c d", "a b c d"), score_page("a b c d x y z w", "a b c d")])
    assert total.precision == pytest.approx((1.0 + 0.2) / 2)
    assert total.recall == 1.0
    assert total.f1 == pytest.approx(2 * 0.6 * 1.0 / 1.6)
