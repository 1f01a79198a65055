"""Accuracy, macro-F1 and length buckets (whitespace words)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

BUCKETS = (("<25", 0, 25), ("25-60", 25, 61), (">60", 61, 10**9))
SHORT = 25


def accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    return float((np.asarray(y, bool) == np.asarray(pred, bool)).mean()) if len(y) else float("nan")


def f1(y: np.ndarray, pred: np.ndarray, positive: bool) -> float:
    y, pred = np.asarray(y, bool) == positive, np.asarray(pred, bool) == positive
    tp = float((y & pred).sum())
    denom = float(y.sum() + pred.sum())
    return 2 * tp / denom if denom else 1.0


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    if not len(y):
        return float("nan")
    return (f1(y, pred, True) + f1(y, pred, False)) / 2


def by_bucket(
    words: Sequence[float],
    y: np.ndarray,
    pred: np.ndarray,
    metric: Callable[[np.ndarray, np.ndarray], float] = accuracy,
) -> dict[str, dict[str, Any]]:
    words = np.asarray(words)
    out = {}
    for name, low, high in BUCKETS:
        mask = (words >= low) & (words < high)
        out[name] = {
            "n": int(mask.sum()),
            "value": round(metric(y[mask], pred[mask]), 4) if mask.any() else None,
        }
    return out


def summary(words: Sequence[float], y: np.ndarray, pred: np.ndarray) -> dict[str, object]:
    """Macro-F1 and accuracy overall and under 25 words."""
    words = np.asarray(words)
    short = words < SHORT
    return {
        "n": len(y),
        "macro_f1": round(macro_f1(y, pred), 4),
        "accuracy": round(accuracy(y, pred), 4),
        "n_short": int(short.sum()),
        "macro_f1_short": round(macro_f1(y[short], pred[short]), 4) if short.any() else None,
    }
