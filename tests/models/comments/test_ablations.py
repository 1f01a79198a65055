"""The ablation script skips cleanly without the shared corpus (the product runs without it)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.comments import ablations


def test_skips_with_a_message_when_the_shared_corpus_is_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ablations.main(["--shared", str(tmp_path)]) == 0
    assert "is absent" in capsys.readouterr().err


def test_leave_one_blog_out_never_scores_a_blog_with_its_own_comments() -> None:
    from models.comments.data import Labelled
    from models.comments.pipeline import Featurised

    rows = [Labelled(f"c{i}", "x", bool(i % 2), "blog", group=f"blog{i % 3}") for i in range(9)]
    data = Featurised(rows, np.zeros((9, 2)), np.zeros((9, 1)), np.zeros((9, 1)))
    seen: list[tuple[set[str], set[str]]] = []

    def score(train: Featurised, test: Featurised) -> np.ndarray:
        seen.append(({r.group for r in train.rows}, {r.group for r in test.rows}))
        return np.array([float(r.id[1:]) for r in test.rows])

    out = ablations.leave_one_blog_out(data, score)
    assert out.tolist() == [float(i) for i in range(9)], "each score lands on its own comment"
    assert len(seen) == 3 and all(len(test) == 1 and not train & test for train, test in seen)
