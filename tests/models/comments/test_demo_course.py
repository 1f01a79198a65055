"""The bundled demo course (in the repository, never trained on), judged end to end."""

from __future__ import annotations

from models.comments import CommentJudge
from models.comments.data import demo_article, load_demo


def test_demo_course_end_to_end(judge: CommentJudge) -> None:
    """The bundled demo course (in the repository, never trained on): every labelled comment right."""
    comments = load_demo()
    assert len(comments) == 20
    posts = {file: demo_article(file) for file in dict.fromkeys(c.post_file for c in comments)}
    verdicts = judge.judge_many([(c.text, posts[c.post_file]) for c in comments])
    wrong = [
        (c.post_file.name, c.comment_id)
        for c, v in zip(comments, verdicts, strict=True)
        if v.substantive != c.label
    ]
    assert len(wrong) <= 1, wrong
