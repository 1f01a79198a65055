"""Training machinery shared by `train` and `evaluate`: featurise the labelled sets, fit both stages.

Stage B learns from three sources, each with its own total weight and classes balanced inside it:
C3 (no post), the in-domain set and the blog set (each with its post, and again without it, so the
no-post mode is trained on the same kind of comments; copied comments have no no-post copy, since
without the post they cannot be told apart from original text).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.comments.data import Labelled
from models.comments.features import FEATURES, comment_features
from models.comments.head import Logistic, c3_inputs, penalties, stage_b_inputs, substance_inputs
from models.comments.lexicon import PRAISE_PROTOTYPES
from models.comments.post import PostEncoding, article_from_path, describe_post, post_units
from models.comments.text import Vocabulary, stem, word_count

CACHE_DIR = Path(tempfile.gettempdir()) / "reviewbot-comments-cache"
COMMON_MIN_DOCS = 8  # a word stem in at least this many C3 comments is common English
K_FOLDS = 5


@dataclass(frozen=True)
class Params:
    c3_l2: float = 0.03  # stage A: L2 on the standardised embedding + length inputs
    l2: float = 0.1  # stage B, interpretable features (standardised)
    l2_embedding: float = 0.3  # stage B, the 384 embedding dimensions (standardised)
    weight_c3: float = 1.0  # total weight of each source in stage B
    weight_indomain: float = 1.0
    weight_blog: float = 1.0
    no_post_share: float = 0.5  # weight of the no-post copy of a row relative to its with-post row
    threshold: float = 0.5


PARAMS = Params()


def common_words(texts: Sequence[str], min_docs: int = COMMON_MIN_DOCS) -> list[str]:
    """Stems found in at least `min_docs` of the texts (general English, from news comments)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({stem(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", text.lower())})
    return sorted(s for s, n in counts.items() if n >= min_docs)


@dataclass
class Featurised:
    """A labelled set with embeddings and raw features, with its post and without."""

    rows: list[Labelled]
    embeddings: np.ndarray
    with_post: np.ndarray  # raw features against the row's post (no-post features where it has none)
    no_post: np.ndarray
    words: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.words = np.array([word_count(r.text) for r in self.rows], dtype=np.float64)

    @property
    def labels(self) -> np.ndarray:
        return np.array([r.label for r in self.rows], dtype=np.float64)

    def subset(self, index: np.ndarray) -> Featurised:
        return Featurised(
            [self.rows[i] for i in index], self.embeddings[index], self.with_post[index], self.no_post[index]
        )


class Featuriser:
    """Embeds comments and posts (cached on disk) and computes the raw features."""

    def __init__(self, vocab: Vocabulary, cache_dir: Path | None = CACHE_DIR) -> None:
        from models.encoder import CachedEncoder, shared_encoder

        encoder = shared_encoder()
        self.encode = CachedEncoder(encoder, cache_dir).encode if cache_dir else encoder.encode
        self.vocab = vocab
        self.praise = self.encode(list(PRAISE_PROTOTYPES))
        self.posts: dict[str, PostEncoding] = {}

    def post(self, path: str) -> PostEncoding:
        if path not in self.posts:
            article = article_from_path(Path(path))
            units = post_units(article)
            self.posts[path] = describe_post(article, units, self.encode(units), self.vocab)
        return self.posts[path]

    def featurise(self, rows: Sequence[Labelled]) -> Featurised:
        embeddings = self.encode([r.text for r in rows], batch_size=64)
        with_post, no_post = [], []
        for row, emb in zip(rows, embeddings, strict=True):
            bare = comment_features(row.text, emb, None, self.vocab, self.praise)[0]
            no_post.append(bare)
            with_post.append(
                comment_features(row.text, emb, self.post(row.post), self.vocab, self.praise)[0]
                if row.post
                else bare
            )
        empty = np.zeros((0, len(FEATURES)))
        return Featurised(
            list(rows),
            embeddings,
            np.vstack(with_post) if with_post else empty,
            np.vstack(no_post) if no_post else empty,
        )


# --- folds ------------------------------------------------------------------------------------------


def group_folds(groups: Sequence[str], k: int = K_FOLDS) -> np.ndarray:
    """A fold per row: groups dealt round-robin, largest first (deterministic)."""
    sizes = Counter(groups)
    order = sorted(sizes, key=lambda g: (-sizes[g], g))
    fold_of = {g: n % k for n, g in enumerate(order)}
    return np.array([fold_of[g] for g in groups])


# --- fitting ----------------------------------------------------------------------------------------


def fit_constructive(c3: Featurised, params: Params = PARAMS) -> Logistic:
    return Logistic.fit(c3_inputs(c3.embeddings, c3.words), c3.labels, l2=params.c3_l2)


def constructive_oof(c3: Featurised, params: Params = PARAMS, k: int = K_FOLDS) -> np.ndarray:
    """Out-of-fold stage A logits of the C3 rows (grouped by article)."""
    folds = group_folds([r.group for r in c3.rows], k)
    out = np.zeros(len(c3.rows))
    x = c3_inputs(c3.embeddings, c3.words)
    for fold in range(k):
        test = folds == fold
        model = Logistic.fit(x[~test], c3.labels[~test], l2=params.c3_l2)
        out[test] = model.logit(x[test])
    return out


def _balanced(labels: np.ndarray, total: float) -> np.ndarray:
    w = np.zeros(len(labels))
    for value in (0.0, 1.0):
        n = int((labels == value).sum())
        if n:
            w[labels == value] = total / (2 * n)
    return w


@dataclass
class Heads:
    constructive: Logistic
    with_post: Logistic
    no_post: Logistic


def fit_heads(
    constructive: Logistic,
    c3: Featurised | None,
    c3_logits: np.ndarray | None,
    posted: Sequence[tuple[Featurised, float]],
    params: Params = PARAMS,
) -> Heads:
    """Stage B: the with-post head on the sets with posts (each with its total weight, classes
    balanced); the no-post head on C3 (out-of-fold stage A logits) and the same sets without their
    post (copied rows excepted: without the post they cannot be told from original text)."""
    xs, ys, ws = [], [], []
    bare_x, bare_y, bare_w = [], [], []
    if c3 is not None and c3_logits is not None and len(c3.rows):
        bare_x.append(stage_b_inputs(c3_logits, c3.no_post, c3.embeddings))  # out-of-fold logits
        bare_y.append(c3.labels)
        bare_w.append(_balanced(c3.labels, params.weight_c3))
    for data, total in posted:
        if not data.rows or total <= 0:
            continue
        xs.append(substance_inputs(constructive, data.embeddings, data.with_post))
        ys.append(data.labels)
        ws.append(_balanced(data.labels, total))
        keep = np.flatnonzero([r.kind != "copied" for r in data.rows])
        if len(keep) and params.no_post_share > 0:
            bare = data.subset(keep)
            bare_x.append(substance_inputs(constructive, bare.embeddings, bare.no_post))
            bare_y.append(bare.labels)
            bare_w.append(_balanced(bare.labels, total * params.no_post_share))
    l2 = penalties(params.l2, params.l2_embedding)
    with_post = Logistic.fit(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), l2=l2)
    no_post = Logistic.fit(np.vstack(bare_x), np.concatenate(bare_y), np.concatenate(bare_w), l2=l2)
    return Heads(constructive, with_post, no_post)


def predict(heads: Heads, data: Featurised, with_post: bool = True) -> np.ndarray:
    """Scores of a set, with each row's post (rows without one use the no-post head) or without."""
    x_post = substance_inputs(heads.constructive, data.embeddings, data.with_post)
    x_bare = substance_inputs(heads.constructive, data.embeddings, data.no_post)
    has_post = (data.with_post[:, FEATURES.index("has_post")] > 0) & with_post
    return np.where(has_post, heads.with_post.proba(x_post), heads.no_post.proba(x_bare))
