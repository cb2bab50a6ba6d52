"""The demo site's article catalogue (articles.yaml) and the record of a published entry."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

DEFAULT_PATH = Path(__file__).with_name("articles.yaml")

UPDATE_NOTE = {
    "ar": (
        "تحديث {n}",
        "تحديث: أضيفت معلومات جديدة إلى هذا الخبر الساعة {time} بتوقيت غرينتش.",
    ),
    "en": ("update {n}", "Update: this story was revised at {time} GMT with new details."),
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class CatalogueError(ValueError):
    """A catalogue file that does not describe a valid list of articles."""


class CatalogueEntry(BaseModel):
    """One article the demo site can publish."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: Slug
    title: Text
    caption: Text
    section: Text
    paragraphs: tuple[Text, ...] = Field(min_length=3, max_length=6)
    teaser: str = ""
    author: str = ""
    lang: Literal["ar", "en"] = "ar"
    structured: bool = True
    related: tuple[Slug, ...] = ()


class _Catalogue(BaseModel):
    """The file's top level: a list of articles and nothing else."""

    model_config = ConfigDict(extra="forbid")

    articles: list[CatalogueEntry] = Field(min_length=1)


@dataclass(frozen=True)
class PublishedArticle:
    """A catalogue entry as published on the site, with its id, path and time."""

    id: int
    slug: str
    path: str
    title: str
    teaser: str
    caption: str
    paragraphs: tuple[str, ...]
    section: str
    published: datetime
    author: str = ""
    lang: str = "ar"
    structured: bool = True
    related: tuple[str, ...] = ()

    @classmethod
    def from_entry(
        cls, entry: CatalogueEntry, id: int, published: datetime, round: int = 0
    ) -> PublishedArticle:
        """Publish an entry; later rounds get an update mark in the title and an update note."""
        title, paragraphs = entry.title, entry.paragraphs
        if round:
            mark, note = UPDATE_NOTE[entry.lang]
            title = f"{title} ({mark.format(n=round + 1)})"
            paragraphs = (note.format(time=published.strftime("%H:%M")), *paragraphs)
        return cls(
            id=id, slug=entry.slug, path=f"/news/{id}-{entry.slug}.html", title=title,
            teaser=entry.teaser, caption=entry.caption, paragraphs=paragraphs,
            section=entry.section, published=published, author=entry.author, lang=entry.lang,
            structured=entry.structured, related=entry.related,
        )


def load_catalogue(path: str | Path = DEFAULT_PATH) -> list[CatalogueEntry]:
    """Read, validate and cross-check a catalogue file."""
    name = Path(path).name
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    try:
        entries = _Catalogue.model_validate(data).articles
    except ValidationError as exc:
        raise CatalogueError(_describe(name, exc)) from None
    check_catalogue(entries, name)
    return entries


def check_catalogue(entries: Sequence[CatalogueEntry], name: str = "catalogue") -> None:
    """Reject duplicate slugs and related slugs that name no entry."""
    slugs: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.slug in slugs:
            raise CatalogueError(f"{name}: articles[{i}].slug: duplicate slug {entry.slug!r}")
        slugs.add(entry.slug)
    for i, entry in enumerate(entries):
        for j, slug in enumerate(entry.related):
            if slug not in slugs or slug == entry.slug:
                raise CatalogueError(
                    f"{name}: articles[{i}].related[{j}]: {slug!r} is not another article's slug"
                )


def _describe(name: str, exc: ValidationError) -> str:
    """Pydantic's errors as `file: articles[2].title: message` lines."""
    lines = []
    for error in exc.errors():
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(error["loc"]))
            message = f"unknown key (allowed: {allowed})"
        lines.append(f"{name}: {where.lstrip('.') or '<top>'}: {message}")
    return "\n".join(lines)


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed where an unknown key was found."""
    model = CatalogueEntry if len(loc) > 1 else _Catalogue
    return list(model.model_fields)
