"""A post prepared once for judging many comments against it (`PostEncoding`), and local post files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.comments.text import (
    Vocabulary,
    content_words,
    identifiers,
    norm_identifier,
    shingles,
    stem,
    tokens_with_spans,
)
from scrapers.article import Article

MAX_UNITS = 400  # paragraphs embedded per post (a post longer than that is judged on its first 400)
MIN_UNIT_WORDS = 3
TOPIC_WORDS = 3  # the post's most frequent rare words (its tool's name, mostly): not grounding evidence

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class PostEncoding:
    """Everything the judge needs from a post: paragraph embeddings and its words, identifiers, n-grams."""

    source: str
    title: str
    units: tuple[str, ...]  # the paragraphs that were embedded
    embeddings: np.ndarray  # (len(units), 384), L2-normalised
    stems: frozenset[str]  # stems of every word of the post
    title_stems: frozenset[str]  # words of the title (and the topic words): mentioning them is not grounding
    identifiers: frozenset[str]  # normalised code-like tokens and numbers
    shingles: frozenset[str]  # 5-token runs, for copy detection

    @property
    def empty(self) -> bool:
        return not self.units


def post_units(article: Article) -> list[str]:
    """The paragraphs compared with a comment: every non-heading block of a few words or more."""
    units = [
        b.text.strip()
        for b in article.blocks
        if b.kind != "heading" and len(b.text.split()) >= MIN_UNIT_WORDS
    ]
    return units[:MAX_UNITS]


def encode_post(article: Article, encode: Encode, vocab: Vocabulary) -> PostEncoding:
    units = post_units(article)
    embeddings = encode(units) if units else np.zeros((0, 384), dtype=np.float32)
    return describe_post(article, units, np.asarray(embeddings, dtype=np.float32), vocab)


def describe_post(
    article: Article, units: list[str], embeddings: np.ndarray, vocab: Vocabulary
) -> PostEncoding:
    """The PostEncoding of an article whose unit embeddings are already computed."""
    body = "\n".join(b.text for b in article.blocks)
    words = content_words(body)
    stems = frozenset(stem(w) for w in words)
    rare = Counter(stem(w) for w in words if vocab.is_rare(w))
    topic = {s for s, _ in rare.most_common(TOPIC_WORDS)}
    title_stems = frozenset({stem(w) for w in content_words(article.title)} | topic)
    idents = frozenset(norm_identifier(t) for t in identifiers(article.title + "\n" + body))
    tokens = [t for t, _, _ in tokens_with_spans(article.title + "\n" + body)]
    return PostEncoding(
        source=article.source,
        title=article.title,
        units=tuple(units),
        embeddings=embeddings,
        stems=stems,
        title_stems=title_stems,
        identifiers=frozenset(i for i in idents if i),
        shingles=frozenset(shingles(tokens)),
    )


def article_from_path(path: Path) -> Article:
    """A local post file: Markdown (.md, .markdown, .txt) or a saved HTML page; its source is the path."""
    from models.segment import load_document

    article = load_document(path)
    article.source = str(path)
    return article
