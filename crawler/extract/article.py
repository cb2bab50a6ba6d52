"""Generic article extraction: structured data first, then trafilatura, then DOM heuristics."""
from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from crawler.article import Article
from crawler.extract import dom
from crawler.extract.structured import PageMeta, iso_date, page_meta
from crawler.extract.text import clean_paragraphs, decode_html, fold
from crawler.seed import make_teaser
from crawler.urls import url_fingerprint

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»*]+\s+|\s*[|•»]\s*")
MAX_LINKED_SHARE = 0.5
LONG_LINK_WORDS = 3
MAX_SUFFIX_WORDS = 5
MAX_UNDECODABLE_SHARE = 0.05
_GENERIC_LABELS = {"www", "com", "net", "org", "gov", "edu", "co", "news"}


class ExtractionError(Exception):
    """The page holds no article Rasid can read."""


def extract_article(
    body: bytes | str, url: str | None = None, encoding: str | None = None
) -> Article:
    """The article on a news page; raises ExtractionError (and nothing else) when there is none."""
    try:
        return _extract(body, url, encoding)
    except ExtractionError:
        raise
    except Exception as exc:  # one odd page must cost one article, not the crawl
        logger.warning("extraction failed on %s", url, exc_info=True)
        raise ExtractionError(f"extraction failed: {exc!r}") from exc


def _extract(body: bytes | str, url: str | None, encoding: str | None) -> Article:
    tree = _parse(decode_html(body, encoding))
    meta = page_meta(tree)
    url = url or _absolute(meta.url)
    site = _site(url)
    root = dom.article_root(tree)
    site_names = [meta.site_name, *_host_labels(site)]
    title = strip_site_name(meta.title or meta.headline or dom.headline(tree, root)
                            or _page_title(tree), site_names)
    caption = dom.caption(root, meta.image_url, title) or meta.image_caption
    related = dom.related_links(dom.related_blocks(tree), _base_url(tree, url), url)
    crumbs = dom.breadcrumbs(tree) or meta.breadcrumbs
    sections = dom.section_names(crumbs, title, site_names) + meta.sections
    paragraphs = _body(tree, root, meta, url, exclude={fold(title), fold(caption)})
    return Article(
        title=title,
        teaser=meta.description or make_teaser(paragraphs),
        image_caption=caption,
        body=paragraphs,
        sections=list(dict.fromkeys(sections)),
        related=related,
        url=url,
        site=site,
        published=meta.published or iso_date(dom.time_datetime(tree, root)),
        authors=meta.authors,
        lang=meta.lang,
        fingerprint=url_fingerprint(url) if url else None,
    )


def strip_site_name(title: str, site_names: list[str]) -> str:
    """The title without a leading or trailing site name ('Headline - Site', 'Site | Headline')."""
    names = {_key(n) for n in site_names if _key(n)}
    marks = list(_TITLE_SEPARATOR.finditer(title))
    if not names or not marks:
        return title
    if _key(title[: marks[0].start()]) in names:
        return title[marks[0].end():].strip() or title
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(title)
        if _key(title[mark.end(): end]) in names:
            return title[: mark.start()].strip() or title
    last = title[marks[-1].end():]
    if len(last.split()) <= MAX_SUFFIX_WORDS and any(n in _key(last) for n in names if len(n) > 3):
        return title[: marks[-1].start()].strip() or title
    return title


def _parse(text: str) -> HtmlElement:
    if text.count("\ufffd") > MAX_UNDECODABLE_SHARE * len(text):
        raise ExtractionError("page is not text in any known encoding")
    try:
        tree = document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable page: {exc}") from exc
    if not isinstance(tree, HtmlElement):
        raise ExtractionError("unparseable page: no HTML document")
    return tree


def _body(tree: HtmlElement, root: HtmlElement, meta: PageMeta, url: str | None,
          exclude: set[str]) -> list[str]:
    """Body paragraphs from trafilatura, else the DOM, else JSON-LD articleBody."""
    links = dom.link_texts(tree)
    paragraphs = _keep(_trafilatura(tree, url), exclude, links)
    if not paragraphs:
        logger.debug("trafilatura found no text in %s; using <p> blocks", url)
        paragraphs = _keep(dom.fallback_paragraphs(root), exclude, links)
    if not paragraphs:
        paragraphs = _keep(meta.article_body.splitlines(), exclude, set())
    if not paragraphs:
        raise ExtractionError(f"no article text found in {url or 'page'}")
    return paragraphs


def _trafilatura(tree: HtmlElement, url: str | None) -> list[str]:
    try:
        text = trafilatura.extract(tree, url=url, favor_precision=True, include_comments=False,
                                   include_tables=False, include_images=False)
    except Exception:  # third-party code: a crash on one odd page must not lose the page
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return []
    return (text or "").splitlines()


def _keep(lines: list[str], exclude: set[str], links: set[str]) -> list[str]:
    """Cleaned lines without repeats, excluded texts, link lists and 'read also' leftovers."""
    kept = [p for p in clean_paragraphs(lines) if fold(p) not in exclude]
    kept = [p for p in kept if not fold(p).startswith(dom.RELATED_PHRASES)]
    kept = [p for p in kept if _linked_share(p, links) < MAX_LINKED_SHARE]
    return list(dict.fromkeys(kept))


def _linked_share(paragraph: str, links: set[str]) -> float:
    """How much of a paragraph is the text of links on the page (menus and teaser lists are)."""
    if paragraph in links:
        return 1.0
    long_links = (link for link in links if len(link.split()) >= LONG_LINK_WORDS)
    return sum(len(link) for link in long_links if link in paragraph) / len(paragraph)


def _page_title(tree: HtmlElement) -> str:
    return next(iter(clean_paragraphs(tree.xpath("//title//text()"))), "")


def _base_url(tree: HtmlElement, url: str | None) -> str:
    base = tree.xpath("string(//base/@href)").strip()
    return (dom.join_url(url or "", base) or url or "") if base else url or ""


def _absolute(url: str) -> str | None:
    return url if url.startswith(("http://", "https://")) and dom.host(url) else None


def _site(url: str | None) -> str | None:
    return dom.host(url or "").removeprefix("www.") or None


def _host_labels(site: str | None) -> list[str]:
    labels = (site or "").split(".")[:-1]
    return [label for label in labels if len(label) > 2 and label not in _GENERIC_LABELS]


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())
