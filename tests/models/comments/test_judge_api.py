"""The judge's API on a synthetic post: who passes, who fails, reasons, modes, determinism."""

from __future__ import annotations

import re

import pytest

from models.comments import CommentJudge, CommentVerdict, PostEncoding
from scrapers.article import Article

SHORT_SPECIFIC = (
    "Why ttl=2 days for the watch history? Our users binge on weekends and come back after a week."
)
SPECIFIC = (
    "I'd push back on 'Feast does not do transformations': on-demand feature views can combine "
    "last_10_movie_ids with request data, and stream feature views read from Kafka. Did you try one "
    "before writing your own consumer?"
)
LONG_GENERIC = (
    "This was a really great and informative blog post! I think you did an amazing job explaining the tool "
    "and why it matters for companies that work with a lot of data. The structure of the post was very clear "
    "and easy to follow, and the examples made it easier to understand. I will definitely consider using "
    "this tool in the future for my own projects. Thanks for sharing!"
)
PRAISE = ["Great post! Very informative, thanks for sharing.", "looks good!", "Nice work, well written :)"]
COPIED = (
    '"We define a feature view watch_history keyed by user_id with ttl=2 days, materialised every hour into '
    'Redis as the online store" - nice!'
)


def test_verdict_shape(judge: CommentJudge, feast_post: Article) -> None:
    verdict = judge.judge(SPECIFIC, feast_post)
    assert isinstance(verdict, CommentVerdict)
    assert isinstance(verdict.substantive, bool)
    assert isinstance(verdict.score, float) and 0.0 <= verdict.score <= 1.0
    assert verdict.reasons and all(isinstance(r, str) and r for r in verdict.reasons)
    assert re.fullmatch(r"comments-1\+[0-9a-f]{12}", judge.MODEL_VERSION)


def test_short_specific_passes(judge: CommentJudge, feast_post: Article) -> None:
    assert len(SHORT_SPECIFIC.split()) < 25
    verdict = judge.judge(SHORT_SPECIFIC, feast_post)
    assert verdict.substantive, verdict
    assert any("short" in r and "specific" in r for r in verdict.reasons)
    assert any("refers to the post" in r and "ttl=2" in r for r in verdict.reasons)


def test_specific_passes(judge: CommentJudge, feast_post: Article) -> None:
    verdict = judge.judge(SPECIFIC, feast_post)
    assert verdict.substantive and verdict.score > 0.8, verdict


def test_long_generic_fails(judge: CommentJudge, feast_post: Article) -> None:
    assert len(LONG_GENERIC.split()) > 50
    verdict = judge.judge(LONG_GENERIC, feast_post)
    assert not verdict.substantive, verdict
    assert any("generic" in r for r in verdict.reasons)


@pytest.mark.parametrize("text", PRAISE)
def test_generic_praise_fails(judge: CommentJudge, feast_post: Article, text: str) -> None:
    verdict = judge.judge(text, feast_post)
    assert not verdict.substantive, verdict
    assert verdict.score < 0.2
    assert any("praise" in r for r in verdict.reasons)


def test_copied_from_post_fails(judge: CommentJudge, feast_post: Article) -> None:
    verdict = judge.judge(COPIED, feast_post)
    assert not verdict.substantive, verdict
    assert verdict.reasons[0].startswith("repeats the post")


def test_no_post_mode(judge: CommentJudge) -> None:
    specific = judge.judge(SPECIFIC)
    generic = judge.judge(LONG_GENERIC)
    assert specific.substantive and not generic.substantive
    for verdict in (specific, generic):
        assert verdict.reasons[-1].startswith("no post given")
        assert not any("refers to the post" in r for r in verdict.reasons)


def test_empty_and_odd_texts(judge: CommentJudge, feast_post: Article) -> None:
    for text in ("", "   ", "dfdfdfdfdfdf", "👍", "https://example.com/spam"):
        verdict = judge.judge(text, feast_post)
        assert not verdict.substantive, (text, verdict)
        assert verdict.reasons


def test_empty_post_behaves_like_no_post(judge: CommentJudge) -> None:
    verdict = judge.judge(SPECIFIC, Article(source="empty"))
    assert verdict.reasons[-1].startswith("no post given")


def test_deterministic_and_consistent(judge: CommentJudge, feast_post: Article) -> None:
    texts = [SHORT_SPECIFIC, SPECIFIC, LONG_GENERIC, COPIED, *PRAISE]
    one_by_one = [judge.judge(t, feast_post) for t in texts]
    again = [judge.judge(t, feast_post) for t in texts]
    many = judge.judge_many([(t, feast_post) for t in texts])
    encoded = judge.judge_encoded(texts, judge.encode_post(feast_post))
    assert one_by_one == again
    for a, b, c in zip(one_by_one, many, encoded, strict=True):
        assert a.substantive == b.substantive == c.substantive
        assert a.reasons == b.reasons == c.reasons
        assert abs(a.score - b.score) < 1e-3 and abs(a.score - c.score) < 1e-3


def test_judge_many_encodes_each_post_once(
    judge: CommentJudge, feast_post: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = judge.encode_post

    def counting(post: Article) -> PostEncoding:
        calls.append(post.source)
        return original(post)

    monkeypatch.setattr(judge, "encode_post", counting)
    other = Article(source="synthetic://other", title="Other", blocks=feast_post.blocks[:2])
    items = [(SPECIFIC, feast_post), (LONG_GENERIC, feast_post), (SPECIFIC, other), (SPECIFIC, None)]
    verdicts = judge.judge_many(items)
    assert len(verdicts) == 4 and sorted(calls) == ["synthetic://feast", "synthetic://other"]
    assert verdicts[3].reasons[-1].startswith("no post given")
    assert judge.judge_many([]) == [] and judge.judge_encoded([], None) == []


def test_post_encoding_is_reusable(judge: CommentJudge, feast_post: Article) -> None:
    encoded = judge.encode_post(feast_post)
    assert len(encoded.units) == 4 and encoded.embeddings.shape == (4, 384)
    assert "ttl=2" in encoded.identifiers
    first = judge.judge_encoded([SHORT_SPECIFIC], encoded)
    second = judge.judge_encoded([SHORT_SPECIFIC], encoded)
    assert first == second


def test_reasons_are_readable(judge: CommentJudge, feast_post: Article) -> None:
    for text in (SHORT_SPECIFIC, SPECIFIC, LONG_GENERIC, COPIED, *PRAISE):
        for post in (feast_post, None):
            reasons = judge.judge(text, post).reasons
            assert 1 <= len(reasons) <= 5
            for reason in reasons:
                assert reason == reason.strip() and len(reason) < 240
                assert "minilm_" not in reason and "_log" not in reason and "nan" not in reason
