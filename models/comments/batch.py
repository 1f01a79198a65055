"""The `judge-comment --jsonl` contract over parsed records, for the CLI to wrap.

Each record `{"id", "text", "post"?}` gives `{"id", "substantive", "score", "reasons"}` in input
order, `id` echoed as given; a record that cannot be judged (no text, a post that cannot be read)
gives `{"id", "error"}` and the others still run. Each distinct `post` is read and encoded once, and
the comments on it are judged in one batch. Reading a post (a path or a URL) is the caller's
`load_post`: this layer never fetches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from models.comments.judge import CommentJudge
from models.comments.post import PostEncoding
from scrapers.article import Article

LoadPost = Callable[[str], Article]


def _error(record: Mapping[str, Any], message: str) -> dict[str, Any]:
    return {"id": record.get("id"), "error": message}


def judge_records(
    judge: CommentJudge, records: Sequence[Mapping[str, Any]], load_post: LoadPost
) -> list[dict[str, Any]]:
    out: list[dict[str, Any] | None] = [None] * len(records)
    groups: dict[str | None, list[int]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            out[index] = {"id": None, "error": "not a JSON object"}
            continue
        text, post = record.get("text"), record.get("post")
        if not isinstance(text, str):
            out[index] = _error(record, "missing or non-string field 'text'")
        elif post is not None and (not isinstance(post, str) or not post.strip()):
            out[index] = _error(record, "field 'post' must be a path or a URL")
        else:
            groups.setdefault(post, []).append(index)
    for post, indexes in groups.items():
        encoded: PostEncoding | None = None
        if post is not None:
            try:
                encoded = judge.encode_post(load_post(post))
            except Exception as exc:  # a post that cannot be read fails its lines only
                for index in indexes:
                    out[index] = _error(records[index], f"cannot read post {post}: {exc}")
                continue
        verdicts = judge.judge_encoded([str(records[i]["text"]) for i in indexes], encoded)
        for index, verdict in zip(indexes, verdicts, strict=True):
            out[index] = {
                "id": records[index].get("id"),
                "substantive": verdict.substantive,
                "score": verdict.score,
                "reasons": verdict.reasons,
            }
    return [row for row in out if row is not None]
