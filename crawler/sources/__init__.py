"""Source kinds: how a polled page (feed, sitemap, listing) yields article links."""
from __future__ import annotations

from crawler.sources.links import LINK_EXTRACTORS, ArticleLink

__all__ = ["LINK_EXTRACTORS", "ArticleLink"]
