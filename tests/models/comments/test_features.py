"""The text helpers, features and reasons, without the encoder (fast)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.comments.features import FEATURES, Evidence, comment_features
from models.comments.post import PostEncoding, article_from_path, describe_post, post_units
from models.comments.reasons import NO_POST, reasons
from models.comments.text import (
    Vocabulary,
    copied_mask,
    identifiers,
    norm_identifier,
    remove_spans,
    shingles,
    stem,
    tokens_with_spans,
    word_count,
)
from scrapers.article import Article, Block

COMMON = "the a great post thank you for share very this is it"
VOCAB = Vocabulary(frozenset(stem(w) for w in COMMON.split()))
PRAISE = np.zeros((1, 384), dtype=np.float32)
POST = Article(
    source="p",
    title="Avro for movie events",
    blocks=[
        Block(
            "paragraph",
            "The service adds deviceType with a null default to the RecommendationRequest schema.",
        ),
        Block(
            "paragraph", "Avro's binary format cuts storage to 0.24 of the CSV size, 86,430,501 bytes in all."
        ),
    ],
)


def encoded_post() -> PostEncoding:
    units = post_units(POST)
    return describe_post(POST, units, np.zeros((len(units), 384), dtype=np.float32), VOCAB)


def features(text: str, post: PostEncoding | None = None) -> tuple[dict[str, float], Evidence]:
    values, ev = comment_features(text, np.zeros(384, dtype=np.float32), post, VOCAB, PRAISE)
    return dict(zip(FEATURES, values, strict=True)), ev


def test_words_stems_identifiers() -> None:
    assert word_count("Why ttl=2 days?  Our sessions") == 5
    assert stem("schemas") == stem("schema") and stem("queries") == "query"
    found = identifiers(
        "Use `read_parquet(columns=...)` on user_id, DataDriftPreset, 0.3 and 86,430,501 --csv-full"
    )
    assert {"user_id", "DataDriftPreset", "0.3", "86,430,501", "--csv-full"} <= set(found)
    assert "read_parquet(columns=...)" in found and "read_parquet" in found
    assert norm_identifier("86,430,501") == "86430501" and norm_identifier("`TTL`") == "ttl"


def test_rare_words() -> None:
    assert VOCAB.is_rare("ttl") and VOCAB.is_rare("deviceType")
    assert not VOCAB.is_rare("dfdfdfdfdf") and not VOCAB.is_rare("bcdfghk")
    assert not VOCAB.is_rare("post") and not VOCAB.is_rare("movie") and not VOCAB.is_rare("great")


def test_copy_detection() -> None:
    post = [t for t, _, _ in tokens_with_spans("one two three four five six seven")]
    text = "I agree: one two three four five six. Why though?"
    spans = tokens_with_spans(text)
    mask = copied_mask([t for t, _, _ in spans], shingles(post))
    assert sum(mask) == 6
    own = remove_spans(text, [(s, e) for (_, s, e), m in zip(spans, mask, strict=True) if m])
    assert own == "I agree: . Why though?"


def test_features_without_post() -> None:
    values, ev = features("Why a null default for deviceType? Great post, thank you!")
    assert values["has_post"] == 0 and values["sim_max"] == 0 and values["copied_share"] == 0
    assert not ev.has_post and ev.questions == 1 and "great post" in ev.praise


def test_features_with_post() -> None:
    post = encoded_post()
    values, ev = features("Why a null default for deviceType? Is 0.24 measured on 86,430,501 bytes?", post)
    assert values["has_post"] == 1 and values["overlap_ident"] > 0
    assert {"deviceType", "0.24", "86,430,501"} <= set(ev.grounded_terms)
    copied, cev = features(
        "The service adds deviceType with a null default to the RecommendationRequest schema.", post
    )
    assert copied["copied_share"] > 0.9 and cev.own_words <= 1


def test_generic_sentences() -> None:
    values, _ = features("Great post, thank you for sharing! Very informative.")
    assert values["generic_share"] == 1.0 and values["question"] == 0
    mixed, _ = features("Great post! Why ttl=2 days for the watch history?")
    assert 0 < mixed["generic_share"] < 1 and mixed["specific_question"] > 0


def test_reasons_order_and_no_post_note() -> None:
    _, ev = features("Great post! Why ttl=2 days for the watch history?")
    out = reasons(ev, {"question": 2.0, "praise_hits": -0.5}, substantive=True)
    assert out[-1] == NO_POST and out[0].startswith("asks a question")
    assert sum(r.startswith("despite: ") for r in out) <= 1
    _, generic = features("Great post, thank you!", encoded_post())
    out = reasons(generic, {"praise_hits": -3.0}, substantive=False)
    assert out[0].startswith("only generic praise") and NO_POST not in out


def test_article_from_path(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        "---\ntitle: Hello\n---\n# Intro\n\nSome text about Parquet row groups.\n", encoding="utf-8"
    )
    article = article_from_path(path)
    assert article.title == "Hello" and article.source == str(path)
    assert post_units(article) == ["Some text about Parquet row groups."]
