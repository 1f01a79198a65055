"""PDF posts through pypdf: text, paragraphs, title, and refusals for encrypted or broken files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from scrapers.platforms.errors import PlatformError
from scrapers.platforms.pdf import MAX_PAGES, article_from_pdf, paragraphs

PAGE = [
    "Using MLflow for movie recommendations",
    "",
    "MLflow tracks experiments. It records the parameters",
    "and metrics of every run so that a team can compare them.",
    "",
    "Its limits: the UI gets slow with thousands of runs.",
]


def test_text_paragraphs_and_metadata(make_pdf) -> None:
    data = make_pdf(
        [PAGE, ["The second page closes the post."]],
        {"Title": "MLflow for Movies", "Author": "Jane Student", "CreationDate": "D:20240305101500Z"},
    )
    article = article_from_pdf(data, "https://example.edu/post.pdf")
    assert article.platform == "pdf"
    assert (article.title, article.author, article.published) == (
        "MLflow for Movies",
        "Jane Student",
        "2024-03-05T10:15:00",
    )
    assert [b.text for b in article.blocks] == [
        "Using MLflow for movie recommendations",
        "MLflow tracks experiments. It records the parameters and metrics of every run"
        " so that a team can compare them.",
        "Its limits: the UI gets slow with thousands of runs.",
        "The second page closes the post.",
    ]
    assert article.flags == []


def test_title_from_first_line(make_pdf) -> None:
    article = article_from_pdf(make_pdf([PAGE], {"Title": "Microsoft Word - Document1"}), "post.pdf")
    assert article.title == "Using MLflow for movie recommendations"  # "Document1" is no title
    article = article_from_pdf(make_pdf([PAGE]), "post.pdf")
    assert article.title == "Using MLflow for movie recommendations"
    assert article.blocks[0].text.startswith("MLflow tracks experiments.")


def test_page_cap(make_pdf) -> None:
    data = make_pdf([[f"Page {i} says something."] for i in range(MAX_PAGES + 5)])
    article = article_from_pdf(data, "long.pdf")
    assert "pdf_truncated" in article.flags
    assert f"Page {MAX_PAGES - 1} says something." in article.plain_text
    assert f"Page {MAX_PAGES} says something." not in article.plain_text


def _encrypt(data: bytes, user: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted(make_pdf) -> None:
    data = make_pdf([PAGE])
    with pytest.raises(PlatformError, match="password-protected"):
        article_from_pdf(_encrypt(data, "secret"), "locked.pdf")
    opened = article_from_pdf(_encrypt(data, ""), "owner-only.pdf")  # no password needed to read
    assert "MLflow tracks experiments." in opened.plain_text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a PDF"),
        (b"<html>not a pdf</html>", "not a PDF"),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "damaged",
        ),
        (b"%PDF-1.7\n" + b"\x00\xff" * 5000, "damaged"),
    ],
)
def test_broken(body: bytes, message: str) -> None:
    with pytest.raises(PlatformError, match=message):
        article_from_pdf(body, "broken.pdf")


def test_truncated_file(make_pdf) -> None:
    data = make_pdf([PAGE, PAGE])
    for cut in (len(data) // 3, len(data) - 40):
        try:
            article = article_from_pdf(data[:cut], "cut.pdf")
        except PlatformError:
            continue
        assert article.platform == "pdf"


def test_paragraph_heuristic_without_blank_lines() -> None:
    text = (
        "A long line of text that fills the width of the page nicely\nand it ends here.\n"
        "Next paragraph starts and runs across the whole page width too\nthen ends."
    )
    assert paragraphs(text) == [
        "A long line of text that fills the width of the page nicely and it ends here.",
        "Next paragraph starts and runs across the whole page width too then ends.",
    ]
    assert paragraphs("hyphen-\nated words") == ["hyphenated words"]
