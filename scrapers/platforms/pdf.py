"""PDF posts (an essay exported to PDF, a PDF on Drive or GitHub): text per page with pypdf."""

from __future__ import annotations

import io
import logging
import re
import statistics

from scrapers.article import Article, Block
from scrapers.platforms._common import clean_space
from scrapers.platforms.errors import PlatformError

PLATFORM = "pdf"
MAX_PAGES = 50  # a post is a few pages; past this the rest is not read (flag "pdf_truncated")
MAX_BYTES = 30_000_000
_JUNK_TITLE = re.compile(r"^(?:microsoft word|untitled|document\d*|slide \d+|\s*$)", re.IGNORECASE)
_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def article_from_pdf(body: bytes, source: str = "") -> Article:
    """The text of a PDF: paragraphs split on blank lines (or on short closing lines), title
    from the document info or the first line. PlatformError for encrypted or broken files."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        raise PlatformError("reading PDFs needs the pypdf package") from None
    data = bytes(body or b"")
    if len(data) > MAX_BYTES:
        raise PlatformError(f"the PDF is too large to read ({len(data) // 1_000_000} MB)")
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise PlatformError("not a PDF file")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise PlatformError("the PDF is password-protected")
        count = len(reader.pages)
        pages = []
        for index in range(min(count, MAX_PAGES)):
            pages.append(_page_text(reader.pages[index]))
        info = reader.metadata
        meta_title = clean_space(str(info.title or "")) if info is not None else ""
        author = clean_space(str(info.author or "")) if info is not None else ""
        created = str(info.get("/CreationDate", "") or "") if info is not None else ""
    except PlatformError:
        raise
    except RecursionError:
        raise PlatformError("the PDF is damaged (nested too deeply)") from None
    except Exception as exc:
        raise PlatformError(f"the PDF is damaged or unreadable ({type(exc).__name__})") from None
    blocks: list[Block] = []
    for text in pages:
        blocks.extend(Block("paragraph", p) for p in paragraphs(text))
    meta_title = re.sub(r"^Microsoft Word - ", "", meta_title)
    title = meta_title if meta_title and not _JUNK_TITLE.match(meta_title) else ""
    if not title and blocks:
        first = blocks[0].text
        title = first if len(first.split()) <= 15 else ""
    if blocks and title and blocks[0].text == title:
        blocks = blocks[1:]
    flags = ["pdf_truncated"] if count > MAX_PAGES else []
    if not any(b.text for b in blocks):
        flags.append("pdf_no_text")  # a scan: pictures of text
    return Article(
        source=source,
        platform=PLATFORM,
        title=title,
        author=author,
        published=_pdf_date(created),
        blocks=blocks,
        flags=flags,
    )


def _page_text(page: object) -> str:
    """The page's text with its vertical gaps (layout mode keeps blank lines between paragraphs)."""
    try:
        return page.extract_text(extraction_mode="layout") or ""  # type: ignore[attr-defined]
    except Exception:
        return page.extract_text() or ""  # type: ignore[attr-defined]


def paragraphs(page: str) -> list[str]:
    """A page's text as paragraphs: blank lines separate them; without any, a line clearly
    shorter than the page's usual line that ends a sentence closes one. Hyphenated line ends join."""
    text = page.replace("\r\n", "\n").replace("\r", "\n")
    chunks = [c for c in re.split(r"\n\s*\n", text) if c.strip()]
    if len(chunks) <= 1:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if not lines:
            return []
        usual = statistics.median(len(line) for line in lines)
        chunks, current = [], []
        for line in lines:
            current.append(line)
            if (len(line) < 0.7 * usual and line[-1:] in ".!?:") or len(line) < 0.4 * usual:
                chunks.append("\n".join(current))
                current = []
        if current:
            chunks.append("\n".join(current))
    out = []
    for chunk in chunks:
        joined = re.sub(r"(\w)-\n(\w)", r"\1\2", chunk.strip())
        joined = clean_space(joined)
        if joined:
            out.append(joined)
    return out


def _pdf_date(raw: str) -> str:
    match = _DATE.match(raw.strip())
    if not match or not match.group(2):
        return ""
    year, month, day = match.group(1), match.group(2), match.group(3) or "01"
    if match.group(4):
        return f"{year}-{month}-{day}T{match.group(4)}:{match.group(5) or '00'}:{match.group(6) or '00'}"
    return f"{year}-{month}-{day}"
