"""The judge-comment JSONL contract over records: order, id echo, per-line errors, one read per post."""

from __future__ import annotations

from models.comments import CommentJudge
from models.comments.batch import judge_records
from scrapers.article import Article


def test_records(judge: CommentJudge, feast_post: Article) -> None:
    reads: list[str] = []

    def load_post(ref: str) -> Article:
        reads.append(ref)
        if ref == "missing.md":
            raise FileNotFoundError("no such file")
        return feast_post

    records = [
        {"id": "a", "text": "Why ttl=2 days for watch_history? Our users binge on weekends.", "post": "p.md"},
        {"id": 7, "text": "Great post, thanks for sharing!", "post": "p.md"},
        {"id": "c", "text": "Have you tried stream feature views instead of your own Kafka consumer?"},
        {"id": "d", "text": "Nice!", "post": "missing.md"},
        {"id": "e"},
        {"id": "f", "text": "ok", "post": 3},
    ]
    out = judge_records(judge, records, load_post)
    assert [row["id"] for row in out] == ["a", 7, "c", "d", "e", "f"]
    assert sorted(reads) == ["missing.md", "p.md"]
    assert out[0]["substantive"] is True and out[1]["substantive"] is False
    assert out[2]["reasons"][-1].startswith("no post given")
    assert "cannot read post missing.md" in out[3]["error"]
    assert "text" in out[4]["error"] and "post" in out[5]["error"]
    assert set(out[0]) == {"id", "substantive", "score", "reasons"} and 0 <= out[0]["score"] <= 1
