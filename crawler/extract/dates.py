"""Publication dates: ISO values, dates in URLs, and dates as people write them, Arabic included."""
from __future__ import annotations

import logging
import re
from datetime import date, datetime
from functools import lru_cache

from dateparser.date import DateDataParser

from crawler.extract.text import clean_text

logger = logging.getLogger(__name__)

# dateparser keeps each Arabic month series in a regional locale: the Levantine/Iraqi one
# (كانون الثاني، شباط، آذار...) in ar-IQ, the Maghreb one (جانفي، فيفري، أفريل...) in ar-DZ; both
# also know the Egyptian/Gulf series (يناير، فبراير...), the digits ٠-٩ and "منذ 3 ساعات".
ARABIC_LOCALES = ("ar-IQ", "ar-DZ")
_SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past"}
_ARABIC = re.compile("[\u0600-\u06ff]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# "آب/أغسطس", "نيسان / أبريل": a month named in two series; keep the first name.
_MONTH_PAIR = re.compile(r"(?<=[^\W\d_])\s*/\s*[^\W\d_]+(?:\s[^\W\d_]+)?")
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_-]?)(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)")
# A date worth parsing names its year or is relative; a bare "10:26" or "25/02" is not one.
_DATE_LIKE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|منذ|قبل|\bago\b|\bvor\b|\bil y a\b|\bhace\b",
                        re.IGNORECASE)
_FIRST_NUMBER = re.compile(r"\d|منذ|قبل")
MAX_DATE_TEXT = 80
MIN_YEAR = 1990


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 string for an ISO-like date or datetime value, or None when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        logger.debug("not an ISO date: %r", value)
        return None
    return when.isoformat() if _plausible(when) else None


def parse_date(value: str | None, lang: str | None = None) -> str | None:
    """ISO 8601 for a date as a page writes it ('12 كانون الثاني 2020', 'منذ 3 ساعات'), or None."""
    if iso := iso_date(value):
        return iso
    text = _prepare(value)
    if not text or len(text) > MAX_DATE_TEXT or not _DATE_LIKE.search(text):
        return None
    parsers = _parsers(lang, bool(_ARABIC.search(text)))
    for variant in _variants(text):
        for parser in parsers:
            if when := _parse(parser, variant):
                return when.isoformat()
    return None


def url_date(url: str | None) -> str | None:
    """The date a URL's path carries (/2024/05/12/, 2024-05-12, 20240512), or None."""
    for match in _URL_DATE.finditer(url or ""):
        year, _, month, day = match.groups()
        try:
            found = date(int(year), int(month), int(day))
        except ValueError:
            continue
        if found <= date.today():
            return found.isoformat()
    return None


def _parse(parser: DateDataParser, text: str) -> datetime | None:
    """The day (or moment) a text names, or None for no date or only a month or year."""
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, TypeError):  # dateparser's own errors on odd input
        return None
    when = data.date_obj
    return when if when is not None and data.period in ("day", "time") and _plausible(when) else None


def _variants(text: str) -> list[str]:
    """The text, then from one word before its first number, then from that number."""
    # 'Published Jan 5, 2024' -> 'Jan 5, 2024'; 'نشر في: 24 أغسطس' -> '24 أغسطس'
    first = _FIRST_NUMBER.search(text)
    if not first or first.start() == 0:
        return [text]
    words = text[: first.start()].split()
    return list(dict.fromkeys([text, " ".join([*words[-1:], text[first.start():]]), text[first.start():]]))


def _prepare(value: str | None) -> str:
    """The date text without invisible characters, with ASCII digits and one name per month."""
    text = clean_text(value).translate(_DIGITS)
    return _MONTH_PAIR.sub("", text).replace("،", ",")


def _plausible(when: datetime | date) -> bool:
    return MIN_YEAR <= when.year <= date.today().year + 1


def _parsers(lang: str | None, arabic: bool) -> list[DateDataParser]:
    if arabic:
        return [_parser(locale, ()) for locale in ARABIC_LOCALES]
    languages = (lang,) if lang and lang != "ar" else ("en",)
    parser = _parser(None, languages) or _parser(None, ("en",))
    return [parser] if parser else []


@lru_cache(maxsize=64)
def _parser(locale: str | None, languages: tuple[str, ...]) -> DateDataParser | None:
    """A dateparser parser for one locale or language set (they are slow to build: cached)."""
    try:
        if locale:
            return DateDataParser(locales=[locale], settings=_SETTINGS)
        return DateDataParser(languages=list(languages), settings=_SETTINGS)
    except ValueError:  # a language dateparser does not know
        return None
