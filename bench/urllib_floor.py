"""The floor for a poll: a bare loop of urllib conditional GETs of the same feed URLs.

`python bench/urllib_floor.py FEEDS.json ROUNDS` (FEEDS.json: {url: etag}) GETs every URL ROUNDS
times with If-None-Match, reads the body, and prints {"gets": n, "cpu_ms_per_get": ...,
"statuses": {...}}: this process's CPU only, measured after imports.
"""
from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path


def get(url: str, etag: str) -> int:
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:  # urllib raises on 304
        return exc.code


def main() -> None:
    feeds: dict[str, str] = json.loads(Path(sys.argv[1]).read_text())
    rounds = int(sys.argv[2])
    statuses: Counter[int] = Counter()
    start = time.process_time()
    for _ in range(rounds):
        for url, etag in feeds.items():
            statuses[get(url, etag)] += 1
    cpu = time.process_time() - start
    gets = sum(statuses.values())
    print(json.dumps({"gets": gets, "cpu_ms_per_get": 1000 * cpu / gets,
                      "statuses": {str(k): v for k, v in statuses.items()}}))


if __name__ == "__main__":
    main()
