"""The article's body paragraphs: trafilatura (fast, then full when it found too little), then the DOM."""
from __future__ import annotations

import logging
import re
from copy import deepcopy

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, builder

from crawler.extract import dom
from crawler.extract.dates import parse_date
from crawler.extract.embedded import embedded_paragraphs
from crawler.extract.related import RELATED_PHRASES
from crawler.extract.text import clean_paragraphs, fold, letters

logger = logging.getLogger(__name__)

MAX_LINKED_SHARE = 0.5
MAX_DATE_LINE_WORDS = 6
MIN_SHOWN_CHARS = 400  # below this, the other body layers are tried too
BETTER = 2  # times more text another layer must have to replace trafilatura's
LONG_LINK_WORDS = 3
# trafilatura's fast mode skips its readability/jusText comparison; when it returns less than this
# share of the text the page's paragraphs (or its JSON-LD articleBody) hold, the full run is worth it.
MIN_FAST_SHARE = 0.6
SCOPES = ("article", "main")
ZWNJ, ZWNJ_STAND_IN = "\u200c", "\u2e3a"  # the stand-in: a printable mark no Persian text uses
_HAS_ZWNJ = etree.XPath("boolean(//text()[contains(., '\u200c')])")
MIN_ROOT_SHARE = 0.6  # of the page's paragraph text the article element must hold to be used alone
PROMOTION_ATTR = re.compile(r"(?:^|[\s_-])(?:ads?|advert|advertisement|promo|newsletter|sponsored|"
                            r"outbrain|taboola)(?:$|[\s_-])", re.IGNORECASE)


def body_paragraphs(tree: HtmlElement, root: HtmlElement, url: str | None, exclude: set[str],
                    structured_text: str) -> tuple[str, list[str]]:
    """(layer, paragraphs): trafilatura's text; when the page shows little, the fullest other layer."""
    # the others: the largest <p> group, the HTML in the page's app data (Next.js), articleBody
    links = dom.link_texts(tree)
    found = [("trafilatura", keep(_trafilatura(tree, root, url, structured_text), exclude, links))]
    if _size(found[0][1]) < MIN_SHOWN_CHARS:  # a shell the browser fills from data, or an error
        logger.debug("little text shown in %s; looking further", url)
        found += [("dom", keep(dom.fallback_paragraphs(root), exclude, links)),
                  ("embedded", keep(embedded_paragraphs(tree), exclude, links)),
                  ("json-ld", keep(structured_text.splitlines(), exclude, set()))]
    chosen = found[0]
    for layer in found[1:]:  # the fullest of the others, if it has far more than trafilatura found
        if _size(layer[1]) > max(BETTER * _size(found[0][1]), _size(chosen[1])):
            chosen = layer
    return chosen


def _size(paragraphs: list[str]) -> int:
    return sum(map(len, paragraphs))


def element_paragraphs(nodes: list[HtmlElement]) -> list[str]:
    """The paragraphs of selected elements: their <p> children when they have some, else their text."""
    texts: list[str] = []
    for node in nodes:
        blocks = node.xpath(".//p | .//h2 | .//h3 | .//li[not(ancestor::p)]")
        texts += [b.text_content() for b in blocks] if blocks else [node.text_content()]
    return clean_paragraphs(texts)


def keep(lines: list[str], exclude: set[str], links: set[str]) -> list[str]:
    """Cleaned lines without repeats, excluded texts, link lists, 'read also' and end date lines."""
    long_links = [link for link in links if len(link.split()) >= LONG_LINK_WORDS]
    kept = []
    for paragraph in dict.fromkeys(clean_paragraphs(lines)):
        folded = fold(paragraph)
        if letters(folded) not in exclude and not folded.startswith(RELATED_PHRASES) \
                and _linked_share(paragraph, links, long_links) < MAX_LINKED_SHARE:
            kept.append(paragraph)
    while kept and _date_line(kept[0]):
        kept.pop(0)
    while kept and _date_line(kept[-1]):
        kept.pop()
    return kept


def _date_line(paragraph: str) -> bool:
    """A short line that is only a date (with perhaps a section or place name)."""
    return len(paragraph.split()) <= MAX_DATE_LINE_WORDS and parse_date(paragraph) is not None


def _trafilatura(tree: HtmlElement, root: HtmlElement, url: str | None, structured_text: str) -> list[str]:
    """trafilatura's fast mode (on the article element alone if it holds most of the text), else full."""
    # the article element alone is quicker and leaves less boilerplate to judge
    root_text = len(" ".join(root.xpath(".//p//text()")))
    own = root.tag in SCOPES and root_text >= MIN_ROOT_SHARE * len(" ".join(tree.xpath("//body//p//text()")))
    joiners = _HAS_ZWNJ(tree)
    fast = _run(_with_stand_ins(_alone(root) if own else tree, joiners), url, fast=True)
    if len(fast) < MIN_FAST_SHARE * max(root_text, len(structured_text)):
        full = _run(_with_stand_ins(tree, joiners), url, fast=False)
        fast = full if len(full) > len(fast) else fast
    return fast.replace(ZWNJ_STAND_IN, ZWNJ).splitlines() if joiners else fast.splitlines()


def _with_stand_ins(tree: HtmlElement, joiners: bool) -> HtmlElement:
    """The tree, or when it has ZWNJs a copy with a printable stand-in for them."""
    # trafilatura drops every invisible character, and in Persian words the ZWNJ is spelling
    if not joiners:
        return tree
    copy = deepcopy(tree)
    for node in copy.iter():
        if node.text and ZWNJ in node.text:
            node.text = node.text.replace(ZWNJ, ZWNJ_STAND_IN)
        if node.tail and ZWNJ in node.tail:
            node.tail = node.tail.replace(ZWNJ, ZWNJ_STAND_IN)
    return copy


def _alone(node: HtmlElement) -> HtmlElement:
    """A document holding a copy of one element, without the ads and promotions inside it."""
    copy = deepcopy(node)
    dom.remove([n for n in copy.xpath(".//*[@class]") if PROMOTION_ATTR.search(n.get("class", ""))])
    return builder.HTML(builder.BODY(copy))


def _run(tree: HtmlElement, url: str | None, fast: bool) -> str:
    try:
        text = trafilatura.extract(tree, url=url, fast=fast, include_comments=False,
                                   include_tables=False, include_images=False)
    except Exception:  # third-party code: a crash on one odd page must not lose the page
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return ""
    return text or ""


def _linked_share(paragraph: str, links: set[str], long_links: list[str]) -> float:
    """How much of a paragraph is the text of links on the page (menus and teaser lists are)."""
    if paragraph in links:
        return 1.0
    return sum(len(link) for link in long_links if link in paragraph) / len(paragraph)
