"""Real Arabic news items for the replay site: the ANT multi-source corpus, else the demo catalogue."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FEEDS = Path("feeds") / "ant-corpus-multisource"
_FIELD = re.compile(r"<(TITLE|AUTHOR|CAT|SRC|ABSTRACT|TEXT)>(.*?)</\1>", re.S)
SECTIONS = {"culture": "ثقافة", "economy": "اقتصاد", "internationalNews": "العالم",
            "middleEast": "الشرق الأوسط", "sport": "رياضة", "technology": "تكنولوجيا"}


@dataclass(frozen=True)
class Doc:
    """One news item: what a feed entry and an article page are built from."""

    title: str
    teaser: str
    paragraphs: tuple[str, ...]
    section: str
    author: str = ""


def load_docs(corpus: Path | None = DEFAULT_CORPUS) -> tuple[list[Doc], str]:
    """The corpus items in a stable order, and where they came from."""
    folder = Path(corpus) / FEEDS if corpus else None
    if folder is not None and folder.is_dir():
        docs = [doc for path in sorted(folder.rglob("*.txt")) if (doc := _ant_doc(path))]
        if docs:
            return docs, str(folder)
    return _demo_docs(), "demo/articles.yaml"


def _ant_doc(path: Path) -> Doc | None:
    fields = {name: value.strip() for name, value in _FIELD.findall(path.read_text("utf-8"))}
    paragraphs = tuple(line.strip() for line in fields.get("TEXT", "").splitlines() if line.strip())
    if not fields.get("TITLE") or len(paragraphs) < 2:
        return None
    return Doc(fields["TITLE"], fields.get("ABSTRACT", ""), paragraphs,
               SECTIONS.get(fields.get("CAT", ""), "أخبار"), fields.get("AUTHOR", ""))


def _demo_docs() -> list[Doc]:
    from demo.catalogue import load_catalogue

    return [Doc(e.title, e.teaser, e.paragraphs, e.section, e.author) for e in load_catalogue()]


class DocPool:
    """Hands out each doc once; past the end, new stories mixed from random paragraphs."""

    def __init__(self, docs: list[Doc], seed: int = 7) -> None:
        self.docs = docs
        self.next = 0
        self.rng = random.Random(seed)
        self.paragraphs = [p for doc in docs for p in doc.paragraphs]

    @property
    def left(self) -> int:
        return max(0, len(self.docs) - self.next)

    def take(self) -> Doc:
        if self.next < len(self.docs):
            self.next += 1
            return self.docs[self.next - 1]
        # the fallback catalogue is small: a mix of paragraphs is a new story to dedup
        base = self.docs[self.rng.randrange(len(self.docs))]
        mixed = tuple(self.rng.sample(self.paragraphs, min(5, len(self.paragraphs))))
        return Doc(f"{base.title} ({self.rng.randrange(10**6)})", "", mixed, base.section)
