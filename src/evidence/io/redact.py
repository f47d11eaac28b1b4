"""Blind review: remove what identifies an applicant before anyone reads or analyses the statement.

:func:`redact` replaces, with bracketed placeholders:

* e-mail addresses -> ``[email]``; URLs (``http(s)://``, ``www.``) -> ``[url]``;
* UK phone numbers (mobiles ``07xxx xxxxxx``, ``+44 7xxx``, landlines ``01xxx``/``02x``, with spaces,
  dashes or brackets) -> ``[phone]``; UK postcodes (``G82 1AB``) -> ``[postcode]``;
* names -> ``[name]``: the applicant's name from the batch row when known (the full name and each
  part, possessives included), and capitalised names the text introduces itself ("My name is ...",
  "I am Priya Mahajan, ...", "Name: ...", "Mr/Mrs/Ms/Dr ...", sign-offs such as "Kind regards,\\nJo Bloggs").
  A name found that way is then removed everywhere else in the text too.

Placeholders do not keep the replaced text's length: the redacted text is a new document that is
analysed on its own, so every unit offset points into the redacted text. :class:`Redaction` keeps
the replaced spans and maps a redacted offset back to the original where that is needed.

This is a safeguard, not a guarantee: names the text never introduces (a referee's, a colleague's)
and free-text addresses stay. Reviewers should still report anything identifying they see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PLACEHOLDERS = {"name": "[name]", "email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "url": "[url]"}

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+44\s?\(?0?\)?\s?|\(?0)"  # +44, +44 (0), 0 or (0
    r"(?:\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}|\d{3}\)?[\s-]?\d{6,7})"
    r")(?!\w)"
)
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?[0-9][A-Z]{2}\b")
_NAME_WORD = r"(?:Mc|Mac|O['’])[A-Z][a-z]+|[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_FULL_NAME = rf"(?:{_NAME_WORD})(?:[ \t]+(?:{_NAME_WORD})){{0,2}}"
NAME_CUES = [
    re.compile(rf"\b[Mm]y name is\s+(?P<name>{_FULL_NAME})"),
    re.compile(rf"\bI am\s+(?P<name>(?:{_NAME_WORD})[ \t]+(?:{_NAME_WORD}))(?=\s*[,.;:(]|\s+and\b|\s+from\b)"),
    re.compile(rf"\bI['’]m\s+(?P<name>(?:{_NAME_WORD})[ \t]+(?:{_NAME_WORD}))(?=\s*[,.;:(]|\s+and\b)"),
    re.compile(rf"(?m)^\s*(?:Full\s+)?[Nn]ame\s*:\s*(?P<name>{_FULL_NAME})"),
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?P<name>{_FULL_NAME})"),
    re.compile(rf"(?:[Rr]egards|[Ss]incerely|[Ff]aithfully|[Ww]ishes|[Tt]hanks|[Tt]hank you),?\s*\n\s*"
               rf"(?P<name>{_FULL_NAME})\s*$", re.MULTILINE),
]
# Capitalised words a cue may catch that are not names ("I am Senior ...", "My name is Not ...").
NOT_NAMES = {"a", "an", "the", "not", "currently", "confident", "passionate", "writing", "applying", "senior",
             "junior", "community", "team", "lead", "head", "very", "really", "also", "now", "here", "keen",
             "interested", "delighted", "pleased", "excited", "experienced", "qualified", "motivated"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of PLACEHOLDERS


@dataclass
class Redaction:
    """A redacted text and the spans of the original that were replaced, in order."""

    original: str
    text: str
    spans: list[Span] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for span in self.spans:
            found[span.kind] = found.get(span.kind, 0) + 1
        return found

    def to_original(self, offset: int) -> int:
        """The original text's offset for an offset into the redacted text (a placeholder maps to its start)."""
        shift = 0
        for span in self.spans:
            placeholder = PLACEHOLDERS[span.kind]
            new_start = span.start + shift
            if offset < new_start:
                break
            if offset < new_start + len(placeholder):
                return span.start
            shift += len(placeholder) - (span.end - span.start)
        return offset - shift


def redact(text: str, *, names: Iterable[str] = ()) -> Redaction:
    """Remove e-mails, URLs, UK phone numbers and postcodes, and names (``names`` plus those the text introduces)."""
    spans: list[Span] = []
    for kind, pattern in (("email", EMAIL), ("url", URL), ("phone", PHONE), ("postcode", POSTCODE)):
        spans.extend(Span(m.start(), _trim_url(m) if kind == "url" else m.end(), kind) for m in pattern.finditer(text))
    known = _name_variants([*names, *_introduced_names(text)])
    for variant in known:
        pattern = re.compile(rf"(?<![\w-]){re.escape(variant)}(?:['’]s)?(?![\w-])", re.IGNORECASE)
        spans.extend(Span(m.start(), m.end(), "name") for m in pattern.finditer(text))
    merged = _merge(spans)
    return Redaction(original=text, text=_apply(text, merged), spans=merged, names=sorted(set(known)))




def _trim_url(match: re.Match[str]) -> int:
    """A URL's end without trailing sentence punctuation."""
    end = match.end()
    while end > match.start() and match.string[end - 1] in ".,;:!?)]}":
        end -= 1
    return end


def _introduced_names(text: str) -> list[str]:
    found = []
    for pattern in NAME_CUES:
        for match in pattern.finditer(text):
            words = match.group("name").split()
            while words and words[-1].lower() in NOT_NAMES:
                words.pop()
            if words and words[0].lower() not in NOT_NAMES:
                found.append(" ".join(words))
    return found


def _name_variants(names: Sequence[str]) -> list[str]:
    """Each full name and its parts (two letters or more), longest first so full names win."""
    variants: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        variants.add(name)
        variants.update(part for part in re.split(r"[\s]+", name) if len(part) >= 2 and part.lower() not in NOT_NAMES)
    return sorted(variants, key=lambda v: (-len(v), v))


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined (the earlier, then longer, span's kind wins)."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def _apply(text: str, spans: list[Span]) -> str:
    parts, cursor = [], 0
    for span in spans:
        parts.append(text[cursor:span.start])
        parts.append(PLACEHOLDERS[span.kind])
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
