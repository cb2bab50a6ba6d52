"""MatchHit: exact original forms, positions and snippets; each field folded and each term compiled once."""
from __future__ import annotations

import random

import pytest

import crawler.match.text as text_module
import crawler.match.topics as topics_module
from crawler.article import Article
from crawler.match import Topic, TopicMatcher
from crawler.match.normalize import fold, origins
from crawler.match.text import ELLIPSIS, SNIPPET_WIDTH, snippet

WORDS = ["قال", "المتحدث", "باسم", "الحكومة", "إن", "الوفد", "سيصل", "غدا", "إلى", "العاصمة"]


def long_paragraph(middle: str, words: int = 60) -> str:
    rng = random.Random(4)
    side = lambda: " ".join(rng.choice(WORDS) for _ in range(words))  # noqa: E731
    return f"{side()} {middle} {side()}"


def only_hit(keyword: str, article: Article) -> topics_module.MatchHit:
    [match] = TopicMatcher([Topic("t", [keyword])]).match(article)
    [hit] = match.hits
    return hit


def test_snippet_of_a_long_paragraph_is_cut_at_spaces_around_the_form() -> None:
    paragraph = long_paragraph("هجوم لداعش على حاجز")
    hit = only_hit("داعش", Article(body=["فقرة أولى", paragraph, "فقرة أخيرة"]))
    assert hit.form == "لداعش"
    assert hit.position == len("فقرة أولى\n") + paragraph.index("لداعش")
    assert len(hit.snippet) <= SNIPPET_WIDTH + 2
    assert hit.snippet.startswith(ELLIPSIS) and hit.snippet.endswith(ELLIPSIS)
    inner = hit.snippet.strip(ELLIPSIS)
    assert f" {inner} " in f" {paragraph} "  # whole words only, from this paragraph
    assert hit.snippet[hit.offset:hit.offset + len(hit.form)] == hit.form


def test_short_paragraph_is_its_own_snippet() -> None:
    hit = only_hit("الحكومة", Article(title="عنوان", body=["مقدمة", "قال إن حكومته ستستقيل", "خاتمة"]))
    assert (hit.form, hit.field, hit.snippet, hit.offset) == ("حكومته", "body", "قال إن حكومته ستستقيل", 7)


def test_snippet_at_the_start_and_end_of_a_paragraph() -> None:
    text = long_paragraph("وسط")
    head, offset = snippet(text, 0, 3)
    assert offset == 0 and not head.startswith(ELLIPSIS) and head.endswith(ELLIPSIS)
    tail, offset = snippet(text, len(text) - 5, len(text))
    assert tail.startswith(ELLIPSIS) and not tail.endswith(ELLIPSIS)
    assert tail[offset:] == text[-5:]


def test_form_keeps_marks_tatweel_and_bidi_of_the_original() -> None:
    title = "\u200fقوات الأَسَـــدِ تتقدم"
    hit = only_hit("الأسد", Article(title=title))
    assert hit.form == "الأَسَـــدِ"
    assert title[hit.position:hit.position + len(hit.form)] == hit.form


def test_forms_in_topic_match_stay_normalised() -> None:
    [match] = TopicMatcher([Topic("t", ["الأسد"])]).match(Article(title="للأَسَد"))
    assert match.forms == {"الأسد": "للاسد"} and match.hits[0].form == "للأَسَد"


def test_origins_map_every_folded_character_back() -> None:
    rng = random.Random(7)
    alphabet = list("داعشَُِّـ\u200f\u200b أإآؤئةىکی ﻻﷺ…ßİabcÉ٢\n")
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        expected = [i for i, char in enumerate(text) for _ in fold(char)]
        mapped = origins(text)
        assert [mapped[j] for j in range(len(fold(text)))] == expected, text


def test_each_field_folded_once_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return fold(text)

    monkeypatch.setattr(text_module, "fold", counting)
    keywords = ["داعش", "الأسد", "دير الزور", "oil", "2024", "regex: \\d+"]
    matcher = TopicMatcher([Topic("a", keywords, all=["الأسد"]), Topic("b", keywords, exclude=["x"])])
    article = Article(title="عنوان داعش", teaser="مقدمة ١", body=["الأسد", "فقرة ٢"], sections=["s"])
    matcher.match(article)
    assert len(calls) == 5  # title, teaser, body, image_caption, sections
    calls.clear()
    matcher.explain(article)
    assert len(calls) == 5


def test_each_term_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = topics_module.compile_term

    def counting(term: str) -> topics_module.Term:
        compiled.append(term)
        return real(term)

    monkeypatch.setattr(topics_module, "compile_term", counting)
    matcher = TopicMatcher([Topic("a", ["داعش", "الأسد"], exclude=["مباراة"]),
                            Topic("b", ["الأسد"], all=["داعش"], exclude=["مباراة"])])
    for _ in range(3):
        matcher.match(Article(title="داعش والأسد"))
    assert sorted(compiled) == sorted(["داعش", "الأسد", "مباراة"])


def test_topic_without_keywords_is_rejected() -> None:
    with pytest.raises(ValueError, match="topic 'empty': keywords must not be empty"):
        TopicMatcher([Topic(name="empty", keywords=[])])


def test_keyword_without_letters_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"topic 'bad': keyword '\.\.\.': must contain"):
        TopicMatcher([Topic(name="bad", keywords=["داعش"], exclude=["..."])])


def test_bad_regex_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"topic 'bad': bad regex: missing \)"):
        TopicMatcher([Topic(name="bad", keywords=["regex: (داعش"])])


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="fields: unknown headline; allowed: title, "):
        TopicMatcher([Topic(name="t", keywords=["x"])], fields=["title", "headline"])
    with pytest.raises(ValueError, match="topic 't': fields: unknown headline"):
        TopicMatcher([Topic(name="t", keywords=["x"], fields=["headline"])])
