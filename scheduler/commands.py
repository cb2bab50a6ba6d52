"""The article tools of the CLI: `rasid extract` and `rasid match`."""
from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler.article import Article, Related
from crawler.extract import Profiles, extract_explained
from crawler.extract.article import ExtractionError
from crawler.match import Topic, TopicMatcher
from crawler.seed import parse, render
from crawler.settings import USER_AGENT
from scheduler.config import Config
from scheduler.crawl_settings import topic_dicts

FETCH_TIMEOUT = 30
EXPLAIN_WIDTH = 70


def _read_page(page: str) -> tuple[bytes, str | None, str | None]:
    """The page's bytes, its URL when fetched, and the charset the server declared."""
    if page.startswith(("http://", "https://")):
        request = urllib.request.Request(page, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read(), response.geturl(), response.headers.get_content_charset()
    return Path(page).read_bytes(), None, None


def extract_command(page: str | None, url: str | None, fmt: str | None, explain: bool = False,
                    input_list: str | None = None, profiles: Profiles | None = None) -> int:
    """`rasid extract`: one page as JSON or seed text, or with --explain each field's layer."""
    if input_list:
        return _extract_list(input_list, explain, profiles)
    try:
        body, fetched_url, charset = _read_page(page or "")
        article, layers = extract_explained(body, url=url or fetched_url, encoding=charset,
                                            profiles=profiles)
    except (OSError, ExtractionError) as exc:
        print(f"{page}: {exc}", file=sys.stderr)
        return 1
    if explain and fmt is None:
        _print_layers(article, layers)
    elif fmt == "seed":
        print(render(article))
    else:
        print(json.dumps(_article_json(article, layers if explain else None), ensure_ascii=False,
                         indent=2))
    return 0


def _extract_list(path: str, explain: bool, profiles: Profiles | None) -> int:
    """One JSON object per `FILE<TAB>URL` line of the list, in order; exit 1 if any failed."""
    failed = False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        page, _, url = (part.strip() for part in line.partition("\t"))
        try:
            body, fetched_url, charset = _read_page(page)
            article, layers = extract_explained(body, url=url or fetched_url, encoding=charset,
                                                profiles=profiles)
            entry = {"input": page, **_article_json(article, layers if explain else None)}
        except (OSError, ExtractionError) as exc:
            entry, failed = {"input": page, "error": str(exc)}, True
        print(json.dumps(entry, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def _article_json(article: Article, layers: dict[str, str] | None) -> dict[str, Any]:
    return {**article.to_dict(), **({"layers": layers} if layers is not None else {})}


def _print_layers(article: Article, layers: dict[str, str]) -> None:
    """Each seed field, the layer it came from, and the start of its value."""
    for field in ("title", "teaser", "image_caption", "body", "sections", "related", "published",
                  "authors"):
        value = getattr(article, field)
        if isinstance(value, list):
            shown = f"{len(value)}: " + " | ".join(v.title if isinstance(v, Related) else v
                                                   for v in value[:3])
        else:
            shown = value or ""
        print(f"{field:<14} {layers.get(field, '-'):<16} {shown[:EXPLAIN_WIDTH]}")


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
