"""Splitting a document into evidence units, and reading the cues an assessor uses from each unit.

Applicants write lists without full stops, so line breaks and bullets split first; spaCy's
sentence recogniser then splits each block into sentences. Every unit keeps its character
offsets into the original text. Cues (who acted, negation, hypothetical or future, specificity,
STAR part) are read with spaCy's tokens and a few word lists; they weigh the evidence
(:attr:`Cues.weight`) and are shown to the user. Markdown headings are not units; the units under
a heading of plans (objectives for next year, a development plan) are marked ``planned``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from evidence.domain import Document, Unit
from evidence.engine.cues import read_cues
from evidence.engine.nlp import load_spacy, load_spacy_parser

logger = logging.getLogger(__name__)

BULLET = re.compile(r"^[ \t]*(?:[-*•▪◦●·–—]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])[ \t]+")
HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]")
LABEL_LINE = re.compile(r"^[ \t]*[^.!?]{2,60}:[ \t]*$")  # "Development for next year:": a plain-text heading
# headings of a section of plans (an appraisal's objectives, a development plan): what is listed under
# them has not happened yet, however it is worded ("Attend the Excel course")
PLANS_HEADING = re.compile(
    r"\b(?:next|coming|following) (?:year|twelve months|12 months|period)|\byear ahead\b|"
    r"\bdevelopment (?:plans?|needs|objectives|goals|areas|actions)\b|\b(?:areas|objectives|goals|plans) for "
    r"(?:development|the (?:next|coming)|next)\b|\b(?:training|learning) needs\b|\bfuture (?:plans|goals|"
    r"development|objectives)\b|\bpdp\b|\bpersonal development plan\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:;][\"')\]]*\s*$")
MIN_WORDS = 3
BRACKETS = str.maketrans("[]", "()")

@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    plans: bool = False  # under a heading of plans: nothing in it has happened yet


PLAIN_HEADING_LEVEL = 7  # below every markdown level: the next heading of any kind ends its section


def _plans_level(plans_level: int | None, heading: str, level: int) -> int | None:
    """The level of the heading of plans the next lines fall under (None: none) after ``heading``: a
    heading of plans holds until one of the same or a higher level."""
    if plans_level is None or level <= plans_level:
        return level if PLANS_HEADING.search(heading) else None
    return plans_level


def _blocks(text: str) -> Iterator[_Block]:
    """Lines joined into blocks: a bullet or a heading starts a new block, and so does a blank line or a
    line after one that ended a sentence; a wrapped line (previous line unfinished, this one lower-case)
    continues the block. Markdown headings are no block; each block knows if it falls under plans."""
    pos = 0
    current: _Block | None = None
    plans_level: int | None = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(line)
        stripped = body.strip()
        heading = HEADING.match(body)
        if not stripped or heading:
            if heading:
                plans_level = _plans_level(plans_level, body, len(heading.group(1)))
            if current:
                yield current
            current = None
            continue
        marker = BULLET.match(body)
        if not marker and LABEL_LINE.match(body):
            plans_level = _plans_level(plans_level, body, PLAIN_HEADING_LEVEL)
        content_start = start + (marker.end() if marker else len(body) - len(body.lstrip()))
        continues = (current is not None and not marker and stripped[:1].islower()
                     and not SENTENCE_END.search(text[current.start:current.end]))
        if continues and current is not None:
            current = _Block(current.start, end, current.plans)
        else:
            if current:
                yield current
            current = _Block(content_start, end, plans_level is not None)
    if current:
        yield current


def segment(document: Document) -> list[Unit]:
    """The document's evidence units, in order, with offsets into ``document.text`` and their cues."""
    text = document.text
    blocks = list(_blocks(text))
    nlp = load_spacy()
    units: list[Unit] = []
    # spaCy's sentence recogniser breaks inside square brackets ("[name]" from redaction, "[sic]");
    # it reads round ones correctly, and swapping them keeps every offset the same
    shielded = text.translate(BRACKETS)
    for block, doc in zip(blocks, nlp.pipe(shielded[b.start:b.end] for b in blocks), strict=True):
        for sent in doc.sents:
            start = block.start + sent.start_char
            end = block.start + sent.end_char
            piece = text[start:end].strip()
            if len(piece.split()) < MIN_WORDS or not any(ch.isalpha() for ch in piece):
                continue
            start += len(text[start:end]) - len(text[start:end].lstrip())
            end = start + len(piece)
            units.append(Unit(index=len(units), text=piece, start=start, end=end,
                              cues=read_cues(piece, planned=block.plans)))
    logger.debug("document %s: %d blocks, %d units", document.id, len(blocks), len(units))
    return units


def phrase_pieces(text: str) -> list[str]:
    """The unit's noun phrases and verb-object phrases ("develop web applications"): short pieces that can
    match a short skill name better than the whole sentence does. Needs spaCy's parser."""
    doc = load_spacy_parser()(text)
    pieces = [chunk.text for chunk in doc.noun_chunks]
    for token in doc:
        if token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("dobj", "obj"):
                    end = max(t.i for t in child.subtree) + 1
                    pieces.append(doc[token.i:end].text)
    return [p for p in dict.fromkeys(pieces) if p.strip() and p.strip() != text.strip()]
