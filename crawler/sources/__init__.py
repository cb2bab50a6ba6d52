"""Source kinds: how a polled page (feed, sitemap, listing) yields article links."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.http import Response

from crawler.sources.feed import feed_links
from crawler.sources.links import ArticleLink, SourceFormatError
from crawler.sources.listing import listing_links
from crawler.sources.sitemap import sitemap_links

LinkExtractor = Callable[[Response, dict[str, Any]], list[ArticleLink]]

# A `page` source is its own article: it has no link extractor.
LINK_EXTRACTORS: dict[str, LinkExtractor] = {
    "feed": feed_links,
    "sitemap": sitemap_links,
    "listing": listing_links,
}

__all__ = ["LINK_EXTRACTORS", "ArticleLink", "SourceFormatError"]
