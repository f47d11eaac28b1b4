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

from evidence.models import load_spacy, load_spacy_parser
from evidence.types import Actor, Cues, Document, StarPart, Unit

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

SELF_WORDS = {"i", "me", "my", "myself", "mine", "i've", "i'm", "i'd", "i'll"}
POSSESSIVES = {"my", "mine", "our", "ours"}
TEAM_WORDS = {"we", "us", "our", "ours", "ourselves", "we've", "we're", "we'd"}
OTHER_SUBJECTS = {"he", "she", "they", "manager", "supervisor", "team", "colleague", "colleagues", "boss",
                  "department", "organisation", "organization", "company", "service", "council", "staff"}
# Past-tense or -ing openers of CV-style fragments ("Led a team of five", "Managing the rota"): implicit "I".
CV_VERB = re.compile(r"^(?:[A-Z][a-z]+(?:ed|ing)|Led|Ran|Built|Set|Wrote|Made|Took|Gave|Held|Kept|Won|Sat|Met|Drew|"
                     r"Brought|Taught|Spoke|Sought|Chose|Began|Grew|Oversaw|Undertook)\b")
NEGATION = re.compile(r"\b(?:never|not|no longer|cannot|haven't|hasn't|didn't|don't|doesn't|wasn't|weren't|"
                      r"won't|can't|couldn't|isn't|aren't|lack|lacked)\b|\bno (?:experience|opportunity|chance|"
                      r"involvement|responsibility)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"\b(?:i|we)(?:\s+really)?\s+(?:would|could|might|will|shall)\b|\b(?:i'd|i'll|we'd|we'll)\b|"
                          r"\b(?:plan to|planning to|hope to|hoping to|intend to|aim to|want to|wish to|would like|"
                          r"going to|look forward|if given|if i (?:were|was|got)|am keen to|am eager to|"
                          r"am excited to|would be able)\b", re.IGNORECASE)
NUMBER = re.compile(r"\b\d[\d,.]*%?|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|"
                    r"fifty|hundred|hundreds|thousand|dozen|half|double|doubled|halved|tripled)\b", re.IGNORECASE)
OUTCOME = re.compile(r"\b(?:result(?:ed|ing)?|as a result|which meant|so that|outcome|reduc(?:ed|ing)|"
                     r"increas(?:ed|ing)|improv(?:ed|ing)|achiev(?:ed|ing)|saved|cut|raised|feedback|praised|"
                     r"recogni[sz]ed|award(?:ed)?|success(?:ful(?:ly)?)?|led to|now)\b", re.IGNORECASE)
SITUATION = re.compile(r"^(?:when|while|whilst|during|at|in my (?:previous|last|current)|last year|in \d{4}|"
                       r"there was|there were|our (?:team|service|project) (?:was|had|faced))\b|\b(?:faced|"
                       r"was struggling|had a problem|backlog|complaint came)\b", re.IGNORECASE)
TASK = re.compile(r"\b(?:i was asked|i was tasked|my role was|my job was|i needed to|i had to|"
                  r"i was responsible|responsible for|my task)\b", re.IGNORECASE)


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
        if continues:
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


def read_cues(text: str, *, planned: bool = False) -> Cues:
    """Who acted, negation, hypothetical/future, specificity and STAR part of one unit. ``planned``: the
    unit stands under a heading of plans, so it is future whatever its wording."""
    words = re.findall(r"[A-Za-z']+", text.lower())
    wordset = set(words)
    someone_else_first = len(words) > 1 and words[0] in ("my", "our") and words[1] in OTHER_SUBJECTS
    if wordset & (SELF_WORDS - POSSESSIVES):
        actor = Actor.self
    elif someone_else_first:  # "My manager rewrote the form": the writer's manager acted, not the writer
        actor = Actor.others
    elif wordset & SELF_WORDS:
        actor = Actor.self
    elif wordset & TEAM_WORDS:
        actor = Actor.team
    elif CV_VERB.match(text.strip()):
        actor = Actor.self
    elif words and (words[0] in OTHER_SUBJECTS or (len(words) > 1 and words[1] in OTHER_SUBJECTS)):
        actor = Actor.others
    else:
        actor = Actor.none
    negated = bool(NEGATION.search(text))
    hypothetical = planned or bool(HYPOTHETICAL.search(text))
    numbers = len(NUMBER.findall(text))
    outcomes = len(OUTCOME.findall(text))
    names = len(re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*", text.strip()))
    specificity = min(1.0, 0.3 * numbers + 0.2 * outcomes + 0.1 * names)
    if TASK.search(text):
        star = StarPart.task
    elif OUTCOME.search(text) and (numbers or re.search(r"\b(?:result|which meant|so that|led to|now)\b", text, re.I)):
        star = StarPart.result
    elif SITUATION.search(text.strip()):
        star = StarPart.situation
    elif actor is Actor.self:
        star = StarPart.action
    else:
        star = StarPart.other
    return Cues(actor=actor, negated=negated, hypothetical=hypothetical, planned=planned,
                specificity=round(specificity, 2), star=star,
                weight=cue_weight(actor, negated, hypothetical, specificity))


ACTOR_WEIGHT = {Actor.self: 1.0, Actor.team: 0.75, Actor.none: 0.8, Actor.others: 0.3}


def cue_weight(actor: Actor, negated: bool, hypothetical: bool, specificity: float) -> float:
    """How much credit a unit can carry: own action counts fully, what others did or might do hardly at all."""
    weight = ACTOR_WEIGHT[actor]
    if negated:
        weight *= 0.3
    if hypothetical:
        weight *= 0.5
    weight *= 0.9 + 0.1 * specificity
    return round(min(1.0, weight), 3)


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
