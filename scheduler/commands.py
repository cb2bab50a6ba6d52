"""The article tools of the CLI: `rasid extract` and `rasid match`."""
from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler.article import Article
from crawler.extract import extract_article
from crawler.extract.article import ExtractionError
from crawler.match import Topic, TopicMatcher
from crawler.seed import parse, render
from crawler.settings import USER_AGENT
from scheduler.config import Config
from scheduler.crawl_settings import topic_dicts

FETCH_TIMEOUT = 30


def _read_page(page: str) -> tuple[bytes, str | None, str | None]:
    """The page's bytes, its URL when fetched, and the charset the server declared."""
    if page.startswith(("http://", "https://")):
        request = urllib.request.Request(page, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read(), response.geturl(), response.headers.get_content_charset()
    return Path(page).read_bytes(), None, None


def extract_command(page: str, url: str | None, fmt: str) -> int:
    try:
        body, fetched_url, charset = _read_page(page)
        article = extract_article(body, url=url or fetched_url, encoding=charset)
    except (OSError, ExtractionError) as exc:
        print(f"{page}: {exc}", file=sys.stderr)
        return 1
    if fmt == "seed":
        print(render(article))
    else:
        print(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    return 0


def load_article(path: str) -> Article:
    """A seed-format .txt file or a JSON object with the seed fields."""
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return Article.from_dict(json.loads(text))
    return parse(text)


def _matcher(config: Config) -> TopicMatcher:
    return TopicMatcher([Topic.from_dict(topic) for topic in topic_dicts(config)])


def _json_entry(path: str, explained: list[dict[str, Any]]) -> dict[str, Any]:
    topics = [{"topic": e["topic"],
               "matches": [{"keyword": k["keyword"], "form": k["form"], "field": k["field"],
                            "snippet": k["snippet"]}
                           for k in e["keywords"] if k["found"]]}
              for e in explained if e["matched"]]
    return {"article": path, "topics": topics}


_ROLES = (("keywords", "keyword", "not found"), ("all", "all-term", "missing"),
          ("exclude", "exclude", "absent"))


def _print_explained(path: str, explained: list[dict[str, Any]]) -> None:
    """Per topic the verdict, then every term: where it was found and in which words, or not."""
    print(path)
    for entry in explained:
        mark = "✔" if entry["matched"] else "✘"
        print(f"  {mark} {entry['topic']}: {entry['reason']}")
        for key, role, absent in _ROLES:
            for k in entry[key]:
                if k["found"]:
                    print(f"      {role} {k['keyword']!r}: {k['form']!r} in {k['field']} "
                          f"at {k['position']}: {k['snippet']}")
                else:
                    print(f"      {role} {k['keyword']!r}: {absent}")


def match_command(config: Config, paths: Sequence[str], as_json: bool) -> int:
    matcher = _matcher(config)
    results, failed = [], False
    for path in paths:
        try:
            explained = matcher.explain(load_article(path))
        except (OSError, ValueError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            failed = True
            continue
        if as_json:
            results.append(_json_entry(path, explained))
        else:
            _print_explained(path, explained)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if failed else 0
