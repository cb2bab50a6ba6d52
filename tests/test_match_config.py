"""Topic matching from the config file: fields, lang and regex: keys, and `rasid match` output."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from crawler.article import Article
from crawler.match import Topic, TopicMatcher
from scheduler.cli import main
from scheduler.config import ConfigError, load_config
from scheduler.crawl_settings import topic_dicts

SOURCES = """\
sources:
  - name: s
    feed: http://127.0.0.1:9/rss.xml
"""


def write_config(tmp_path: Path, topics: str) -> Path:
    path = tmp_path / "rasid.yaml"
    path.write_text(SOURCES + "topics:\n" + textwrap.dedent(topics), encoding="utf-8")
    return path


def errors(tmp_path: Path, topics: str) -> list[str]:
    path = write_config(tmp_path, topics)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return [line.removeprefix(f"{path}:") for line in raised.value.errors]


def test_fields_lang_and_regex_reach_the_matcher(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, """\
        - name: headlines
          keywords: ["regex: داعشي\\\\w*", الأسد]
          fields: [title, sections]
          lang: [ar, en-GB]
        - name: plain
          keywords: [داعش]
        """))
    headlines, plain = topic_dicts(config)
    assert (headlines["fields"], headlines["lang"]) == (["title", "sections"], ["ar", "en-GB"])
    assert (plain["fields"], plain["lang"]) == ([], [])
    matcher = TopicMatcher([Topic.from_dict(t) for t in topic_dicts(config)])
    article = Article(title="عناصر داعشيون", body=["نظام الأسد"], lang="ar")
    [match] = matcher.match(article)
    assert (match.topic, match.hits[0].form) == ("headlines", "داعشيون")
    assert matcher.match(Article(title="عناصر داعشيون", lang="fr")) == []


def test_topic_from_dict_ignores_keys_about_other_stages() -> None:
    topic = Topic.from_dict({"name": "t", "keywords": ["x"], "on_update": "alert", "digest": "1h"})
    assert (topic.name, topic.keywords, topic.fields) == ("t", ["x"], [])


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        pytest.param(
            '- name: t\n  keywords: [داعش, "regex: (داعش"]\n',
            "6: topics[0].keywords[1]: bad regex: missing ), unterminated subpattern at position 0",
            id="bad-regex-keyword"),
        pytest.param(
            '- name: t\n  keywords: [داعش]\n  exclude:\n    - مباراة\n    - "regex: [a-"\n',
            "9: topics[0].exclude[1]: bad regex: unterminated character set at position 0",
            id="bad-regex-exclude"),
        pytest.param(
            '- name: t\n  keywords: [داعش]\n  all: ["..."]\n',
            "7: topics[0].all[0]: keyword '...': must contain a letter or digit",
            id="term-without-letters"),
        pytest.param(
            '- name: t\n  keywords: [داعش]\n  fields: [title, headline]\n',
            "7: topics[0].fields[1]: must be one of title, teaser, body, image_caption, sections",
            id="unknown-field"),
        pytest.param(
            '- name: t\n  keywords: [داعش]\n  fields: []\n',
            "7: topics[0].fields: must name at least one field (leave it out for every field)",
            id="empty-fields"),
        pytest.param(
            '- name: t\n  keywords: [داعش]\n  lang: [ar, arabic!]\n',
            "7: topics[0].lang[1]: must match [A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})* "
            "(a language code like ar or en-GB)",
            id="bad-lang"),
    ],
)
def test_config_errors_name_the_term_and_line(tmp_path: Path, topics: str, expected: str) -> None:
    assert errors(tmp_path, topics) == [expected]


ARTICLE = {
    "title": "وزير الخارجية يلتقي نظيره",
    "body": ["قال مسؤول إن قوات الأَسَد تقدمت نحو دير الزور.", "وأضاف أن حكومته ستدعم الاتفاق."],
    "lang": "ar",
}


@pytest.fixture
def match_config(tmp_path: Path) -> Path:
    return write_config(tmp_path, """\
        - name: syria
          keywords: [الأسد, الحكومة, داعش]
        - name: english-only
          keywords: [الأسد]
          lang: [en]
        - name: ministers
          keywords: [وزير الخارجية]
          all: [البنك المركزي]
        - name: war
          keywords: [دير الزور]
          exclude: ["regex: حكومت\\\\w+"]
        """)


def test_match_explains_every_term(match_config: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.json"
    article.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    assert main(["match", "-c", str(match_config), str(article)]) == 0
    out = capsys.readouterr().out
    body = "\n".join(ARTICLE["body"])
    assert "✔ syria: matched on الأسد, الحكومة" in out
    assert (f"keyword 'الأسد': 'الأَسَد' in body at {body.index('الأَسَد')}: "
            f"{ARTICLE['body'][0]}") in out
    assert "keyword 'الحكومة': 'حكومته' in body at" in out
    assert "keyword 'داعش': not found" in out
    assert "✘ english-only: language ar not watched (en)" in out
    assert "✘ ministers: missing all-term البنك المركزي" in out
    assert "all-term 'البنك المركزي': missing" in out
    assert "✘ war: excluded by regex: حكومت\\w+" in out


def test_match_json_gives_form_field_and_snippet_in_input_order(
        match_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.txt"
    first.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    second.write_text("عنوان بلا شيء\n\nنص عن الطقس\n", encoding="utf-8")
    assert main(["match", "--json", "-c", str(match_config), str(second), str(first)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [entry["article"] for entry in result] == [str(second), str(first)]
    assert result[0]["topics"] == []
    [syria] = result[1]["topics"]
    assert syria["topic"] == "syria"
    assert syria["matches"] == [
        {"keyword": "الأسد", "form": "الأَسَد", "field": "body", "snippet": ARTICLE["body"][0]},
        {"keyword": "الحكومة", "form": "حكومته", "field": "body", "snippet": ARTICLE["body"][1]},
    ]


def test_match_reports_unreadable_article_and_goes_on(
        match_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ARTICLE, ensure_ascii=False), encoding="utf-8")
    assert main(["match", "--json", "-c", str(match_config), str(tmp_path / "nope.json"), str(good)]) == 1
    captured = capsys.readouterr()
    assert "nope.json" in captured.err
    assert [entry["article"] for entry in json.loads(captured.out)] == [str(good)]
