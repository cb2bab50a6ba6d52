"""Generic article extraction: fixture pages, text hygiene, broken input, the real-page corpus."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.article import Related
from crawler.extract import ExtractionError, extract_article
from crawler.extract.article import strip_site_name
from crawler.extract.structured import iso_date, language
from crawler.extract.text import clean_text, decode_html, fold, repair_double_utf8
from crawler.urls import url_fingerprint

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "pages"
CASES: list[dict[str, Any]] = yaml.safe_load((PAGES / "cases.yaml").read_text(encoding="utf-8"))
CORPUS = ROOT.parent / "shared" / "corpus"
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _extract(case: dict[str, Any]):
    return extract_article((PAGES / case["file"]).read_bytes(), url=case["url"])


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
        assert text == " ".join(text.split()), repr(text)


def test_windows_1256_with_explicit_encoding_beats_wrong_declaration() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>مرحبا بالعالم</p></body></html>'
    assert "مرحبا بالعالم" in decode_html(page.encode("cp1256"), encoding="windows-1256")


def test_bom_decides_encoding() -> None:
    page = "\ufeff<html><head><meta charset='windows-1256'></head><body>سلام</body></html>"
    assert "سلام" in decode_html(page.encode("utf-8"))


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
     b"</article></body></html>"],
    ids=["unclosed-tags", "xml-declaration", "broken-json-ld", "malformed-urls"],
)
def test_broken_html_still_extracts(body: bytes) -> None:
    assert extract_article(body).body


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("\u200fعنوان\u200e  الخبر\u202b", "عنوان الخبر"),
     ("a\u200bb\u200cc\u200dd\ufeffe\u2060f", "abcdef"),
     ("\u2066x\u2069 \u202ay\u202c", "x y"), (" line\none\t\xa0two ", "line one two"), (None, "")],
)
def test_clean_text(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


def test_fold_makes_spelling_variants_equal() -> None:
    assert fold("إقرأ أيضاً:") == fold("اقرأ أيضا") == "اقرا ايضا"


def test_repair_double_utf8() -> None:
    text = "أخبار الجزائر والعالم على مدار الساعة " * 3
    garbled = text.encode("utf-8").decode("latin-1")
    assert repair_double_utf8(garbled) == text
    assert repair_double_utf8("Café déjà vu, naïve façade") == "Café déjà vu, naïve façade"


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


def _corpus_cases() -> list[dict[str, Any]]:
    if not (CORPUS / "cases.jsonl").is_file():
        pytest.skip(f"real-page corpus not found at {CORPUS}")
    lines = (CORPUS / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_corpus_title_match_rate() -> None:
    cases = [c for c in _corpus_cases() if c["truth"].get("title")]
    matched, failed = 0, []
    for c in cases:
        try:
            article = extract_article((CORPUS / c["file"]).read_bytes(), url=c.get("url"))
        except ExtractionError as exc:
            failed.append(f"{c['id']}: {exc}")
            continue
        matched += article.title == clean_text(c["truth"]["title"])
    rate = matched / len(cases)
    print(f"corpus titles: {matched}/{len(cases)} exact ({rate:.0%}); extraction errors: {failed}")
    assert rate >= 0.5, f"title exact-match rate {rate:.0%} below 50% ({matched}/{len(cases)})"


def test_corpus_pages_decode_to_arabic() -> None:
    cases = [c for c in _corpus_cases() if c["truth"].get("script") == "arabic"]
    for c in cases:
        text = decode_html((CORPUS / c["file"]).read_bytes())
        assert len(ARABIC_LETTER.findall(text)) > 100, c["id"]
