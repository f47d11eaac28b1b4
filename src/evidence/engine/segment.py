"""Splitting a document into evidence units, and reading the cues an assessor uses from each unit.

Applicants write lists without full stops, so line breaks and bullets split first; spaCy's
sentence recogniser then splits each block into sentences. Every unit keeps its character
offsets into the original text. Any length of text is segmented in linear time and bounded memory:
blocks reach spaCy in chunks of at most :data:`CHUNK_CHARS`, no token it sees is longer than
:data:`TOKEN_CHARS`, and no unit is longer than the reading limit's ``unit_chars``. Cues (who acted,
negation, hypothetical or future, specificity, STAR part) are read with spaCy's tokens and a few word
lists; they weigh the evidence (:attr:`Cues.weight`) and are shown to the user. Headings (markdown or
the writer's own, see :mod:`evidence.engine.boilerplate`), form fields, contact lines, greetings and
sign-offs are not units; the units under a heading of plans (objectives for next year, a development plan)
are marked ``planned``, those under a heading of what did not go well ``self_critical``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from evidence.domain import Document, Unit
from evidence.engine.boilerplate import greeting_end, heading_shaped, is_heading, is_metadata, non_unit_reason
from evidence.engine.cues import read_cues
from evidence.engine.nlp import load_spacy, load_spacy_parser
from evidence.io.limits import LIMITS

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
# headings of a section of shortfalls (an appraisal's "What did not go so well"): what is listed under them is
# self-criticism, however it is worded, unless it goes on to act on it
SHORTFALL_HEADING = re.compile(
    r"\b(?:did not|didn't|has not|hasn't|have not|haven't) go(?:ne)? (?:so |as |very |too )?well\b|"
    r"\bwhat (?:could|might) (?:have )?(?:gone|been done) better\b|\bwent (?:less well|badly|wrong)\b|"
    r"\bless (?:well|successful)\b|\b(?:areas?|things) (?:for|of|to) improve(?:ment)?\b|\bweakness(?:es)?\b|"
    r"\bshortcomings?\b|\beven better if\b|\b(?:what|things) (?:i|we) (?:would|could|will) do differently\b",
    re.IGNORECASE)
SENTENCE_ENDS = tuple(".!?:;")
CLOSERS = "\"')]"
LABEL_CHARS = 61  # LABEL_LINE matches at most 60 characters and a colon: longer lines are never tried
MIN_WORDS = 3
BRACKETS = str.maketrans("[]", "()")
# spaCy's cost is not linear in everything it is given (measured with the packaged pipeline, 2-core machine):
# - its tokenizer strips a token's prefixes one at a time, each step costing the rest of the token, so one
#   whitespace-free run is quadratic: 4,000 '(' took 2.5 s, 10,000 took 55 s (the 40 KB '((((' of D13
#   took 132 s). Runs of 128 cost 0.008 s per 20,000 characters; spaCy sees a space after every
#   TOKEN_CHARS characters of a longer run (in its copy of the text: offsets and units keep the original).
# - its memory grows with the tokens of one call (of nlp.pipe's whole batch): 100,000 characters of
#   one-letter lines took 1.5 GiB (3.4 GiB through the CLI) in one call or one batch of 20, 5,000
#   characters 79 MB, at the same speed (3.2 s per 100,000). No block reaches it longer than CHUNK_CHARS
#   (cut after a sentence end, else at a space), nor more than about BATCH_CHARS in one call; and its
#   limit of 1,000,000 characters (E088) is never reached.
TOKEN_CHARS = 100
CHUNK_CHARS = 5_000
BATCH_CHARS = 5_000
LONG_RUN = re.compile(rf"(?<!\S)\S{{{TOKEN_CHARS + 1},}}")  # tried only where a run starts: linear

@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    plans: bool = False  # under a heading of plans: nothing in it has happened yet
    shortfall: bool = False  # under a heading of what did not go well: self-criticism


PLAIN_HEADING_LEVEL = 7  # below every markdown level: the next heading of any kind ends its section


def _section_level(section_level: int | None, heading: str, level: int, kind: re.Pattern[str]) -> int | None:
    """The level of the heading of ``kind`` (plans, shortfalls) the next lines fall under (None: none) after
    ``heading``: such a heading holds until one of the same or a higher level."""
    if section_level is None or level <= section_level:
        return level if kind.search(heading) else None
    return section_level


def _next_text(lines: list[str], index: int) -> tuple[str | None, bool]:
    """The first line with text after ``lines[index]`` (None at the end), and whether it directly follows."""
    for later in range(index + 1, len(lines)):
        if lines[later].strip():
            return lines[later], later == index + 1
    return None, False


def _blocks(text: str) -> Iterator[_Block]:
    """Lines joined into blocks: a bullet or a heading starts a new block, and so does a blank line or a
    line after one that ended a sentence; a wrapped line (previous line unfinished, this one lower-case)
    continues the block. Headings (markdown or the writer's own) and form fields are no block; each block
    knows if it falls under plans or shortfalls."""
    pos = 0
    current: _Block | None = None
    plans_level: int | None = None
    shortfall_level: int | None = None
    previous_ended = False
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(line)
        stripped = body.strip()
        heading = HEADING.match(body)
        marker = BULLET.match(body)
        own_heading = form_field = False
        if stripped and not heading and not marker:
            form_field = is_metadata(body)
            own_heading = not form_field and _own_heading(lines, index, stripped,
                                                          standalone=current is None or previous_ended)
        if not stripped or heading or own_heading or form_field:
            if heading or own_heading:
                level = len(heading.group(1)) if heading else PLAIN_HEADING_LEVEL
                plans_level = _section_level(plans_level, body, level, PLANS_HEADING)
                shortfall_level = _section_level(shortfall_level, body, level, SHORTFALL_HEADING)
            if current:
                yield current
            current = None
            previous_ended = previous_ended or bool(stripped)
            continue
        if not marker and len(stripped) <= LABEL_CHARS and LABEL_LINE.match(body):
            plans_level = _section_level(plans_level, body, PLAIN_HEADING_LEVEL, PLANS_HEADING)
            shortfall_level = _section_level(shortfall_level, body, PLAIN_HEADING_LEVEL, SHORTFALL_HEADING)
        content_start = start + (marker.end() if marker else len(body) - len(body.lstrip()))
        # only the block's last line can end its sentence: looking at the whole block made one-letter
        # lines quadratic (D13: 200 KB of "x" lines)
        continues = current is not None and not marker and stripped[:1].islower() and not previous_ended
        if continues and current is not None:
            current = _Block(current.start, end, current.plans, current.shortfall)
        else:
            if current:
                yield current
            current = _Block(content_start, end, plans_level is not None, shortfall_level is not None)
        previous_ended = _ends_sentence(stripped)
    if current:
        yield current


def _own_heading(lines: list[str], index: int, stripped: str, *, standalone: bool) -> bool:
    """Whether ``lines[index]`` is the writer's own heading (see :func:`boilerplate.is_heading`); a line the
    next one continues (lower-case, directly below) is a wrapped sentence, not a heading."""
    if not heading_shaped(stripped):  # cheap: most lines are sentences
        return False
    following, adjacent = _next_text(lines, index)
    if following is not None and adjacent and not BULLET.match(following) and following.strip()[:1].islower():
        return False
    return is_heading(stripped, standalone=standalone, next_line=following,
                      next_is_bullet=following is not None and bool(BULLET.match(following)))


def _ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence: a full stop (or ! ? : ;), maybe followed by closing quotes or brackets."""
    return line.rstrip().rstrip(CLOSERS).endswith(SENTENCE_ENDS)


def segment(document: Document) -> list[Unit]:
    """The document's evidence units, in order, with offsets into ``document.text`` and their cues.

    A text without any unit (``N/A``, numbers, emoji) gives an empty list.
    """
    text = document.text
    # spaCy's sentence recogniser breaks inside square brackets ("[name]" from redaction, "[sic]");
    # it reads round ones correctly, and swapping them keeps every offset the same
    shielded = _break_long_runs(text.translate(BRACKETS))
    nlp = load_spacy()
    units: list[Unit] = []
    chunks = ((block, span) for block in _blocks(text) for span in _chunks(text, block.start, block.end))
    for batch in _batches(chunks):
        docs = nlp.pipe((shielded[a:b] for _, (a, b) in batch), batch_size=len(batch))
        for (block, (chunk_start, _)), doc in zip(batch, docs, strict=True):
            for sent in doc.sents:
                for start, end in _unit_spans(text, chunk_start + sent.start_char, chunk_start + sent.end_char):
                    start = _after_greeting(text, start, end)
                    piece = text[start:end]
                    if len(piece.split()) < MIN_WORDS or not any(ch.isalpha() for ch in piece):
                        continue
                    reason = non_unit_reason(piece)
                    if reason:
                        logger.debug("document %s: not a unit (%s) at %d", document.id, reason, start)
                        continue
                    units.append(Unit(index=len(units), text=piece, start=start, end=end,
                                      cues=read_cues(piece, planned=block.plans, shortfall=block.shortfall)))
    logger.debug("document %s: %d units", document.id, len(units))
    return units


def _after_greeting(text: str, start: int, end: int) -> int:
    """Where a unit starts once a greeting that opens it ("Dear Hiring Manager, I have ...") is left out."""
    skip = greeting_end(text[start:end])
    if not skip:
        return start
    start += skip
    while start < end and text[start].isspace():
        start += 1
    return start


def _break_long_runs(text: str) -> str:
    """``text`` with a space in place of every :data:`TOKEN_CHARS`-th character of a longer whitespace-free
    run: the same length, so spaCy's offsets stay those of the text."""
    parts: list[str] = []
    last = 0
    for run in LONG_RUN.finditer(text):
        for cut in range(run.start() + TOKEN_CHARS, run.end(), TOKEN_CHARS + 1):
            parts.extend((text[last:cut], " "))
            last = cut + 1
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _cut(text: str, start: int, end: int, limit: int, breaks: tuple[str, ...]) -> int:
    """Where to end a piece of ``text[start:end]`` of at most ``limit`` characters: after the last of
    ``breaks`` in its second half, else after its last space, else at the limit."""
    if end - start <= limit:
        return end
    low, high = start + limit // 2, start + limit
    for marks in (breaks, (" ", "\n", "\t")):
        found = max(text.rfind(mark, low, high) for mark in marks) if marks else -1
        if found >= 0:
            return found + 1
    return high


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The block ``text[start:end]`` in spans of at most :data:`CHUNK_CHARS`, cut after a sentence end."""
    while start < end:
        cut = _cut(text, start, end, CHUNK_CHARS, (". ", "! ", "? ", ".\n", "!\n", "?\n"))
        yield start, cut
        start = cut


def _batches(chunks: Iterable[tuple[_Block, tuple[int, int]]]) -> Iterator[list[tuple[_Block, tuple[int, int]]]]:
    """Chunks grouped for one spaCy call each, at most :data:`BATCH_CHARS` characters a call."""
    batch: list[tuple[_Block, tuple[int, int]]] = []
    size = 0
    for item in chunks:
        batch.append(item)
        size += item[1][1] - item[1][0]
        if size >= BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _unit_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence's span without its surrounding spaces, in pieces of at most ``unit_chars`` characters
    (cut at a space): the encoder reads no more of a unit than that anyway."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end:
        cut = _cut(text, start, end, LIMITS.unit_chars, ())
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            yield start, piece_end
        start = cut
        while start < end and text[start].isspace():
            start += 1


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
