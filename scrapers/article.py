"""The extracted post: metadata and the text with its structure, the same for every platform."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "code", "quote", "table")


@dataclass(frozen=True)
class Block:
    """One unit of the post's body: a heading, a paragraph, a list item, a code block, ..."""

    kind: str  # one of BLOCK_KINDS
    text: str
    level: int = 0  # heading level (1-6); list nesting depth for list items


@dataclass
class Article:
    """A post as the rubric check sees it."""

    source: str = ""  # URL or path it came from
    platform: str = "web"  # medium, wordpress, blogger, github, devto, canvas, pdf, markdown, youtube, web
    title: str = ""
    author: str = ""
    published: str = ""  # ISO 8601 date or date-time when known, else ""
    blocks: list[Block] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # e.g. member_only_partial, video_post, challenge_page

    @property
    def text(self) -> str:
        """The body as plain text: one block per paragraph, headings as Markdown headings."""
        parts = []
        for block in self.blocks:
            if block.kind == "heading":
                parts.append("#" * max(1, min(block.level or 2, 6)) + " " + block.text)
            elif block.kind == "list_item":
                parts.append("- " + block.text)
            elif block.kind == "code":
                parts.append("```\n" + block.text + "\n```")
            elif block.kind == "quote":
                parts.append("> " + block.text)
            else:
                parts.append(block.text)
        return "\n\n".join(parts)

    @property
    def plain_text(self) -> str:
        """The body without any markup, blocks separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def text_sha256(self) -> str:
        """A digest of what the student wrote (title and body, whitespace folded): it changes when
        the post is edited, not when the page around it does (comments, counters, scripts)."""
        folded = " ".join(f"{self.title}\n{self.text}".split())
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()

    @property
    def words(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks if block.kind != "code")
