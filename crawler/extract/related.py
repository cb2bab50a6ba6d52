"""Breadcrumbs (the article's sections) and related-news blocks (headlines with their links)."""
from __future__ import annotations

import re
from urllib.parse import urlparse

from lxml import etree
from lxml.html import HtmlElement

from crawler.article import Related
from crawler.extract.dom import join_url
from crawler.extract.text import clean_text, fold
from crawler.urls import canonical_url

HOME_CRUMBS = {fold(w) for w in ("الرئيسية", "الصفحة الرئيسية", "رئيسية", "Home", "Homepage",
                                 "Startseite", "Accueil", "Inicio")}
RELATED_PHRASES = tuple(fold(p) for p in (
    "أخبار متعلقة", "متعلقة", "ذات صلة", "اقرأ أيضا", "اقرأ ايضا", "شاهد أيضا", "related",
    "read also", "read more on", "see also", "more news", "more on this",
))
RELATED_ATTR = re.compile(r"related|more[-_]?news|read[-_]?also|also[-_]?read|see[-_]?also",
                          re.IGNORECASE)
BREADCRUMBS = etree.XPath("//nav[contains(@aria-label, 'readcrumb')] | //*[contains(@class, 'readcrumb')"
                          " or contains(@itemtype, 'BreadcrumbList')]")
# Elements whose class or id may name a related block (a cheap first cut; RELATED_ATTR decides).
RELATED_CANDIDATES = etree.XPath("//body//*[" + " or ".join(
    f"contains(@{attr}, '{part}')" for attr in ("class", "id") for part in ("elated", "ore", "lso")) + "]")
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "span", "p", "div", "header",
                "label", "legend"}
NOT_PAGES = ("#", "javascript:", "mailto:", "tel:", "whatsapp:")
MIN_LINK_DENSITY = 0.4
MIN_HEADLINE_WORDS = 3
MAX_PHRASE_CHARS = 40
MAX_INLINE_BOX_CHARS = 400


def breadcrumbs(tree: HtmlElement) -> list[tuple[str, str]]:
    """(name, href) of the page's breadcrumb trail, or an empty list."""
    trail = next(iter(BREADCRUMBS(tree)), None)  # the outermost (first) one
    if trail is None:
        return []
    items = trail.xpath(".//*[@itemprop='itemListElement']") or trail.xpath(".//li") or \
        trail.xpath(".//a")
    crumbs = []
    for item in items:
        names = item.xpath(".//*[@itemprop='name']")
        name = clean_text((names[0] if names else item).text_content())
        links = [item] if item.tag == "a" else item.xpath(".//a[@href]")
        crumbs.append((name, links[0].get("href", "") if links else ""))
    return [(n, h) for n, h in crumbs if n]


def section_names(crumbs: list[tuple[str, str]], title: str, site_names: list[str]) -> list[str]:
    """Crumb names without the home crumb, the site's name and the article's own title."""
    skip = {fold(title)} | {fold(n) for n in site_names if n}
    names = [n for i, (n, href) in enumerate(crumbs) if not (i == 0 and _is_home(n, href))]
    return [n for n in names if fold(n) not in skip]


def related_blocks(tree: HtmlElement) -> list[HtmlElement]:
    """Blocks of links to related news, found by class/id or by a heading like 'اقرأ أيضا'."""
    found: list[HtmlElement] = []
    for node in RELATED_CANDIDATES(tree):
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if RELATED_ATTR.search(attrs) and _link_density(node) >= MIN_LINK_DENSITY:
            found.append(node)
    for text in tree.xpath("//body//text()[string-length(normalize-space()) > 3]"):
        if len(text) > 3 * MAX_PHRASE_CHARS or not fold(text).startswith(RELATED_PHRASES):
            continue
        node = text.getparent()
        node = node.getparent() if text.is_tail and node is not None else node
        if node is None or node.tag == "a" or _in_link(node):
            continue
        found.extend(_phrase_block(node))
    blocks = _outermost(found)
    return sorted(blocks, key=_position) if len(blocks) > 1 else blocks


def related_links(blocks: list[HtmlElement], base_url: str, page_url: str | None) -> list[Related]:
    """Headlines linked from related blocks, with absolute URLs, without repeats."""
    seen = {_url_key(page_url)} if page_url else set()
    related = []
    for link in (a for block in blocks for a in block.xpath(".//a[@href]")):
        title = clean_text(link.text_content()) or clean_text(link.get("title"))
        href = link.get("href", "").strip()
        if len(title.split()) < MIN_HEADLINE_WORDS or href.startswith(NOT_PAGES):
            continue
        url = join_url(base_url, href)
        if url and (key := _url_key(url)) not in seen:
            seen.add(key)
            related.append(Related(title, url))
    return related


def _phrase_block(node: HtmlElement) -> list[HtmlElement]:
    """The block a 'read also' phrase introduces: inline links beside it, or the list it heads."""
    box = node
    while box.tag in ("strong", "b", "em", "span") and box.getparent() is not None:
        box = box.getparent()  # "<p><strong>اقرأ أيضا:</strong> <a>headline</a></p>"
    links = box.xpath(".//a[@href]")
    if links and len(box.text_content()) < MAX_INLINE_BOX_CHARS:
        if not any(fold(a.text_content()).startswith(RELATED_PHRASES) for a in links):
            return [box]
    if node.tag in HEADING_TAGS and len(clean_text(node.text_content())) < MAX_PHRASE_CHARS:
        return _heading_block(node)
    return []


def _heading_block(heading: HtmlElement) -> list[HtmlElement]:
    """The related block a heading names: the nearest link-dense ancestor, or the list after it."""
    node = heading
    for _ in range(3):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
        if node.xpath(".//a[@href]") and _link_density(node) >= MIN_LINK_DENSITY:
            return [node]
    after = heading.getnext()
    if after is not None and _link_density(after) >= MIN_LINK_DENSITY:
        return [heading, after]
    return []


def _position(node: HtmlElement) -> int:
    """Where an element starts in document order."""
    return int(node.xpath("count(preceding::*) + count(ancestor::*)"))


def _in_link(node: HtmlElement) -> bool:
    return any(a.tag == "a" for a in node.iterancestors())


def _link_density(node: HtmlElement) -> float:
    text = len(clean_text(node.text_content()))
    links = sum(len(clean_text(a.text_content())) for a in node.iter("a"))
    return links / text if text else 0.0


def _outermost(nodes: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(nodes)
    unique = list(dict.fromkeys(nodes))
    return [n for n in unique if not any(a in chosen for a in n.iterancestors())]


def _url_key(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return url


def _is_home(name: str, href: str) -> bool:
    linked_root = bool(href) and not href.startswith("#") and _path_of(href) in {"", "/"}
    return fold(name) in HOME_CRUMBS or linked_root


def _path_of(href: str) -> str | None:
    try:
        return urlparse(href).path
    except ValueError:
        return None
