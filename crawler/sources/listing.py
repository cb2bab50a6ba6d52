"""Listing sources: a section or front page whose links matching `follow` are articles."""
from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from crawler.sources.links import ArticleLink, SourceFormatError

# Without `follow`, a listing link looks like an article when its path has an id or a dated slug.
DEFAULT_ARTICLE_PATTERN = r"(/\d{4,}|/\d{4}/\d{1,2}/|\.html?$|/article|/news/)"
NEXT_PAGE = ("//a[@rel='next']/@href", "//link[@rel='next']/@href",
             "//a[contains(@class,'next')]/@href")


def listing_links(response: Response, source: dict[str, Any]) -> list[ArticleLink]:
    if not isinstance(response, TextResponse):
        raise SourceFormatError("listing page is not HTML")
    extractor = LinkExtractor(allow=source.get("follow") or DEFAULT_ARTICLE_PATTERN, unique=True)
    links = [ArticleLink(url=link.url, title=link.text.strip())
             for link in extractor.extract_links(response)]
    if not links:  # a listing without a single article link: the layout changed
        raise SourceFormatError("no links matching the article pattern on the listing page")
    page = int(response.meta.get("rasid_page", 1))
    if page < 1 + int(source.get("paginate") or 0):  # pagination only when asked
        following = _next_page(response)
        if following:
            links.append(ArticleLink(url=following, next_page=True))
    return links


def _next_page(response: TextResponse) -> str | None:
    for xpath in NEXT_PAGE:
        href = response.xpath(xpath).get()
        if href:
            return response.urljoin(href)
    return None
