"""ExtractionPool: pages extracted in worker processes, a time limit per page, hung workers replaced."""
from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
import yaml
from scrapy.utils.test import get_crawler

from crawler.article import Article
from crawler.extract import ExtractionError
from crawler.extract.pool import ExtractionPool, _extract, default_workers

PAGES = Path(__file__).resolve().parent / "data" / "pages"
PAGE = (PAGES / "ar-plain-dom.html").read_bytes()
TITLE = "البنك المركزي يثبت سعر الفائدة للمرة الثالثة على التوالي"


def reporting_pid(body: bytes, url: str | None, encoding: str | None) -> Article:
    """The real extraction, with the worker's process id in `authors` (a module-level function:
    workers import it by name)."""
    article = _extract(body, url, encoding)
    article.authors = [str(os.getpid())]
    return article


def hanging_on_request(body: bytes, url: str | None, encoding: str | None) -> Article:
    """The real extraction, except that a URL containing 'hang' never returns, like a worker
    stuck in a pathological page."""
    if url and "hang" in url:
        time.sleep(3600)
    return _extract(body, url, encoding)


def run(coroutine):
    return asyncio.run(coroutine)


def test_pages_are_extracted_in_worker_processes():
    async def go():
        pool = ExtractionPool(workers=2, target=reporting_pid)
        try:
            return await asyncio.gather(*(pool.extract(PAGE, f"https://alwadi.example/{i}")
                                          for i in range(4)))
        finally:
            pool.close()
    articles = run(go())
    assert [a.title for a in articles] == [TITLE] * 4
    assert [a.url for a in articles] == [f"https://alwadi.example/{i}" for i in range(4)]
    pids = {a.authors[0] for a in articles}
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2


def test_a_hung_page_is_skipped_and_the_pages_after_it_go_on():
    crawler = get_crawler(settings_dict={})

    async def go():
        pool = ExtractionPool(workers=2, timeout=1.5, target=hanging_on_request, stats=crawler.stats)
        try:
            await pool.extract(PAGE, "https://alwadi.example/warm-up")  # workers started
            results = await asyncio.gather(
                pool.extract(PAGE, "https://alwadi.example/hang"),
                *(pool.extract(PAGE, f"https://alwadi.example/{i}") for i in range(3)),
                return_exceptions=True)
            later = await pool.extract(PAGE, "https://alwadi.example/later")
            return results, later
        finally:
            pool.close()
    results, later = run(go())
    assert isinstance(results[0], ExtractionError) and "over 1.5 s" in str(results[0])
    assert [r.title for r in results[1:]] == [TITLE] * 3
    assert later.title == TITLE
    assert crawler.stats.get_value("rasid/extract/timeouts") == 1
    assert crawler.stats.get_value("rasid/extract/pool_restarts") == 1


@pytest.mark.parametrize("workers", [0, 1], ids=["in-process", "worker"])
def test_a_page_without_article_is_an_extraction_error(workers: int):
    async def go():
        pool = ExtractionPool(workers=workers)
        try:
            with pytest.raises(ExtractionError):
                await pool.extract(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
            return await pool.extract(PAGE)
        finally:
            pool.close()
    assert run(go()).title == TITLE


def test_profiles_come_from_the_settings_and_follow_reloads():
    profiles = yaml.safe_load((PAGES / "profiles.yaml").read_text(encoding="utf-8"))
    page = (PAGES / "ar-profile.html").read_bytes()
    url = "https://qanat-alshimal.example/akhbar/1"
    crawler = get_crawler(settings_dict={"RASID_EXTRACT_WORKERS": 1, "RASID_EXTRACT_TIMEOUT": 7})

    async def go():
        pool = ExtractionPool.from_crawler(crawler)
        try:
            before = await pool.extract(page, url)
            pool.on_reload({"RASID_PROFILES": profiles})
            after = await pool.extract(page, url)
            return pool, before, after
        finally:
            pool.close()
    pool, before, after = run(go())
    assert (pool.workers, pool.timeout) == (1, 7.0)
    assert before.title != after.title == "مزارعو السهل الشمالي يبدؤون حصاد القمح قبل موعده بأسبوعين"


def test_worker_count_defaults_to_at_most_two():
    pool = ExtractionPool.from_crawler(get_crawler(settings_dict={}))
    assert pool.workers == default_workers() == min(2, os.cpu_count() or 1)
    assert pool.timeout == 20.0


def test_invalid_profiles_in_the_settings_fail_at_start():
    crawler = get_crawler(settings_dict={"RASID_PROFILES": [{"name": "x", "domains": []}]})
    with pytest.raises(ValueError, match="at least one host name"):
        ExtractionPool.from_crawler(crawler)
