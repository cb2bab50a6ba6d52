"""Message rendering per channel kind: escaping hostile headlines, limits, right-to-left."""
from __future__ import annotations

import html
import re

import pytest

from crawler.alerts.alert import Alert
from crawler.alerts.render import RLM, Renderer
from crawler.alerts.text import cut_words, escape_markdown, escape_telegram_v2, is_rtl

HOSTILE = '<script>alert(1)</script> *bold* _it_ [x](http://evil) `code` ~s~ & > # | {a}.!'


def _alert(title: str = HOSTILE, teaser: str = "نص", **extra: object) -> Alert:
    return Alert(topic="isis", keywords=["داعش"], title=title, url="https://n.example/a?x=1&y=2",
                 fingerprint="ab", channels=["c"], teaser=teaser, site="n.example", **extra)


def test_html_channels_escape_markup_in_headlines():
    for scheme in ("tgram", "mailto"):
        body = Renderer(scheme).alert(_alert()).body
        assert "<script>" not in body
        assert html.escape("<script>alert(1)</script>") in body


def test_markdown_channels_escape_every_special_character():
    body = Renderer("discord").alert(_alert()).body
    title_line = body.splitlines()[0].lstrip(RLM)
    assert title_line == f"**{escape_markdown(HOSTILE)}**"
    assert "[x](http://evil)" not in body


def test_slack_cannot_be_given_links_or_formatting_by_a_headline():
    body = Renderer("slack").alert(_alert()).body
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "*bold*" not in body  # broken up by zero-width spaces


def test_telegram_markdown_v2_escaping(tmp_path):
    template = tmp_path / "tg.j2"
    template.write_text("*{{ alert.title | tg }}*", encoding="utf-8")
    assert Renderer("tgram", str(template)).alert(_alert(title="a.b_c")).body == r"*a\.b\_c*"
    assert escape_telegram_v2("a_b*c[d]e(f)g~h`i>j#k+l-m=n|o{p}q.r!s") == (
        r"a\_b\*c\[d\]e\(f\)g\~h\`i\>j\#k\+l\-m\=n\|o\{p\}q\.r\!s")


def test_the_matched_form_is_marked_in_the_snippet_and_escaped():
    alert = _alert(title="خبر", snippets=[{"keyword": "داعش", "form": "وداعش",
                                          "field": "body", "snippet": "قال إن وداعش <i>"}])
    assert "قال إن <b>وداعش</b> &lt;i&gt;" in Renderer("tgram").alert(alert).body
    assert "قال إن «وداعش» <i>" in Renderer("json").alert(alert).body
    assert "قال إن **وداعش** \\<i\\>" in Renderer("discord").alert(alert).body


def test_arabic_alerts_read_right_to_left():
    arabic = _alert(title="خلايا داعش تعود إلى الظهور")
    text = Renderer("json").alert(arabic).body
    assert all(line.startswith(RLM) for line in text.splitlines()[:-1])  # the URL line is LTR
    assert '<div dir="rtl"' in Renderer("mailto").alert(arabic).body
    english = Renderer("json").alert(_alert(title="Oil prices fall", teaser="Brent fell."))
    assert RLM not in english.body


@pytest.mark.parametrize("scheme,limit", [("discord", 2000), ("tgram", 4096), ("slack", 3000)])
def test_long_texts_are_cut_at_a_word_boundary_within_the_limit(scheme, limit):
    teaser = " ".join(["كلمةطويلة"] * 2000)
    body = Renderer(scheme).alert(_alert(title="خبر طويل", teaser=teaser)).body
    assert len(body) <= limit
    assert "كلمةطويلة…" in body or "كلمةطويلة " in body
    assert not re.search(r"كلمةطو(?!يلة)", body)  # no word cut in half


def test_cut_words_and_direction_helpers():
    assert cut_words("one two three", 9) == "one two…"
    assert cut_words("short", 10) == "short"
    assert is_rtl("خبر عاجل about") and not is_rtl("breaking خبر news today")


def test_a_channel_can_use_its_own_template(tmp_path):
    template = tmp_path / "mine.j2"
    template.write_text("{{ alert.topic }}: {{ alert.title | md }}", encoding="utf-8")
    body = Renderer("discord", str(template)).alert(_alert(title="a*b")).body
    assert body == "isis: a\\*b"


def test_the_jsonl_archive_gets_the_whole_alert_as_json():
    import json

    body = Renderer("jsonl").alert(_alert(title="خبر")).body
    assert json.loads(body)["title"] == "خبر"


def test_a_half_written_archive_line_is_cut_before_the_next_append(tmp_path):
    from crawler.alerts.channels import append_line

    archive = tmp_path / "alerts.jsonl"
    archive.write_text('{"a": 1}\n{"b": ', encoding="utf-8")  # a crash mid-line
    append_line(archive, '{"c": 3}')
    assert archive.read_text(encoding="utf-8") == '{"a": 1}\n{"c": 3}\n'
