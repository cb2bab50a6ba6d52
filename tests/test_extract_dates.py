"""Publication dates as pages write them: Arabic month series, Arabic-Indic digits, relative dates."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crawler.extract import extract_explained
from crawler.extract.dates import parse_date, url_date


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("الأحد 12 كانون الثاني 2025", "ar", "2025-01-12T00:00:00"),      # Levantine
     ("3 آب 2023 - 10:15", "ar", "2023-08-03T10:15:00"),
     ("الثلاثاء، 14 تشرين الأول 2019", None, "2019-10-14T00:00:00"),
     ("12 يناير 2020", "ar", "2020-01-12T00:00:00"),                     # Egyptian/Gulf
     ("نشر في: 24 أغسطس 2020 - 10:30 ص", "ar", "2020-08-24T10:30:00"),
     ("25 فيفري 2017", None, "2017-02-25T00:00:00"),                      # Maghreb
     ("1 جويلية 2020", "ar", "2020-07-01T00:00:00"),
     ("الخميس، 3 آب/أغسطس 2023 - 10:15", "ar", "2023-08-03T10:15:00"),   # both series
     ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "ar", "2020-04-24T21:22:00"),
     ("١٢ مارس ٢٠٢٠", "ar", "2020-03-12T00:00:00"),                      # Arabic-Indic digits
     ("نشر في ١٤ أيار ٢٠٢٤", "ar", "2024-05-14T00:00:00"),
     ("2017/02/25 13:39", None, "2017-02-25T13:39:00"),
     ("01. April 2025, 15:25", "de", "2025-04-01T15:25:00"),
     ("Published Jan 5, 2024, 10:00", "en", "2024-01-05T10:00:00"),
     ("2024-06-18T22:05:00Z", None, "2024-06-18T22:05:00+00:00")],
)
def test_parse_date(text: str, lang: str | None, expected: str) -> None:
    assert parse_date(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [("منذ 3 ساعات", 3), ("منذ ٣ ساعات", 3), ("نشر قبل ساعتين", 2), ("5 hours ago", 5)],
)
def test_relative_dates_count_back_from_now(text: str, hours: int) -> None:
    parsed = datetime.fromisoformat(parse_date(text, "en" if "ago" in text else "ar") or "")
    assert abs(parsed - (datetime.now() - timedelta(hours=hours))) < timedelta(minutes=10)


@pytest.mark.parametrize(
    "text",
    ["10:26", "25/02", "Copyright 2024", "2024", "مارس 2024", "كل الحقوق محفوظة", "", None,
     "الأحد 12 كانون الثاني 1850", "x" * 200 + " 2020"],
    ids=["time-only", "day-month", "copyright", "year", "month-year", "no-date", "empty", "none",
         "implausible-year", "too-long"],
)
def test_not_a_date(text: str | None) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://x.example/2025/04/01/story", "2025-04-01"),
     ("https://x.example/story/2020/8/24/x", "2020-08-24"),
     ("https://x.example/a-20200824-b", "2020-08-24"), ("https://x.example/news/2019-12-31-x", "2019-12-31"),
     ("https://x.example/120200622120908039/", None), ("https://x.example/2020/13/40/x", None),
     ("https://x.example/2999/01/01/x", None), (None, None)],
)
def test_url_date(url: str | None, expected: str | None) -> None:
    assert url_date(url) == expected


def test_date_from_the_url_when_the_page_writes_none() -> None:
    page = ("<html><body><article><h1>An article whose page shows no date at all</h1>"
            "<p>Only the address of this page says when it was published, in its path.</p>"
            "</article></body></html>")
    article, layers = extract_explained(page, url="https://x.example/2023/06/26/story")
    assert (article.published, layers["published"]) == ("2023-06-26", "url")


def test_date_written_above_the_headline() -> None:
    page = ("<html><body><div class='meta'><a href='/s'>اقتصاد</a>"
            "<span class='news-date'>الأحد 12 كانون الثاني 2025</span></div>"
            "<h1>عنوان الخبر الاقتصادي للاختبار</h1><p>فقرة أولى من الخبر فيها ما يكفي من الكلمات.</p>"
            "<aside class='most-read'><span class='date'>1 يناير 2020</span></aside></body></html>")
    article, layers = extract_explained(page)
    assert (article.published, layers["published"]) == ("2025-01-12T00:00:00", "dom")


def test_time_element_datetime() -> None:
    page = ("<html><body><article><h1>A headline for the time element case</h1>"
            "<time class='updated' datetime='2024-05-02T10:00:00Z'>May 2</time>"
            "<time datetime='2024-05-01T08:00:00+02:00'>منذ 3 أيام</time>"
            "<p>Body text of the article long enough to be kept as a paragraph.</p></article></body></html>")
    article, layers = extract_explained(page)
    assert (article.published, layers["published"]) == ("2024-05-01T08:00:00+02:00", "dom")
