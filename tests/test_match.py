"""Tests for crawler.match: every case of the case file, normalisation, topics and explain()."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.article import Article
from crawler.match import MatchHit, Topic, TopicMatcher, normalize

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = sorted((Path(__file__).parent / "data").glob("match_cases*.yaml"))
CASES: dict[str, list[dict[str, Any]]] = {}
for _path in CASE_FILES:
    for _section, _cases in (yaml.safe_load(_path.read_text("utf-8")) or {}).items():
        CASES.setdefault(_section, []).extend(_cases)


def cases(section: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES[section]]


def matcher_for(*topics: dict[str, Any], fields: list[str] | None = None) -> TopicMatcher:
    built = [Topic(**topic) for topic in topics]
    return TopicMatcher(built) if fields is None else TopicMatcher(built, fields=fields)


def check_hit(hit: MatchHit, text: str) -> None:
    """A hit points at the original text and its snippet shows that text at its offset."""
    assert text[hit.position:hit.position + len(hit.form)] == hit.form
    assert hit.snippet[hit.offset:hit.offset + len(hit.form)] == hit.form


def test_case_file_is_big_enough() -> None:
    keyword_cases = CASES["keywords"]
    assert len(keyword_cases) >= 200
    assert {True, False} == {case["match"] for case in keyword_cases}
    limits = [case for case in keyword_cases if "rasid" in case]
    assert all(case["rasid"] is not case["match"] and case["why"] for case in limits)
    ids = [case["id"] for section in CASES.values() for case in section]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", cases("normalize"))
def test_normalize(case: dict[str, Any]) -> None:
    assert normalize(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases("keywords"))
def test_keyword(case: dict[str, Any]) -> None:
    keyword, text = str(case["keyword"]), str(case["text"])
    matches = matcher_for({"name": "t", "keywords": [keyword]}, fields=["title"]).match(Article(title=text))
    # `rasid` marks a documented limit: what Rasid does differs from what a reader expects.
    assert bool(matches) is case.get("rasid", case["match"])
    if not matches:
        assert case["form"] is None
        return
    [hit] = matches[0].hits
    check_hit(hit, text)
    assert (hit.keyword, hit.field) == (keyword, "title")
    assert matches[0].forms == {keyword: str(case["form"])} == {keyword: normalize(hit.form)}
    if "found" in case:
        assert hit.form == case["found"]


@pytest.mark.parametrize("case", cases("topics"))
def test_topics(case: dict[str, Any]) -> None:
    matcher = matcher_for(*case["topics"], fields=case.get("fields"))
    article = Article.from_dict(case["article"])
    found = matcher.match(article)
    summary = [{"topic": m.topic, "keywords": m.keywords, "forms": m.forms, "notify": m.notify}
               for m in found]
    assert summary == case["matches"]
    for match in found:
        assert [h.keyword for h in match.hits] == match.keywords
    if "hits" in case:
        assert [[h.keyword, h.form, h.field] for m in found for h in m.hits] == case["hits"]


@pytest.mark.parametrize("case", cases("explain"))
def test_explain(case: dict[str, Any]) -> None:
    [report] = matcher_for(case["topic"]).explain(Article.from_dict(case["article"]))
    assert report["topic"] == case["topic"]["name"]
    assert report["matched"] is case["matched"]
    assert report["reason"] == case["reason"]
    if "keywords" in case:
        assert report["keywords"] == case["keywords"]


@pytest.mark.parametrize("case", [*cases("explain"), *cases("topics")])
def test_explain_agrees_with_match(case: dict[str, Any]) -> None:
    topics = [case["topic"]] if "topic" in case else case["topics"]
    matcher = matcher_for(*topics, fields=case.get("fields"))
    article = Article.from_dict(case["article"])
    matched = [m.topic for m in matcher.match(article)]
    assert matched == [r["topic"] for r in matcher.explain(article) if r["matched"]]


def load_seed(path: Path) -> Article:
    """Minimal reading of a seed document: first line the title, other lines the body."""
    title, *rest = path.read_text("utf-8").splitlines()
    return Article(title=title, body=[line for line in rest if line.strip()])


SEED = load_seed(ROOT / "seeds" / "000_11ad2c62bced3442.txt")
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
    [found] = matcher_for({"name": "seed", "keywords": [keyword]}).match(SEED)
    assert found.forms == {keyword: form}
    [hit] = found.hits
    check_hit(hit, SEED.title if hit.field == "title" else "\n".join(SEED.body))


@pytest.mark.parametrize(
    "keyword",
    [
        pytest.param("تنظيم الدولة", id="tanzim-al-dawla-not-in-text"),
        pytest.param("حزب الله", id="hezbollah-not-in-text"),
        pytest.param("داعشيون", id="daeshi-plural-not-in-text"),
        pytest.param("oil", id="latin-not-in-text"),
    ],
)
def test_seed_keyword_absent(keyword: str) -> None:
    assert matcher_for({"name": "seed", "keywords": [keyword]}).match(SEED) == []


def test_seed_topic_explained() -> None:
    topic = {"name": "isis-syria", "keywords": ["داعش", "تنظيم الدولة"], "all": ["دير الزور"],
             "exclude": ["كرة القدم"]}
    [report] = matcher_for(topic).explain(SEED)
    assert report["reason"] == "matched on داعش"
    row = report["keywords"][0]
    assert (row["form"], row["field"], row["position"]) == ("داعش", "title", SEED.title.index("داعش"))
    assert row["snippet"] == SEED.title
