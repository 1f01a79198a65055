"""The one error a platform adapter raises."""

from __future__ import annotations


class PlatformError(ValueError):
    """The bytes are not what this adapter parses (or the post is not in them).

    The message is written for a TA: it says what came back instead of the post, e.g.
    "Medium answered with a challenge page" or "not a WordPress REST answer".
    """
