"""Story identity across sites, updates in place and races, on a real redis-server."""
from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
import yaml
from scrapy.utils.test import get_crawler

from crawler.article import Article
from crawler.items import ArticleItem
from crawler.match import Topic, TopicMatcher
from crawler.pipelines.seen import SeenPipeline
from crawler.pipelines.story import StoryPipeline
from crawler.redis import redis_for
from crawler.stores.alerted import AlertedStore
from crawler.stores.signature import article_signature, text_signature
from crawler.stores.stories import StoryStore
from crawler.urls import url_fingerprint
from demo.catalogue import load_catalogue
from tests.conftest import with_client
from tests.test_stores import Clock

CASES = yaml.safe_load((Path(__file__).parent / "data" / "dedup_stories.yaml").read_text("utf-8"))
ORIGINAL = CASES["original"]



def article(case: dict[str, Any], **changes: Any) -> Article:
    fields = {"title": case["title"], "body": list(case["body"]), "url": case.get("url"),
              "site": case.get("site")}
    return Article(**{**fields, **changes})


run = with_client


async def assign(store: StoryStore, case: dict[str, Any], source: str = "src") -> Any:
    return await store.assign(case["url"], article_signature(article(case)), source, case["site"])


@pytest.mark.parametrize("copy", CASES["copies"], ids=[c["id"] for c in CASES["copies"]])
def test_a_copy_on_another_site_is_the_same_story(redis_url, copy):
    async def body(client: aioredis.Redis) -> tuple[Any, Any]:
        store = StoryStore(client)
        return await assign(store, ORIGINAL, "alwaha"), await assign(store, copy, "sham")

    first, second = run(redis_url, body)
    assert (first.status, second.status) == ("new", "duplicate")
    assert first.story_id == second.story_id == url_fingerprint(ORIGINAL["url"])
    assert second.first.url == ORIGINAL["url"] and second.first.source == "alwaha"


@pytest.mark.parametrize("other", CASES["distinct"], ids=[c["id"] for c in CASES["distinct"]])
def test_a_different_article_sharing_a_sentence_is_a_new_story(redis_url, other):
    async def body(client: aioredis.Redis) -> tuple[Any, Any]:
        store = StoryStore(client)
        return await assign(store, ORIGINAL), await assign(store, other)

    first, second = run(redis_url, body)
    assert second.status == "new" and second.story_id != first.story_id


def test_every_report_is_recorded_once_in_order(redis_url):
    async def body(client: aioredis.Redis) -> tuple[list[str], list[Any]]:
        store = StoryStore(client)
        decisions = [await assign(store, ORIGINAL, "alwaha")]
        for i, copy in enumerate(CASES["copies"]):
            decisions.append(await assign(store, copy, f"copy-{i}"))
        decisions.append(await assign(store, ORIGINAL, "alwaha"))  # polled again
        return [d.status for d in decisions], await store.reports(decisions[0].story_id)

    statuses, reports = run(redis_url, body)
    assert statuses == ["new", "duplicate", "duplicate", "known"]
    assert [r.url for r in reports] == [ORIGINAL["url"], *(c["url"] for c in CASES["copies"])]
    assert [r.source for r in reports] == ["alwaha", "copy-0", "copy-1"]
    assert reports[1].site == "alsham.example" and reports[0].time.endswith("Z")


def test_stories_are_forgotten_after_the_retention(redis_url):
    clock = Clock()

    async def body(client: aioredis.Redis) -> list[str]:
        store = StoryStore(client, days=2, clock=clock)
        statuses = [(await assign(store, ORIGINAL)).status]
        clock.advance(1)
        statuses.append((await assign(store, CASES["copies"][0])).status)
        clock.advance(2)
        statuses.append((await assign(store, CASES["copies"][1])).status)
        return statuses

    assert run(redis_url, body) == ["new", "duplicate", "new"]


def test_without_a_body_the_title_and_teaser_are_compared(redis_url):
    bare = {"url": "https://a.example/1", "site": "a.example", "title": ORIGINAL["title"],
            "body": []}
    copy = {**bare, "url": "https://b.example/2"}
    assert text_signature([]) is None and article_signature(article(bare)) is not None

    async def body(client: aioredis.Redis) -> list[str]:
        store = StoryStore(client)
        return [(await assign(store, bare)).status, (await assign(store, copy)).status]

    assert run(redis_url, body) == ["new", "duplicate"]


def _race(redis_url: str, work: list[Any], job: Callable[[Any, Any], Awaitable[Any]],
          make: Callable[[aioredis.Redis], Any]) -> list[list[Any]]:
    """Two threads, each with its own connection, run the same jobs in different orders."""
    results: list[list[Any]] = [[], []]
    start = threading.Barrier(2)

    def worker(n: int) -> None:
        order = list(work)
        random.Random(n).shuffle(order)

        async def main() -> None:
            client = aioredis.from_url(redis_url)
            store = make(client)
            start.wait()
            for item in order:
                results[n].append((item, await job(store, item)))
            await client.aclose()
        asyncio.run(main())

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_processes_racing_alert_each_story_and_topic_once(redis_url):
    pairs = [(f"story-{i}", topic) for i in range(150) for topic in ("isis", "economy")]
    results = _race(redis_url, pairs, lambda store, p: store.check_and_add(*p), AlertedStore)
    wins = Counter(pair for side in results for pair, added in side if added)
    assert len(results[0]) == len(results[1]) == len(pairs)
    assert set(wins) == set(pairs) and set(wins.values()) == {1}


def test_two_processes_racing_agree_on_one_story_per_article(redis_url):
    reports = []
    for entry in load_catalogue():
        for site in ("a", "b", "c"):
            body = list(entry.paragraphs) if site != "c" else list(entry.paragraphs)[:-1]
            reports.append((entry.slug, f"https://{site}.example/{entry.slug}", body))

    async def job(store: StoryStore, report: tuple[str, str, list[str]]) -> Any:
        return await store.assign(report[1], text_signature(report[2]), "src")

    results = _race(redis_url, reports, job, StoryStore)
    assert len(results[0]) == len(results[1]) == len(reports)
    stories: dict[str, set[str]] = {}
    new = Counter()
    for side in results:
        for (slug, _url, _body), decision in side:
            stories.setdefault(slug, set()).add(decision.story_id)
            new[slug] += decision.status == "new"
    assert all(len(ids) == 1 for ids in stories.values()), stories
    assert set(new.values()) == {1}
    assert len({next(iter(ids)) for ids in stories.values()}) == len(stories)


def _pipelines(redis_url: str, **settings: Any) -> tuple[StoryPipeline, SeenPipeline, Any]:
    """The pipelines as a crawl builds them (from_crawler), on the crawl's own Redis client."""
    crawler = get_crawler(settings_dict={"RASID_REDIS_URL": redis_url, **settings})
    return StoryPipeline.from_crawler(crawler), SeenPipeline.from_crawler(crawler), crawler


MATCHER = TopicMatcher([Topic(name="water", keywords=["الفرات"]),
                        Topic(name="water-alert", keywords=["الفرات"])])


async def _process(story: StoryPipeline, seen: SeenPipeline, art: Article) -> ArticleItem:
    item = ArticleItem(article=art, source="alwaha", seen_urls=[art.url or ""])
    item.matches = MATCHER.match(art)
    item = await story.process_item(item)
    return await seen.process_item(item)


def test_an_article_changed_in_place_is_flagged_and_keeps_its_story(redis_url):
    async def body() -> tuple[list[ArticleItem], Any]:
        story, seen, crawler = _pipelines(redis_url, RASID_UPDATE_ALERT_TOPICS=["water-alert"])
        first = await _process(story, seen, article(ORIGINAL))
        again = await _process(story, seen, article(ORIGINAL))
        changed = await _process(story, seen, article(ORIGINAL, title=CASES["update"]["title"],
                                                      body=CASES["update"]["body"]))
        copy = await _process(story, seen, article(CASES["copies"][0]))
        await redis_for(crawler).aclose()
        return [first, again, changed, copy], crawler.stats.get_stats()

    (first, again, changed, copy), stats = asyncio.run(body())
    assert [i.updated for i in (first, again, changed, copy)] == [False, False, True, False]
    sid = first.story_id
    assert sid and again.story_id == changed.story_id == copy.story_id == sid
    assert first.duplicate_of is None and copy.duplicate_of["url"] == ORIGINAL["url"]
    assert first.story_keys == again.story_keys == {"water": sid, "water-alert": sid}
    assert changed.content_hash != first.content_hash
    assert changed.story_keys == {"water": sid, "water-alert": f"{sid}.{changed.content_hash}"}
    assert stats["rasid/articles/updated"] == 1
    assert stats["rasid/stories/new"] == 1 and stats["rasid/stories/known"] == 2


def test_unmatched_articles_get_no_story_but_updates_are_still_seen(redis_url):
    async def body() -> list[ArticleItem]:
        story, seen, crawler = _pipelines(redis_url)
        plain = dict(ORIGINAL, body=[p.replace("الفرات", "النهر") for p in ORIGINAL["body"]],
                     title="محطات المياه")
        first = await _process(story, seen, article(plain))
        changed = await _process(story, seen, article(plain, title="محطات مياه الشرب"))
        await redis_for(crawler).aclose()
        return [first, changed]

    first, changed = asyncio.run(body())
    assert not first.matches and first.story_id is None and first.story_keys == {}
    assert changed.updated and changed.story_id is None


def test_near_duplicates_can_be_turned_off(redis_url):
    async def body() -> list[str]:
        story, seen, crawler = _pipelines(redis_url, RASID_NEAR_DUPLICATES=False)
        first = await _process(story, seen, article(ORIGINAL))
        copy = await _process(story, seen, article(CASES["copies"][0]))
        await redis_for(crawler).aclose()
        return [first.story_id or "", copy.story_id or ""]

    first, copy = asyncio.run(body())
    assert first == url_fingerprint(ORIGINAL["url"]) and copy == url_fingerprint(
        CASES["copies"][0]["url"])
