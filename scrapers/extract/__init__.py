"""Main-content extraction from HTML pages."""

from scrapers.extract.html import extract_html

__all__ = ["extract_html"]
