"""Tests for crawler.match: normalisation, keyword rules, topics and explain()."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import yaml

import crawler.match.topics as topics_module
from crawler.article import Article
from crawler.match import Topic, TopicMatcher, normalize

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "data" / "match_cases.yaml").read_text("utf-8"))
SEED = ROOT / "seeds" / "000_11ad2c62bced3442.txt"


def cases(section: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES[section]]


def matcher_for(*topics: dict[str, Any], fields: list[str] | None = None) -> TopicMatcher:
    built = [Topic(**topic) for topic in topics]
    return TopicMatcher(built) if fields is None else TopicMatcher(built, fields=fields)


@pytest.mark.parametrize("case", cases("normalize"))
def test_normalize(case: dict[str, Any]) -> None:
    assert normalize(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases("keywords"))
def test_keyword(case: dict[str, Any]) -> None:
    matcher = matcher_for({"name": "t", "keywords": [case["keyword"]]}, fields=["title"])
    matches = matcher.match(Article(title=case["text"]))
    assert bool(matches) is case["match"]
    form = matches[0].forms[case["keyword"]] if matches else None
    assert form == case["form"]


@pytest.mark.parametrize("case", cases("topics"))
def test_topics(case: dict[str, Any]) -> None:
    matcher = matcher_for(*case["topics"], fields=case.get("fields"))
    found = [asdict(m) for m in matcher.match(Article.from_dict(case["article"]))]
    assert found == case["matches"]


@pytest.mark.parametrize("case", cases("explain"))
def test_explain(case: dict[str, Any]) -> None:
    [report] = matcher_for(case["topic"]).explain(Article.from_dict(case["article"]))
    assert report["topic"] == case["topic"]["name"]
    assert report["matched"] is case["matched"]
    assert report["reason"] == case["reason"]
    if "keywords" in case:
        assert report["keywords"] == case["keywords"]


@pytest.mark.parametrize("case", cases("explain"))
def test_explain_agrees_with_match(case: dict[str, Any]) -> None:
    matcher = matcher_for(case["topic"])
    article = Article.from_dict(case["article"])
    assert bool(matcher.match(article)) is matcher.explain(article)[0]["matched"]


def test_fields_normalised_once_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return normalize(text)

    monkeypatch.setattr(topics_module, "normalize", counting)
    keywords = ["داعش", "الأسد", "دير الزور", "oil", "2024"]
    matcher = matcher_for({"name": "a", "keywords": keywords}, {"name": "b", "keywords": keywords})
    matcher.match(Article(title="عنوان", teaser="مقدمة", body=["فقرة ١", "فقرة ٢", "فقرة ٣"]))
    assert len(calls) == 5


def test_topic_without_keywords_is_rejected() -> None:
    with pytest.raises(ValueError, match="topic 'empty': keywords must not be empty"):
        TopicMatcher([Topic(name="empty", keywords=[])])


def test_keyword_without_letters_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"topic 'bad': keyword '\.\.\.': must contain"):
        TopicMatcher([Topic(name="bad", keywords=["داعش"], exclude=["..."])])


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="fields: unknown headline; allowed: title, "):
        TopicMatcher([Topic(name="t", keywords=["x"])], fields=["title", "headline"])


def load_seed(path: Path) -> Article:
    """Minimal reading of a seed document: first line the title, other lines the body."""
    title, *rest = path.read_text("utf-8").splitlines()
    return Article(title=title, body=[line for line in rest if line.strip()])


SEED_EXPECTED = [
    pytest.param("داعش", "داعش", id="daesh-in-title"),
    pytest.param("دير الزور", "دير الزور", id="deir-ezzor-phrase"),
    pytest.param("الجيش السوري الحر", "الجيش السوري الحر", id="fsa-phrase"),
    pytest.param("الأسد", "الاسد", id="assad-hamza"),
    pytest.param("قوات سوريا الديمقراطية", "قوات سوريا الديمقراطيه", id="sdf-ta-marbuta"),
    pytest.param("الدولة الإسلامية", "الدوله الاسلاميه", id="islamic-state-phrase"),
    pytest.param("البوكمال", "والبوكمال", id="bukamal-waw-prefix"),
]


@pytest.mark.parametrize(("keyword", "form"), SEED_EXPECTED)
def test_seed_keyword_found(keyword: str, form: str) -> None:
    matcher = matcher_for({"name": "seed", "keywords": [keyword]})
    [found] = matcher.match(load_seed(SEED))
    assert found.forms == {keyword: form}


@pytest.mark.parametrize(
    "keyword",
    [
        pytest.param("تنظيم الدولة", id="tanzim-al-dawla-not-in-text"),
        pytest.param("حزب الله", id="hezbollah-not-in-text"),
        pytest.param("داعشي", id="daeshi-suffix-form-not-in-text"),
        pytest.param("oil", id="latin-not-in-text"),
    ],
)
def test_seed_keyword_absent(keyword: str) -> None:
    assert matcher_for({"name": "seed", "keywords": [keyword]}).match(load_seed(SEED)) == []


def test_seed_topic_explained() -> None:
    topic = {"name": "isis-syria", "keywords": ["داعش", "تنظيم الدولة"], "all": ["دير الزور"]}
    topic["exclude"] = ["كرة القدم"]
    [report] = matcher_for(topic).explain(load_seed(SEED))
    assert report["reason"] == "matched on داعش"
    assert report["keywords"][0] == {
        "keyword": "داعش", "found": True, "form": "داعش", "field": "title", "position": 11,
    }
