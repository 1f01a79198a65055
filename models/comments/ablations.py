"""What else was tried on the real blog comments: `python -m models.comments.ablations [--shared PATH]`.

Every variant is scored like the judge in `models.comments.evaluate`: leave one blog out (trained on
C3 + the in-domain set + the other five blogs, tested on the held-out blog), macro-F1 over the 175
comments and over those under 25 words. Variants:

- the judge's own settings, then its regularisation and source weights moved one step each way;
- other learners on the same inputs (stage A logit + interpretable features, with and without the
  embedding): logistic regression without the embedding, gradient-boosted trees, a random forest,
  and each averaged with the judge;
- C3 news comments added to the with-post head (as comments without a post);
- interactions of the specificity cues with grounding (a question that is not about the post).

None reaches the 0.9 goal; the table shows how far each gets. Needs ../shared (skips otherwise).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from models.comments.data import SharedMissing, shared_root
from models.comments.evaluate import featurise_all
from models.comments.features import FEATURES
from models.comments.head import HEAD_FILE, Bundle, Logistic, penalties, stage_b_inputs, substance_inputs
from models.comments.metrics import summary
from models.comments.pipeline import (
    CACHE_DIR,
    PARAMS,
    Featurised,
    Params,
    _balanced,
    constructive_oof,
    fit_constructive,
    fit_heads,
    predict,
)

Scorer = Callable[[Featurised, Featurised], np.ndarray]  # (training blogs, held-out blog) -> scores


def leave_one_blog_out(blog: Featurised, score: Scorer) -> np.ndarray:
    out = np.zeros(len(blog.rows))
    for name in sorted({r.group for r in blog.rows}):
        test = np.array([r.group == name for r in blog.rows])
        out[test] = score(blog.subset(np.flatnonzero(~test)), blog.subset(np.flatnonzero(test)))
    return out


def run(shared: Path) -> list[tuple[str, dict[str, float]]]:
    common = Bundle.load(HEAD_FILE).common_words if HEAD_FILE.exists() else None
    c3, blog, ind, _ = featurise_all(shared, CACHE_DIR, common)
    c3_logits = constructive_oof(c3, PARAMS)
    stage_a = fit_constructive(c3, PARAMS)
    rows: list[tuple[str, dict[str, float]]] = []

    def report(name: str, scores: np.ndarray) -> None:
        rows.append((name, summary(blog.words, blog.labels, scores >= 0.5)))

    def judge(params: Params) -> Scorer:
        def score(train: Featurised, test: Featurised) -> np.ndarray:
            sets = [(ind, params.weight_indomain), (train, params.weight_blog)]
            return predict(fit_heads(stage_a, c3, c3_logits, sets, params), test)

        return score

    base = leave_one_blog_out(blog, judge(PARAMS))
    report("the judge (shipped settings)", base)
    for field, values in (
        ("l2", (0.03, 0.3)),
        ("l2_embedding", (0.1, 1.0, 3.0)),
        ("weight_blog", (0.5, 2.0)),
        ("weight_indomain", (0.5, 2.0)),
        ("no_post_share", (0.0,)),
    ):
        for value in values:
            params = dataclasses.replace(PARAMS, **{field: value})
            report(f"judge, {field} = {value}", leave_one_blog_out(blog, judge(params)))

    n_features = 1 + len(FEATURES)

    def inputs(data: Featurised, embedding: bool) -> np.ndarray:
        x = substance_inputs(stage_a, data.embeddings, data.with_post)
        return x if embedding else x[:, :n_features]

    def learner(make: Callable[[], object], embedding: bool) -> Scorer:
        def score(train: Featurised, test: Featurised) -> np.ndarray:
            x = np.vstack([inputs(ind, embedding), inputs(train, embedding)])
            y = np.r_[ind.labels, train.labels]
            w = np.r_[_balanced(ind.labels, 1.0), _balanced(train.labels, 1.0)]
            model = make()
            model.fit(x, y, sample_weight=w)  # type: ignore[attr-defined]
            return model.predict_proba(inputs(test, embedding))[:, 1]  # type: ignore[attr-defined]

        return score

    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    others: list[tuple[str, Scorer]] = [
        (
            "logistic regression, features only",
            learner(
                lambda: _scaled(make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))),
                False,
            ),
        ),
        (
            "gradient-boosted trees, features only",
            learner(
                lambda: HistGradientBoostingClassifier(max_leaf_nodes=4, learning_rate=0.05, random_state=0),
                False,
            ),
        ),
        (
            "random forest, features + embedding",
            learner(
                lambda: RandomForestClassifier(n_estimators=400, min_samples_leaf=3, random_state=0), True
            ),
        ),
    ]
    for name, scorer in others:
        scores = leave_one_blog_out(blog, scorer)
        report(name, scores)
        report(f"{name}, averaged with the judge", (scores + base) / 2)

    c3_x = stage_b_inputs(c3_logits, c3.no_post, c3.embeddings)
    for share in (0.1, 0.3, 1.0):

        def with_c3(train: Featurised, test: Featurised, share: float = share) -> np.ndarray:
            x = np.vstack([inputs(ind, True), inputs(train, True), c3_x])
            y = np.r_[ind.labels, train.labels, c3.labels]
            w = np.r_[_balanced(ind.labels, 1.0), _balanced(train.labels, 1.0), _balanced(c3.labels, share)]
            head = Logistic.fit(x, y, w, l2=penalties(PARAMS.l2, PARAMS.l2_embedding))
            return head.proba(inputs(test, True))

        report(f"C3 in the with-post head (weight {share})", leave_one_blog_out(blog, with_c3))

    index = {name: i for i, name in enumerate(FEATURES)}
    pairs = [
        ("question", "sim_max"),
        ("suggestion", "sim_max"),
        ("critique", "sim_max"),
        ("experience", "sim_max"),
    ]

    def crossed(data: Featurised) -> np.ndarray:
        raw = data.with_post
        extra = [raw[:, index[a]] * (raw[:, index[b]] - 0.3) for a, b in pairs]
        return np.hstack([np.stack(extra, 1), inputs(data, True)])

    def interactions(train: Featurised, test: Featurised) -> np.ndarray:
        x = np.vstack([crossed(ind), crossed(train)])
        y = np.r_[ind.labels, train.labels]
        w = np.r_[_balanced(ind.labels, 1.0), _balanced(train.labels, 1.0)]
        l2 = np.r_[np.full(len(pairs), PARAMS.l2), penalties(PARAMS.l2, PARAMS.l2_embedding)]
        return Logistic.fit(x, y, w, l2=l2).proba(crossed(test))

    report("specificity x grounding interactions", leave_one_blog_out(blog, interactions))
    return rows


def _scaled(model: object) -> object:
    """A pipeline that passes sample weights to its last step."""

    class Weighted:
        def fit(self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray) -> Weighted:
            step = model.steps[-1][0]  # type: ignore[attr-defined]
            model.fit(x, y, **{f"{step}__sample_weight": sample_weight})  # type: ignore[attr-defined]
            return self

        def predict_proba(self, x: np.ndarray) -> np.ndarray:
            return model.predict_proba(x)  # type: ignore[attr-defined]

    return Weighted()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=None, help="the shared data folder (default ../shared)"
    )
    args = parser.parse_args(argv)
    try:
        rows = run(args.shared or shared_root())
    except SharedMissing as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 0
    print(f"{'variant (leave one blog out, 175 comments)':64s} {'macro-F1':>8s} {'F1<25':>6s}")
    for name, result in rows:
        print(f"{name:64s} {result['macro_f1']:8.3f} {result['macro_f1_short']:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
