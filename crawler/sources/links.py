"""Article links from each kind of source: feed, sitemap, listing (page is its own article)."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import feedparser
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

logger = logging.getLogger(__name__)

# Without `follow`, a listing link looks like an article when its path has an id or a dated slug.
DEFAULT_ARTICLE_PATTERN = r"(/\d{4,}|/\d{4}/\d{1,2}/|\.html?$|/article|/news/)"


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
    sitemap: bool = False  # a child sitemap of a sitemap index, not an article


def feed_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    parsed = feedparser.parse(response.body, response_headers={
        "content-type": (response.headers.get("Content-Type") or b"").decode("latin-1")})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise SourceFormatError(f"not a feed: {parsed.get('bozo_exception') or 'no entries'}")
    links = []
    for entry in parsed.entries:
        url = entry.get("link") or _guid_url(entry)
        if url:
            links.append(ArticleLink(
                url=response.urljoin(url), guid=entry.get("id"), title=entry.get("title", ""),
                summary=entry.get("summary", ""), published=_iso(entry.get("published_parsed")
                                                                 or entry.get("updated_parsed"))))
    return links


def _guid_url(entry: Any) -> str | None:
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) else None


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def sitemap_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    """Article links of a urlset; for a sitemap index, its child sitemaps (marked `sitemap`)."""
    try:
        sitemap = Sitemap(response.body)
    except Exception as exc:
        raise SourceFormatError(f"not a sitemap: {exc}") from exc
    is_index = sitemap.type == "sitemapindex"
    return [ArticleLink(url=entry["loc"], published=entry.get("lastmod"), sitemap=is_index)
            for entry in sitemap if "loc" in entry]


def listing_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    if not isinstance(response, TextResponse):
        raise SourceFormatError("listing page is not HTML")
    extractor = LinkExtractor(allow=source.get("follow") or DEFAULT_ARTICLE_PATTERN, unique=True)
    return [ArticleLink(url=link.url, title=link.text.strip())
            for link in extractor.extract_links(response)]


LINK_EXTRACTORS: dict[str, Callable[[Response, dict[str, Any]], list[ArticleLink]]] = {
    "feed": feed_links,
    "sitemap": sitemap_links,
    "listing": listing_links,
}

