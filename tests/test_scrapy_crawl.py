"""`scrapy crawl` from the repository root runs one source from the YAML config (for debugging)."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, _child_env, write_config


def test_scrapy_crawl_polls_one_source_from_the_config(tmp_path, site_config, news_site):
    site_config["sources"].append({"name": "other", "feed": f"{news_site.base_url}/atom.xml"})
    config = write_config(tmp_path / "rasid.yaml", **site_config)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "rasid", "-s", f"RASID_CONFIG={config}",
         "-a", "sources=site-rss"],
        cwd=ROOT, env=_child_env(), capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr
    assert "'rasid/polls/ok': 1" in result.stderr
    assert news_site.hits.get("/rss.xml") == 1 and not news_site.hits.get("/atom.xml")
    alerts = (tmp_path / "alerts.jsonl").read_text().splitlines()
    assert {json.loads(a)["source"] for a in alerts} == {"site-rss"}
