"""Text signatures: a MinHash of an article body's word shingles, and a hash of its content.

The MinHash is the textbook one (as in datasketch: universal hashing over the Mersenne prime
2**61 - 1, 32-bit values) in a few lines of numpy, because datasketch imports scipy at start-up
(1.6 s per crawl) for parts Rasid does not use.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from crawler.article import Article
from crawler.match import normalize

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
MIN_PARAGRAPH_WORDS = 8  # shorter lines are mostly site furniture: "اقرأ أيضا", "المصدر: وكالات"
_PRIME = (1 << 61) - 1
_rng = np.random.RandomState(20240611)
_A = _rng.randint(1, 1 << 32, NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    """The MinHash of a text's shingles, and how many distinct shingles it had."""

    values: np.ndarray  # NUM_PERM uint64 values below 2**32
    size: int

    def packed(self) -> bytes:
        """The low 16 bits of each value (b-bit MinHash): what Redis keeps, 256 bytes."""
        return (self.values & 0xFFFF).astype(">u2").tobytes()

    def bands(self) -> list[bytes]:
        """One 8-byte digest per LSH band of ROWS values, the band number mixed in."""
        raw = self.values.astype(">u4").tobytes()
        step = ROWS * 4
        return [hashlib.blake2b(bytes([i]) + raw[i * step:(i + 1) * step], digest_size=8).digest()
                for i in range(BANDS)]


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def shingles(paragraphs: Iterable[str], size: int = SHINGLE) -> set[bytes]:
    """Word n-grams within each paragraph, so reordered paragraphs keep the same set."""
    tokens = [words(p) for p in paragraphs]
    long = [t for t in tokens if len(t) >= MIN_PARAGRAPH_WORDS]
    found: set[bytes] = set()
    for paragraph in long if long else tokens:
        if len(paragraph) < size:
            found.add(" ".join(paragraph).encode())
            continue
        found.update(" ".join(paragraph[i:i + size]).encode()
                     for i in range(len(paragraph) - size + 1))
    found.discard(b"")
    return found


def minhash(items: Sequence[bytes]) -> np.ndarray:
    hashed = np.array([int.from_bytes(hashlib.blake2b(s, digest_size=4).digest(), "big")
                       for s in items], dtype=np.uint64)
    values = (np.outer(hashed, _A) + _B) % np.uint64(_PRIME) & np.uint64(0xFFFFFFFF)
    return values.min(axis=0)


def text_signature(paragraphs: Iterable[str]) -> Signature | None:
    """The signature of a body (a list of paragraphs); None when it has no words."""
    found = shingles(paragraphs)
    if not found:
        return None
    return Signature(minhash(sorted(found)), len(found))


def article_signature(article: Article) -> Signature | None:
    """The body's signature; title and teaser stand in for an article without a body."""
    return text_signature(article.body) or text_signature([article.title, article.teaser])


def content_hash(article: Article) -> bytes:
    """4 bytes that change whenever the title or the body's words change."""
    text = "\n".join([article.title, *article.body])
    return hashlib.blake2b(" ".join(words(text)).encode(), digest_size=4).digest()


def similarity(a: Signature, b_packed: bytes, b_size: int) -> tuple[float, float]:
    """Estimated Jaccard similarity and containment of the smaller set in the larger one."""
    mine = np.frombuffer(a.packed(), dtype=">u2")
    theirs = np.frombuffer(b_packed, dtype=">u2")
    jaccard = float(np.count_nonzero(mine == theirs)) / NUM_PERM
    common = jaccard * (a.size + b_size) / (1 + jaccard)
    return jaccard, min(1.0, common / max(1, min(a.size, b_size)))
