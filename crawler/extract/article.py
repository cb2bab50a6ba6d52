"""Page -> Article, each field from the cheapest layer that has it (profile, structured data, DOM)."""
from __future__ import annotations

import logging
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from crawler.article import Article
from crawler.extract import dom
from crawler.extract.body import body_paragraphs
from crawler.extract.dates import url_date
from crawler.extract.picks import (
    Picks,
    is_opening,
    profile_values,
    strip_site_name,
    structured,
    whole,
)
from crawler.extract.profile import Profiles
from crawler.extract.related import breadcrumbs, related_blocks, related_links, section_names
from crawler.extract.structured import language, structured_layers
from crawler.extract.text import clean_paragraphs, decode_html, fold, letters
from crawler.seed import make_teaser
from crawler.urls import url_fingerprint

logger = logging.getLogger(__name__)

_UTF8_PARSER = HTMLParser(encoding="utf-8")
MAX_UNDECODABLE_SHARE = 0.05
MIN_TEASER_WORDS = 4  # a shorter description is a label ("SÜGAM-Vollversammlung"), not a teaser
_GENERIC_LABELS = {"www", "com", "net", "org", "gov", "edu", "co", "news"}

Layers = dict[str, str]


class ExtractionError(Exception):
    """The page holds no article Rasid can read."""


def extract_article(body: bytes | str, url: str | None = None, encoding: str | None = None,
                    profiles: Profiles | None = None) -> Article:
    """The article on a news page; raises ExtractionError (and nothing else) when there is none."""
    return extract_explained(body, url, encoding, profiles)[0]


def extract_explained(body: bytes | str, url: str | None = None, encoding: str | None = None,
                      profiles: Profiles | None = None) -> tuple[Article, Layers]:
    """The article and, for each field, the layer that produced it ('profile', 'json-ld', ...)."""
    try:
        return _extract(body, url, encoding, default_profiles() if profiles is None else profiles)
    except ExtractionError:
        raise
    except Exception as exc:  # one odd page must cost one article, not the crawl
        logger.warning("extraction failed on %s", url, exc_info=True)
        raise ExtractionError(f"extraction failed: {exc!r}") from exc


def default_profiles() -> Profiles:
    """The built-in site profiles alone."""
    return Profiles.with_builtins()


def _extract(body: bytes | str, url: str | None, encoding: str | None,
             profiles: Profiles) -> tuple[Article, Layers]:
    tree = _parse(decode_html(body, encoding))
    layers = structured_layers(tree)
    url = url or next((u for _, u in structured(layers, "url") if _absolute(u)), None)
    site = _site(url)
    profile = profiles.for_host(site or "")
    picks = Picks()
    prof = profile_values(profile, tree, _base_url(tree, url))
    lang = language(next((v for _, v in structured(layers, "lang") if language(v)), None))
    root = dom.article_root(tree)
    site_names = [v for _, v in structured(layers, "site_name") if v] + _host_labels(site)
    title = _title(picks, prof, layers, tree, root, site_names)
    anchor = dom.headline_node(tree, root, title)
    lead = prof.get("teaser") or dom.lead(tree, anchor, {fold(title)})
    caption = picks.pick("image_caption", [
        ("profile", prof.get("image_caption")),
        ("dom", lambda: dom.caption(tree, root, anchor, _image_url(layers), title)),
        *structured(layers, "image_caption")])
    # texts shown apart from the body, compared by their letters ("Mexico's" is "Mexico’s")
    skip = {letters(title), letters(caption)} | ({letters(lead)} if lead else set())
    paragraphs = prof.get("body") and picks.set("body", "profile", prof["body"])
    if not paragraphs:
        paragraphs = picks.set("body", *_body(tree, root, url, skip, layers))
    if not paragraphs:
        raise ExtractionError(f"no article text found in {url or 'page'}")
    _teaser(picks, prof, lead, layers, paragraphs)
    picks.pick("published", [
        ("profile", prof.get("published")), *structured(layers, "published"),
        ("dom", lambda: dom.time_date(tree, root, anchor, lang)), ("url", lambda: url_date(url)),
        ("dom", lambda: dom.text_date(tree, anchor, lang))], default=None)
    _sections(picks, prof, layers, tree, title, site_names)
    picks.pick("related", [("profile", prof.get("related")), ("dom", lambda: related_links(
        related_blocks(tree), _base_url(tree, url), url))], default=[])
    picks.pick("authors", [("profile", prof.get("authors")), *structured(layers, "authors")], default=[])
    article = Article(**picks.values, url=url, site=site, lang=lang,
                      fingerprint=url_fingerprint(url) if url else None)
    return article, picks.layers


def _title(picks: Picks, prof: dict[str, Any], layers: dict[str, dict[str, Any]], tree: HtmlElement,
           root: HtmlElement, site_names: list[str]) -> str:
    """The headline: the profile's, JSON-LD's, microdata's, OpenGraph's, the h1, or <title>."""
    shown = dom.headline(tree, root)
    named = [(layer, strip_site_name(value, site_names))
             for layer, value in structured(layers, "title") if value]
    title = picks.pick("title", [("profile", prof.get("title")), *named, ("dom", shown),
                                 ("dom", lambda: strip_site_name(_page_title(tree), site_names))])
    if not title:
        return title
    title = picks.set("title", picks.layers["title"], whole(title, [v for _, v in named] + [shown]))
    if picks.layers["title"] in ("opengraph", "meta"):
        # social titles often drop the quotes the headline shows: take the headline as shown
        if visible := dom.visible_headline(dom.headline_node(tree, root, title), title):
            return picks.set("title", "dom", visible)
    return title


def _body(tree: HtmlElement, root: HtmlElement, url: str | None, skip: set[str],
          layers: dict[str, dict[str, Any]]) -> tuple[str, list[str]]:
    """(layer, paragraphs) of the generic body extraction, given the declared articleBody."""
    node = layers["microdata"].get("body_node")
    text = layers["json-ld"].get("body_text") or (node.text_content() if node is not None else "")
    return body_paragraphs(tree, root, url, skip, text)


def _teaser(picks: Picks, prof: dict[str, Any], lead: str, layers: dict[str, dict[str, Any]],
            paragraphs: list[str]) -> None:
    """The standfirst shown on the page, else the declared description, else the body's opening."""
    # a description that is only the body's first words cut short gives the seed format's teaser
    picks.pick("teaser", [("profile", prof.get("teaser")), ("dom", lead)])
    if picks.values["teaser"]:
        return
    for layer, description in structured(layers, "teaser"):
        if len((description or "").split()) >= MIN_TEASER_WORDS \
                and not is_opening(description, paragraphs):
            picks.set("teaser", layer, description)
            return
    picks.set("teaser", "body", make_teaser(paragraphs))


def _sections(picks: Picks, prof: dict[str, Any], layers: dict[str, dict[str, Any]], tree: HtmlElement,
              title: str, site_names: list[str]) -> None:
    """Breadcrumb names (the DOM's, else JSON-LD's) followed by the declared sections."""
    if prof.get("sections"):
        picks.set("sections", "profile", section_names([(n, "") for n in prof["sections"]], title,
                                                       site_names))
        return
    trail, layer = breadcrumbs(tree), "dom"
    if not trail:
        trail, layer = layers["json-ld"].get("breadcrumbs") or [], "json-ld"
    found = [(layer, section_names(trail, title, site_names)), *structured(layers, "sections")]
    names: dict[str, str] = {}  # name -> the first layer that gave it
    for layer, found_names in found:
        for name in found_names or []:
            names.setdefault(name, layer)
    picks.pick("sections", [("+".join(dict.fromkeys(names.values())), list(names))], default=[])


def _parse(text: str) -> HtmlElement:
    if text.count("\ufffd") > MAX_UNDECODABLE_SHARE * len(text):
        raise ExtractionError("page is not text in any known encoding")
    try:
        # lxml parses UTF-8 bytes faster than str, and takes them with an XML declaration
        tree = document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_UTF8_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable page: {exc}") from exc
    if not isinstance(tree, HtmlElement):
        raise ExtractionError("unparseable page: no HTML document")
    return tree


def _image_url(layers: dict[str, dict[str, Any]]) -> str:
    return next((v for _, v in structured(layers, "image_url") if v), "")


def _page_title(tree: HtmlElement) -> str:
    return next(iter(clean_paragraphs(tree.xpath("//title//text()"))), "")


def _base_url(tree: HtmlElement, url: str | None) -> str:
    base = tree.xpath("string(//base/@href)").strip()
    return (dom.join_url(url or "", base) or url or "") if base else url or ""


def _absolute(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) and dom.host(url) else None


def _site(url: str | None) -> str | None:
    return dom.host(url or "").removeprefix("www.") or None


def _host_labels(site: str | None) -> list[str]:
    labels = (site or "").split(".")[:-1]
    return [label for label in labels if len(label) > 2 and label not in _GENERIC_LABELS]
