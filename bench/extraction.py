"""Extraction quality and speed on a real-page corpus: Rasid beside plain trafilatura.

Usage: python bench/extraction.py [CORPUS_DIR] [--json OUT]
CORPUS_DIR defaults to ../shared/corpus (relative to the repository root); see its README.
Prints one table per dataset and field, then milliseconds per page; writes the numbers as JSON.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import regex
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.extract import ExtractionError, extract_explained  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
CAPTION_F1 = 0.8
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_ARABIC = regex.compile(r"\p{Arabic}")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

Output = dict[str, Any]


def rasid(body: bytes, url: str | None) -> Output:
    """Rasid's fields for one page; empty when Rasid finds no article."""
    try:
        article, layers = extract_explained(body, url=url)
    except ExtractionError:
        return {}
    return {"title": article.title, "teaser": article.teaser, "body": article.body,
            "caption": article.image_caption, "published": article.published,
            "profile": "profile" in layers.values()}


def plain_trafilatura(body: bytes, url: str | None) -> Output:
    """trafilatura's fields for one page (comments excluded, as Rasid excludes them)."""
    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {"caption": None}  # trafilatura has no caption field
    return {"title": doc.title or "", "teaser": doc.description or "",
            "body": (doc.text or "").splitlines(), "caption": None, "published": doc.date}


EXTRACTORS: dict[str, Callable[[bytes, str | None], Output]] = {
    "rasid": rasid, "trafilatura": plain_trafilatura}


def normal(text: str | None) -> str:
    """Text compared: NFC, invisible format characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text or "")
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Cf").split())


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(normal(text).casefold()))


def f1(got: str, want: str) -> float:
    """Bag-of-words F1 between two texts."""
    a, b = tokens(got), tokens(want)
    common = sum((a & b).values())
    if not common:
        return 1.0 if not a and not b else 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def parse_day(value: str | None) -> tuple[date, datetime | None] | None:
    """The calendar day a date string names (as written), and the aware datetime when it has one."""
    value = (value or "").strip()
    if m := _DMY.fullmatch(value):
        return date(int(m[3]), int(m[2]), int(m[1])), None
    try:
        when = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return None
    return when.date(), when if when.tzinfo else None


def same_day(got: str | None, want: str) -> bool:
    """Same calendar day as written, or as the truth's own timezone sees the extracted instant."""
    a, b = parse_day(got), parse_day(want)
    if a is None or b is None:
        return False
    if a[0] == b[0]:
        return True
    return bool(a[1] and b[1]) and a[1].astimezone(b[1].tzinfo).date() == b[0]


def arabic_share(out: Output) -> float:
    """The share of the output's letters that are Arabic script."""
    text = " ".join([out.get("title") or "", out.get("teaser") or "", *out.get("body", [])])
    letters = [ch for ch in text if ch.isalpha()]
    return sum(bool(_ARABIC.match(ch)) for ch in letters) / len(letters) if letters else 0.0


def scores(out: Output, truth: dict[str, Any]) -> dict[str, float | None]:
    """Per-field scores of one extraction against the truth; None where it cannot be scored."""
    s: dict[str, float | None] = {}
    if truth.get("title"):
        s["title"] = float(normal(out.get("title")) == normal(truth["title"]))
    if truth.get("body"):
        s["body"] = f1(" ".join(out.get("body", [])), " ".join(truth["body"]))
    if truth.get("teaser"):
        s["teaser"] = f1(out.get("teaser") or "", truth["teaser"])
    if truth.get("captions"):
        caption = out.get("caption", "")
        s["caption"] = None if caption is None else float(
            any(f1(caption, c) >= CAPTION_F1 for c in truth["captions"]))
    if truth.get("published"):
        s["date"] = float(same_day(out.get("published"), str(truth["published"])))
    if truth.get("script") == "arabic":
        s["arabic"] = arabic_share(out)
    return s


def run(corpus: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, list[float]]]]:
    """Every case through every extractor; per-case scores and per-page timings."""
    cases = [json.loads(line) for line in (corpus / "cases.jsonl").read_text("utf-8").splitlines()
             if line.strip()]
    first = (corpus / cases[0]["file"]).read_bytes()
    for extract in EXTRACTORS.values():  # warm up imports and caches outside the timings
        extract(first, cases[0].get("url"))
    rows, times = [], {name: {"all": [], "generic": []} for name in EXTRACTORS}
    for i, case in enumerate(cases):
        body = (corpus / case["file"]).read_bytes()
        row = {"id": case["id"], "dataset": case["dataset"], "lang": case.get("lang")}
        generic = True
        order = list(EXTRACTORS.items())
        for name, extract in order if i % 2 else order[::-1]:  # each goes first on half the pages
            start = time.perf_counter()
            out = extract(body, case.get("url"))
            elapsed = (time.perf_counter() - start) * 1000
            generic = generic and not out.get("profile")
            times[name]["all"].append(elapsed)
            row[name] = scores(out, case["truth"])
        for name in EXTRACTORS:
            if generic:
                times[name]["generic"].append(times[name]["all"][-1])
        rows.append({"id": row["id"], "dataset": row["dataset"], "lang": row["lang"],
                     **{name: row[name] for name in EXTRACTORS}})
    return rows, times


def table(rows: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Mean score per group (each dataset, Arabic pages, all pages), field and extractor."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["dataset"], []).append(row)
    groups["lang=ar"] = [r for r in rows if r["lang"] == "ar"]
    groups["all"] = rows
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for group, members in groups.items():
        fields = list(dict.fromkeys(f for r in members for f in r["rasid"]))
        for field in fields:
            cell: dict[str, Any] = {"n": sum(field in r["rasid"] for r in members)}
            for name in EXTRACTORS:
                values = [r[name][field] for r in members if r[name].get(field) is not None]
                cell[name] = round(statistics.fmean(values), 3) if values else None
            result.setdefault(group, {})[field] = cell
    return result


def timing(times: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    """Median and p95 milliseconds per page, over all pages and over the generic path."""
    out = {}
    for name, paths in times.items():
        for path, values in paths.items():
            if values:
                ordered = sorted(values)
                p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
                out[f"{name}/{path}"] = {"pages": len(values), "median_ms": round(
                    statistics.median(values), 1), "p95_ms": round(p95, 1)}
    return out


def show(result: dict[str, dict[str, dict[str, Any]]], times: dict[str, dict[str, float]]) -> None:
    names = list(EXTRACTORS)
    print(f"{'dataset':<12} {'field':<8} {'n':>3}  " + "  ".join(f"{n:>11}" for n in names))
    for group, fields in result.items():
        for field, cell in fields.items():
            values = "  ".join(f"{'—' if cell[n] is None else format(cell[n], '.3f'):>11}"
                               for n in names)
            print(f"{group:<12} {field:<8} {cell['n']:>3}  {values}")
    print()
    print(f"{'extractor/path':<22} {'pages':>5} {'median ms':>10} {'p95 ms':>8}")
    for key, t in times.items():
        print(f"{key:<22} {t['pages']:>5} {t['median_ms']:>10.1f} {t['p95_ms']:>8.1f}")
    rasid_ms, plain_ms = times.get("rasid/generic"), times.get("trafilatura/generic")
    if rasid_ms and plain_ms:
        print(f"generic-path median ratio rasid/trafilatura: "
              f"{rasid_ms['median_ms'] / plain_ms['median_ms']:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "extraction.json",
                        help="where to write the numbers (default bench/extraction.json)")
    args = parser.parse_args()
    if not (args.corpus / "cases.jsonl").is_file():
        print(f"no corpus at {args.corpus} (cases.jsonl missing): nothing to measure")
        return 0
    rows, times = run(args.corpus)
    result, speed = table(rows), timing(times)
    show(result, speed)
    args.json.write_text(json.dumps({"scores": result, "timing": speed, "cases": rows},
                                    ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
