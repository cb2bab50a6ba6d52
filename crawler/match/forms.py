"""The surface forms one keyword word takes in text: Arabic clitics, English plurals."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import TA_MARBUTA

ARTICLE = "ال"
CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل")
DEFINITE = ("ال", "بال", "كال", "لل")  # لِ + ال is written لل: the alef drops
FUTURE = "س"
PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي")
# Shorter stems take no clitics: حر must not match بحر, نا must not match بنا.
MIN_STEM = 3
# Only a verb in the imperfect takes س: it starts with one of these letters and has at least
# four (تمر must not match ستمر).
_IMPERFECT = "يتنا"
MIN_VERB = 4
_ARABIC = re.compile("[\u0621-\u064A\u066E-\u06D3]")
_LATIN = re.compile("[a-z]")
_SIBILANT = ("s", "x", "z", "ch", "sh", "o")


@dataclass(frozen=True)
class WordSpec:
    """One word of a keyword: its folded text and where it sits in the phrase."""

    word: str
    first: bool = True  # only the first word of a phrase takes proclitics
    last: bool = True  # only the last word of an English phrase takes a plural
    has_article: bool = False  # written with its own ال (not the ال of ألمانيا)
    maqsura: bool = False  # written with a final ى, which becomes ا before a pronoun


def word_forms(spec: WordSpec) -> set[str]:
    """Every folded token that counts as this word in text."""
    if _ARABIC.match(spec.word):
        return _arabic_forms(spec)
    if _LATIN.match(spec.word) and spec.last:
        return _english_forms(spec.word)
    return {spec.word}


def _arabic_forms(spec: WordSpec) -> set[str]:
    stem = spec.word[len(ARTICLE):] if spec.has_article else spec.word
    if len(stem) < MIN_STEM:
        return {spec.word} | (_definite(stem) if spec.has_article and spec.first else set())
    bare = _endings(stem, spec)
    forms = {ARTICLE + s for s in _spellings(stem)} | bare
    if spec.first:
        forms |= _definite(stem) | _indefinite(bare)
        if not spec.has_article and len(stem) >= MIN_VERB and stem[0] in _IMPERFECT:
            forms |= {c + FUTURE + w for c in CONJUNCTIONS for w in bare}
    return forms


def _definite(stem: str) -> set[str]:
    # لِ + اللجنة is written للجنة: three lams are written as two.
    articles = [("ل" if d == "لل" and stem[0] == "ل" else d) for d in DEFINITE]
    return {c + d + s for c in CONJUNCTIONS for d in articles for s in _spellings(stem)}


def _indefinite(bare: set[str]) -> set[str]:
    return {c + p + w for c in CONJUNCTIONS for p in PREPOSITIONS for w in bare}


def _spellings(stem: str) -> set[str]:
    """A final ة is often typed ه and the other way round."""
    if stem[-1] in (TA_MARBUTA, "ه"):
        return {stem[:-1] + TA_MARBUTA, stem[:-1] + "ه"}
    return {stem}


def _endings(stem: str, spec: WordSpec) -> set[str]:
    """The word alone or with an attached pronoun: حكومة, حكومته, حكومتهم; هدى, هداه."""
    forms = _spellings(stem)
    if stem[-1] == TA_MARBUTA:
        bases = [stem[:-1] + "ت"]
    elif stem[-1] == "ه":
        bases = [stem, stem[:-1] + "ت"]
    elif spec.maqsura and stem[-1] == "ي":
        bases = [stem[:-1] + "ا"]
    else:
        bases = [stem]
    return forms | {b + p for b in bases for p in PRONOUNS}


def _english_forms(word: str) -> set[str]:
    """oil, oils; church, churches; militia, militias; policy, policies."""
    forms = {word, word + "s"}
    if word.endswith(_SIBILANT):
        forms.add(word + "es")
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    return forms
