"""Dedup benchmark: (2) same-story precision/recall on real articles, (3) Redis bytes per entry.

Run from the repository root: `.venv/bin/python bench/dedup.py [CORPUS_DIR] [--entries N]`.
Part 2 needs ../shared/corpus (skipped when absent); part 3 starts its own redis-server.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import redis
import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.article import Article  # noqa: E402
from crawler.stores.fetched import RedisFetchedStore  # noqa: E402
from crawler.stores.seen import RedisSeenStore  # noqa: E402
from crawler.stores.signature import (  # noqa: E402
    NUM_PERM,
    Signature,
    article_signature,
    content_hash,
    words,
)
from crawler.stores.stories import StoryStore  # noqa: E402
from scheduler.redis_server import EmbeddedRedis  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FEEDS = Path("feeds") / "ant-corpus-multisource"
OTHER_REPORT = 0.3
FIELD = re.compile(r"<(URL|SRC|CAT|TITLE|TEXT)>(.*?)</\1>", re.S)
SENTENCE = re.compile(r"(?<=[.!؟])\s+")
FURNITURE = [  # what other sites wrap a wire story in
    ["تابعونا على تويتر وفيسبوك وإنستغرام لمتابعة آخر الأخبار العاجلة لحظة بلحظة", "المصدر: وكالات"],
    ["جميع الحقوق محفوظة لموقع الخبر اليوم ولا يجوز إعادة النشر دون إذن مسبق من إدارة التحرير",
     "شارك هذا الخبر"],
    ["حمّل تطبيقنا على هاتفك المحمول واحصل على الأخبار العاجلة والتحليلات الحصرية فور نشرها"],
]


@dataclass
class Doc:
    """One corpus article."""

    url: str
    source: str
    category: str
    title: str
    body: list[str]


def load_corpus(folder: Path) -> list[Doc]:
    docs = []
    for path in sorted(folder.rglob("*.txt")):
        fields = dict(FIELD.findall(path.read_text(encoding="utf-8")))
        body = [p.strip() for p in fields.get("TEXT", "").splitlines() if p.strip()]
        docs.append(Doc(fields.get("URL", str(path)).strip(), fields.get("SRC", "").strip(),
                        fields.get("CAT", "").strip(), fields.get("TITLE", "").strip(), body))
    return docs


def boilerplate(doc: Doc, rng: random.Random, others: list[Doc]) -> Doc:
    head, *tail = rng.choice(FURNITURE)
    body = [head, f"(رويترز) - {doc.body[0]}", *doc.body[1:], *tail,
            f"اقرأ أيضا: {rng.choice(others).title}"]
    return replace(doc, body=body)


def retitled(doc: Doc, rng: random.Random, others: list[Doc]) -> Doc:
    words = doc.title.split()
    half = len(words) // 2
    return replace(doc, title=" ".join([*words[half:], "بالتفاصيل:", *words[:half]]))


def trimmed(doc: Doc, rng: random.Random, others: list[Doc]) -> Doc:
    return replace(doc, body=doc.body[:-1])


def reordered(doc: Doc, rng: random.Random, others: list[Doc]) -> Doc:
    body = list(doc.body)
    rng.shuffle(body)
    return replace(doc, body=body)


def everything(doc: Doc, rng: random.Random, others: list[Doc]) -> Doc:
    for change in (trimmed, reordered, boilerplate, retitled):
        doc = change(doc, rng, others)
    return doc


CHANGES: dict[str, Callable[[Doc, random.Random, list[Doc]], Doc]] = {
    "other boilerplate": boilerplate, "retitled": retitled, "trimmed last paragraph": trimmed,
    "reordered paragraphs": reordered, "all four at once": everything}


def sharing(doc: Doc, base: Doc, rng: random.Random, count: int) -> Doc:
    """`base`, a different article, with `count` sentences of `doc` quoted in it."""
    sentences = [s for s in SENTENCE.split(" ".join(doc.body)) if 8 <= len(s.split()) <= 40]
    quoted = rng.sample(sentences, min(count, len(sentences))) or [" ".join(doc.body[0].split()[:30])]
    body = list(base.body)
    body.insert(rng.randint(0, len(body)), " ".join(quoted))
    return replace(base, body=body)


def other_stories(pool: list[Doc], originals: list[Doc]) -> tuple[list[Doc], int]:
    """The pool less articles that are themselves a report of an original's story.

    The corpus holds some items twice and some events from two sources; quoting one of
    those is not a different article. Judged on shared vocabulary, not on the MinHash.
    """
    vocab = [set(words(" ".join(d.body))) for d in originals]
    kept = [doc for doc, own in ((d, set(words(" ".join(d.body)))) for d in pool)
            if max(_jaccard(own, v) for v in vocab) < OTHER_REPORT]
    return kept, len(pool) - len(kept)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def article(doc: Doc, site: str) -> Article:
    return Article(title=doc.title, body=doc.body, url=doc.url, site=site)


async def quality(client: aioredis.Redis, docs: list[Doc], errors: bool = False,
                  seed: int = 7) -> None:
    rng = random.Random(seed)
    usable = [d for d in docs if len(d.body) >= 3 and sum(len(p.split()) for p in d.body) >= 80]
    rng.shuffle(usable)
    originals, pool = usable[: len(usable) // 2], usable[len(usable) // 2:]
    pool, left_out = other_stories(pool, originals)
    by_category = defaultdict(list)
    for doc in pool:
        by_category[doc.category].append(doc)
    store = StoryStore(client)
    story_of = {}
    for doc in originals:
        story_of[doc.url] = (await store.assign(doc.url, article_signature(article(doc, doc.source)),
                                                doc.source, doc.source)).story_id
    jobs = [(name, doc, change(doc, rng, originals)) for doc in originals
            for name, change in CHANGES.items()]
    for i, doc in enumerate(originals):  # each other article is used once: no copies of it
        if by_category[doc.category]:
            k = 1 + i % 2
            base = by_category[doc.category].pop()
            jobs.append((f"different, sharing {k} sentence{'s' * (k > 1)}", doc,
                         sharing(doc, base, rng, k)))
    rng.shuffle(jobs)
    owner = {story: doc.url for doc in originals for story in [story_of[doc.url]]}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tp = fp = positives = exact = 0
    started = time.perf_counter()
    for i, (name, doc, variant) in enumerate(jobs):
        url = f"https://copy{i}.example/{hashlib.md5(variant.url.encode()).hexdigest()}"
        decision = await store.assign(url, article_signature(article(variant, "copy")), "copy")
        joined = owner.get(decision.story_id) if decision.status != "new" else None
        if name.startswith("different"):
            fp += joined is not None  # it joined an original's story that it merely quotes
            counts[name][0] += joined is not None
        else:
            positives += 1
            right = joined is not None and (decision.story_id == story_of[doc.url]
                                            or joined == doc.url)
            tp += right
            fp += joined is not None and not right
            counts[name][0] += right
            exact += content_hash(article(variant, "")) == content_hash(article(doc, ""))
            if decision.status == "new":  # a missed copy: later copies of it are still X's
                owner[decision.story_id] = doc.url
        counts[name][1] += 1
        wrong = (joined is not None) if name.startswith("different") else not right
        if errors and wrong:
            print(f"  {name}: {doc.title[:60]} -> {'joined ' + joined if joined else 'new story'}")
    elapsed = time.perf_counter() - started
    print(f"\n(2) same story: {len(originals)} real articles as first reports, "
          f"{len(jobs)} later reports ({elapsed / len(jobs) * 1000:.2f} ms each, Redis included)")
    print(f"    'different' articles come from the other half of the corpus, less {left_out} that "
          f"report an original's story themselves (word-set Jaccard >= {OTHER_REPORT})")
    print(f"{'later report':<34} {'judged the same story as the original':>40}")
    for name in [*CHANGES, *sorted(n for n in counts if n not in CHANGES)]:
        same, total = counts[name]
        print(f"{name:<34} {same:>20} / {total:<6} {same / total:8.1%}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"precision {precision:.4f}   recall {tp / positives:.4f}   (targets 0.98 / 0.90)   "
          f"exact-text-hash recall {exact / positives:.4f}")


Insert = Callable[[int, int], Awaitable[None]]


async def measure(sync: redis.Redis, name: str, entries: int, insert: Insert,
                  step: int = 20_000) -> None:
    sync.flushall()
    before = sync.info("memory")["used_memory"]
    started = time.perf_counter()
    for start in range(0, entries, step):
        await insert(start, min(entries, start + step))
    elapsed = time.perf_counter() - started
    while sync.info("persistence").get("aof_rewrite_in_progress"):
        await asyncio.sleep(0.2)
    used = sync.info("memory")["used_memory"] - before
    print(f"{name:<44} {used / entries:8.1f} {used / 2**20:10.1f} {elapsed:8.1f}")


def fingerprints(start: int, stop: int) -> list[bytes]:
    return [hashlib.sha1(str(i).encode()).digest() for i in range(start, stop)]


async def memory(client: aioredis.Redis, sync: redis.Redis, entries: int) -> None:
    fetched, seen = RedisFetchedStore(client), RedisSeenStore(client)

    async def plain_set(start: int, stop: int) -> None:
        await client.sadd("rasid:plain", *(f.hex() for f in fingerprints(start, stop)))

    async def fetched_store(start: int, stop: int) -> None:
        await fetched.hashes.put({f[:8]: f[8:12] for f in fingerprints(start, stop)})

    async def seen_store(start: int, stop: int) -> None:
        await seen.hashes.put({f[:8]: b"" for f in fingerprints(start, stop)})

    print(f"\n(3) Redis memory at {entries:,} entries (INFO used_memory, fresh redis-server)")
    print(f"{'layout':<44} {'B/entry':>8} {'MiB':>10} {'insert s':>8}")
    await measure(sync, "plain SET of 40-hex fingerprints", entries, plain_set)
    await measure(sync, "rasid fetched (URL -> day + content hash)", entries, fetched_store)
    await measure(sync, "rasid seen (URL+GUID -> day)", entries, seen_store)
    stories = StoryStore(client)
    rng = np.random.default_rng(1)

    async def story_index(start: int, stop: int) -> None:
        for i in range(start, stop):
            values = rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64)
            await stories.assign(f"https://s.example/{i}", Signature(values, 150), "bench",
                                 "s.example")

    count = max(1, entries // 100)
    print(f"and per matched article at {count:,} stories (not a target; matched articles only):")
    await measure(sync, "rasid story index (bands, URL, sig, report)", count, story_index, 1_000)


async def main(corpus: Path, entries: int, errors: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="rasid-bench-") as tmp, EmbeddedRedis(tmp) as server:
        client = aioredis.from_url(server.url)
        feeds = corpus / FEEDS
        if feeds.is_dir():
            await quality(client, load_corpus(feeds), errors)
        else:
            print(f"(2) skipped: no corpus at {feeds}")
        await memory(client, redis.Redis.from_url(server.url), entries)
        await client.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    args = parser.parse_args()
    os.environ.pop("REDIS_URL", None)
    asyncio.run(main(args.corpus, args.entries, args.errors))
