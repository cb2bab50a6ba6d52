"""Extraction: the fixture pages field by field and layer by layer, text hygiene, broken input."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.article import Related
from crawler.extract import ExtractionError, Profiles, extract_article, extract_explained
from crawler.extract.picks import strip_site_name
from crawler.extract.structured import iso_date, language
from crawler.extract.text import clean_text, decode_html, fold, repair_double_utf8
from crawler.urls import url_fingerprint

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "pages"
CASES: list[dict[str, Any]] = yaml.safe_load((PAGES / "cases.yaml").read_text(encoding="utf-8"))
PROFILES = Profiles.with_builtins(yaml.safe_load((PAGES / "profiles.yaml").read_text(encoding="utf-8")))
# Bidi controls and zero-width characters; ZWNJ (U+200C) is checked apart: it may stay in Persian.
INVISIBLE = re.compile("[\u200b\u200d-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
STRAY_ZWNJ = re.compile("(?<![\u0620-\u06ff])\u200c|\u200c(?![\u0620-\u06ff])")


def _explained(case: dict[str, Any]):
    profiles = PROFILES if case.get("profiles") else None
    return extract_explained((PAGES / case["file"]).read_bytes(), url=case["url"], profiles=profiles)


def _extract(case: dict[str, Any]):
    return _explained(case)[0]


@pytest.fixture(params=CASES, ids=[c["id"] for c in CASES])
def case(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.param


def test_fixture_fields(case: dict[str, Any]) -> None:
    article = _extract(case)
    expect = dict(case["expect"])
    related = [Related(**r) for r in expect.pop("related", [])]
    got = {key: getattr(article, key) for key in expect}
    assert got == expect
    assert article.related == related
    assert article.url == case["url"]
    assert article.fingerprint == url_fingerprint(case["url"])


def test_fixture_layers(case: dict[str, Any]) -> None:
    _, layers = _explained(case)
    for field, layer in case.get("layers", {}).items():
        assert layers.get(field) == layer, field


def test_fixture_body(case: dict[str, Any]) -> None:
    article = _extract(case)
    assert len(article.body) == case["body_count"], article.body
    assert article.body[0].startswith(case["body_first"])
    assert article.body[-1].startswith(case["body_last"])
    for text in case.get("body_contains", []):
        assert any(text in p for p in article.body), text


def test_fixture_body_has_no_boilerplate(case: dict[str, Any]) -> None:
    article = _extract(case)
    for text in case["absent"]:
        assert not any(text in p for p in article.body), text
        assert text not in article.image_caption
    folded = [fold(p) for p in article.body]
    assert fold(article.title) not in folded
    assert not article.image_caption or fold(article.image_caption) not in folded


def test_fixture_fields_are_clean(case: dict[str, Any]) -> None:
    article = _extract(case)
    texts = [article.title, article.teaser, article.image_caption, *article.body,
             *article.sections, *(r.title for r in article.related), *article.authors]
    for text in texts:
        assert not INVISIBLE.search(text), repr(text)
        assert not STRAY_ZWNJ.search(text), repr(text)
        assert text == " ".join(text.split()), repr(text)


def test_profile_page_without_its_profile_falls_back_to_generic_layers() -> None:
    case = next(c for c in CASES if c["id"] == "ar-profile")
    article, layers = extract_explained((PAGES / case["file"]).read_bytes(), url=case["url"],
                                        profiles=Profiles([]))
    assert "profile" not in layers.values()
    assert article.title != case["expect"]["title"]  # the page's <title> is only the site's name
    assert any("إعلان ممول" in p for p in article.body)  # the ad the profile removes


def test_a_profile_field_that_matches_nothing_falls_through() -> None:
    page = (PAGES / "ar-jsonld-full.html").read_bytes()
    profiles = Profiles.with_builtins([{"name": "rasid", "domains": ["alrasid.example"],
                                        "title": "h1.no-such-class", "teaser": ".article-meta .byline"}])
    article, layers = extract_explained(page, url="https://www.alrasid.example/a", profiles=profiles)
    assert layers["title"] == "json-ld" and article.title.startswith("افتتاح أكبر محطة")
    assert layers["teaser"] == "profile" and article.teaser == "بقلم: سلمى الحداد ومراد القاسمي"


def test_visible_lead_is_the_teaser_and_leaves_the_body() -> None:
    page = ("<html><head><meta property='og:description' content='A social blurb, not on the page.'>"
            "</head><body><article><h1>Bridge reopens after repairs</h1>"
            "<p class='article-lead'>The old stone bridge carries traffic again after two years.</p>"
            "<p>Engineers replaced the arches and the road surface during the closure.</p>"
            "<p>The council said buses would return to the route from Monday.</p></article></body></html>")
    article, layers = extract_explained(page, url="https://town.example/bridge")
    assert (layers["teaser"], article.teaser) == ("dom", "The old stone bridge carries traffic again "
                                                  "after two years.")
    assert not any(p.startswith("The old stone bridge") for p in article.body)


def test_date_line_at_the_body_ends_is_not_a_paragraph() -> None:
    page = ("<html><body><article><h1>عنوان الخبر هنا للاختبار</h1><p>سياسة 2024/03/05 10:22</p>"
            "<p>نص الفقرة الأولى من الخبر وفيه ما يكفي من الكلمات ليكون فقرة حقيقية.</p>"
            "<p>نص الفقرة الثانية من الخبر وفيه أيضا ما يكفي من الكلمات.</p></article></body></html>")
    article = extract_article(page)
    assert article.body[0].startswith("نص الفقرة الأولى") and len(article.body) == 2
    assert article.published == "2024-03-05T10:22:00"


def test_windows_1256_with_explicit_encoding_beats_wrong_declaration() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>مرحبا بالعالم</p></body></html>'
    assert "مرحبا بالعالم" in decode_html(page.encode("cp1256"), encoding="windows-1256")


def test_bom_decides_encoding() -> None:
    page = "\ufeff<html><head><meta charset='windows-1256'></head><body>سلام</body></html>"
    assert "سلام" in decode_html(page.encode("utf-8"))


def test_control_characters_are_dropped() -> None:
    assert decode_html(b"<p>a\x00b\x07c\td\r\ne</p>") == "<p>abc\td\r\ne</p>"
    assert decode_html("<p>a\x00b</p>") == "<p>ab</p>"


def test_str_body_and_no_url() -> None:
    page = (PAGES / "ar-plain-dom.html").read_text(encoding="utf-8")
    article = extract_article(page)
    assert article.title == "البنك المركزي يثبت سعر الفائدة للمرة الثالثة على التوالي"
    assert article.url is None and article.site is None and article.fingerprint is None
    assert next(r.url for r in article.related) == "/economy/2024/02/28/inflation-report"


def test_url_taken_from_canonical_when_not_given() -> None:
    article = extract_article((PAGES / "ar-jsonld-full.html").read_bytes())
    assert article.url == "https://www.alrasid.example/local/2024/05/12/desalination-plant-opens"
    assert article.site == "alrasid.example"


@pytest.mark.parametrize(
    "body",
    [b"", "", b"   \n", b"<html></html>",
     b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
     b"\x00\x01\x02\xff\xfe" * 50, "<html><body>" + "<div>" * 5000 + "</body></html>"],
    ids=["empty-bytes", "empty-str", "whitespace", "empty-html", "menu-only", "binary", "deep"],
)
def test_pages_without_article_raise_extraction_error(body: bytes | str) -> None:
    with pytest.raises(ExtractionError):
        extract_article(body, url="https://example.com/a")


@pytest.mark.parametrize(
    "body",
    [b"<p>Unclosed <b>bold <i>and italic text in a paragraph",
     b"<?xml version='1.0' encoding='utf-8'?>"
     b"<html><body><p>Declared XHTML page text.</p></body></html>",
     b"<html><head><script type='application/ld+json'>{broken</script></head>"
     b"<body><article><p>Broken JSON-LD does not stop the page.</p></article></body></html>",
     b"<html><head><base href='http://[bad'><meta property='og:url' content='http://[x'>"
     b"</head><body>"
     b"<article><img src='http://[y' alt='odd'><p>Malformed URLs everywhere on this page.</p>"
     b"<div class='related'><a href='http://[::1'>A related link that is broken</a></div>"
     b"</article></body></html>",
     b"<html><body><div itemscope itemtype='https://schema.org/NewsArticle'>"
     b"<span itemprop='datePublished'>not a date</span><span itemprop='author' itemscope></span>"
     b"<p>Microdata with odd values is still a page.</p></div></body></html>"],
    ids=["unclosed-tags", "xml-declaration", "broken-json-ld", "malformed-urls", "odd-microdata"],
)
def test_broken_html_still_extracts(body: bytes) -> None:
    assert extract_article(body).body


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("\u200fعنوان\u200e  الخبر\u202b", "عنوان الخبر"),
     ("a\u200bb\u200cc\u200dd\ufeffe\u2060f", "abcdef"),
     ("\u2066x\u2069 \u202ay\u202c", "x y"), (" line\none\t\xa0two ", "line one two"), (None, ""),
     ("می\u200cشود", "می\u200cشود"), ("\u200cمی شود\u200c", "می شود"), ("نسخه\u200c کامل", "نسخه کامل")],
    ids=["bidi", "zero-width", "isolates", "whitespace", "none", "zwnj-in-word", "zwnj-at-edges",
         "zwnj-before-space"],
)
def test_clean_text(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


def test_fold_makes_spelling_variants_equal() -> None:
    assert fold("إقرأ أيضاً:") == fold("اقرأ أيضا") == "اقرا ايضا"
    assert fold("می\u200cشود") == fold("میشود")


def test_repair_double_utf8() -> None:
    text = "أخبار الجزائر والعالم على مدار الساعة " * 3
    assert repair_double_utf8(text.encode("utf-8").decode("latin-1")) == text
    # read as windows-1252 the way browsers do: its five unassigned bytes kept as Latin-1
    sloppy = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode())
    assert repair_double_utf8(sloppy) == text
    assert repair_double_utf8("Café déjà vu, naïve façade") == "Café déjà vu, naïve façade"
    czech = "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl úředník. " * 5
    assert repair_double_utf8(czech) == czech


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [("Headline here - The Site", ["The Site"], "Headline here"),
     ("The Site | Headline here", ["The Site"], "Headline here"),
     ("Headline | TechCrunch", ["", "techcrunch"], "Headline"),
     ("Headline | The Site | by Someone", ["The Site"], "Headline"),
     ("عنوان الخبر - شبكة الراصد", ["شبكة الراصد"], "عنوان الخبر"),
     ("Ukraine : la Russie avance", ["Le Figaro"], "Ukraine : la Russie avance"),
     ("Arabic: a language", ["arabic"], "Arabic: a language"),
     ("„Einsatz“ - Die Neue Südtiroler Tageszeitung", ["tageszeitung"], "„Einsatz“"),
     ("Only The Site", ["Only The Site"], "Only The Site"),
     ("No separator", [], "No separator")],
)
def test_strip_site_name(title: str, names: list[str], expected: str) -> None:
    assert strip_site_name(title, names) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-06-18T22:05:00Z", "2024-06-18T22:05:00+00:00"), ("2024-06-18", "2024-06-18T00:00:00"),
     ("2024-06-18 08:00:00+03:00", "2024-06-18T08:00:00+03:00"), ("yesterday", None), ("", None)],
)
def test_iso_date(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ar-EG", "ar"), ("ar_AR", "ar"), ("EN", "en"), ("", None), ("x-123", None)],
)
def test_language(value: str, expected: str | None) -> None:
    assert language(value) == expected


def _app_page(script: str) -> str:
    return ("<html><head><title>Harbour ferry returns | Coast Daily</title></head><body>"
            f"<div id='__next'><h1>Harbour ferry returns</h1><div class='spinner'>Loading…</div></div>"
            f"{script}</body></html>")


ARTICLE_HTML = ("<div class='caption'><p>The ferry at the north pier.</p></div>"
                "<p>The harbour ferry returned to service on Monday after a six-week refit.</p>"
                "<p>The operator said crossings would run every twenty minutes until late evening.</p>")


def test_body_from_next_data_json() -> None:
    data = json.dumps({"props": {"pageProps": {"story": {"title": "Harbour ferry returns",
                                                         "body": ARTICLE_HTML}}}})
    page = _app_page(f"<script id='__NEXT_DATA__' type='application/json'>{data}</script>")
    article, layers = extract_explained(page, url="https://coast.example/ferry")
    assert layers["body"] == "embedded"
    assert article.body == ["The harbour ferry returned to service on Monday after a six-week refit.",
                            "The operator said crossings would run every twenty minutes until late evening."]


def test_body_from_a_streamed_next_payload() -> None:
    row = f"2a:T{len(ARTICLE_HTML.encode()):x},{ARTICLE_HTML}"
    half = len(row) // 2  # a text row split across two pushes, as pages stream it
    pushes = "".join(f"<script>self.__next_f.push([1,{json.dumps(part)}])</script>"
                     for part in ('1:"$Sreact.fragment"\n', row[:half], row[half:] + '\n3:["$","div"]\n'))
    article, layers = extract_explained(_app_page(pushes), url="https://coast.example/ferry")
    assert layers["body"] == "embedded" and len(article.body) == 2
    assert article.body[0].startswith("The harbour ferry returned")
