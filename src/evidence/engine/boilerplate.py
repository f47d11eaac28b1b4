"""Recognising the parts of a document that are never evidence: headings, metadata lines, contact
lines, greetings, sign-offs and closing courtesies.

Applicants and appraisees frame their evidence with their own section headings ("Working across teams"),
form fields ("**Appraisee:** Senior Administrator", "Date: ..."), contact details ("You can reach me on
...") and letter conventions ("Dear Hiring Manager," "Yours sincerely"). Read as sentences they match a
framework's words (a heading is often a competency's own name) and were shown as evidence with levels
(issue 15). Each test here is a plain-text rule on one line or one sentence, so it costs nothing next to
the encoder and never moves an offset: :mod:`evidence.engine.segment` skips what they recognise.
"""

from __future__ import annotations

import re

HEADING_WORDS = 8  # the longest own heading seen in the sample applications has 5 words; a sentence is longer
HEADING_CHARS = 90
TAGS = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>")  # <b>Team Working</b> in pasted HTML
EMPHASIS = "*_ \t"
# a line that starts with its subject ("I ran ...", "We agreed ...") is a sentence written without a full
# stop, however short; a heading may still contain one ("Why I want this job")
SUBJECT_FIRST = re.compile(r"^(?:I|I'm|I've|I'd|I'll|We|We're|We've|We'd)\b", re.IGNORECASE)
# a past-tense opener is a CV line ("Organised the summer fair"), not the gerund or noun of a heading
PAST_OPENER = re.compile(r"^(?:[A-Za-z]+ed|Led|Ran|Built|Set|Wrote|Made|Took|Gave|Held|Kept|Won|Met|Drew|Brought|"
                         r"Taught|Spoke|Sought|Chose|Began|Grew|Oversaw|Undertook|Got|Did|Went|Found|Sent)\b")
MINOR_WORDS = frozenset("a an and as at but by for from in into of on or per the to vs with within without".split())
SENTENCE_PUNCTUATION = tuple(".!?;,")

# form fields of appraisals and application forms: "Name: ...", "**Review period:** ...". A STAR label
# ("Situation:", "Result:") is not one of them: what follows it is the evidence itself.
METADATA_LABELS = frozenset({
    "name", "full name", "candidate", "candidate name", "candidate number", "applicant", "applicant name",
    "applicant number", "appraisee", "appraiser", "reviewer", "reviewee", "employee", "employee name",
    "employee number", "staff number", "staff id", "payroll number", "date", "dates", "date of review",
    "review date", "date of appraisal", "appraisal date", "meeting date", "date of meeting", "submitted",
    "role", "job title", "job", "title", "post", "post title", "position", "current role", "current position",
    "grade", "band", "pay band", "grade/band", "level", "manager", "line manager", "reviewing manager",
    "reviewing officer", "countersigning manager", "countersigning officer", "department", "directorate",
    "division", "service", "service area", "team", "section", "location", "base", "office", "site", "period",
    "review period", "appraisal period", "reporting period", "year", "appraisal year", "reference", "ref",
    "job reference", "vacancy", "vacancy reference", "vacancy number", "framework", "email", "e-mail",
    "email address", "phone", "telephone", "tel", "mobile", "phone number", "telephone number", "contact",
    "contact details", "address", "postcode", "linkedin", "website", "word count", "words",
})
FIELD = re.compile(r"^[ \t]*(?:<[^>]{1,10}>|[*_]{1,2})?[ \t]*([A-Za-z][A-Za-z /&'()-]{0,40}?)[ \t]*"
                   r"(?:</[^>]{1,10}>|[*_]{1,2})?[ \t]*:")
COMMENT = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|we|we've|we're)\b", re.IGNORECASE)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[ -]?\(?0?\)?\d{2,4}|\(?0\d{2,4}\)?)[ -]?\d{3,4}[ -]?\d{3,4}(?![\w.])")
URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
PLACEHOLDER = re.compile(r"[\[(](?:e-?mail|phone|telephone|mobile|number|address|contact details)[\])]",
                         re.IGNORECASE)
CONTACT_PHRASE = re.compile(
    r"\b(?:reach me|contact me|get in touch with me|call me|phone me|ring me|text me|e-?mail me|"
    r"my (?:e-?mail|phone|mobile|telephone|contact)(?: number| address| details)? (?:is|are)|"
    r"i can be (?:reached|contacted))\b", re.IGNORECASE)
CONTACT_WORDS = 4  # an address or number with at most this many other words around it is a contact line

# a greeting ends with its punctuation or the sentence: "Hi-vis jackets ..." is none
GREETING = re.compile(r"^(?:dear|hello|hi|hey|good (?:morning|afternoon|evening)|greetings|to whom it may concern)"
                      r"(?:[ \t]+[^\s,.!?:;]+){0,5}[ \t]*(?:[,!:]|$)", re.IGNORECASE)
SIGN_OFF = re.compile(
    r"^(?:(?:kind(?:est)?|best|warm(?:est)?) (?:regards|wishes)|regards|all the best|many thanks|"
    r"thanks(?! to\b)|thank you|yours (?:sincerely|faithfully|truly)|sincerely|respectfully|"
    r"with (?:thanks|best wishes|kind regards|many thanks))\b", re.IGNORECASE)
SIGN_OFF_WORDS = 8
COURTESY = re.compile(
    r"\b(?:look(?:ing)? forward to hearing from you|hope to hear from you|thank you for (?:your time|your "
    r"consideration|considering|taking the time|reading|the opportunity)|(?:do not|don't) hesitate to "
    r"(?:contact|get in touch)|please (?:feel free to )?(?:contact me|get in touch))\b", re.IGNORECASE)


def heading_core(line: str) -> str:
    """The words of a line stripped of HTML tags, emphasis and a closing colon."""
    return TAGS.sub("", line).strip(EMPHASIS).rstrip(":").strip(EMPHASIS)


def heading_shaped(line: str) -> bool:
    """A short line of words without a sentence's punctuation that does not open with its subject: it may
    be a heading. Whether it is one also depends on its place (:func:`is_heading`)."""
    stripped = line.strip()
    if not stripped or len(stripped) > HEADING_CHARS:
        return False
    core = heading_core(stripped)
    words = core.split()
    return (0 < len(words) <= HEADING_WORDS and any(ch.isalpha() for ch in core)
            and not core.endswith(SENTENCE_PUNCTUATION) and not SUBJECT_FIRST.match(core))


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w[:1].isalpha() and w.lower() not in MINOR_WORDS]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


def is_heading(line: str, *, standalone: bool, next_line: str | None, next_is_bullet: bool = False) -> bool:
    """Whether a line (not a bullet) is the writer's own heading: heading-shaped, ``standalone`` (nothing
    unfinished above it: a wrapped line of a paragraph is none) and either marked as one (a closing colon,
    the whole line in bold or HTML, Title Case) or above a paragraph or a list (``next_line``: the next
    line with text).

    A short unpunctuated line inside a list ("Led a team of five" followed by "Managed the rota") stays
    a unit: neither it nor its neighbours finish a sentence."""
    if not standalone or not heading_shaped(line):
        return False
    stripped = line.strip()
    core = heading_core(stripped)
    marked = stripped.rstrip(EMPHASIS).endswith(":") or stripped != TAGS.sub("", stripped) or (
        stripped[:2] in ("**", "__") and stripped.rstrip(":")[-2:] in ("**", "__"))
    if marked or _title_case(core.split()):
        return True
    if next_line is None or any(ch.isdigit() for ch in core) or PAST_OPENER.match(core):
        return False
    follows = next_line.strip().rstrip("\"')]")
    return next_is_bullet or follows.endswith((".", "!", "?"))


def is_metadata(line: str) -> bool:
    """A form field: a known label ("Name", "**Appraisee:**", "Review period") and a value that is not
    the writer's own sentence; or a markup comment (``<!-- framework: ... -->``)."""
    if COMMENT.match(line):
        return True
    field = FIELD.match(line)
    if not field or " ".join(field.group(1).lower().split()) not in METADATA_LABELS:
        return False
    return not FIRST_PERSON.search(line[field.end():])


def is_contact(sentence: str) -> bool:
    """A sentence that gives contact details ("You can reach me on [email] or [phone].")."""
    if CONTACT_PHRASE.search(sentence):
        return True
    rest, found = sentence, 0
    for pattern in (EMAIL, URL, PLACEHOLDER, PHONE):
        rest, n = pattern.subn(" ", rest)
        found += n
    # "I set up team@council.gov.uk for residents" is the writer's own action, however short
    return found > 0 and not FIRST_PERSON.search(rest) and len(re.findall(r"[A-Za-z]{2,}", rest)) <= CONTACT_WORDS


def greeting_end(sentence: str) -> int:
    """Where a greeting that opens the sentence ("Dear Hiring Manager,") ends; 0 if it has none."""
    found = GREETING.match(sentence)
    return found.end() if found else 0


def is_closing(sentence: str) -> bool:
    """A sign-off ("Kind regards", "Yours sincerely, Sam") or a closing courtesy ("Thank you for your time")."""
    short = len(sentence.split()) <= SIGN_OFF_WORDS
    return bool(short and SIGN_OFF.match(sentence.strip(EMPHASIS))) or bool(COURTESY.search(sentence))


def non_unit_reason(sentence: str) -> str | None:
    """Why a sentence is no evidence unit (``contact``, ``greeting``, ``closing``), or None."""
    if is_contact(sentence):
        return "contact"
    if greeting_end(sentence) >= len(sentence.rstrip()):
        return "greeting"
    if is_closing(sentence):
        return "closing"
    return None
