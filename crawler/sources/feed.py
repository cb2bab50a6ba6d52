"""Feed sources: RSS 2.0, RSS 1.0/RDF and Atom, read by feedparser."""
from __future__ import annotations

import time
from typing import Any

import feedparser
from scrapy.http import Response

from crawler.sources.links import ArticleLink, SourceFormatError


def feed_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    parsed = feedparser.parse(response.body, response_headers={
        "content-type": (response.headers.get("Content-Type") or b"").decode("latin-1")})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise SourceFormatError(f"not a feed: {parsed.get('bozo_exception') or 'no entries'}")
    if not parsed.entries:  # a feed that lists nothing is broken, not quiet
        raise SourceFormatError("the feed has no items")
    links = []
    for entry in parsed.entries:
        url = entry.get("link") or _guid_url(entry)
        if url:
            links.append(ArticleLink(
                url=response.urljoin(url), guid=entry.get("id"), title=entry.get("title", ""),
                summary=entry.get("summary", ""), content=_content(entry),
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed"))))
    return links


def _content(entry: Any) -> str:
    """The item's full text (content:encoded, Atom content), when it carries one."""
    parts = entry.get("content") or []
    return max((p.get("value", "") for p in parts), key=len, default="")


def _guid_url(entry: Any) -> str | None:
    guid = entry.get("id") or ""
    return guid if guid.startswith(("http://", "https://")) else None


def _iso(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None
