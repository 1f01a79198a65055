"""Two baselines the classifier must beat, at post level.

- `heading_rule`: a section is present when some heading carries one of its keywords.
- `TfidfBaseline`: TF-IDF (words and bigrams of title + text) and one logistic regression per
  section, trained on post-level labels (yes vs no).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from models.rubric import SECTIONS
from scrapers.article import Article

HEADING_KEYWORDS = {
    "problem": re.compile(r"\b(?:problems?|challenges?|motivation|why\b|pain)", re.IGNORECASE),
    "movie_example": re.compile(
        r"\b(?:movies?|films?|netflix|streaming|recommend\w*|examples?|in action|demo|scenario|hands-on)",
        re.IGNORECASE,
    ),
    "strengths_limitations": re.compile(
        r"\b(?:strengths?|limitations?|pros\b|cons\b|drawbacks?|advantages?|disadvantages?|weakness\w*"
        r"|trade-?offs?)",
        re.IGNORECASE,
    ),
}


def heading_rule(article: Article) -> dict[str, float]:
    """1.0 for a section whose keyword appears in some heading, else 0.0."""
    headings = [b.text for b in article.blocks if b.kind == "heading"]
    return {s: float(any(rx.search(h) for h in headings)) for s, rx in HEADING_KEYWORDS.items()}


def post_text(article: Article) -> str:
    return article.title + "\n" + article.text


@dataclass
class TfidfBaseline:
    """TF-IDF + logistic regression per section (sklearn), post level."""

    c: float = 10.0
    models: dict[str, object] = field(default_factory=dict)

    def fit(self, articles: Sequence[Article], labels: Sequence[dict[str, str]]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        for s in SECTIONS:
            keep = [i for i, lab in enumerate(labels) if lab.get(s) in ("yes", "no")]
            texts = [post_text(articles[i]) for i in keep]
            y = np.array([labels[i][s] == "yes" for i in keep], dtype=int)
            model = make_pipeline(
                TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, max_features=50_000),
                LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000),
            )
            model.fit(texts, y)
            self.models[s] = model
        return self

    def predict(self, articles: Sequence[Article]) -> list[dict[str, float]]:
        texts = [post_text(a) for a in articles]
        columns = {s: self.models[s].predict_proba(texts)[:, 1] for s in SECTIONS}  # type: ignore[attr-defined]
        return [{s: float(columns[s][i]) for s in SECTIONS} for i in range(len(articles))]
