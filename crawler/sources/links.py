"""What a polled source yields: article links, or the error that it is not what it claims."""
from __future__ import annotations

from dataclasses import dataclass


class SourceFormatError(ValueError):
    """The polled document is not what its source kind promises (not a feed, not a sitemap)."""


@dataclass
class ArticleLink:
    """An article URL found in a source, with what the source said about it."""

    url: str
    guid: str | None = None
    title: str = ""
    summary: str = ""
    published: str | None = None
    content: str = ""  # the full text a feed item carries (HTML), used when the page fails
    sitemap: bool = False  # a child sitemap of a sitemap index, not an article
    next_page: bool = False  # the next page of a listing (only with `paginate`)
