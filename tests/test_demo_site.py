"""The demo news site: pages, feeds, conditional GET, counters and test routes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html
import pytest

from demo import CatalogueEntry, CatalogueError, NewsSite, load_catalogue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(published=3) as running:
        yield running


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET a URL; HTTP errors and 304s are returned, not raised."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def page(site: NewsSite, path: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(site.url(path))
    assert status == 200
    return lxml.html.fromstring(body.decode("utf-8"))


def test_catalogue_loads_and_every_entry_is_complete() -> None:
    entries = load_catalogue()
    assert len(entries) >= 12
    slugs = {e.slug for e in entries}
    assert len(slugs) == len(entries)
    for entry in entries:
        assert entry.title and entry.caption and entry.section
        assert 3 <= len(entry.paragraphs) <= 6 and all(entry.paragraphs)
        assert set(entry.related) <= slugs - {entry.slug}
    assert [e.lang for e in entries].count("en") == 1
    assert 0.5 < sum(e.structured for e in entries) / len(entries) < 0.8


def test_catalogue_rejects_unknown_keys_with_their_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "articles:\n  - slug: a\n    title: t\n    caption: c\n    section: s\n"
        "    paragraphs: [p1, p2, p3]\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"bad\.yaml: articles\[0\]\.colour: unknown key"):
        load_catalogue(bad)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/rdf.xml", "application/rdf+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/news/24001-deir-ezzor-desert-cells.html", "text/html; charset=utf-8"),
        ("/broken.html", "text/html; charset=utf-8"),
    ],
)
def test_content_types(site: NewsSite, path: str, content_type: str) -> None:
    status, headers, body = fetch(site.url(path))
    assert (status, headers["Content-Type"]) == (200, content_type)
    body.decode("utf-8")


def test_front_page_links_published_articles_only(site: NewsSite) -> None:
    root = page(site, "/")
    assert root.get("dir") == "rtl" and root.get("lang") == "ar"
    links = {a.get("href") for a in root.cssselect(".news-list h3 a")}
    assert links == {a.path for a in site.articles}
    assert root.cssselect("nav.menu a") and root.cssselect("div.ad")


@pytest.mark.parametrize("path", ["/rss.xml", "/atom.xml", "/rdf.xml"])
def test_feeds_list_published_articles_newest_first(site: NewsSite, path: str) -> None:
    feed = feedparser.parse(fetch(site.url(path))[2])
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.link for e in feed.entries] == [site.url(a.path) for a in site.articles]
    assert [e.title for e in feed.entries] == [a.title for a in site.articles]
    assert feed.entries[0].tags[0].term == site.articles[0].section


def test_rss_items_have_guid_pubdate_and_description(site: NewsSite) -> None:
    feed = feedparser.parse(fetch(site.url("/rss.xml"))[2])
    newest, entry = site.articles[0], feed.entries[0]
    assert entry.id == site.url(newest.path)
    assert entry.published.endswith("GMT")
    assert time.mktime(entry.published_parsed) == time.mktime(newest.published.utctimetuple())
    assert entry.summary == (newest.teaser or newest.paragraphs[0])


def test_sitemap_lists_every_article_with_lastmod(site: NewsSite) -> None:
    site.publish()
    root = lxml.html.etree.fromstring(fetch(site.url("/sitemap.xml"))[2])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert locs[1:] == [site.url(a.path) for a in site.articles]
    assert len(root.xpath("//s:url/s:lastmod", namespaces=ns)) == len(locs)


def test_publish_adds_the_next_article_to_the_feed(site: NewsSite) -> None:
    url = site.publish()
    assert url == site.url("/news/24004-isis-returnees-trial.html")
    feed = feedparser.parse(fetch(site.url("/rss.xml"))[2])
    assert len(feed.entries) == 4 and feed.entries[0].link == url
    assert fetch(url)[0] == 200


def test_publish_a_chosen_article(site: NewsSite) -> None:
    url = site.publish("syria-donors-conference")
    root = page(site, url.removeprefix(site.base_url))
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    with pytest.raises(KeyError):
        site.publish("no-such-article")


def test_exhausted_catalogue_keeps_publishing_unique_variants() -> None:
    catalogue = load_catalogue()
    with NewsSite(published=len(catalogue), catalogue=catalogue) as site:
        urls = [site.publish() for _ in range(len(catalogue) + 2)]
        assert len(set(urls)) == len(urls)
        newest = site.articles[0]
        assert newest.title == f"{catalogue[1].title} (تحديث 3)"
        assert [a.published for a in site.articles] == sorted(
            {a.published for a in site.articles}, reverse=True
        )


@pytest.mark.parametrize("path", ["/rss.xml", "/atom.xml", "/rdf.xml", "/sitemap.xml", "/"])
def test_conditional_get(site: NewsSite, path: str) -> None:
    _, headers, _ = fetch(site.url(path))
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")
    for validator in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        status, again, body = fetch(site.url(path), validator)
        assert (status, body, again["ETag"]) == (304, b"", etag)
    assert site.conditional_hits == 2
    site.publish()
    status, after, _ = fetch(site.url(path), {"If-None-Match": etag})
    assert status == 200
    assert after["ETag"] != etag and after["Last-Modified"] != modified
    assert fetch(site.url(path), {"If-Modified-Since": modified})[0] == 200


def test_validators_are_stable_without_publication(site: NewsSite) -> None:
    first, second = fetch(site.url("/rss.xml"))[1], fetch(site.url("/rss.xml"))[1]
    assert (first["ETag"], first["Last-Modified"]) == (second["ETag"], second["Last-Modified"])


def test_hits_are_counted_per_path(site: NewsSite) -> None:
    for _ in range(3):
        fetch(site.url("/rss.xml"))
    fetch(site.url("/slow?seconds=0"))
    fetch(site.url("/missing"))
    assert site.hits["/rss.xml"] == 3
    assert site.hits["/slow"] == 1 and site.hits["/missing"] == 1
    site.reset_counters()
    assert site.hits["/rss.xml"] == 0


@pytest.mark.parametrize("code", [200, 404, 418, 500, 503])
def test_status_route(site: NewsSite, code: int) -> None:
    status, headers, _ = fetch(site.url(f"/status/{code}"))
    assert status == code and headers["Content-Type"] == "text/plain; charset=utf-8"


def test_unknown_paths_are_404(site: NewsSite) -> None:
    assert fetch(site.url("/nothing-here"))[0] == 404
    assert fetch(site.url("/news/99999-nothing.html"))[0] == 404
    assert fetch(site.url("/section/nothing"))[0] == 404


def test_slow_route_makes_a_client_time_out(site: NewsSite) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen(site.url("/slow?seconds=5"), timeout=0.2)
    assert fetch(site.url("/slow?seconds=0"))[0] == 200


def test_article_page_layout(site: NewsSite) -> None:
    article = site.articles[-1]
    root = page(site, article.path)
    assert root.cssselect("h1")[0].text_content() == article.title
    crumbs = root.cssselect("nav.breadcrumb")[0].text_content()
    assert crumbs == f"الرئيسية › {article.section} › {article.title}"
    assert root.cssselect("time")[0].get("datetime") == article.published.isoformat()
    assert root.cssselect("figure img")[0].get("alt") == article.caption
    assert root.cssselect("figure figcaption")[0].text_content() == article.caption
    body = root.cssselect("div.article-body")[0]
    assert [p.text_content() for p in body.cssselect("p")] == list(article.paragraphs)
    assert len(body.cssselect("div.ad")) == 1 and len(body.cssselect("div.read-also")) == 1
    assert "شارك" in root.cssselect("div.share")[0].text_content()
    assert len(root.cssselect("section.comments li")) == 2


def test_related_links_point_only_to_published_articles(site: NewsSite) -> None:
    published = {a.path for a in site.articles}
    for article in site.articles:
        root = page(site, article.path)
        links = {a.get("href") for a in root.cssselect("section.related a, div.read-also a")}
        assert links <= published
    # deir-ezzor-desert-cells relates to three articles, none of them published yet.
    first = site.articles[-1]
    assert not page(site, first.path).cssselect("section.related")
    site.publish("isis-returnees-trial")
    related = page(site, first.path).cssselect("section.related li a")
    assert [a.get("href") for a in related] == [site.articles[0].path]


def test_structured_data_only_on_structured_articles(site: NewsSite) -> None:
    for article in site.articles:
        root = page(site, article.path)
        scripts = root.xpath('//script[@type="application/ld+json"]')
        og_title = root.xpath('//meta[@property="og:title"]/@content')
        if article.structured:
            data = json.loads(scripts[0].text)
            assert data["@type"] == "NewsArticle" and data["headline"] == article.title
            assert data["articleSection"] == article.section
            assert og_title == [article.title]
        else:
            assert not scripts and not og_title


def test_text_is_escaped_in_pages_and_feeds() -> None:
    nasty = "<b>خبر</b> & \"عاجل\" </script>"
    entry = CatalogueEntry(
        slug="nasty", title=nasty, caption=nasty, section="سياسة",
        paragraphs=(nasty, "ثانية", "ثالثة"), teaser=nasty,
    )
    with NewsSite(published=1, catalogue=[entry]) as site:
        root = page(site, site.articles[0].path)
        assert root.cssselect("h1")[0].text_content() == nasty
        data = json.loads(root.xpath('//script[@type="application/ld+json"]')[0].text)
        assert data["headline"] == nasty
        for path in ("/rss.xml", "/atom.xml", "/rdf.xml"):
            feed = feedparser.parse(fetch(site.url(path))[2])
            assert not feed.bozo and feed.entries[0].title == nasty


def test_every_publishes_in_the_background() -> None:
    with NewsSite(published=1, every=0.01) as site:
        deadline = time.monotonic() + 10
        while len(site.articles) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(site.articles) >= 3


def test_python_m_demo_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "demo", "--port", "0", "--every", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        base = process.stdout.readline().split()[-1].rstrip("/")
        feed_url = process.stdout.readline().split()[-1]
        assert feed_url == base + "/rss.xml"
        assert len(feedparser.parse(fetch(feed_url)[2]).entries) == 3
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.stdout.close()
