"""The rubric checker's parts that need no encoder: segmentation, flags, aggregation, trimming,
the weak-label reader and the head file."""

from __future__ import annotations

import numpy as np

from models.aggregate import AGGREGATES, MOVIE_AGGREGATES, post_aggregates
from models.corpus import weak_labels
from models.flags import PROMPT, copied_prompt, has_placeholder, mentions_tool, not_english, post_flags
from models.head import HEAD_FILE, Bundle
from models.rubric import trim
from models.segment import paragraphs
from scrapers.article import Article, Block
from scrapers.platforms.markdown import article_from_markdown

MARKDOWN = """# Title

Intro paragraph.

## The problem

First problem paragraph.

- a list item

### Deeper

```python
print("code")
```

## Limitations

> a quote
"""


def test_segmentation_numbers_non_heading_blocks_and_keeps_their_headings() -> None:
    paras = paragraphs(article_from_markdown(MARKDOWN, "x.md"))
    assert [(p.index, p.kind) for p in paras] == [
        (0, "paragraph"),
        (1, "paragraph"),
        (2, "list_item"),
        (3, "code"),
        (4, "quote"),
    ]
    assert [p.heading for p in paras] == ["", "The problem", "The problem", "Deeper", "Limitations"]
    assert paras[3].path == ("The problem", "Deeper")
    assert paras[0].position == 0.0 and paras[-1].position == 1.0
    assert paragraphs(article_from_markdown(MARKDOWN, "x.md")) == paras


def test_weak_labels_follow_the_nearest_listed_heading() -> None:
    article = article_from_markdown(MARKDOWN, "x.md")
    spec = "The problem=PROBLEM; Limitations=STRENGTHS_LIMITATIONS"
    assert weak_labels(article, spec) == [
        None,
        "problem",
        "problem",
        "problem",  # an unlisted deeper heading keeps its parent's label
        "strengths_limitations",
    ]


def test_not_english() -> None:
    french = "Chaque nuit, notre service de streaming de films écrase le fichier des notes de la veille. " * 3
    japanese = "映画のストリーミングサービスでは毎晩評価データが上書きされます。" * 5
    english = "Every night our movie streaming service overwrites the ratings file of the day before. " * 3
    assert not_english([french]) and not_english([japanese])
    assert not not_english([english])
    assert not not_english(["too short"])


def test_placeholders() -> None:
    assert has_placeholder(["TODO: add the example"])
    assert has_placeholder(["Lorem ipsum dolor sit amet"])
    assert has_placeholder(["See [insert screenshot here] below."])
    assert has_placeholder(["Numbers: TBD"])
    assert not has_placeholder(["We built a todo app with a small model."])


def test_copied_prompt() -> None:
    assert copied_prompt([PROMPT])
    assert copied_prompt(["Intro.", PROMPT.split(". ")[1] + ". " + PROMPT.split(". ")[2]])
    assert not copied_prompt(["This post explains the problem that MLflow addresses and its limitations."])


def test_tool_names() -> None:
    text = "We used Evidently to monitor drift, and apache parquet files for storage."
    assert mentions_tool(text, "Evidently AI")
    assert mentions_tool(text, "Apache Parquet")
    assert mentions_tool("Tracking with ML-flow", "MLflow")  # punctuation and case do not matter
    assert mentions_tool("Tracking with MLflow", "mlflow ")
    assert mentions_tool("Streamlit front end", "Streamlit + MLflow")
    assert not mentions_tool(text, "Great Expectations")
    assert mentions_tool(text, "")


def test_flag_order_and_passthrough() -> None:
    article = Article(blocks=[Block("paragraph", "TODO")], flags=["member_only_partial", "video_post"])
    flags = post_flags(article, "DVC", judged=False)
    assert flags == [
        "video_post",
        "member_only_partial",
        "not_judged",
        "too_short",
        "draft_placeholder",
        "tool_not_mentioned",
    ]


def test_aggregates_shape_and_block_strength() -> None:
    article = article_from_markdown(MARKDOWN, "x.md")
    paras = paragraphs(article)
    probs = np.full((len(paras), 4), 0.25)
    probs[1:3, 0] = 0.9
    agg = post_aggregates(probs, paras, 0)
    assert agg.shape == (len(AGGREGATES),)
    assert agg[0] > 0 and agg[3] > 0.6
    movie = post_aggregates(probs, paras, 1)
    assert movie.shape == (len(AGGREGATES) + len(MOVIE_AGGREGATES),)
    empty = post_aggregates(np.zeros((0, 4)), [], 2)
    assert np.all(np.isfinite(empty))


def test_trim() -> None:
    assert trim("short text") == "short text"
    long = " ".join(["word"] * 200)
    cut = trim(long)
    assert len(cut) <= 402 and cut.endswith(" …")


def test_head_file_is_small_and_loads() -> None:
    assert HEAD_FILE.stat().st_size < 2_000_000
    bundle = Bundle.load()
    assert set(bundle.calibrators) == {"problem", "movie_example", "strengths_limitations"}
    x = np.zeros((3, bundle.head.weights.shape[0]), dtype=np.float32)
    probs = bundle.head.predict_proba(x)
    assert probs.shape == (3, 4) and np.allclose(probs.sum(axis=1), 1.0)
