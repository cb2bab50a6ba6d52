"""The seed document survives extract -> render: a page built from its fields gives it back."""
from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from crawler.article import Article
from crawler.extract import extract_explained
from crawler.seed import parse, render

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def news_page(article: Article) -> str:
    """A news page as a site would publish the article: meta tags, crumbs, headline, figure, text,
    a related box, and the chrome around it (menu, share buttons, footer)."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.body)
    crumbs = "".join(f'<li><a href="/section/{i}">{escape(s)}</a></li>'
                     for i, s in enumerate(article.sections))
    related = "".join(f'<li><a href="/news/{i}">{escape(r.title)}</a></li>'
                      for i, r in enumerate(article.related))
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{escape(article.title)} | موقع الاختبار</title>
<meta property="og:site_name" content="موقع الاختبار">
<meta property="og:title" content="{escape(article.title)}">
<meta property="og:description" content="{escape(article.teaser)}">
</head><body>
<nav class="menu"><a href="/">الرئيسية</a> <a href="/politics">سياسة</a></nav>
<ol class="breadcrumb"><li><a href="/">الرئيسية</a></li>{crumbs}</ol>
<article>
<h1>{escape(article.title)}</h1>
<div class="share"><a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<figure><img src="/img/lead.jpg" alt=""><figcaption>{escape(article.image_caption)}</figcaption></figure>
<div class="article-body">
{paragraphs}
</div>
{f'<section class="related"><h3>أخبار متعلقة</h3><ul>{related}</ul></section>' if related else ""}
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"""


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_document_round_trips_through_extraction(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    article, layers = extract_explained(news_page(parse(text)).encode("utf-8"),
                                        url="https://test.example/news/1")
    assert render(article) == text
    assert layers["teaser"] == "body"  # og:description was the body's opening, cut: the seed rule
