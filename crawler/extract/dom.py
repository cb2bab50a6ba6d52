"""DOM heuristics for what structured data leaves out: headline, caption, crumbs, related news."""
from __future__ import annotations

import re
from copy import deepcopy
from posixpath import basename
from urllib.parse import urljoin, urlparse

from lxml.html import HtmlElement

from crawler.article import Related
from crawler.extract.text import clean_paragraphs, clean_text, fold
from crawler.urls import canonical_url

HOME_CRUMBS = {fold(w) for w in ("الرئيسية", "الصفحة الرئيسية", "رئيسية", "Home", "Homepage")}
RELATED_PHRASES = tuple(fold(p) for p in (
    "أخبار متعلقة", "متعلقة", "ذات صلة", "اقرأ أيضا", "اقرأ ايضا", "شاهد أيضا", "related",
    "read also", "read more on", "see also", "more news", "more on this",
))
RELATED_ATTR = re.compile(r"related|more[-_]?news|read[-_]?also|also[-_]?read|see[-_]?also", re.IGNORECASE)
BREADCRUMBS = (
    "nav.breadcrumb, [itemtype*='BreadcrumbList'], .breadcrumb, .breadcrumbs, "
    "[class*='breadcrumb'], nav[aria-label*='readcrumb']"
)
BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                    "iframe", "button", "figure", "template")
BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:comments?|share|sharing|social|ads?|advert\w*|banner|promo|newsletter|"
    r"subscribe|sidebar|breadcrumbs?|related|tags|toolbar|menu|nav)(?:$|[\s_-])", re.IGNORECASE)
CREDIT_ATTR = re.compile(r"credit|copyright|author|source|byline|photographer|rights", re.IGNORECASE)
CREDIT_PREFIXES = ("©", "(c)", "Image Credits", "Photo:", "Foto:", "Bild:", "صورة:", "الصورة:")
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "span", "p", "div", "header",
                "label", "legend"}
NOT_PAGES = ("#", "javascript:", "mailto:", "tel:", "whatsapp:")
MIN_LINK_DENSITY = 0.4
MIN_HEADLINE_WORDS = 3


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


def caption(root: HtmlElement, image_url: str, title: str) -> str:
    """The first figure caption in the article, else the alt text of its main image."""
    for node in root.xpath(".//figure//figcaption"):
        if text := _caption_text(node):
            return text
    wanted = basename(_path(image_url) or "")
    images = root.xpath(".//img[@alt]")
    main = [i for i in images if wanted and basename(_path(i.get("src", "")) or "") == wanted]
    for img in main or root.xpath(".//figure//img[@alt] | .//img[@alt][not(ancestor::a)]"):
        alt = clean_text(img.get("alt"))
        if alt and fold(alt) != fold(title):
            return alt
    return ""


def breadcrumbs(tree: HtmlElement) -> list[tuple[str, str]]:
    """(name, href) of the page's breadcrumb trail, or an empty list."""
    trail = next(iter(tree.cssselect(BREADCRUMBS)), None)
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
    for node in tree.xpath("//body//*[@class or @id]"):
        attrs = f"{node.get('class', '')} {node.get('id', '')}"
        if RELATED_ATTR.search(attrs) and _link_density(node) >= MIN_LINK_DENSITY:
            found.append(node)
    for node in tree.xpath("//body//*[not(self::a)][string-length(normalize-space()) < 300]"):
        text = fold(node.text_content())
        if not text.startswith(RELATED_PHRASES):
            continue
        links = node.xpath(".//a[@href]")
        if links and not any(fold(a.text_content()).startswith(RELATED_PHRASES) for a in links):
            found.append(node)  # an inline box: "اقرأ أيضا: <a>headline</a>"
        elif len(text) < 40 and node.tag in HEADING_TAGS:
            found.extend(_heading_block(node))
    order = {node: i for i, node in enumerate(tree.iter())}
    return sorted(_outermost(found), key=order.__getitem__)


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


def time_datetime(tree: HtmlElement, root: HtmlElement) -> str:
    """The datetime attribute of the article's first <time>, else the page's."""
    return next(iter(root.xpath(".//time/@datetime") or tree.xpath("//time/@datetime")), "")


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


def _url_key(url: str) -> str:
    try:
        return canonical_url(url)
    except ValueError:
        return url


def _path(url: str) -> str | None:
    try:
        return urlparse(url).path
    except ValueError:
        return None


def remove(nodes: list[HtmlElement]) -> None:
    """Take nodes out of their tree, keeping the text that follows them."""
    for node in nodes:
        if node.getparent() is not None:
            node.drop_tree()


def _caption_text(node: HtmlElement) -> str:
    """A figcaption's text without its photo credit."""
    node = deepcopy(node)
    credits = [n for n in node.iter() if n is not node and (n.tag in ("small", "cite") or
               CREDIT_ATTR.search(f"{n.get('class', '')} {n.get('id', '')}"))]
    remove(credits)
    text = clean_text(node.text_content())
    return "" if text.startswith(CREDIT_PREFIXES) else text


def _is_home(name: str, href: str) -> bool:
    linked_root = bool(href) and not href.startswith("#") and _path(href) in {"", "/"}
    return fold(name) in HOME_CRUMBS or linked_root


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


def _link_density(node: HtmlElement) -> float:
    text = len(clean_text(node.text_content()))
    links = sum(len(clean_text(a.text_content())) for a in node.xpath(".//a"))
    return links / text if text else 0.0


def _outermost(nodes: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(nodes)
    unique = list(dict.fromkeys(nodes))
    return [n for n in unique if not any(a in chosen for a in n.iterancestors())]
