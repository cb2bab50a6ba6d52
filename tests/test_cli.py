"""The `rasid` command line: check-config, extract, match, help."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, rasid

PAGES = ROOT / "tests" / "data" / "pages"
SEED = ROOT / "seeds" / "000_11ad2c62bced3442.txt"


@pytest.mark.parametrize("command", ["run", "once", "check-config", "extract", "match"])
def test_every_command_has_help(command):
    result = rasid(command, "--help")
    assert result.returncode == 0 and "-c CONFIG" in result.stdout


@pytest.mark.parametrize("path", sorted((ROOT / "config").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_configs_pass_check_config(path):
    result = rasid("check-config", "-c", str(path))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_check_config_prints_every_error_with_its_line(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "sources:\n"
        "  - name: Bad Name\n"
        "    feed: https://example.com/rss\n"
        "    every: 5x\n"
        "topics:\n"
        "  - name: t\n"
        "    keywords: [x]\n"
        "    notify: [nowhere]\n"
        "colour: blue\n", encoding="utf-8")
    result = rasid("check-config", "-c", str(config))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{config}:2: sources[0].name:") for line in lines), lines
    assert any(line.startswith(f"{config}:4: sources[0].every:") for line in lines), lines
    assert any(line.startswith(f"{config}:8: topics[0].notify[0]:") for line in lines), lines
    assert any(line.startswith(f"{config}:9: colour: unknown key") for line in lines), lines


def test_extract_prints_seed_fields_as_json():
    page = PAGES / "ar-jsonld-full.html"
    result = rasid("extract", str(page), "--url", "https://www.alrasid.example/a/1")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "افتتاح أكبر محطة لتحلية مياه البحر في المدينة الساحلية"
    assert article["body"] and article["image_caption"] and article["sections"]
    assert len(article["fingerprint"]) == 16


def test_extract_prints_the_seed_format():
    result = rasid("extract", str(PAGES / "ar-plain-dom.html"), "--format", "seed")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "البنك المركزي يثبت سعر الفائدة للمرة الثالثة على التوالي"
    assert lines[1] == "" and "أقسام" in lines and "أخبار متعلقة" in lines


def test_extract_reports_a_missing_file(tmp_path):
    result = rasid("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 1 and "nope.html" in result.stderr


def _topics_config(tmp_path: Path) -> Path:
    config = tmp_path / "topics.yaml"
    config.write_text(
        "sources:\n  - name: s\n    feed: http://127.0.0.1:9/rss.xml\n"
        "topics:\n"
        "  - name: isis\n    keywords: [داعش]\n"
        "  - name: deir-ezzor\n    keywords: [دير الزور]\n    exclude: [موسكو]\n"
        "  - name: oil\n    keywords: [النفط]\n", encoding="utf-8")
    return config


def test_match_json_lists_matched_topics_per_article(tmp_path):
    article = tmp_path / "a.json"
    article.write_text(json.dumps({"title": "أسعار النفط", "body": ["لا شيء آخر"]}),
                       encoding="utf-8")
    result = rasid("match", "--json", "-c", str(_topics_config(tmp_path)), str(SEED), str(article))
    assert result.returncode == 0, result.stderr
    seed, other = json.loads(result.stdout)
    assert seed["article"] == str(SEED)
    assert [t["topic"] for t in seed["topics"]] == ["isis"]  # deir-ezzor excluded by موسكو
    assert seed["topics"][0]["matches"][0]["form"] == "داعش"
    assert [t["topic"] for t in other["topics"]] == ["oil"]


def test_match_explains_why_not(tmp_path):
    result = rasid("match", "-c", str(_topics_config(tmp_path)), str(SEED))
    assert result.returncode == 0, result.stderr
    assert "excluded by موسكو" in result.stdout
    assert "no keyword found" in result.stdout
