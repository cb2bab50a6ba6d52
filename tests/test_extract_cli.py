"""`rasid extract`: --explain, --input-list, and the config's site profiles."""
from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT, rasid

PAGES = ROOT / "tests" / "data" / "pages"


def test_explain_names_the_layer_of_each_field():
    result = rasid("extract", str(PAGES / "ar-jsonld-full.html"), "--explain")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert rows == {"title": "json-ld", "teaser": "opengraph", "image_caption": "dom",
                    "body": "trafilatura", "sections": "dom", "related": "dom",
                    "published": "json-ld", "authors": "json-ld"}


def test_explain_with_json_adds_the_layers():
    result = rasid("extract", str(PAGES / "en-microdata.html"), "--explain", "--format", "json")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["layers"]["title"] == "microdata" and article["title"].startswith("Volunteers")


def test_input_list_prints_one_object_per_input_in_order(tmp_path: Path):
    listing = tmp_path / "pages.tsv"
    listing.write_text(
        f"{PAGES / 'en-news.html'}\thttps://harbortimes.example/local/tram\n"
        f"{tmp_path / 'missing.html'}\n"
        "\n"
        f"{PAGES / 'ar-plain-dom.html'}\n", encoding="utf-8")
    result = rasid("extract", "--input-list", str(listing))
    assert result.returncode == 1  # one input failed
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == [str(PAGES / "en-news.html"),
                                                 str(tmp_path / "missing.html"),
                                                 str(PAGES / "ar-plain-dom.html")]
    assert lines[0]["url"] == "https://harbortimes.example/local/tram"
    assert lines[0]["title"] == "Council approves northern tram line after marathon session"
    assert "error" in lines[1] and "title" not in lines[1]
    assert lines[2]["url"] is None and lines[2]["body"] and "layers" not in lines[2]
    single = json.loads(rasid("extract", str(PAGES / "ar-plain-dom.html")).stdout)
    assert {**single, "input": lines[2]["input"]} == lines[2]


def test_input_list_with_explain(tmp_path: Path):
    listing = tmp_path / "pages.tsv"
    listing.write_text(f"{PAGES / 'ar-opengraph-only.html'}\n", encoding="utf-8")
    result = rasid("extract", "--input-list", str(listing), "--explain")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["layers"]["published"] == "dom"


def test_extract_uses_the_config_profiles(tmp_path: Path):
    config = tmp_path / "rasid.yaml"
    profiles = (PAGES / "profiles.yaml").read_text(encoding="utf-8").splitlines()
    config.write_text("sources:\n  - name: a\n    feed: https://example.com/rss\nprofiles:\n"
                      + "".join(f"  {line}\n" for line in profiles), encoding="utf-8")
    page, url = str(PAGES / "ar-profile.html"), "https://qanat-alshimal.example/akhbar/1"
    with_profile = rasid("extract", page, "--url", url, "-c", str(config), "--explain")
    without = rasid("extract", page, "--url", url, "-c", str(tmp_path / "none.yaml"), "--explain")
    assert with_profile.returncode == 0 and without.returncode == 0, with_profile.stderr
    assert "title          profile" in with_profile.stdout
    assert "profile" not in without.stdout


def test_extract_needs_a_page_or_a_list():
    assert rasid("extract").returncode == 2
    assert rasid("extract", "a.html", "--input-list", "b.tsv").returncode == 2
