"""Blind review: remove what identifies an applicant before anyone reads or analyses the statement.

:func:`redact` replaces, with bracketed placeholders:

* e-mail addresses -> ``[email]``; URLs (``http(s)://``, ``www.``, and bare addresses such as
  ``linkedin.com/in/jo-bloggs-1234`` or ``jobloggs.co.uk``) -> ``[url]``;
* UK phone numbers (mobiles ``07xxx xxxxxx``, ``+44 7xxx``, landlines ``01xxx``/``02x``, with spaces,
  dashes or brackets) -> ``[phone]``; UK postcodes (``G82 1AB``) -> ``[postcode]``;
* names -> ``[name]``, from three sources:

  - names given (the batch row's name column): trusted, every variant below is removed;
  - names the text introduces ("My name is ...", "I am Priya Mahajan, ...", "Hi, I'm Jo", "Name: ...",
    "Mr/Mrs/Ms/Dr ...", sign-offs such as "Kind regards,\\nJo Bloggs"): trusted the same way;
  - names guessed from hints (a document's id and file name, e.g. ``Jo_Bloggs_statement.docx`` or
    ``priya.mahajan``) and from e-mail local parts and LinkedIn slugs in the text: conservative, because a
    file called ``leadership_example.docx`` names no one. The whole name (any case or separator) is always
    removed; a single word of it only where the text writes that word capitalised every time it uses it
    (a proper noun: "Priya", never "leadership" beside "Leadership").

  Variants of a name: "First Surname", "Surname, First", "F. Surname", initials ("JB", "J.B.", matched
  in capitals only), each part on its own, hyphenated and double-barrelled parts ("Bloggs-Smith",
  "Bonham Carter", "van der Berg"), possessives ("Bloggs's"), and slugs or e-mail forms ("jo-bloggs",
  "jo.bloggs", "jobloggs", "Jo_Bloggs"). Matching is accent-, case- and apostrophe-blind: text and names
  are folded to ASCII with ``anyascii`` (Zoë/Zoe, José/Jose, Siobhán/Siobhan, Łukasz/Lukasz, decomposed
  accents, O’Brien/O'Brien/OBrien). Name parts that are also common English words ("Will", "Grace",
  "Rose") and parts of three letters or fewer are matched only when capitalised, so "I will" stays.

Not caught (the Screen page's blind-review help says so too): a name the text never introduces and no
source above gives (a referee's, a colleague's, the applicant's own name written only in a heading);
transliterations other than ASCII folding ("Mueller" for "Müller"); nicknames ("Bob" for "Robert");
free-text addresses. Reviewers should still report anything identifying they see.

Placeholders do not keep the replaced text's length: the redacted text is a new document that is
analysed on its own, so every unit offset points into the redacted text. :class:`Redaction` keeps
the replaced spans and maps a redacted offset back to the original where that is needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anyascii import anyascii

PLACEHOLDERS = {"name": "[name]", "email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "url": "[url]"}

# Each address pattern starts only where a token starts (the look-behind): without it, a 40,000-character run
# of letters took 3.3 s (every position scanned to the end of the run), and a 1 M one would take an hour.
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
# A bare web address: a host ending in a common top-level domain, with or without a path. Lower case, or
# with a path, so that "ASP.NET" stays while "linkedin.com/in/jo-bloggs-1234" and "jobloggs.co.uk" go.
WEB_ADDRESS = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|me|info|dev|co\.uk|org\.uk|uk)(?![\w-])(?:/[^\s<>\"']*)?"
    r"|(?<![\w@.-])(?:[A-Za-z0-9-]+\.)+(?:com|org|net|io|me|info|dev|uk)/[^\s<>\"']+")
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+44\s?\(?0?\)?\s?|\(?0)"  # +44, +44 (0), 0 or (0
    r"(?:\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}|\d{3}\)?[\s-]?\d{6,7})"
    r")(?!\w)"
)
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?[0-9][A-Z]{2}\b")

# Names are found in the ASCII-folded text (see _Folded), so these patterns need only ASCII letters.
_PARTICLE = r"(?:O|Mac|Mc|Ni|Nic|Van|van|De|de|Da|da|Di|di|Le|le|La|la|Von|von|Der|der|Den|den|Al|al|El|el|Bin|bin)"
_NAME_WORD = r"(?:(?:Mc|Mac|O')[A-Z][a-z]+|[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*)"
_WORD = rf"(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}"
_CAPS_WORD = r"[A-Z]{2,}(?:[-'][A-Z]{2,})*"
_FULL_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
_SHOUTED_NAME = rf"(?:{_CAPS_WORD})(?:[ \t]+{_CAPS_WORD}){{1,2}}"
# A sign-off line ("Kind regards,", "Yours sincerely", "Best,") followed by a name that ends its line.
_SIGN_OFF = (r"^[ \t]*(?:(?:[Kk]ind|[Bb]est|[Ww]arm|[Ww]armest|[Mm]any|[Ww]ith best|[Ww]ith kind|[Yy]ours)[ \t]+)?"
             r"(?:[Rr]egards|[Ss]incerely|[Ff]aithfully|[Tt]ruly|[Ww]ishes|[Tt]hanks|[Tt]hank you|[Cc]heers|"
             r"[Rr]espectfully|[Bb]est)")
NAME_CUES = [
    re.compile(rf"\b[Mm]y name is\s+(?P<name>{_FULL_NAME})"),
    re.compile(rf"\bI am\s+(?P<name>{_WORD}[ \t]+{_WORD})(?=\s*[,.;:(]|\s+and\b|\s+from\b)"),
    re.compile(rf"\bI'm\s+(?P<name>{_WORD}[ \t]+{_WORD})(?=\s*[,.;:(]|\s+and\b)"),
    re.compile(rf"\b(?:Hi|Hello|Hey|Greetings)\b[,!.]?\s+(?:I'm|I am|this is|it's)\s+(?P<name>{_FULL_NAME})"
               r"(?=\s*[,.;:!(]|\s+and\b|\s*$)", re.MULTILINE),
    re.compile(rf"(?m)^\s*(?:Full\s+)?(?:[Nn]ame|NAME)\s*:[ \t]*(?P<name>{_FULL_NAME}|{_SHOUTED_NAME})"),
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?P<name>{_FULL_NAME})"),
    # the name after a comma on the same line ("Best, Jo"), or on the next line or the one after ("Best\n\nJo"),
    # so a heading such as "Best Practice" is not read as a sign-off
    re.compile(rf"{_SIGN_OFF}(?:,[ \t]*|[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t]*)(?P<name>{_FULL_NAME}|{_SHOUTED_NAME})"
               r"[ \t]*\.?[ \t]*$", re.MULTILINE),
]
# E-mail local parts and LinkedIn slugs that read as "first.last": names guessed from the text itself.
EMAIL_NAME = re.compile(r"(?<![\w.+-])([A-Za-z]{2,})[._-]([A-Za-z]{2,})(?:\d*)@")
SLUG_NAME = re.compile(r"linkedin\.com/in/([A-Za-z]{2,})-([A-Za-z]{2,})(?:-[A-Za-z]{2,})?", re.IGNORECASE)

# Capitalised words a cue may catch that are not names ("I am Senior ...", "Kind regards, The Team").
NOT_NAMES = set("""a an the not currently confident passionate writing applying senior junior community team lead
head very really also now here keen interested delighted pleased excited experienced qualified motivated
thank thanks you all everyone your yours regards sincerely faithfully truly wishes best kind warm many
manager recruitment hiring panel sir madam committee department unknown none anonymous references referees
appendix summary experience education skills training qualifications employment history profile""".split())
# Words in file names and ids that are not names (used only to read names out of hints).
HINT_WORDS = NOT_NAMES | set("""statement statements supporting personal cv resume application applications apply
cover letter final draft copy version form doc docx pdf txt md file upload scan scanned submission submitted
answers answer response responses evidence narrative profile job role post vacancy applicant candidate batch
sample test example new old updated revised latest and for of to my me in on with at by from link worker
support care carer health nurse nursing officer assistant coordinator administrator admin project service
services social mental clinical practitioner advisor adviser connector wellbeing engagement development
trainee apprentice graduate internal external interview shortlist reference ref id no number page part
section question questions appendix attachment edit edited revision rev clw nhs""".split())
# Name parts that are everyday words too: matched only when capitalised, so "I will" and "by May" stay.
COMMON_WORDS = set("""will hope grace may june april august summer autumn dawn faith joy rose ruby amber holly ivy
lily daisy iris heather pearl crystal sky rain storm river brook mark bill pat sue rich frank grant hunter
chase drew jack ray art bob max sunny angel honey king young long white black brown green gray grey baker
cook hall wood ward page price rice walker turner parker mason miller carter hill lane best bell moss fox
lamb bird love sharp strong small short little rock stone field fields park marsh bush banks waters north
south west east english french welsh scott irish law rich wise bright gold silver christian major noble
victor earl duke lord bishop knight sage star case cross house church""".split())
# Capital initials that are also everyday abbreviations: never taken for someone's initials.
ABBREVIATIONS = set("""AM PM AS AT BE BY DO GO HE IF IN IS IT ME MY NO OF OK ON OR SO TO UP US WE GP HR UK EU CV PA QA
IT NHS TV ID OT PT SW NI OK AI ML CEO CFO MP GCSE BA BSC MSC MA PHD DBS NVQ SVQ HNC HND CPD ADHD ASD PTSD
BME LGBT IQ ER AE ICU USA NB PS""".split())
_PARTICLES = {"o", "mac", "mc", "ni", "nic", "van", "de", "da", "di", "le", "la", "von", "der", "den", "al", "el",
              "bin", "du", "st", "ter", "ten"}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd"}
_SEP = r"[\s,._'/-]*"  # between name parts: "Jo Bloggs", "Bloggs, Jo", "jo.bloggs", "jo-bloggs", "JoBloggs"


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


def redact(text: str, *, names: Iterable[str] = (), hints: Iterable[str] = ()) -> Redaction:
    """Remove e-mails, URLs, UK phone numbers and postcodes, and names.

    ``names`` are the applicant's names as given (a name column); ``hints`` are strings that may carry a
    name (the document's id, its file name) and are read conservatively (see the module docstring).
    """
    spans: list[Span] = []
    for kind, pattern in (("email", EMAIL), ("url", URL), ("url", WEB_ADDRESS), ("phone", PHONE),
                          ("postcode", POSTCODE)):
        spans.extend(Span(m.start(), _trim_url(m) if kind == "url" else m.end(), kind) for m in pattern.finditer(text))
    folded = _Folded(text)
    trusted = [n for n in (*names, *_introduced_names(folded.cased)) if n.strip()]
    guessed = [*(n for hint in hints for n in names_in_hint(hint)), *_names_in_addresses(text)]
    loose, strict, used = _patterns(trusted, guessed, folded)
    for variants, haystack in ((loose, folded.lower), (strict, folded.cased)):
        if variants is not None:
            spans.extend(Span(*folded.original_span(m.start(), m.end()), "name") for m in variants.finditer(haystack))
    merged = _merge(spans)
    return Redaction(original=text, text=_apply(text, merged), spans=merged, names=used)


def names_in_hint(hint: str) -> list[str]:
    """A name read out of an id, a file name, an e-mail address or a profile link ("Jo_Bloggs_statement.docx",
    "jo.bloggs@example.com", "linkedin.com/in/jo-bloggs" -> "Jo Bloggs"), or nothing.

    Words that are not names (statement, cv, final, role words...) and anything with a digit are dropped;
    what is left is a name when it is one to three words, at most one of them a single letter.
    """
    hint = hint.strip().split("@", 1)[0]  # an e-mail address: its local part
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", hint.rstrip("/").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", anyascii(stem))  # JBloggs -> J Bloggs
    words = [w for w in re.split(r"[\s_.,()\[\]+-]+", stem) if w and w.isalpha() and w.lower() not in HINT_WORDS]
    if not 1 <= len(words) <= 3 or sum(len(w) == 1 for w in words) > 1 or max(len(w) for w in words) < 3:
        return []
    return [" ".join(words)]


def _trim_url(match: re.Match[str]) -> int:
    """A URL's end without trailing sentence punctuation."""
    end = match.end()
    while end > match.start() and match.string[end - 1] in ".,;:!?)]}":
        end -= 1
    return end


class _Folded:
    """The text folded to ASCII (accents, ligatures and curly quotes), kept cased and lower-cased, with
    each folded character's offset in the original, so a match in the folded text maps back."""

    def __init__(self, text: str) -> None:
        self.text = text
        if text.isascii():
            self.cased, self.origin = text, None
        else:
            parts: list[str] = []
            origin: list[int] = []
            cache: dict[str, str] = {}
            for run in re.finditer(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
                if run.group().isascii():
                    parts.append(run.group())
                    origin.extend(range(run.start(), run.end()))
                    continue
                for offset, char in enumerate(run.group(), start=run.start()):
                    folded = cache.get(char)
                    if folded is None:
                        folded = cache[char] = anyascii(char)
                    parts.append(folded)
                    origin.extend([offset] * len(folded))
            self.cased, self.origin = "".join(parts), origin
        self.lower = self.cased.lower()  # ASCII lower-casing keeps every offset

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        first, last = self.origin[start], self.origin[end - 1] + 1
        while last < len(self.text) and unicodedata.combining(self.text[last]):  # a decomposed accent
            last += 1
        return first, last


def _introduced_names(folded: str) -> list[str]:
    found = []
    for pattern in NAME_CUES:
        for match in pattern.finditer(folded):
            words = match.group("name").split()
            while words and words[-1].lower() in NOT_NAMES:
                words.pop()
            if words and words[0].lower() not in NOT_NAMES:
                found.append(" ".join(words))
    return found


def _names_in_addresses(text: str) -> list[str]:
    """"first.last@..." and "linkedin.com/in/first-last" read as names (guessed, so used conservatively)."""
    found = []
    for pattern in (EMAIL_NAME, SLUG_NAME):
        for match in pattern.finditer(text):
            words = [w for w in match.groups() if w and w.lower() not in HINT_WORDS]
            if len(words) >= 2:
                found.append(" ".join(words))
    return found


def _tokens(name: str) -> list[str]:
    """A name's parts, ASCII-folded, "Surname, First" turned round, titles dropped."""
    folded = anyascii(" ".join(name.split()))
    if folded.count(",") == 1:
        surname, first = folded.split(",")
        folded = f"{first} {surname}"
    words = re.findall(r"[A-Za-z]+(?:['-][A-Za-z]+)*", folded)
    return [w for w in words if w.lower().rstrip(".") not in _TITLES]


def _word_pattern(word: str) -> str:
    """One part, with any apostrophe or hyphen inside it optional ("O'Brien", "OBrien", "O Brien")."""
    return r"['\s-]?".join(re.escape(piece) for piece in re.split(r"['-]", word.lower()))


def _sequence(words: Sequence[str]) -> str:
    return _SEP.join(_word_pattern(w) for w in words)


def _patterns(trusted: Sequence[str], guessed: Sequence[str], folded: _Folded
              ) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, list[str]]:
    """One case-blind pattern (for the folded lower-case text) and one capitals-only pattern for every variant
    of every name, and the names used."""
    loose: set[str] = set()
    strict: set[str] = set()
    used: list[str] = []
    proper_nouns = _proper_nouns(folded) if guessed else set()
    for name, sure in [*((n, True) for n in dict.fromkeys(trusted)), *((n, False) for n in dict.fromkeys(guessed))]:
        words = _tokens(name)
        core = [w for w in words if w.lower() not in _PARTICLES]
        if not core or max(len(w) for w in core) < 2:  # "N/A", "-", a lone initial: nothing to look for
            continue
        before = len(loose) + len(strict)
        loose.update(_sequences(words, core))
        for word in {part for w in core for part in (w, *w.split("-"))}:
            if len(word) < 2 or word.lower() in NOT_NAMES or word.lower() in _PARTICLES:
                continue
            if not sure and word.lower() not in proper_nouns:
                continue
            if len(word) <= 3 or word.lower() in COMMON_WORDS:
                strict.update(_capitalised(word))
            else:
                loose.add(_word_pattern(word))
        if len(core) >= 2:
            initials = "".join(w[0].upper() for w in core)
            if initials not in ABBREVIATIONS:
                strict.add(r"\.?\s?".join(initials) + r"\.?")
        if len(loose) + len(strict) > before:
            used.append(" ".join(words))
    return (_compile(loose, r"(?<![a-z0-9])(?:{})(?:'s)?(?![a-z0-9])"),
            _compile(strict, r"(?<![A-Za-z0-9])(?:{})(?:'s)?(?![A-Za-z0-9])"), sorted(set(used)))


def _sequences(words: list[str], core: list[str]) -> set[str]:
    """Variants of two words or more: the whole name and its runs ("van der Berg", "O Brien"), turned round
    ("Bloggs, Jo"), and with the first name as an initial ("J. Bloggs", "Bloggs J")."""
    if len(words) < 2:
        return set()
    found = {_sequence(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)
             if words[j - 1].lower() not in _PARTICLES}
    if len(core) >= 2:
        last = len(words) - 1
        while last > 0 and words[last].lower() in _PARTICLES:
            last -= 1
        begin = last
        while begin > 0 and words[begin - 1].lower() in _PARTICLES:
            begin -= 1
        first, surname = core[0], words[begin:last + 1]
        found |= {_sequence([first, *surname]), _sequence([*surname, first]), _sequence([first[0], *surname]),
                  _sequence([*surname, first[0]]), _sequence([first[0], *(w[0] for w in core[1:-1]), *surname])}
    return found


def _capitalised(word: str) -> set[str]:
    return {re.escape(word), re.escape(word.upper()), re.escape(word[0].upper() + word[1:].lower())}


def _proper_nouns(folded: _Folded) -> set[str]:
    """Lower-cased words the text uses, free-standing, always with a capital: proper nouns, not everyday words
    ("Priya", not "leadership" beside "Leadership"). Uses inside addresses ("jo.bloggs@", "jo-bloggs") do not
    count. One pass over the text, however many names are guessed."""
    capitalised: dict[str, bool] = {}
    for match in re.finditer(r"(?<![\w.@/-])[A-Za-z]+(?![\w@/]|[.-]\w)", folded.cased):
        word = match.group().lower()
        capitalised[word] = capitalised.get(word, True) and match.group()[0].isupper()
    return {word for word, always in capitalised.items() if always}


def _compile(variants: set[str], template: str) -> re.Pattern[str] | None:
    """Every variant in one alternation, longest first so the whole name wins over its parts."""
    if not variants:
        return None
    return re.compile(template.replace("{}", "|".join(sorted(variants, key=lambda v: (-len(v), v)))))


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
