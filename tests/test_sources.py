"""Every kind of source against the fixture site: feed (RSS, Atom, RDF), sitemap, listing, page."""
from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawler.spiders.politeness import download_slots
from tests.conftest import rasid, write_config

KINDS = {
    "rss": {"feed": "/rss.xml"},
    "atom": {"feed": "/atom.xml"},
    "rdf": {"feed": "/rdf.xml"},
    "sitemap": {"sitemap": "/sitemap.xml"},
    "listing": {"listing": "/", "follow": r"/news/\d+-"},
    "page": {"page": "/news/24001-deir-ezzor-desert-cells.html"},
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_source_finds_the_matching_article(kind, tmp_path, site_config, news_site):
    spec = {k: (news_site.base_url + v if k != "follow" else v) for k, v in KINDS[kind].items()}
    site_config["sources"] = [{"name": f"site-{kind}", **spec}]
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = rasid("once", "-c", str(config))
    assert result.returncode == 0, result.stderr
    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    isis = [a for a in alerts if a["topic"] == "isis"]
    assert [a["url"] for a in isis] == [f"{news_site.base_url}/news/24001-deir-ezzor-desert-cells.html"]
    assert isis[0]["source"] == f"site-{kind}"


def test_a_document_that_is_not_a_feed_fails_the_poll(tmp_path, site_config, news_site):
    site_config["sources"] = [{"name": "not-a-feed", "feed": f"{news_site.base_url}/broken.html"}]
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = rasid("once", "-c", str(config))
    assert result.returncode == 1
    assert "not-a-feed" in result.stderr and "not a feed" in result.stderr
    assert "Traceback" not in result.stderr


class _Static:
    """Files from a folder on 127.0.0.1, for feeds and pages a test writes itself."""

    def __init__(self, root: Path) -> None:
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.request_queue_size = 128
        self.root = root
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def write(self, name: str, text: str) -> str:
        (self.root / name).write_text(text, encoding="utf-8")
        return f"{self.base_url}/{name}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def static(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    server = _Static(root)
    yield server
    server.server.shutdown()


def _run(tmp_path: Path, site_config: dict, *sources: dict) -> tuple[int, list[dict], str]:
    site_config["sources"] = list(sources)
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = rasid("once", "-c", str(config))
    archive = tmp_path / "alerts.jsonl"
    alerts = [json.loads(x) for x in archive.read_text().splitlines()] if archive.exists() else []
    return result.returncode, alerts, result.stderr


FEED_WITH_CONTENT = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>t</title><link>http://127.0.0.1:9/</link><description>d</description>
<item><title>هجوم جديد لخلايا داعش في البادية</title><link>http://127.0.0.1:9/gone.html</link>
<guid>gone-1</guid><description>ملخص قصير</description>
<content:encoded><![CDATA[<p>قالت مصادر محلية إن خلايا تنظيم داعش هاجمت موقعا في البادية الليلة الماضية.</p>
<p>ولم تصدر حصيلة رسمية للهجوم حتى الآن بحسب المصادر نفسها.</p>]]></content:encoded>
</item></channel></rss>"""


def test_a_feed_item_with_full_text_is_used_when_the_page_is_unreachable(
        tmp_path, site_config, static):
    feed = static.write("feed.xml", FEED_WITH_CONTENT)
    code, alerts, err = _run(tmp_path, site_config, {"name": "full", "feed": feed, "delay": "0s"})
    assert code == 0, err
    (alert,) = alerts
    assert alert["title"] == "هجوم جديد لخلايا داعش في البادية"
    assert "using the feed's full text" in err


def _news_sitemap(site: Any, recent: str, old: str) -> str:
    now = datetime.now(UTC)
    then = (now - timedelta(days=9)).isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{site.base_url}{recent}</loc><news:news><news:publication_date>{now.isoformat()}</news:publication_date>
<news:title>recent</news:title></news:news></url>
<url><loc>{site.base_url}{old}</loc><news:news><news:publication_date>{then}</news:publication_date>
<news:title>old</news:title></news:news></url>
</urlset>"""


def test_a_news_sitemap_fetches_only_recent_urls(tmp_path, site_config, static, news_site):
    sitemap = static.write("news.xml", _news_sitemap(
        news_site, "/news/24001-deir-ezzor-desert-cells.html",
        "/news/24002-central-bank-holds-rates.html"))
    code, alerts, err = _run(tmp_path, site_config,
                             {"name": "news-map", "sitemap": sitemap, "delay": "0s"})
    assert code == 0, err
    assert [a["topic"] for a in alerts] == ["isis"]  # the economy article is 9 days old
    assert not news_site.hits.get("/news/24002-central-bank-holds-rates.html")


def test_a_listing_follows_pages_only_when_asked(tmp_path, site_config, static, news_site):
    base = news_site.base_url
    static.write("list2.html", f'<a href="{base}/news/24002-central-bank-holds-rates.html">b</a>')
    listing = static.write("list1.html", f'<a href="{base}/news/24001-deir-ezzor-desert-cells'
                                         f'.html">a</a> <a rel="next" href="list2.html">next</a>')
    source = {"name": "list", "listing": listing, "follow": r"/news/\d+-", "delay": "0s"}
    code, alerts, _err = _run(tmp_path, site_config, source)
    assert code == 0 and [a["topic"] for a in alerts] == ["isis"]
    code, alerts, _err = _run(tmp_path, site_config, {**source, "name": "list-2",
                                                      "paginate": 1})
    assert code == 0 and sorted(a["topic"] for a in alerts) == ["economy", "isis"]


def test_robots_txt_is_obeyed_unless_a_source_says_otherwise(tmp_path, site_config, static):
    static.write("robots.txt", "User-agent: *\nDisallow: /feed.xml\n")
    feed = static.write("feed.xml", FEED_WITH_CONTENT)
    code, _alerts, err = _run(tmp_path, site_config, {"name": "polite", "feed": feed})
    assert code == 1 and "robots.txt" in err
    code, alerts, err = _run(tmp_path, site_config, {"name": "impolite", "feed": feed,
                                                     "robots": False})
    assert code == 0 and alerts, err


def test_a_source_timeout_applies_to_its_requests(tmp_path, site_config, news_site):
    started = time.monotonic()
    code, _alerts, err = _run(tmp_path, site_config, {
        "name": "slow", "feed": f"{news_site.base_url}/slow?seconds=20", "timeout": "1s"})
    assert code == 1 and "slow" in err
    assert time.monotonic() - started < 15


def test_download_slots_carry_per_source_delay_and_concurrency():
    slots = download_slots([
        {"name": "a", "url": "https://a.example/rss", "delay": 2.0, "concurrency": 1},
        {"name": "b", "url": "https://b.example/rss", "delay": None, "concurrency": None}])
    assert slots == {"a.example": {"delay": 2.0, "concurrency": 1}}
