"""Every kind of source against the fixture site: feed (RSS, Atom, RDF), sitemap, listing, page."""
from __future__ import annotations

import json

import pytest

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
