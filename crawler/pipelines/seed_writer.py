"""SeedWriterPipeline: every matched article written in the seed format (RASID_SEED_DIR)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from scrapy.exceptions import NotConfigured

from crawler.items import ArticleItem
from crawler.redis import key, redis_for
from crawler.seed import render, seed_filename


class SeedWriterPipeline:
    """Writes `NNN_<fingerprint>.txt` atomically; NNN comes from a Redis counter."""

    def __init__(self, seed_dir: Path, client: aioredis.Redis) -> None:
        self.seed_dir = seed_dir
        self.client = client
        self.files_key = key("seed", "files")

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeedWriterPipeline:
        seed_dir = crawler.settings.get("RASID_SEED_DIR")
        if not seed_dir:
            raise NotConfigured("RASID_SEED_DIR is not set")
        return cls(Path(seed_dir), redis_for(crawler))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.matches and item.article.fingerprint:
            item.seed_path = str(await self._write(item))
        return item

    async def _write(self, item: ArticleItem) -> Path:
        """Same fingerprint, same file: a re-processed article rewrites its own file."""
        fingerprint = item.article.fingerprint or ""
        name = await self.client.hget(self.files_key, fingerprint)
        if name is None:
            seq = await self.client.incr(key("seed", "seq")) - 1
            name = seed_filename(seq, fingerprint).encode()
            await self.client.hset(self.files_key, fingerprint, name)
        path = self.seed_dir / name.decode()
        write_atomically(path, render(item.article))
        return path


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
