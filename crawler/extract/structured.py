"""Structured data a page declares about itself: JSON-LD, OpenGraph and other meta tags."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml.html import HtmlElement

from crawler.extract.text import clean_paragraphs, clean_text, unescape

logger = logging.getLogger(__name__)

SITE_TYPES = {"WebSite", "Organization", "NewsMediaOrganization"}
ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting", "LiveBlogPosting"}


@dataclass
class PageMeta:
    """What the page's structured data says about its article."""

    title: str = ""
    headline: str = ""
    description: str = ""
    site_name: str = ""
    sections: list[str] = field(default_factory=list)
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None
    image_url: str = ""
    image_caption: str = ""
    url: str = ""
    article_body: str = ""


def page_meta(tree: HtmlElement) -> PageMeta:
    """What the page's JSON-LD article, OpenGraph and other meta tags say, merged field by field."""
    objects = json_ld_objects(tree)
    ld = next((o for o in objects if _types(o) & ARTICLE_TYPES), {})
    meta = meta_tags(tree)

    def first(*keys: str) -> str:
        return next((v for k in keys for v in meta.get(k, []) if v), "")

    return PageMeta(
        title=clean_text(first("og:title", "twitter:title")),
        headline=_text(ld.get("headline") or ld.get("name")),
        description=clean_text(first("og:description", "description", "twitter:description"))
        or _text(ld.get("description")),
        site_name=clean_text(first("og:site_name", "application-name"))
        or _name(ld.get("publisher")) or _website_name(objects),
        sections=clean_paragraphs(meta.get("article:section", []))
        or _texts(ld.get("articleSection")),
        breadcrumbs=breadcrumb_list(objects),
        published=iso_date(_text(ld.get("datePublished")))
        or iso_date(first("article:published_time", "datepublished", "og:published_time")),
        authors=_authors(ld.get("author")) or _plain_names(meta.get("author", [])),
        lang=language(tree.get("lang") or tree.get("xml:lang") or _text(ld.get("inLanguage"))
                      or first("og:locale", "content-language")),
        image_url=first("og:image", "og:image:url", "twitter:image") or _image(ld.get("image"))[0],
        image_caption=_image(ld.get("image"))[1],
        article_body=unescape(ld["articleBody"]) if isinstance(ld.get("articleBody"), str) else "",
        url=first("og:url") or (tree.xpath("string(//link[@rel='canonical']/@href)") or ""),
    )


def json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, lists and @graph flattened; broken blocks skipped."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            _flatten(json.loads(script.text_content().strip() or "null", strict=False), found)
        except (ValueError, RecursionError) as exc:
            logger.debug("skipping unreadable JSON-LD: %s", exc)
    return found


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Meta tag contents keyed by lowercased property, name, itemprop or http-equiv."""
    tags: dict[str, list[str]] = {}
    for node in tree.xpath("//meta[@content]"):
        for attr in ("property", "name", "itemprop", "http-equiv"):
            if key := (node.get(attr) or "").strip().lower():
                tags.setdefault(key, []).append(node.get("content", ""))
    return tags


def breadcrumb_list(objects: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, URL) of the crumbs of the first JSON-LD BreadcrumbList, in position order."""
    for obj in objects:
        if "BreadcrumbList" in _types(obj):
            items = [i for i in _as_list(obj.get("itemListElement")) if isinstance(i, dict)]
            items.sort(key=lambda i: _position(i.get("position")))
            crumbs = [(_name(i) or _name(i.get("item")), _item_url(i.get("item"))) for i in items]
            return [(name, url) for name, url in crumbs if name]
    return []


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 string for a date or datetime value, or None when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1)).isoformat()
    except ValueError:
        logger.debug("not an ISO date: %r", value)
        return None


def language(value: str | None) -> str | None:
    """The primary language subtag, lowercased: 'ar-EG' and 'ar_AR' give 'ar'."""
    primary = (value or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3 else None


def _flatten(data: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, found)
    elif isinstance(data, dict):
        found.append(data)
        _flatten(data.get("@graph"), found)


def _types(obj: dict[str, Any]) -> set[str]:
    return {str(t).rsplit("/", 1)[-1] for t in _as_list(obj.get("@type"))}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _position(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _text(value: Any) -> str:
    return clean_text(unescape(value)) if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    return [t for t in map(_text, _as_list(value)) if t]


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    return _text(value.get("name")) if isinstance(value, dict) else ""


def _item_url(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else ""


def _authors(value: Any) -> list[str]:
    names = [_name(v) if isinstance(v, dict) else _text(v) for v in _as_list(value)]
    return _plain_names(names)


def _plain_names(values: list[str]) -> list[str]:
    """Names that are not links, in order, without repeats."""
    names = [n for n in clean_paragraphs(values) if "://" not in n]
    return list(dict.fromkeys(names))


def _website_name(objects: list[dict[str, Any]]) -> str:
    sites = (o for o in objects if _types(o) & SITE_TYPES)
    return next((name for o in sites if (name := _text(o.get("name")))), "")


def _image(value: Any) -> tuple[str, str]:
    """The URL and caption of the first JSON-LD image."""
    first = _as_list(value)[0] if _as_list(value) else None
    if isinstance(first, str):
        return first, ""
    if isinstance(first, dict):
        return str(first.get("url") or first.get("contentUrl") or ""), _text(first.get("caption"))
    return "", ""
