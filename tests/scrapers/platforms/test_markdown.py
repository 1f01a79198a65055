"""The Markdown reader and the GitHub adapter (raw files, READMEs, gists, notebooks)."""

from __future__ import annotations

import csv
import json
import re

import pytest
from fakes.shared import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.article import Article
from scrapers.platforms import github
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.markdown import article_from_markdown, parse_markdown

CASES = [
    ("# Title\n\nBody text.", [("heading", 1, "Title"), ("paragraph", 0, "Body text.")]),
    (
        "## Two\n### Three ###\n###### Six",
        [("heading", 2, "Two"), ("heading", 3, "Three"), ("heading", 6, "Six")],
    ),
    (
        "Setext one\n==========\n\nSetext two\n----------",
        [("heading", 1, "Setext one"), ("heading", 2, "Setext two")],
    ),
    ("line one\nline two\n\nnext", [("paragraph", 0, "line one line two"), ("paragraph", 0, "next")]),
    (
        "- a\n- b\n  - nested\n    - deeper\n* star\n+ plus",
        [
            ("list_item", 1, "a"),
            ("list_item", 1, "b"),
            ("list_item", 2, "nested"),
            ("list_item", 3, "deeper"),
            ("list_item", 1, "star"),
            ("list_item", 1, "plus"),
        ],
    ),
    ("1. one\n2) two\n10. ten", [("list_item", 1, "one"), ("list_item", 1, "two"), ("list_item", 1, "ten")]),
    ("- [x] done\n- [ ] todo", [("list_item", 1, "done"), ("list_item", 1, "todo")]),
    (
        "```python\nimport mlflow\n\nmlflow.log_metric('rmse', 0.9)\n```",
        [("code", 0, "import mlflow\n\nmlflow.log_metric('rmse', 0.9)")],
    ),
    ("~~~\ntilde fence\n~~~", [("code", 0, "tilde fence")]),
    ("````\n```\ninner fence\n```\n````", [("code", 0, "```\ninner fence\n```")]),
    ("```\nunclosed fence runs to the end", [("code", 0, "unclosed fence runs to the end")]),
    (
        "Text.\n\n    indented code\n      more\n\nAfter.",
        [("paragraph", 0, "Text."), ("code", 0, "indented code\n  more"), ("paragraph", 0, "After.")],
    ),
    ("{% highlight ruby %}\nputs 1\n{% endhighlight %}", [("code", 0, "puts 1")]),
    ("> quoted\n> more\n\n> second", [("quote", 0, "quoted more"), ("quote", 0, "second")]),
    ("> lazy\ncontinuation", [("quote", 0, "lazy continuation")]),
    ("| tool | use |\n|---|:--:|\n| Feast | features |", [("table", 0, "tool | use\nFeast | features")]),
    ("***\n---\n___", []),
    (
        "**bold** _it_ snake_case `code` [link](http://x) ![img](y.png) <b>tag</b> &amp; \\*star\\*",
        [("paragraph", 0, "bold it snake_case code link tag & *star*")],
    ),
    (
        "<!-- a\ncomment -->\n<div align='center'>\n<p>Centered words</p>\n</div>",
        [("paragraph", 0, "Centered words")],
    ),
    ('<a id="intro"></a>\n## Intro', [("heading", 2, "Intro")]),
    ("## Heading { #anchor .cls }", [("heading", 2, "Heading")]),
    ("[ref]: http://example.com\nText", [("paragraph", 0, "Text")]),
    (
        "- item\n\n  continued after a blank line\n\nNot in the list.",
        [("list_item", 1, "item continued after a blank line"), ("paragraph", 0, "Not in the list.")],
    ),
    (
        "- item\n  ```\n  code in a list\n  ```\n- next",
        [("list_item", 1, "item"), ("code", 0, "code in a list"), ("list_item", 1, "next")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_blocks(source: str, expected: list[tuple[str, int, str]]) -> None:
    _, blocks = parse_markdown(source)
    assert [(b.kind, b.level, b.text) for b in blocks] == expected


def test_front_matter_is_read_and_removed() -> None:
    text = """---
title: "MLflow for movie recommendations"
author:
  name: Jane Student
date: 2024-03-05 10:00:00 -0500
tags: [mlops, mlflow]
---

# MLflow for movie recommendations

MLflow tracks our experiments.
"""
    article = article_from_markdown(text.encode(), "post.md")
    assert article.title == "MLflow for movie recommendations"
    assert article.author == "Jane Student"
    assert article.published == "2024-03-05T10:00:00-05:00"
    assert article.platform == "markdown"
    assert [(b.kind, b.text) for b in article.blocks] == [("paragraph", "MLflow tracks our experiments.")]


def test_toml_front_matter_and_title_from_first_h1() -> None:
    article = article_from_markdown(
        '+++\nauthor = "Hugo User"\n+++\n# Feast\n\nText.', "_posts/2023-01-02-feast.md"
    )
    assert (article.title, article.author, article.published) == ("Feast", "Hugo User", "2023-01-02")
    assert article.plain_text == "Text."
    no_title = article_from_markdown("## Only a subheading\n\nText.", "x.md")
    assert no_title.title == ""
    assert no_title.blocks[0].kind == "heading"


def test_unclosed_front_matter_is_text() -> None:
    article = article_from_markdown("---\njust a rule then text\n\nmore", "x.md")
    assert "more" in article.plain_text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("#*-_>`~|[]()!<>{}%=+.1 \n\tabcé\u00a0\\")), max_size=400))
def test_never_raises(text: str) -> None:
    article = article_from_markdown(text, "fuzz.md")
    assert isinstance(article, Article)
    assert all(b.text for b in article.blocks)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_never_raises_on_bytes(data: bytes) -> None:
    assert isinstance(article_from_markdown(data, "fuzz.md"), Article)


def test_weak_corpus_headings_are_found() -> None:
    """The real Markdown posts of corpus/weak: (almost) every heading listed in SOURCES.tsv is a
    heading block (or the title) of the parsed post."""
    folder = shared_path("corpus", "weak")
    rows = list(csv.DictReader((folder / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))

    def norm(text: str) -> str:
        return re.sub(r"^\d+(?:\s\d+)*\s", "", re.sub(r"[\W_]+", " ", text.lower()).strip()).replace(" ", "")

    found = total = 0
    for row in rows:
        article = article_from_markdown((folder / row["file"]).read_bytes(), row["file"])
        headings = [norm(b.text) for b in article.blocks if b.kind == "heading"] + [norm(article.title)]
        for labelled in row["headings_with_labels"].split("; "):
            name = norm(labelled.rsplit("=", 1)[0])
            total += 1
            found += any(h and (h.startswith(name) or name.startswith(h)) for h in headings)
    assert total > 1000
    assert found / total > 0.97


# --- GitHub ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://github.com/ada/blog/blob/main/posts/mlflow.md",
            "https://raw.githubusercontent.com/ada/blog/main/posts/mlflow.md",
        ),
        (
            "https://github.com/ada/blog/raw/v1/a.ipynb",
            "https://raw.githubusercontent.com/ada/blog/v1/a.ipynb",
        ),
        (
            "https://github.com/ada/blog/blob/main/README.md?plain=1",
            "https://raw.githubusercontent.com/ada/blog/main/README.md",
        ),
        (
            "https://raw.githubusercontent.com/ada/blog/main/x.md",
            "https://raw.githubusercontent.com/ada/blog/main/x.md",
        ),
        (
            "https://gist.github.com/ada/0123456789abcdef",
            "https://gist.githubusercontent.com/ada/0123456789abcdef/raw",
        ),
        ("https://github.com/ada/blog", None),
        ("https://github.com/ada/blog/issues/1", None),
        ("https://example.com/ada/blog/blob/main/x.md", None),
    ],
)
def test_raw_url(url: str, expected: str | None) -> None:
    assert github.raw_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/ada/blog", "https://raw.githubusercontent.com/ada/blog/HEAD/README.md"),
        ("https://github.com/ada/blog.git", "https://raw.githubusercontent.com/ada/blog/HEAD/README.md"),
        (
            "https://github.com/ada/blog/tree/main/post",
            "https://raw.githubusercontent.com/ada/blog/main/post/README.md",
        ),
        ("https://github.com/ada", None),
        ("https://github.com/ada/blog/pulls", None),
    ],
)
def test_readme_url(url: str, expected: str | None) -> None:
    assert github.readme_url(url) == expected


def test_raw_markdown_and_html_answer() -> None:
    url = "https://github.com/ada/blog/blob/main/2024-03-05-feast.md"
    article = github.article_from_raw(b"# Feast\n\nFeature store.\n\n```\nfeast apply\n```", url)
    assert (article.platform, article.title, article.published) == ("github", "Feast", "2024-03-05")
    assert [b.kind for b in article.blocks] == ["paragraph", "code"]
    with pytest.raises(PlatformError, match="web page"):
        github.article_from_raw(b"<!DOCTYPE html><html><body>Sign in</body></html>", url)


def test_notebook() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Evidently on movies\n", "\n", "We watch *drift*."]},
            {"cell_type": "code", "source": ["import evidently\n", "report.run()"], "outputs": []},
            {"cell_type": "markdown", "source": "## Limits\n- slow on big data"},
            {"cell_type": "raw", "source": "ignored"},
        ],
        "metadata": {"authors": [{"name": "Cy Ruiz"}]},
        "nbformat": 4,
    }
    article = github.article_from_raw(
        json.dumps(notebook).encode(), "https://github.com/c/r/blob/main/e.ipynb"
    )
    assert (article.title, article.author) == ("Evidently on movies", "Cy Ruiz")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "We watch drift."),
        ("code", "import evidently\nreport.run()"),
        ("heading", "Limits"),
        ("list_item", "slow on big data"),
    ]
    with pytest.raises(PlatformError, match="not a Jupyter notebook"):
        github.article_from_notebook(b'{"cells": 3}', "x.ipynb")
