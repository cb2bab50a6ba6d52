"""Sitemap sources: sitemap indexes, urlsets and Google News sitemaps; only recent URLs."""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from crawler.sources.links import ArticleLink, SourceFormatError

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
DEFAULT_MAX_AGE = 2 * 86_400  # seconds: a news sitemap lists years; only the last days matter


def sitemap_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    """Article links of a urlset (recent ones); for a sitemap index, its recent child sitemaps."""
    root = _parse(response)
    max_age = float(source.get("max_age") or DEFAULT_MAX_AGE)
    oldest = time.time() - max_age
    is_index = etree.QName(root).localname == "sitemapindex"
    if len(root) == 0:
        raise SourceFormatError("the sitemap lists no URLs")
    links = []
    for entry in root.iterchildren():
        link = _entry(entry, is_index)
        if link is not None and _recent(link.published, oldest):
            links.append(link)
    return links


def _parse(response: Response) -> etree._Element:
    body = response.body
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body)
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise SourceFormatError(f"not a sitemap: {exc}") from exc
    if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
        raise SourceFormatError("not a sitemap: no <urlset> or <sitemapindex>")
    return root


def _entry(entry: etree._Element, is_index: bool) -> ArticleLink | None:
    loc = _text(entry, "sm:loc")
    if not loc or (not is_index and urlsplit(loc).path in ("", "/")):
        return None  # a site's home page is listed in many sitemaps; it is never an article
    published = _text(entry, "news:news/news:publication_date") or _text(entry, "sm:lastmod")
    return ArticleLink(url=loc, title=_text(entry, "news:news/news:title"),
                       published=published or None, sitemap=is_index)


def _text(entry: etree._Element, path: str) -> str:
    found = entry.find(path, NS) if ":" in path else None
    if found is None:  # sitemaps without the namespace declared
        found = entry.find("/".join(p.split(":")[-1] for p in path.split("/")))
    return (found.text or "").strip() if found is not None else ""


def _recent(published: str | None, oldest: float) -> bool:
    """Undated entries count as recent; dated ones must be newer than `oldest`."""
    if not published:
        return True
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return True
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.now().astimezone().tzinfo)
    return moment.timestamp() >= oldest
