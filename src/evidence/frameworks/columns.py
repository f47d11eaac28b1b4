"""Which column of a framework table holds what, told from the header names the way HR teams write them.

A header is compared as its words, ignoring case, spaces, punctuation, accents and a byte-order mark, with the
common synonyms of each part (:data:`SYNONYMS`: competency / capability / skill; indicator / behaviour / descriptor /
criterion; level / grade / proficiency / band; group / cluster / category / area; description / definition).
A header that says "negative", "ineffective" or "not effective" holds negative indicators; in a grid,
``Level 2 - negative`` holds level 2's. Columns named by the person importing (:class:`ColumnNames`) win.

The header need not be the first row: a title row or two above it is common in workbooks, so the first of
the top rows that names a competency column is the header. Every column left is a *level column* of a grid
(its header names the level) unless its header names something that is never a level (notes, comments).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from evidence.frameworks.options import ColumnNames

# Each part of a framework a column may hold, and the header words (joined, lower case) that name it.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "competency": ("competency", "competence", "capability", "skill", "competencyname", "competencytitle",
                   "capabilityname", "skillname", "competencearea"),
    "indicator": ("indicator", "behaviour", "behavior", "behaviouralindicator", "behavioralindicator",
                  "descriptor", "criterion", "criteria", "performancecriterion", "performancecriteria",
                  "indicatortext", "competencyindicator", "behaviourindicator", "behaviorindicator"),
    "level": ("level", "grade", "proficiency", "proficiencylevel", "band", "levelname", "gradeband",
              "competencylevel", "skilllevel", "capabilitylevel", "tier"),
    "group": ("group", "cluster", "category", "area", "competencygroup", "competencycluster", "competencycategory",
              "competencyarea", "skillgroup", "skillcategory", "capabilitygroup", "groupname", "clustername"),
    "theme": ("theme", "themename", "subtheme"),
    "description": ("description", "definition", "competencydescription", "competencydefinition",
                    "skilldescription", "capabilitydescription", "descriptionofcompetency"),
    "polarity": ("polarity", "indicatortype", "behaviourtype", "behaviortype"),
    "kind": ("kind", "indicatorkind"),
    "competency_id": ("competencyid",),
    "group_id": ("groupid",),
    "theme_id": ("themeid",),
    "indicator_id": ("indicatorid",),
    "level_id": ("levelid",),
}
_ROLE_OF = {word: role for role, words in SYNONYMS.items() for word in words}
# Words that qualify an indicator column without changing what it holds ("Positive indicators").
_POSITIVE = {"positive", "effective"}
_NEGATIVE = {"negative", "ineffective", "counterindicator", "counterindicators", "contraindicator",
             "contraindicators"}
# Columns that are never a level of a grid (nor read in a long table).
IGNORED = {"notes", "note", "comments", "comment", "source", "reference", "ref", "owner", "version", "status",
           "lastupdated", "updated", "id", "code", "no", "number", "example", "examples"}
_NEGATIVE_TEXT = re.compile(r"[\s\-–—:(\[/|,]*(?:negative|ineffective|not\s+effective|counter[\s-]?indicators?)"
                            r"(?:\s+(?:indicators?|behaviou?rs?))?\s*[)\]]?\s*$", re.I)
HEADER_SEARCH_ROWS = 10  # title rows above a header: workbooks seen have 1-3; ten leaves room


def header_words(header: str) -> list[str]:
    """A header's words, lower case, without punctuation, accents or a byte-order mark."""
    plain = unicodedata.normalize("NFKD", header.replace("\ufeff", "").casefold())
    return re.findall(r"[a-z0-9]+", "".join(c for c in plain if not unicodedata.combining(c)))


def header_key(header: str) -> str:
    """A header as one comparable word: ``"Behavioural Indicator"`` -> ``"behaviouralindicator"``."""
    return "".join(header_words(header))


def _singular(key: str) -> list[str]:
    forms = [key]
    if key.endswith("ies"):
        forms.append(key[:-3] + "y")
    if key.endswith("s"):
        forms.append(key[:-1])
    return forms


def _lookup(key: str) -> str | None:
    return next((_ROLE_OF[form] for form in _singular(key) if form in _ROLE_OF), None)


def is_negative(header: str) -> bool:
    words = header_words(header)
    pairs = zip(words, words[1:], strict=False)
    return bool(_NEGATIVE & set(words)) or any(a == "not" and b == "effective" for a, b in pairs)


def role_of(header: str) -> str | None:
    """The part a header names (a key of :data:`SYNONYMS`, or ``negative`` for negative indicators), or None."""
    words = header_words(header)
    if not words:
        return None
    negative = is_negative(header)
    kept = [w for w in words if w not in _NEGATIVE and w not in _POSITIVE and w != "not"]
    role = _lookup("".join(kept)) if kept else None
    if negative:
        return "negative" if role == "indicator" or not kept else None
    if role is None and len(kept) > 1:  # "Skill name", "Competency title": the part and a filler word
        role = _lookup("".join(w for w in kept if w not in ("name", "title", "text")))
    return role


def level_of_negative(header: str) -> str:
    """The level a negative grid column belongs to: ``"Level 2 - negative"`` -> ``"Level 2"``."""
    return _NEGATIVE_TEXT.sub("", header.replace("\ufeff", "")).strip()


@dataclass
class LevelColumn:
    """A grid column that holds one level's indicators (negative ones when ``negative``)."""

    index: int
    header: str
    level: str  # the level's name as the header writes it
    negative: bool = False


@dataclass
class Columns:
    """What each column of a table holds, found from its header row."""

    headers: list[str]
    roles: dict[str, int] = field(default_factory=dict)  # part -> column index
    levels: list[LevelColumn] = field(default_factory=list)  # a grid's level columns, left to right
    ignored: list[str] = field(default_factory=list)  # headers of columns that are not read
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # part -> the several headers that name it
    missing: dict[str, str] = field(default_factory=dict)  # part -> a column name given that is not there
    guessed: list[str] = field(default_factory=list)  # what was taken without a header to say so

    def header(self, role: str) -> str:
        return self.headers[self.roles[role]]


def find_columns(headers: list[str], *, named: ColumnNames, has_text: list[bool]) -> Columns:
    """The columns of a header row. ``has_text[i]`` says whether column ``i`` has any text below its header."""
    found = Columns(headers=list(headers))
    given = named.given()
    by_key: dict[str, int] = {}
    for index, header in enumerate(headers):
        by_key.setdefault(header_key(header), index)
    for part, name in given.items():
        if header_key(name) in by_key:
            found.roles[part] = by_key[header_key(name)]
        else:
            found.missing[part] = name
    taken = set(found.roles.values())
    candidates: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        if index in taken:
            continue
        role = role_of(header)
        if role is not None and role in given:  # the person named another column for this part
            found.ignored.append(header)
        elif role is not None:
            candidates.setdefault(role, []).append(index)
        elif role is None and header.strip():  # a level column, even an empty one: its level has no indicators
            key = header_key(header)
            if key in IGNORED or key.startswith("unnamed"):
                found.ignored.append(header)
            else:
                negative = is_negative(header)
                level = level_of_negative(header) if negative else header.strip()
                found.levels.append(LevelColumn(index, header, level or header.strip(), negative))
        elif role is None and not header.strip() and has_text[index]:
            if index == 0 and "competency" not in given and not any(role_of(h) == "competency" for h in headers):
                found.roles["competency"] = 0  # a grid's top-left header cell is often left blank
                found.guessed.append("the first column, whose header is empty, as the competencies")
            else:
                found.ignored.append(f"column {index + 1} (no header)")
    for role, indexes in candidates.items():
        found.roles[role] = indexes[0]
        if len(indexes) > 1:
            found.ambiguous[role] = [headers[i] for i in indexes]
    return found


def find_header_row(rows: list[list[str]], *, named: ColumnNames) -> int:
    """The index of the header row among the first :data:`HEADER_SEARCH_ROWS` rows: the first that names a
    competency column (or holds every column name given); the first row when none does."""
    wanted = {header_key(n) for n in named.given().values()}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {header_key(cell) for cell in row if cell.strip()}
        if wanted and wanted <= keys:
            return index
        if not wanted and any(role_of(cell) == "competency" for cell in row):
            return index
    return 0


@dataclass
class Table:
    """One sheet's rows below its header row, with the row numbers a spreadsheet shows (the first row is 1)."""

    headers: list[str]
    rows: list[list[str]]
    numbers: list[int]
    sheet: str = ""  # named in places only when the workbook has several sheets

    @classmethod
    def from_rows(cls, rows: list[list[str]], *, header: int, sheet: str = "") -> Table:
        width = max((len(r) for r in rows), default=0)
        padded = [r + [""] * (width - len(r)) for r in rows]
        body = [(n + 1, r) for n, r in enumerate(padded) if n > header and any(c.strip() for c in r)]
        return cls(headers=padded[header] if padded else [], rows=[r for _, r in body],
                   numbers=[n for n, _ in body], sheet=sheet)

    def has_text(self) -> list[bool]:
        """Whether each column has any text below the header."""
        return [any(row[i].strip() for row in self.rows) for i in range(len(self.headers))]

    def where(self, row: int, column: int | None = None) -> str:
        """A place in the sheet as people find it: ``row 7, column "Indicator"`` (``row`` indexes :attr:`rows`)."""
        place = f"row {self.numbers[row]}"
        if column is not None:
            header = self.headers[column].replace("\ufeff", "").strip()
            place += f', column "{header}"' if header else f", column {column + 1}"
        return f'sheet "{self.sheet}", {place}' if self.sheet else place
