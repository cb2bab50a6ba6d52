"""Matching benchmark, part 1: precision/recall on the case file against naive baselines, and speed.

Run from the repository root: `.venv/bin/python bench/matching.py [--corpus ../shared/corpus]`.
Parts 2 and 3 (near-duplicates, Redis memory) live in bench/dedup.py.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.article import Article  # noqa: E402
from crawler.match import Topic, TopicMatcher  # noqa: E402

CASE_FILES = sorted((ROOT / "tests" / "data").glob("match_cases*.yaml"))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FEEDS = Path("feeds") / "ant-corpus-multisource"
TOPIC_COUNT = 50

Predict = Callable[[str, str], bool]


def keyword_cases() -> list[dict]:
    """Every keyword case (one keyword, one sentence, match or not) from the case files."""
    return [case for path in CASE_FILES
            for case in (yaml.safe_load(path.read_text("utf-8")) or {}).get("keywords", [])]


def rasid(keyword: str, text: str) -> bool:
    return bool(TopicMatcher([Topic("t", [keyword])]).match(Article(title=text)))


def word_regex(keyword: str, text: str) -> bool:
    """The usual tool: the keyword as a regex between \\b word boundaries, case-insensitive."""
    return re.search(rf"\b{re.escape(keyword)}\b", text, re.IGNORECASE) is not None


def substring(keyword: str, text: str) -> bool:
    """The simplest tool: the keyword anywhere in the text, case-insensitive."""
    return keyword.casefold() in text.casefold()


def precision_recall(cases: list[dict], predict: Predict) -> tuple[float, float, int, int]:
    """Precision, recall, false positives and false negatives of a predictor on the cases."""
    tp = fp = fn = 0
    for case in cases:
        got = predict(str(case["keyword"]), str(case["text"]))
        tp += got and case["match"]
        fp += got and not case["match"]
        fn += case["match"] and not got
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, fp, fn


def quality() -> None:
    """Part 1a: the case file, Rasid and the naive baselines side by side."""
    cases = keyword_cases()
    positives = sum(1 for c in cases if c["match"])
    print(f"case file: {len(cases)} keyword cases ({positives} match, {len(cases) - positives} no match)")
    print(f"{'matcher':<22}{'precision':>10}{'recall':>8}{'FP':>5}{'FN':>5}")
    for name, predict in [("rasid", rasid), (r"regex \b (baseline)", word_regex),
                          ("substring (baseline)", substring)]:
        precision, recall, fp, fn = precision_recall(cases, predict)
        print(f"{name:<22}{precision:>10.3f}{recall:>8.3f}{fp:>5}{fn:>5}")
    wrong = [c["id"] for c in cases if rasid(str(c["keyword"]), str(c["text"])) is not c["match"]]
    print(f"rasid disagrees with the reader on: {', '.join(wrong) or 'none'}")


_TAG = re.compile(r"<(TITLE|ABSTRACT|TEXT)>(.*?)</\1>", re.S)


def corpus_articles(corpus: Path) -> Iterator[Article]:
    """The ANT feed items as articles: title, abstract as teaser, text lines as body."""
    for path in sorted((corpus / FEEDS).rglob("*.txt")):
        parts = {tag: html.unescape(value.strip()) for tag, value in _TAG.findall(path.read_text("utf-8"))}
        body = [line.strip() for line in parts.get("TEXT", "").splitlines() if line.strip()]
        yield Article(title=parts.get("TITLE", ""), teaser=parts.get("ABSTRACT", ""), body=body, lang="ar")


BENCH_TOPICS: list[tuple[str, list[str]]] = [
    ("syria", ["سوريا", "دمشق", "النظام السوري"]), ("iraq", ["العراق", "بغداد"]),
    ("isis", ["داعش", "تنظيم الدولة"]), ("yemen", ["اليمن", "الحوثي", "صنعاء"]),
    ("iran", ["إيران", "طهران", "الحرس الثوري"]), ("saudi", ["السعودية", "الرياض"]),
    ("egypt", ["مصر", "القاهرة", "السيسي"]), ("gaza", ["غزة", "حماس"]),
    ("israel", ["إسرائيل", "نتنياهو"]), ("lebanon", ["لبنان", "حزب الله", "بيروت"]),
    ("turkey", ["تركيا", "أردوغان", "أنقرة"]), ("russia", ["روسيا", "بوتين", "موسكو"]),
    ("usa", ["الولايات المتحدة", "واشنطن", "ترامب"]), ("korea", ["كوريا الشمالية", "بيونغ يانغ"]),
    ("china", ["الصين", "بكين"]), ("uk", ["بريطانيا", "لندن"]), ("france", ["فرنسا", "باريس", "ماكرون"]),
    ("germany", ["ألمانيا", "ميركل", "برلين"]), ("un", ["الأمم المتحدة", "مجلس الأمن"]),
    ("oil", ["النفط", "أوبك", "برميل"]), ("gold", ["الذهب", "المعادن النفيسة"]),
    ("stocks", ["البورصة", "الأسهم", "المؤشر"]), ("inflation", ["التضخم", "الأسعار"]),
    ("central-bank", ["البنك المركزي", "سعر الفائدة"]), ("dollar", ["الدولار", "اليورو"]),
    ("football", ["كرة القدم", "المنتخب", "الدوري"]), ("world-cup", ["كأس العالم", "المونديال"]),
    ("salah", ["محمد صلاح", "ليفربول"]), ("real-madrid", ["ريال مدريد", "برشلونة"]),
    ("tennis", ["التنس", "نادال", "فيدرر"]), ("olympics", ["الألعاب الأولمبية", "الأولمبياد"]),
    ("apple", ["آبل", "آيفون"]), ("facebook", ["فيسبوك", "تويتر", "مواقع التواصل"]),
    ("ai", ["الذكاء الاصطناعي", "الروبوت"]), ("space", ["الفضاء", "ناسا", "المريخ"]),
    ("cyber", ["الاختراق", "القرصنة", "الأمن الإلكتروني"]), ("health", ["الصحة", "المستشفى", "وباء"]),
    ("cinema", ["السينما", "فيلم", "مهرجان"]), ("music", ["أغنية", "مطرب", "حفل"]),
    ("books", ["رواية", "كتاب", "معرض الكتاب"]), ("elections", ["الانتخابات", "الاقتراع", "مرشح"]),
    ("refugees", ["اللاجئين", "النازحين", "المهاجرين"]), ("terror", ["هجوم", "تفجير", "إرهابي"]),
    ("climate", ["المناخ", "الاحتباس الحراري"]), ("women", ["المرأة", "النساء"]),
    ("education", ["التعليم", "الطلاب", "الجامعة"]), ("tourism", ["السياحة", "السياح"]),
    ("dubai", ["دبي", "الإمارات", "أبوظبي"]), ("qatar", ["قطر", "الدوحة"]),
    ("english", ["regex: \\b(oil|gold)s?\\b", "Trump", "OPEC"]),
]


def speed(corpus: Path) -> None:
    """Part 1b: ms per article for the corpus items and 50 topics, beside the naive \\b regex."""
    if not (corpus / FEEDS).is_dir():
        print(f"speed: skipped, no corpus at {corpus / FEEDS}")
        return
    articles = list(corpus_articles(corpus))
    topics = [Topic(name, keywords, exclude=["مباراة ودية"] if name == "football" else [])
              for name, keywords in BENCH_TOPICS[:TOPIC_COUNT]]
    started = time.perf_counter()
    matcher = TopicMatcher(topics)
    compile_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    matched = sum(len(matcher.match(article)) for article in articles)
    rasid_ms = (time.perf_counter() - started) * 1000 / len(articles)
    naive = [re.compile(rf"\b{re.escape(k)}\b", re.I) for _, ks in BENCH_TOPICS for k in ks]
    started = time.perf_counter()
    for article in articles:
        text = "\n".join([article.title, article.teaser, *article.body])
        sum(1 for regex in naive if regex.search(text))
    naive_ms = (time.perf_counter() - started) * 1000 / len(articles)
    print(f"speed: {len(articles)} articles x {len(topics)} topics "
          f"({sum(len(t.keywords) for t in topics)} keywords), compiled in {compile_ms:.0f} ms")
    print(f"  rasid {rasid_ms:.3f} ms/article ({matched} topic matches); "
          f"naive \\b regex {naive_ms:.3f} ms/article; ratio {rasid_ms / naive_ms:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the shared corpus folder (default ../shared/corpus)")
    args = parser.parse_args()
    quality()
    speed(args.corpus)


if __name__ == "__main__":
    main()
