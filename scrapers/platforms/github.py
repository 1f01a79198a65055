"""Posts kept on GitHub: a Markdown (or notebook, PDF) file, a repository's GitHub Pages site or
README, a gist."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers.article import Article, Block
from scrapers.platforms._common import check_size, clean_space, load_json, to_text
from scrapers.platforms.errors import PlatformError
from scrapers.platforms.markdown import article_from_markdown, parse_markdown
from scrapers.platforms.web import page_from_html

PLATFORM = "github"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx", ".txt", ".rst")
# A front page with fewer words of prose is a landing page ("coming soon", a title and a button),
# not the post: the README is read instead. Course posts run to hundreds of words.
MIN_PAGES_WORDS = 100
_RAW_HOSTS = ("raw.githubusercontent.com", "gist.githubusercontent.com")
_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")  # GitHub's rule for account names
_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")


def _parts(url: str) -> tuple[str, list[str]]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", []
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, [s for s in (parts.path or "").split("/") if s]


def raw_url(blob_url: str) -> str | None:
    """The raw file behind a GitHub file link, or None when the link names no file.

    `github.com/<owner>/<repo>/blob/<ref>/<path>` (or `/raw/`) ->
    `raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`; `gist.github.com/<user>/<id>` ->
    `gist.githubusercontent.com/<user>/<id>/raw` (the gist's first file); raw links pass through.
    """
    host, segments = _parts(blob_url)
    if host in _RAW_HOSTS:
        return blob_url.split("?", 1)[0].split("#", 1)[0]
    if host == "github.com" and len(segments) >= 5 and segments[2] in ("blob", "raw"):
        owner, repo, _, ref, *path = segments
        return f"https://raw.githubusercontent.com/{owner}/{repo}/{ref}/{'/'.join(path)}"
    if host == "gist.github.com" and len(segments) >= 2:
        return f"https://gist.githubusercontent.com/{segments[0]}/{segments[1]}/raw"
    return None


def readme_url(repo_url: str) -> str | None:
    """The README of a repository link (`github.com/<owner>/<repo>` or `/tree/<ref>[/dir]`)."""
    host, segments = _parts(repo_url)
    if host != "github.com" or len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if len(segments) == 2:
        return f"https://raw.githubusercontent.com/{owner}/{repo}/HEAD/README.md"
    if segments[2] == "tree" and len(segments) >= 4:
        folder = "".join(f"{s}/" for s in segments[4:])
        return f"https://raw.githubusercontent.com/{owner}/{repo}/{segments[3]}/{folder}README.md"
    return None


def pages_url(repo_url: str) -> str | None:
    """The GitHub Pages site of a repository link, or None when the link is not a repository root.

    `github.com/<owner>/<repo>` and `github.com/<owner>/<repo>/tree/<ref>` ->
    `https://<owner>.github.io/<repo>/` (the host lower-cased, as GitHub serves it); the repository
    `<owner>.github.io` is the owner's own site, `https://<owner>.github.io/`. A folder
    (`/tree/<ref>/<dir>`), a file, an issue or a gist has no site of its own: None.
    """
    host, segments = _parts(repo_url)
    if host != "github.com" or len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    rest = segments[2:]
    if rest and not (rest[0] == "tree" and len(rest) == 2):
        return None
    if not _OWNER.fullmatch(owner) or not _REPO.fullmatch(repo) or repo in (".", ".."):
        return None
    site = f"https://{owner.lower()}.github.io/"
    return site if repo.lower() == f"{owner.lower()}.github.io" else f"{site}{repo}/"


def site_from_pages(body: bytes | str, url: str) -> Article:
    """The front page of a repository's GitHub Pages site, read as the post. PlatformError when
    the page holds almost no prose (a landing page), so that the README is read instead."""
    article = page_from_html(body, url)
    if article.words < MIN_PAGES_WORDS:
        raise PlatformError(
            f"the repository's GitHub Pages site has almost no text ({article.words} words), not a post"
        )
    article.platform = "github_pages"
    return article


def article_from_raw(body: bytes | str, url: str) -> Article:
    """A raw file from GitHub, read by its extension: Markdown/text, a notebook, or a PDF."""
    path = url.split("?", 1)[0].lower()
    if path.endswith(".pdf"):
        from scrapers.platforms.pdf import article_from_pdf

        data = body if isinstance(body, bytes) else body.encode("utf-8")
        article = article_from_pdf(data, url)
        article.platform = PLATFORM
        return article
    if path.endswith(".ipynb"):
        return article_from_notebook(body, url)
    check_size(body, "the file")
    head = to_text(body[:2048]).lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        raise PlatformError("GitHub answered with a web page, not the raw file (a private repository?)")
    return article_from_markdown(body, url, platform=PLATFORM)


def article_from_notebook(body: bytes | str, url: str) -> Article:
    """A Jupyter notebook: Markdown cells as text, code cells as code blocks."""
    data = load_json(body, "a Jupyter notebook")
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        worksheets = data.get("worksheets") if isinstance(data, dict) else None  # nbformat 3
        cells = worksheets[0].get("cells") if isinstance(worksheets, list) and worksheets else None
    if not isinstance(cells, list):
        raise PlatformError("not a Jupyter notebook (no cells)")
    blocks: list[Block] = []
    title = ""
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", cell.get("input", ""))
        text = (
            "".join(s for s in source if isinstance(s, str))
            if isinstance(source, list)
            else str(source or "")
        )
        if cell.get("cell_type") == "markdown":
            _, cell_blocks = parse_markdown(text)
            if not title:
                title = next((b.text for b in cell_blocks if b.kind == "heading" and b.level == 1), "")
            blocks.extend(cell_blocks)
        elif cell.get("cell_type") == "code" and text.strip():
            blocks.append(Block("code", text.rstrip()))
    if blocks and blocks[0].kind == "heading" and clean_space(blocks[0].text) == title:
        blocks = blocks[1:]
    author = ""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if isinstance(metadata, dict) and isinstance(metadata.get("authors"), list) and metadata["authors"]:
        first = metadata["authors"][0]
        author = clean_space(first.get("name", "") if isinstance(first, dict) else str(first))
    return Article(source=url, platform=PLATFORM, title=title, author=author, blocks=blocks)
