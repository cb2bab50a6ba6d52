"""HTML pages of the demo news site, laid out like a typical Arabic news site."""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from demo.catalogue import PublishedArticle

SITE_NAME = "الواحة نيوز"
LABELS = {
    "ar": {
        "home": "الرئيسية", "related": "أخبار متعلقة", "read_also": "اقرأ أيضا",
        "ad": "إعلان", "share": "شارك:", "networks": ("فيسبوك", "تويتر", "واتساب"),
        "comments": "تعليقات القراء", "by": "بقلم:", "staff": "فريق التحرير",
    },
    "en": {
        "home": "Home", "related": "Related stories", "read_also": "Read also",
        "ad": "Advertisement", "share": "Share:", "networks": ("Facebook", "Twitter", "WhatsApp"),
        "comments": "Readers' comments", "by": "By", "staff": "Staff",
    },
}
COMMENTS = {
    "ar": (
        ("أبو سامر", "شكرا على التغطية، ننتظر المزيد من التفاصيل."),
        ("منى", "الخبر مهم لكن العنوان مبالغ فيه قليلا."),
        ("قارئ من الشمال", "هل من مصدر رسمي يؤكد هذه المعلومات؟"),
        ("خالد", "تقرير متوازن، أحسنتم."),
        ("سارة ع.", "أتمنى أن تتابعوا القصة في الأيام المقبلة."),
    ),
    "en": (
        ("Rami", "Thanks for the clear summary."),
        ("J. Miller", "Would be good to see the full figures."),
        ("Noor", "Following this closely, please keep us updated."),
    ),
}
FEED_LIMIT = 30
FEED_DESCRIPTION = "آخر أخبار الواحة نيوز"
FOOTER = "© الواحة نيوز — موقع تجريبي لمشروع راصد؛ جميع الأخبار المنشورة فيه متخيلة."


def section_path(section: str) -> str:
    """The path of a section's page."""
    return "/section/" + quote(section, safe="")


def image_path(article: PublishedArticle) -> str:
    """The path of an article's lead image."""
    return f"/images/{article.slug}.png"


def description(article: PublishedArticle) -> str:
    """The teaser, or the first paragraph when the article has none."""
    return article.teaser or article.paragraphs[0]


def front_page(articles: Sequence[PublishedArticle], sections: Sequence[str]) -> str:
    """The home page: latest articles newest first, with ads."""
    main = (
        f'<div class="ad ad-top">{LABELS["ar"]["ad"]}</div>\n'
        f'<section class="latest"><h2>آخر الأخبار</h2>\n{_listing(articles)}</section>\n'
        f'<aside class="sidebar"><div class="ad ad-side">{LABELS["ar"]["ad"]}</div></aside>'
    )
    return _layout(f"{SITE_NAME} | {LABELS['ar']['home']}", main, sections)


def section_page(
    section: str, articles: Sequence[PublishedArticle], sections: Sequence[str]
) -> str:
    """A section's page: its latest articles newest first."""
    main = (
        f'<nav class="breadcrumb"><a href="/">{LABELS["ar"]["home"]}</a> › '
        f"<span>{escape(section)}</span></nav>\n<h1>{escape(section)}</h1>\n{_listing(articles)}"
    )
    return _layout(f"{escape(section)} | {SITE_NAME}", main, sections)


def article_page(
    article: PublishedArticle,
    related: Sequence[PublishedArticle],
    read_also: PublishedArticle | None,
    sections: Sequence[str],
    base_url: str,
) -> str:
    """An article page; JSON-LD and OpenGraph only when the article is `structured`."""
    labels = LABELS[article.lang]
    head = f'<link rel="canonical" href="{escape(base_url + article.path)}">\n'
    if article.structured:
        head += _structured_head(article, base_url)
    teaser = f'<p class="teaser">{escape(article.teaser)}</p>\n' if article.teaser else ""
    main = (
        f"{_breadcrumb(article)}\n<article class=\"news-article\">\n"
        f"<h1>{escape(article.title)}</h1>\n{teaser}{_byline(article)}\n"
        f'<figure><img src="{image_path(article)}" alt="{escape(article.caption)}">'
        f"<figcaption>{escape(article.caption)}</figcaption></figure>\n"
        f"{_body(article, read_also)}\n{_share(labels)}\n</article>\n"
        f"{_related(related, labels)}{_comments(article)}"
    )
    return _layout(f"{escape(article.title)} | {SITE_NAME}", main, sections, article.lang, head)


def not_found_page(sections: Sequence[str]) -> str:
    """The 404 page."""
    main = '<h1>الصفحة غير موجودة</h1>\n<p>عذرا، لم نعثر على الصفحة المطلوبة.</p>'
    return _layout(f"404 | {SITE_NAME}", main, sections)


def broken_page() -> str:
    """A page cut off mid-tag, with unclosed and mismatched elements, for parser tests."""
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        "<title>صفحة معطوبة</title></head>\n<body><div class=\"article-body\">"
        "<h1>عنوان بلا إغلاق\n<p>فقرة أولى <b>بخط عريض لم يغلق\n<p>فقرة ثانية</i></div>"
        '</span><table><tr><td>خلية<p>فقرة ثالثة <a href="/news/24001-deir-ezzor-des'
    )


def rss_feed(articles: Sequence[PublishedArticle], base_url: str, updated: datetime) -> str:
    """RSS 2.0, newest first."""
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{base_url}{a.path}</link>"
        f'<guid isPermaLink="true">{base_url}{a.path}</guid>'
        f"<pubDate>{format_datetime(a.published, usegmt=True)}</pubDate>"
        f"<description>{escape(description(a))}</description>"
        f"<category>{escape(a.section)}</category>"
        f"<dc:creator>{escape(a.author or LABELS[a.lang]['staff'])}</dc:creator></item>\n"
        for a in articles[:FEED_LIMIT]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel><title>{SITE_NAME}</title><link>{base_url}/</link>"
        f"<description>{FEED_DESCRIPTION}</description><language>ar</language>"
        f"<lastBuildDate>{format_datetime(updated, usegmt=True)}</lastBuildDate>"
        f'<atom:link href="{base_url}/rss.xml" rel="self" type="application/rss+xml"/>\n'
        f"{items}</channel>\n</rss>\n"
    )


def atom_feed(articles: Sequence[PublishedArticle], base_url: str, updated: datetime) -> str:
    """Atom 1.0, newest first."""
    entries = "".join(
        f'<entry xml:lang="{a.lang}"><id>{base_url}{a.path}</id><title>{escape(a.title)}</title>'
        f'<link rel="alternate" type="text/html" href="{base_url}{a.path}"/>'
        f"<published>{a.published.isoformat()}</published>"
        f"<updated>{a.published.isoformat()}</updated>"
        f"<author><name>{escape(a.author or LABELS[a.lang]['staff'])}</name></author>"
        f'<category term="{escape(a.section)}"/>'
        f'<summary type="text">{escape(description(a))}</summary></entry>\n'
        for a in articles[:FEED_LIMIT]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">\n'
        f"<id>{base_url}/</id><title>{SITE_NAME}</title><subtitle>{FEED_DESCRIPTION}</subtitle>"
        f"<updated>{updated.isoformat()}</updated>"
        f'<link rel="alternate" type="text/html" href="{base_url}/"/>'
        f'<link rel="self" type="application/atom+xml" href="{base_url}/atom.xml"/>'
        f"<author><name>{SITE_NAME}</name></author>\n{entries}</feed>\n"
    )


def rdf_feed(articles: Sequence[PublishedArticle], base_url: str, updated: datetime) -> str:
    """RSS 1.0 (RDF), newest first."""
    shown = articles[:FEED_LIMIT]
    seq = "".join(f'<rdf:li rdf:resource="{base_url}{a.path}"/>' for a in shown)
    items = "".join(
        f'<item rdf:about="{base_url}{a.path}"><title>{escape(a.title)}</title>'
        f"<link>{base_url}{a.path}</link><description>{escape(description(a))}</description>"
        f"<dc:date>{a.published.isoformat()}</dc:date><dc:subject>{escape(a.section)}</dc:subject>"
        f"<dc:language>{a.lang}</dc:language></item>\n"
        for a in shown
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<channel rdf:about="{base_url}/rdf.xml"><title>{SITE_NAME}</title>'
        f"<link>{base_url}/</link><description>{FEED_DESCRIPTION}</description>"
        f"<dc:date>{updated.isoformat()}</dc:date><items><rdf:Seq>{seq}</rdf:Seq></items>"
        f"</channel>\n{items}</rdf:RDF>\n"
    )


def sitemap(articles: Sequence[PublishedArticle], base_url: str, updated: datetime) -> str:
    """A sitemap of every published article, newest first."""
    urls = "".join(
        f"<url><loc>{base_url}{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod></url>\n"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{base_url}/</loc><lastmod>{updated.isoformat()}</lastmod></url>\n"
        f"{urls}</urlset>\n"
    )


def _layout(
    title: str, main: str, sections: Sequence[str], lang: str = "ar", head: str = ""
) -> str:
    """The page shell: head, header with the nav menu, main content, footer."""
    direction = "rtl" if lang == "ar" else "ltr"
    menu = "".join(
        f'<li><a href="{section_path(s)}">{escape(s)}</a></li>' for s in sections
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{title}</title>\n"
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/rss.xml">\n'
        f"{head}</head>\n<body>\n"
        f'<header class="site-header"><a class="logo" href="/">{SITE_NAME}</a>\n'
        f'<nav class="menu"><ul><li><a href="/">{LABELS["ar"]["home"]}</a></li>{menu}</ul></nav>'
        f"</header>\n<main>\n{main}\n</main>\n"
        f'<footer class="site-footer"><p>{FOOTER}</p>'
        '<ul><li><a href="/rss.xml">RSS</a></li><li><a href="/sitemap.xml">خريطة الموقع</a></li>'
        "</ul></footer>\n</body>\n</html>\n"
    )


def _listing(articles: Sequence[PublishedArticle]) -> str:
    """A list of article teasers with links."""
    items = "".join(
        f'<li class="news-item"><a href="{a.path}"><img src="{image_path(a)}" '
        f'alt="{escape(a.caption)}"></a><h3><a href="{a.path}">{escape(a.title)}</a></h3>'
        f'<p class="teaser">{escape(description(a))}</p>'
        f'<time datetime="{a.published.isoformat()}">{_display_time(a)}</time> '
        f'<a class="section" href="{section_path(a.section)}">{escape(a.section)}</a></li>\n'
        for a in articles
    )
    return f'<ul class="news-list">\n{items}</ul>\n'


def _breadcrumb(article: PublishedArticle) -> str:
    """Home › section › title."""
    return (
        f'<nav class="breadcrumb"><a href="/">{LABELS[article.lang]["home"]}</a> › '
        f'<a href="{section_path(article.section)}">{escape(article.section)}</a> › '
        f"<span>{escape(article.title)}</span></nav>"
    )


def _byline(article: PublishedArticle) -> str:
    """Author and publication time."""
    labels = LABELS[article.lang]
    author = escape(article.author or labels["staff"])
    return (
        f'<div class="meta"><span class="author">{labels["by"]} {author}</span> '
        f'<time datetime="{article.published.isoformat()}">{_display_time(article)}</time></div>'
    )


def _body(article: PublishedArticle, read_also: PublishedArticle | None) -> str:
    """The paragraphs with an ad and a read-also box in the middle."""
    labels = LABELS[article.lang]
    paragraphs = [f"<p>{escape(p)}</p>" for p in article.paragraphs]
    target = read_also or article
    boxes = [
        f'<div class="ad">{labels["ad"]}</div>',
        f'<div class="read-also"><strong>{labels["read_also"]}:</strong> '
        f'<a href="{target.path}">{escape(target.title)}</a></div>',
    ]
    middle = (len(paragraphs) + 1) // 2
    parts = paragraphs[:middle] + boxes + paragraphs[middle:]
    return '<div class="article-body">\n' + "\n".join(parts) + "\n</div>"


def _share(labels: dict) -> str:
    """Share buttons (no links: the tests must never reach the internet)."""
    buttons = " ".join(f'<span class="share-button">{n}</span>' for n in labels["networks"])
    return f'<div class="share">{labels["share"]} {buttons}</div>'


def _related(related: Sequence[PublishedArticle], labels: dict) -> str:
    """The related-news block, or nothing when no related article is published."""
    if not related:
        return ""
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in related)
    return f'<section class="related"><h2>{labels["related"]}</h2><ul>{items}</ul></section>\n'


def _comments(article: PublishedArticle) -> str:
    """Two reader comments, chosen by article id."""
    pool = COMMENTS[article.lang]
    picked = (pool[article.id % len(pool)], pool[(article.id + 1) % len(pool)])
    items = "".join(
        f'<li class="comment"><b class="name">{escape(name)}</b><p>{escape(text)}</p></li>'
        for name, text in picked
    )
    return (
        f'<section class="comments"><h2>{LABELS[article.lang]["comments"]}</h2>'
        f"<ol>{items}</ol></section>"
    )


def _structured_head(article: PublishedArticle, base_url: str) -> str:
    """JSON-LD NewsArticle and OpenGraph meta tags."""
    url, image = base_url + article.path, base_url + image_path(article)
    when = article.published.isoformat()
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": article.title, "description": description(article),
        "datePublished": when, "dateModified": when,
        "author": {"@type": "Person", "name": article.author or LABELS[article.lang]["staff"]},
        "articleSection": article.section, "image": [image], "inLanguage": article.lang,
        "mainEntityOfPage": url, "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    # "</" inside a script element would end it early.
    script = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    meta = {
        "og:type": "article", "og:site_name": SITE_NAME, "og:title": article.title,
        "og:description": description(article), "og:url": url, "og:image": image,
        "article:section": article.section, "article:published_time": when,
    }
    tags = "".join(f'<meta property="{k}" content="{escape(v)}">\n' for k, v in meta.items())
    return (
        f'<meta name="description" content="{escape(description(article))}">\n{tags}'
        f'<script type="application/ld+json">\n{script}\n</script>\n'
    )


def _display_time(article: PublishedArticle) -> str:
    """The publication time as readers see it."""
    return article.published.strftime("%Y/%m/%d %H:%M") + " GMT"
