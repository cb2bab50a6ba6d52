"""DOM heuristics for what structured data leaves out: headline, lead, caption, visible date, text."""
from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from itertools import islice
from posixpath import basename
from urllib.parse import urljoin, urlparse

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.dates import parse_date
from crawler.extract.text import clean_paragraphs, clean_text, fold, letters

BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                    "iframe", "button", "figure", "template")
BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:comments?|share|sharing|social|ads?|advert\w*|banner|promo|newsletter|"
    r"subscribe|sidebar|breadcrumbs?|related|tags|toolbar|menu|nav)(?:$|[\s_-])", re.IGNORECASE)
# Zones whose captions, leads and dates belong to other articles or to the site.
OFF_ARTICLE_ATTR = re.compile(r"related|recommend|more[-_]?(?:news|stories)|read[-_]?also|sidebar|"
                              r"comment|footer|menu|newsletter|promo|trending|most[-_]?read|popular",
                              re.IGNORECASE)
OFF_ARTICLE_TAGS = {"nav", "footer", "form", "a"}
LEAD_ATTR = re.compile(
    r"(?:^|[\s_-])(?:lead(?:text)?|standfirst|sub-?title|sub-?head(?:line)?|sub-tit|excerpt|summary|"
    r"synopsis|intro|dek|deck|chapo|preamble|vorspann|abstract|desc|description|perex|sapo|"
    r"bajada|entradilla)(?:$|[\s_-])", re.IGNORECASE)
CAPTION_ATTR = re.compile(r"caption|legend", re.IGNORECASE)
CREDIT_ATTR = re.compile(r"credit|copyright|source|author|byline|photographer|rights|attribution",
                         re.IGNORECASE)
CREDIT_PREFIXES = ("©", "(c)", "Image Credits", "Photo:", "Foto:", "Bild:", "صورة:", "الصورة:",
                   "تصوير:")
# A trailing photo credit: "... | Name/Agency", "... (Name / Reuters)", "... Foto: dpa".
_CREDIT_TAIL = (
    re.compile(r"\s+[|│]\s+[^|│]{1,80}$"),
    re.compile(r"\s*\((?=[^()]*(?:/|©|photo|foto|bild|getty|reuters|afp|\bap\b|epa|dpa|keystone|"
               r"images?\b))[^()]{1,80}\)$", re.IGNORECASE),
    re.compile(r"\s*\((?:[^()\s]+\s?){1,3}\)$"),  # "(رويترز)", "(الجزيرة)", "(Reuters)": the source
    re.compile(r"(?<=[.!?؟»”\"'])\s+[^\s:]{2,20}\s?:\s*[^.:]{1,60}$"),
    re.compile(r"\s*©.{0,80}$"),
)
MEDIA_ATTR = re.compile(r"caption|credit|photo|image|img|media|gallery|video", re.IGNORECASE)
MEDIA_DEPTH = 3
DATE_ATTR = re.compile(r"date|time|publish|posted|created|dat[_-]|timestamp", re.IGNORECASE)
UPDATED_ATTR = re.compile(r"update|modif", re.IGNORECASE)
HEADLINE_TAGS = ("h1", "h2")
MIN_LEAD_CHARS, MAX_LEAD_CHARS = 30, 1200
MIN_CAPTION_CHARS, MAX_CAPTION_CHARS = 8, 600
NEAR_HEADLINE = 80  # elements after the headline that still belong to the article's head
NEAR_BEFORE = 6  # siblings before the headline (and before its parents) searched for its date
_CAPTION_TEST = ("self::figcaption or @itemprop='caption' or contains(@class, 'aption')"
                 " or contains(@class, 'legend')")
_CAPTIONS = etree.XPath(f"//*[{_CAPTION_TEST}]")
MAX_LINK_SHARE = 0.5


def article_root(tree: HtmlElement) -> HtmlElement:
    """The article's element: the <article> with most paragraph text, else <main>, else <body>."""
    articles = tree.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(" ".join(a.xpath(".//p//text()"))))
    return next(iter(tree.xpath("//main") or tree.xpath("//body")), tree)


def headline(tree: HtmlElement, root: HtmlElement) -> str:
    """The visible headline: the article's first <h1>, else the page's longest one."""
    inside = clean_paragraphs(h.text_content() for h in root.xpath(".//h1"))
    return inside[0] if inside else max(clean_paragraphs(
        h.text_content() for h in tree.xpath("//h1")), key=len, default="")


def headline_node(tree: HtmlElement, root: HtmlElement, title: str) -> HtmlElement | None:
    """The element showing the headline: a heading with the title's text, else any, else an h1."""
    key = letters(title)
    if key:
        for tag in HEADLINE_TAGS:
            for node in tree.iter(tag):
                if letters(node.text_content()) == key:
                    return node
        for text in tree.xpath("//body//text()[string-length(normalize-space()) > 2]"):
            if len(text) < 4 * len(title) and letters(text) == key:
                node = text.getparent()
                return node.getparent() if text.is_tail else node
    return next(iter(root.xpath(".//h1") or tree.xpath("//h1")), None)


def visible_headline(node: HtmlElement | None, title: str) -> str:
    """The headline as shown, when it is the title with punctuation that meta tags dropped."""
    if node is None:
        return ""
    shown = clean_text(node.text_content())
    return shown if letters(shown) == letters(title) and len(shown) > len(title) else ""


def lead(tree: HtmlElement, anchor: HtmlElement | None, skip: set[str]) -> str:
    """The standfirst shown under the headline: a 'lead'/'summary'/'dek' block or itemprop=description."""
    for node in _near(tree, anchor):
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if not (LEAD_ATTR.search(attrs) or node.get("itemprop") == "description"):
            continue
        if node.tag in ("meta", "img", "figure", "figcaption") or _off_article(node) \
                or _in_media(node):
            continue
        text = clean_text(node.text_content())
        if MIN_LEAD_CHARS <= len(text) <= MAX_LEAD_CHARS and fold(text) not in skip \
                and _link_share(node, text) < MAX_LINK_SHARE:
            return text
    return ""


def caption(tree: HtmlElement, root: HtmlElement, anchor: HtmlElement | None, image_url: str,
            title: str) -> str:
    """The lead image's caption: the first figcaption or caption block of the article, else its alt."""
    for node in _caption_nodes(tree, root, anchor):
        if (text := caption_text(node)) and fold(text) != fold(title):
            return text
    wanted = basename(_path(image_url) or "")
    images = root.xpath(".//img[@alt]")
    main = [i for i in images if wanted and basename(_path(i.get("src", "")) or "") == wanted]
    for img in main or root.xpath(".//figure//img[@alt] | .//img[@alt][not(ancestor::a)]"):
        alt = clean_text(img.get("alt"))
        if len(alt) >= MIN_CAPTION_CHARS and fold(alt) != fold(title) and len(alt.split()) > 2:
            return alt
    return ""


def caption_text(node: HtmlElement) -> str:
    """A caption's text without its photo credit."""
    if len(node.text_content()) > 2 * MAX_CAPTION_CHARS:  # a box that only holds a caption somewhere
        return ""
    node = deepcopy(node)
    remove([n for n in node.iter() if n is not node and isinstance(n.tag, str) and (
        n.tag in ("small", "cite") or CREDIT_ATTR.search(f"{n.get('class', '')} {n.get('id', '')}"))])
    text = clean_text(node.text_content())
    if text.startswith(CREDIT_PREFIXES):
        return ""
    for tail in _CREDIT_TAIL:
        text = tail.sub("", text).strip() or text
    return text if MIN_CAPTION_CHARS <= len(text) <= MAX_CAPTION_CHARS else ""


def time_date(tree: HtmlElement, root: HtmlElement, anchor: HtmlElement | None,
              lang: str | None) -> str | None:
    """The publication date of a <time> element: itemprop/pubdate first, then near the headline."""
    marked = tree.xpath("//time[@itemprop='datePublished' or @pubdate]")
    near = [n for n in _near(tree, anchor) if n.tag == "time"]
    for node in [*marked, *near, *root.iter("time")]:
        if UPDATED_ATTR.search(f"{node.get('class', '')} {node.get('itemprop', '')}"):
            continue
        if found := parse_date(node.get("datetime") or node.text_content(), lang):
            return found
    return None


def text_date(tree: HtmlElement, anchor: HtmlElement | None, lang: str | None) -> str | None:
    """A date written by the headline: a 'date' element just before or after it, else text after it."""
    near = [n for n in _near(tree, anchor) if not _off_article(n)]
    around = [*_preceding(anchor), *near]
    dated = [n for n in around if DATE_ATTR.search(f"{n.get('class', '')} {n.get('id', '')}")
             and not UPDATED_ATTR.search(f"{n.get('class', '')} {n.get('id', '')}")]
    for node in [*dated, *near]:
        text = clean_text(node.text_content())
        if text and (found := parse_date(text, lang)):
            return found
    return None


def fallback_paragraphs(root: HtmlElement) -> list[str]:
    """Paragraph texts of the largest group of sibling <p> once menus, ads and boxes are gone."""
    root = deepcopy(root)
    remove([node for node in root.xpath(".//*") if node.tag in BOILERPLATE_TAGS
            or BOILERPLATE_ATTR.search(f"{node.get('class', '')} {node.get('id', '')}")])
    groups: dict[HtmlElement, list[str]] = {}
    for p in root.xpath(".//p"):
        groups.setdefault(p.getparent(), []).append(p.text_content())
    best = max(groups.values(), key=lambda texts: len("".join(texts)), default=[])
    return clean_paragraphs(best)


def link_texts(tree: HtmlElement) -> set[str]:
    """Texts of the page's links."""
    return set(clean_paragraphs(a.text_content() for a in tree.xpath("//a[@href]")))


def join_url(base: str, href: str) -> str | None:
    """href resolved against base, or None when either is not a usable URL."""
    try:
        url = urljoin(base, href)
        return url if urlparse(url).scheme in ("http", "https", "") else None
    except ValueError:
        return None


def host(url: str) -> str:
    """The lowercased host of a URL, or '' when it has none or is malformed."""
    try:
        return (urlparse(url).hostname or "").lower()
    except ValueError:
        return ""


def remove(nodes: list[HtmlElement]) -> None:
    """Take nodes out of their tree, keeping the text that follows them."""
    for node in nodes:
        if node.getparent() is not None:
            node.drop_tree()


def _near(tree: HtmlElement, anchor: HtmlElement | None) -> list[HtmlElement]:
    """The elements that follow the headline in document order (its own content excluded)."""
    if anchor is None:
        return []
    found: list[HtmlElement] = []
    for node in _following(anchor):
        if isinstance(node.tag, str):
            found.append(node)
            if len(found) >= NEAR_HEADLINE:
                break
    return found


def _preceding(anchor: HtmlElement | None) -> list[HtmlElement]:
    """The few elements just before the headline, nearest first (dates often sit above it)."""
    if anchor is None:
        return []
    boxes = [*islice(anchor.itersiblings(preceding=True), NEAR_BEFORE),
             *(n for p in islice(anchor.iterancestors(), 2)
               for n in islice(p.itersiblings(preceding=True), NEAR_BEFORE))]
    return [n for box in boxes for n in islice(box.iter(), NEAR_HEADLINE) if isinstance(n.tag, str)]


def _following(anchor: HtmlElement) -> Iterator[HtmlElement]:
    """Elements after anchor in document order, its own content excluded."""
    node: HtmlElement | None = anchor
    while node is not None:
        for sibling in node.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        node = node.getparent()


def _caption_nodes(tree: HtmlElement, root: HtmlElement,
                   anchor: HtmlElement | None) -> list[HtmlElement]:
    """Caption elements: after the headline first, then the article's, then the page's."""
    found = [n for n in _CAPTIONS(tree) if _is_caption(n)]
    path = _path_to(anchor)
    inside = {n for n in found if n is root or any(a is root for a in n.iterancestors())}
    seen: set[HtmlElement] = set()
    chosen = []
    ranked = sorted(found, key=lambda n: 0 if _after(n, path) else 1 if n in inside else 2)
    for node in ranked:  # a stable sort: page order within each group
        if not any(a in seen for a in node.iterancestors()) and not _off_article(node):
            chosen.append(node)  # a caption box holding another caption hides it
        seen.add(node)
    return chosen


def _path_to(anchor: HtmlElement | None) -> dict[HtmlElement, HtmlElement | None]:
    """Each ancestor of the anchor (and the anchor) -> its child on the way down to the anchor."""
    if anchor is None:
        return {}
    path: dict[HtmlElement, HtmlElement | None] = {anchor: None}
    child = anchor
    for ancestor in anchor.iterancestors():
        path[ancestor] = child
        child = ancestor
    return path


def _after(node: HtmlElement, path: dict[HtmlElement, HtmlElement | None]) -> bool:
    """Whether node comes after the anchor of `path` in document order (and is not inside it)."""
    if not path or node in path:
        return False
    child = node
    for ancestor in node.iterancestors():
        if ancestor in path:
            toward_anchor = path[ancestor]
            return toward_anchor is not None and ancestor.index(child) > ancestor.index(toward_anchor)
        child = ancestor
    return False


def _is_caption(node: HtmlElement) -> bool:
    if node.tag == "figcaption" or node.get("itemprop") == "caption":
        return True
    return bool(node.tag != "figure" and CAPTION_ATTR.search(node.get("class", ""))
                and _beside_image(node))


def _beside_image(node: HtmlElement) -> bool:
    """Whether an element sits with an image (in the same figure or box)."""
    parent = node.getparent()
    for box in (parent, parent.getparent() if parent is not None else None):
        if box is not None and box.xpath(".//img | .//picture | .//video"):
            return True
    return False


def _in_media(node: HtmlElement) -> bool:
    """Whether an element belongs to an image: a description or credit, not the article's lead."""
    for box in islice(node.iterancestors(), MEDIA_DEPTH):
        if box.tag in ("figure", "figcaption", "picture"):
            return True
    boxes = [node, *islice(node.iterancestors(), MEDIA_DEPTH)]
    return any(MEDIA_ATTR.search(f"{b.get('class', '')} {b.get('id', '')}") for b in boxes)


def _off_article(node: HtmlElement) -> bool:
    for ancestor in node.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in OFF_ARTICLE_TAGS or OFF_ARTICLE_ATTR.search(
                f"{ancestor.get('class', '')} {ancestor.get('id', '')}"):
            return True
    return False


def _link_share(node: HtmlElement, text: str) -> float:
    linked = sum(len(clean_text(a.text_content())) for a in node.iter("a"))
    return linked / len(text) if text else 0.0


def _path(url: str) -> str | None:
    try:
        return urlparse(url).path
    except ValueError:
        return None
