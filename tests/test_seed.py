"""The seed format: byte-exact round trips, field parsing, teasers and file names."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.article import Article, Related
from crawler.seed import make_teaser, parse, render, seed_filename

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
REFERENCE = SEEDS / "000_11ad2c62bced3442.txt"


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seed_round_trip_is_byte_exact(path: Path) -> None:
    text = _read(path)
    assert render(parse(text)).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seed_file_is_named_by_number_and_fingerprint(path: Path) -> None:
    number, fingerprint = path.stem.split("_")
    assert path.name == seed_filename(int(number), fingerprint)


def test_reference_fields() -> None:
    article = parse(_read(REFERENCE))
    assert article.title == "القضاء على داعش متوقف على منع نظام الأسد من تأمين الحماية للتنظيم"
    assert article.teaser.endswith("...")
    assert article.image_caption == "مقاتلو الجيش السوري الحر المرابطون في البادية السورية"
    assert 10 <= len(article.body) <= 15
    assert article.body[0].startswith(article.teaser[:-3])
    assert article.sections == ["من الانترنت"]
    assert article.related == []


def test_reference_teaser_follows_the_teaser_rule() -> None:
    article = parse(_read(REFERENCE))
    assert make_teaser(article.body) == article.teaser


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t + "\n", id="trailing-newline"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r\n") + "\r\n\r\n", id="crlf-trailing"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
    ],
)
def test_parse_tolerates_line_end_variants(variant) -> None:
    text = _read(REFERENCE)
    assert render(parse(variant(text))) == text


def test_parse_missing_trailing_blocks() -> None:
    article = parse("عنوان\n\nمقدمة...\n\n\nفقرة أولى\nفقرة ثانية\n")
    assert article.title == "عنوان"
    assert article.image_caption == ""
    assert article.body == ["فقرة أولى", "فقرة ثانية"]
    assert article.sections == [] and article.related == []


def test_parse_missing_caption_line() -> None:
    article = parse("عنوان\n\nمقدمة...\n\nفقرة أولى\n\nأقسام\nسياسة")
    assert article.image_caption == ""
    assert article.body == ["فقرة أولى"]
    assert article.sections == ["سياسة"]


def test_parse_related_without_sections() -> None:
    article = parse("عنوان\n\nمقدمة...\nتعليق\n\nفقرة\n\nأخبار متعلقة\nخبر أول\nخبر ثان")
    assert article.sections == []
    assert [r.title for r in article.related] == ["خبر أول", "خبر ثان"]


ROUND_TRIP_CASES = {
    "related-items": Article(
        title="ارتفاع أسعار القمح في الأسواق المحلية",
        teaser="شهدت الأسواق المحلية ارتفاعا...",
        image_caption="سنابل قمح في حقل",
        body=["شهدت الأسواق المحلية ارتفاعا في الأسعار.", "وقال تجار إن الطلب زاد."],
        sections=["اقتصاد"],
        related=[Related("خبر متعلق أول", "https://example.com/1"), Related("خبر متعلق ثان")],
    ),
    "empty-caption": Article(
        title="Title", teaser="Opening...", body=["One.", "Two."], sections=["World"]
    ),
    "multiple-sections": Article(
        title="عنوان", teaser="مقدمة...", image_caption="تعليق",
        body=["فقرة."], sections=["سياسة", "عربي", "سوريا"],
    ),
    "no-body": Article(title="عنوان", teaser="", sections=[], related=[Related("خبر")]),
}


@pytest.mark.parametrize("article", ROUND_TRIP_CASES.values(), ids=ROUND_TRIP_CASES.keys())
def test_render_parse_round_trip(article: Article) -> None:
    text = render(article)
    assert not text.endswith("\n")
    parsed = parse(text)
    assert parsed.title == article.title
    assert parsed.teaser == article.teaser
    assert parsed.image_caption == article.image_caption
    assert parsed.body == article.body
    assert parsed.sections == article.sections
    assert [r.title for r in parsed.related] == [r.title for r in article.related]
    assert render(parsed) == text


def test_render_collapses_newlines_inside_fields() -> None:
    article = Article(
        title="سطر\nثان", teaser="مقدمة\r\nمقطوعة...", image_caption="تعليق\n",
        body=["فقرة\nمكسورة", "", "فقرة ثانية"], sections=["قسم\nفرعي"],
        related=[Related("خبر\nمتعلق")],
    )
    assert render(article) == (
        "سطر ثان\n\nمقدمة مقطوعة...\nتعليق\n\nفقرة مكسورة\nفقرة ثانية"
        "\n\nأقسام\nقسم فرعي\n\nأخبار متعلقة\nخبر متعلق"
    )


LONG_AR = (
    "أعلنت وزارة الصحة اليوم عن إطلاق حملة وطنية واسعة للتلقيح ضد الأنفلونزا الموسمية "
    "تستهدف كبار السن والأطفال والعاملين في القطاع الصحي في جميع المحافظات خلال الأسابيع "
    "المقبلة بالتعاون مع المنظمات الدولية."
)
LONG_EN = "The city council approved the new budget on Tuesday after a long debate " * 4


@pytest.mark.parametrize(
    ("paragraphs", "limit", "expected"),
    [
        pytest.param(["خبر قصير."], 160, "خبر قصير.", id="short-ar-whole-no-ellipsis"),
        pytest.param(["  ", "Short news."], 160, "Short news.", id="skips-empty-first"),
        pytest.param([], 160, "", id="no-paragraphs"),
        pytest.param(["one two three four"], 5, "one two...", id="crossing-word-kept"),
        pytest.param(["one two three four"], 7, "one two...", id="limit-on-space"),
        pytest.param(["one two three"], 10, "one two three", id="last-word-crosses"),
        pytest.param(["one\n two   three four"], 5, "one two...", id="whitespace-collapsed"),
    ],
)
def test_make_teaser(paragraphs: list[str], limit: int, expected: str) -> None:
    assert make_teaser(paragraphs, limit) == expected


@pytest.mark.parametrize("paragraph", [LONG_AR, LONG_EN], ids=["arabic", "english"])
def test_make_teaser_long_paragraph_cut_at_word_boundary(paragraph: str) -> None:
    teaser = make_teaser([paragraph])
    assert teaser.endswith("...")
    head = teaser[: -len("...")]
    assert len(head) >= 160
    assert paragraph.startswith(head)
    assert paragraph[len(head)] == " "
    assert " " not in head[160:]


@pytest.mark.parametrize(
    ("seq", "expected"),
    [(0, "000_11ad2c62bced3442.txt"), (42, "042_11ad2c62bced3442.txt"),
     (1234, "1234_11ad2c62bced3442.txt")],
)
def test_seed_filename(seq: int, expected: str) -> None:
    assert seed_filename(seq, "11ad2c62bced3442") == expected


@pytest.mark.parametrize(
    ("seq", "fingerprint"), [(-1, "11ad2c62bced3442"), (1, "xyz"), (1, "11AD2C62BCED3442")]
)
def test_seed_filename_rejects_bad_input(seq: int, fingerprint: str) -> None:
    with pytest.raises(ValueError):
        seed_filename(seq, fingerprint)
