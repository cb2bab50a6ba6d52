"""Microdata (itemscope/itemprop) of a page's schema.org article."""
from __future__ import annotations

from typing import Any

from lxml.html import HtmlElement

from crawler.extract.dates import iso_date, parse_date
from crawler.extract.text import clean_paragraphs, clean_text

_ARTICLE_SCOPE = ("//*[@itemscope][contains(@itemtype, 'Article') or contains(@itemtype, 'BlogPosting')"
                  " or contains(@itemtype, 'Report')]")
# Where a property's value sits when it is not the element's text (HTML microdata rules).
_VALUE_ATTRS = {"meta": "content", "time": "datetime", "a": "href", "link": "href", "img": "src",
                "data": "value"}


def microdata_article(tree: HtmlElement) -> dict[str, Any]:
    """The fields of the page's first microdata article, or an empty dict."""
    scope = next(iter(tree.xpath(_ARTICLE_SCOPE)), None)
    if scope is None:
        return {}
    props = item_properties(scope)
    body = props.get("articleBody", [])
    published = _first(props, "datePublished") or _first(props, "dateCreated")
    return {
        "title": _first(props, "headline") or _first(props, "name"),
        "teaser": _first(props, "description"),
        "published": iso_date(published) or parse_date(published),
        "authors": list(dict.fromkeys(_names(props.get("author", [])))),
        "sections": clean_paragraphs(_value(node) for node in props.get("articleSection", [])),
        "body_node": body[0] if body else None,
        "image_caption": _first(props, "caption"),
    }


def item_properties(scope: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The itemprop elements of one item, without those of items nested inside it."""
    props: dict[str, list[HtmlElement]] = {}
    for node in scope.iterdescendants():
        names = node.get("itemprop") if isinstance(node.tag, str) else None
        if names and _owner(node) is scope:
            for name in names.split():
                props.setdefault(name, []).append(node)
    return props


def _owner(node: HtmlElement) -> HtmlElement | None:
    """The item a property belongs to: its nearest itemscope ancestor."""
    return next((a for a in node.iterancestors() if a.get("itemscope") is not None), None)


def _value(node: HtmlElement) -> str:
    attr = _VALUE_ATTRS.get(node.tag)
    if attr and node.get(attr):
        return clean_text(node.get(attr))
    return clean_text(node.get("content") or node.text_content())


def _first(props: dict[str, list[HtmlElement]], name: str) -> str:
    return next((v for node in props.get(name, []) if (v := _value(node))), "")


def _names(nodes: list[HtmlElement]) -> list[str]:
    """Author names: a nested Person's name, else the element's own text."""
    names = []
    for node in nodes:
        if node.get("itemscope") is not None:
            names.append(_first(item_properties(node), "name"))
        else:
            names.append(_value(node))
    return [n for n in clean_paragraphs(names) if "://" not in n]
