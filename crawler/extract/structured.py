"""Structured data a page declares about itself: JSON-LD, microdata, OpenGraph and other meta tags."""
from __future__ import annotations

import json
import logging
from typing import Any

from lxml.html import HtmlElement

from crawler.extract.dates import iso_date, parse_date
from crawler.extract.microdata import microdata_article
from crawler.extract.text import clean_paragraphs, clean_text, unescape

logger = logging.getLogger(__name__)

SITE_TYPES = {"WebSite", "Organization", "NewsMediaOrganization"}
ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
                 "OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting",
                 "Report", "WebPage"}
# Date metas that name the publication (not the last change), as sites and CMSs spell them.
DATE_METAS = ("datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
              "article.published", "article_date_original", "date", "dc.date", "dc.date.issued",
              "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
              "cxenseparse:recs:publishtime", "og:published_time")

Layer = dict[str, Any]


def structured_layers(tree: HtmlElement) -> dict[str, Layer]:
    """What JSON-LD, microdata, OpenGraph and plain meta tags say, one field dict per layer."""
    meta = meta_tags(tree)
    return {"json-ld": json_ld_layer(json_ld_objects(tree)), "microdata": microdata_article(tree),
            "opengraph": opengraph_layer(meta), "meta": meta_layer(tree, meta)}


def json_ld_layer(objects: list[dict[str, Any]]) -> Layer:
    """The fields of the page's JSON-LD article (the first one, WebPage only when no other)."""
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    ld = next((o for o in articles if "WebPage" not in _types(o)), articles[0] if articles else {})
    image_url, image_caption = _image(ld.get("image"))
    body = ld.get("articleBody") or ld.get("text")
    return {
        "title": _text(ld.get("headline")) or _text(ld.get("name")),
        "teaser": _text(ld.get("description")),
        "published": _date(_text(ld.get("datePublished")) or _text(ld.get("dateCreated"))),
        "authors": _authors(ld.get("author")),
        "sections": _texts(ld.get("articleSection")),
        "breadcrumbs": breadcrumb_list(objects),
        "image_url": image_url,
        "image_caption": image_caption,
        "body_text": unescape(body) if isinstance(body, str) else "",
        "site_name": _name(ld.get("publisher")) or _website_name(objects),
        "lang": _text(ld.get("inLanguage")),
        "url": _item_url(ld.get("mainEntityOfPage")) or _text(ld.get("url")),
    }


def opengraph_layer(meta: dict[str, list[str]]) -> Layer:
    """The fields of the page's OpenGraph (og:*, article:*) tags."""
    def first(*keys: str) -> str:
        return next((clean_text(v) for k in keys for v in meta.get(k, []) if clean_text(v)), "")

    return {
        "title": first("og:title"),
        "teaser": first("og:description"),
        "published": _date(first("article:published_time", "og:article:published_time")),
        "authors": _plain_names(meta.get("article:author", [])),
        "sections": clean_paragraphs(meta.get("article:section", [])),
        "image_url": first("og:image", "og:image:url", "og:image:secure_url"),
        "image_caption": first("og:image:alt"),
        "site_name": first("og:site_name"),
        "lang": first("og:locale"),
        "url": first("og:url"),
    }


def meta_layer(tree: HtmlElement, meta: dict[str, list[str]]) -> Layer:
    """The fields of other meta tags (description, author, Twitter cards, Dublin Core dates)."""
    def first(*keys: str) -> str:
        return next((clean_text(v) for k in keys for v in meta.get(k, []) if clean_text(v)), "")

    return {
        "title": first("twitter:title", "title", "dc.title"),
        "teaser": first("description", "twitter:description", "dc.description"),
        "published": next((d for k in DATE_METAS for v in meta.get(k, []) if (d := _date(v))), None),
        "authors": _plain_names(meta.get("author", []) + meta.get("dc.creator", [])),
        "sections": clean_paragraphs(meta.get("section", [])),
        "image_url": first("twitter:image", "twitter:image:src"),
        "site_name": first("application-name", "twitter:site"),
        "lang": tree.get("lang") or tree.get("xml:lang") or first("content-language", "language"),
        "url": tree.xpath("string(//link[@rel='canonical']/@href)").strip(),
    }


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


def language(value: str | None) -> str | None:
    """The primary language subtag, lowercased: 'ar-EG' and 'ar_AR' give 'ar'."""
    primary = (value or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3 else None


def _date(value: str | None) -> str | None:
    return iso_date(value) or parse_date(value)


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
        url = first.get("url") or first.get("contentUrl") or ""
        return (url if isinstance(url, str) else ""), _text(first.get("caption"))
    return "", ""
