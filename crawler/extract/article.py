"""Generic article extraction: structured data first, then trafilatura, then DOM heuristics."""
from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlparse

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
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•»*:]+\s+|\s*[|•»]\s*")
_GENERIC_LABELS = {"www", "com", "net", "org", "gov", "edu", "co", "news"}


class ExtractionError(Exception):
    """The page holds no article Rasid can read."""


def extract_article(body: bytes | str, url: str | None = None, encoding: str | None = None) -> Article:
    """The article on a news page; raises ExtractionError when there is none."""
    tree = _parse(decode_html(body, encoding))
    meta = page_meta(tree)
    url = url or _absolute(meta.url)
    site = _site(url)
    root = dom.article_root(tree)
    site_names = [meta.site_name, *_host_labels(site)]
    title = strip_site_name(meta.title or meta.headline or dom.headline(tree, root)
                            or _page_title(tree), site_names)
    caption = dom.caption(root, meta.image_url, title) or meta.image_caption
    blocks = dom.related_blocks(tree)
    related = dom.related_links(blocks, _base_url(tree, url), url)
    dom.remove(blocks)
    paragraphs = _body(tree, root, url, exclude={fold(title), fold(caption)})
    crumbs = dom.breadcrumbs(tree) or meta.breadcrumbs
    sections = dom.section_names(crumbs, title, site_names) + meta.sections
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
    return title


def _parse(text: str) -> HtmlElement:
    try:
        tree = document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable page: {exc}") from exc
    if not isinstance(tree, HtmlElement):
        raise ExtractionError("unparseable page: no HTML document")
    return tree


def _body(tree: HtmlElement, root: HtmlElement, url: str | None, exclude: set[str]) -> list[str]:
    """Body paragraphs from trafilatura, else from the DOM, without title, caption and boxes."""
    paragraphs = _keep(_trafilatura(tree, url), exclude)
    if not paragraphs:
        logger.debug("trafilatura found no text in %s; using <p> blocks", url)
        paragraphs = _keep(dom.fallback_paragraphs(root), exclude)
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


def _keep(lines: list[str], exclude: set[str]) -> list[str]:
    """Cleaned lines without repeats, excluded texts and 'read also' leftovers."""
    kept = [p for p in clean_paragraphs(lines) if fold(p) not in exclude]
    kept = [p for p in kept if not fold(p).startswith(dom.RELATED_PHRASES)]
    return list(dict.fromkeys(kept))


def _page_title(tree: HtmlElement) -> str:
    return clean_paragraphs(tree.xpath("//title/text()"))[0] if tree.xpath("//title/text()") else ""


def _base_url(tree: HtmlElement, url: str | None) -> str:
    base = tree.xpath("string(//base/@href)").strip()
    return urljoin(url or "", base) if base else url or ""


def _absolute(url: str) -> str | None:
    return url if urlparse(url).scheme in ("http", "https") else None


def _site(url: str | None) -> str | None:
    host = (urlparse(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


def _host_labels(site: str | None) -> list[str]:
    labels = (site or "").split(".")[:-1]
    return [label for label in labels if len(label) > 2 and label not in _GENERIC_LABELS]


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())
