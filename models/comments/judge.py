"""The substance judge: is a comment on a classmate's post substantive (engaging with the post)?

    judge = CommentJudge.load()                      # MiniLM encoder + the small trained head, once
    verdict = judge.judge(text, post=article)        # CommentVerdict(substantive, score, reasons)
    encoded = judge.encode_post(article)             # a post once, for many comments
    verdicts = judge.judge_encoded(texts, encoded)

The score is the head's probability that the comment is substantive (0..1); `substantive` is
score >= the threshold stored with the weights. Without a post the grounding and copy features are
missing (0, `has_post` = 0) and the reasons say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from models.comments.features import FEATURES, comment_features
from models.comments.head import HEAD_FILE, SUBSTANCE_FEATURES, Bundle, file_digest, substance_inputs
from models.comments.lexicon import PRAISE_PROTOTYPES
from models.comments.post import PostEncoding, encode_post
from models.comments.reasons import reasons
from models.comments.text import Vocabulary
from scrapers.article import Article

VERSION_PREFIX = "comments-1"
BATCH = 64


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray: ...


@dataclass
class CommentVerdict:
    substantive: bool
    score: float
    reasons: list[str]


def model_version(path: Path = HEAD_FILE) -> str:
    """`comments-1+<first 12 hex of the head file's sha256>`, or `comments-1+untrained`."""
    return f"{VERSION_PREFIX}+{file_digest(path)[:12]}" if path.exists() else f"{VERSION_PREFIX}+untrained"


class CommentJudge:
    """MiniLM embeddings + interpretable features + a two-stage logistic head."""

    MODEL_VERSION: str = model_version()

    def __init__(self, bundle: Bundle, encoder: TextEncoder, version: str | None = None) -> None:
        expected = list(SUBSTANCE_FEATURES[: 1 + len(FEATURES)])
        if bundle.features != expected:
            raise ValueError(
                "the head was trained on other features: retrain with `python -m models.comments.train`"
            )
        self.bundle = bundle
        self.encoder = encoder
        self.vocab = Vocabulary(frozenset(bundle.common_words))
        self.praise_embeddings = self._encode(list(PRAISE_PROTOTYPES))
        if version is not None:
            self.MODEL_VERSION = version

    @classmethod
    def load(cls, path: Path = HEAD_FILE, encoder: TextEncoder | None = None) -> CommentJudge:
        """The committed head and the MiniLM encoder (pass `encoder` to share one already loaded)."""
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: train it with `python -m models.comments.train`")
        if encoder is None:
            from models.encoder import shared_encoder

            encoder = shared_encoder()
        return cls(Bundle.load(path), encoder, version=model_version(path))

    # --- public API -------------------------------------------------------------------------------

    def judge(self, text: str, post: Article | None = None) -> CommentVerdict:
        return self.judge_many([(text, post)])[0]

    def judge_many(self, items: Sequence[tuple[str, Article | None]]) -> list[CommentVerdict]:
        """Many comments, each with its post (or None): one batch through the encoder; each distinct
        post object is encoded once per call."""
        encoded: dict[int, PostEncoding] = {}
        posts: list[PostEncoding | None] = []
        for _, article in items:
            if article is None:
                posts.append(None)
                continue
            if id(article) not in encoded:
                encoded[id(article)] = self.encode_post(article)
            posts.append(encoded[id(article)])
        texts = [text for text, _ in items]
        return self.verdicts(texts, self._encode(texts), posts)

    def encode_post(self, post: Article) -> PostEncoding:
        """Embeddings of the post's paragraphs and its word, identifier and n-gram sets."""
        return encode_post(post, self._encode, self.vocab)

    def judge_encoded(self, texts: Sequence[str], post: PostEncoding | None) -> list[CommentVerdict]:
        return self.verdicts(list(texts), self._encode(list(texts)), [post] * len(texts))

    # --- internals --------------------------------------------------------------------------------

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.encoder.encode(list(texts), batch_size=BATCH), dtype=np.float32)

    def verdicts(
        self, texts: Sequence[str], embeddings: np.ndarray, posts: Sequence[PostEncoding | None]
    ) -> list[CommentVerdict]:
        """Verdicts for comments whose embeddings are already computed."""
        if not texts:
            return []
        rows = [
            comment_features(text, emb, post, self.vocab, self.praise_embeddings)
            for text, emb, post in zip(texts, embeddings, posts, strict=True)
        ]
        raw = np.vstack([r[0] for r in rows])
        x = substance_inputs(self.bundle.constructive, embeddings, raw)
        out = []
        for (_, ev), row in zip(rows, x, strict=True):
            head = self.bundle.head(ev.has_post)
            score = float(head.proba(row)[0])
            substantive = score >= self.bundle.threshold
            named = dict(zip(SUBSTANCE_FEATURES, (float(c) for c in head.contributions(row)[0]), strict=True))
            why = reasons(ev, named, substantive, score, self.bundle.threshold)
            out.append(CommentVerdict(substantive, round(score, 4), why))
        return out
