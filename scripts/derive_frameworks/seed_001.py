"""Derive ``frameworks/community-link-worker.yaml`` from seed 001 (Community Link Worker candidate pack).

Run from the repository root::

    .venv/bin/python -m scripts.derive_frameworks.seed_001

The seed is a PDF-to-text dump (markdown headings, tab-separated table rows holding HTML fragments) of a
candidate pack: role description, person specification (Essential / Desirable / Assessed By table), the
required level per competency, and seven "CRITICAL COMPETENCIES" sections. Each competency section has

* a Definition cell and a "Why is it important?" cell (one row);
* a Level 1..4 table: either a header row of labels followed by bullet rows, or each cell starting with
  its own "Level N" label. Page breaks split it into several rows: a cell that starts a new ``<ul>`` adds
  bullets to its column, while a cell of bare text (or ``<p>``) is the rest of the column's last bullet,
  cut at the page break ("... those with carer" / "responsibilities or from different backgrounds.");
* a "When things are going well" / "When things are not going well" table, likewise split across rows.

Mapping: Level bullets -> behaviour indicators at that level; going-well bullets -> unlevelled positive
indicators; not-going-well bullets -> unlevelled negative indicators. One role carries the required
levels and every person-specification line as a criterion.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from evidence.domain import (
    Competency,
    Criterion,
    Framework,
    Indicator,
    Level,
    Polarity,
    Priority,
    Requirement,
    Role,
    slugify,
)
from evidence.frameworks.catalogue import save_framework
from scripts.derive_frameworks.common import read_seed

REPO_ROOT = Path(__file__).resolve().parents[2]

FRAMEWORK_ID = "community-link-worker"
SEED_GLOB = "001_*.txt"
LEVEL_IDS = ["1", "2", "3", "4"]

# The section heading "DELIVERING QUALITY SERVICES" is listed in the role's "Competence / Level Required"
# table as "Developing Quality Services". Competency names follow the table (the role profile), so the
# one heading that differs is mapped by hand; every other heading matches its table row case-insensitively.
HEADING_ALIASES = {"DELIVERING QUALITY SERVICES": "Developing Quality Services"}

SECTION_HEADING = re.compile(r"^## CRITICAL COMPETEN(?:CIES|CES): (.+)$")
LEVEL_LABEL = re.compile(r"^\s*(?:<p>)?<b>Level (\d)</b>(?:</p>)?\s*")
LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
DEBRIS = re.compile(r"^[-\s]*$")  # blank lines and the "---\t--" rules left by page breaks


def clean(fragment: str) -> str:
    """Plain text from an HTML fragment: tags and bullets removed, entities decoded, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    text = text.replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def items(cell: str) -> list[str]:
    """The separate entries of a table cell: its list items, else its paragraphs, else the whole cell."""
    for pattern in (LIST_ITEM, PARAGRAPH):
        found = [clean(m) for m in pattern.findall(cell)]
        if found:
            return [f for f in found if f]
    text = clean(cell)
    return [text] if text else []


def section_lines(lines: list[str], start: str, stop: str) -> list[str]:
    """The lines after the heading line ``start`` up to (not including) the first line starting with ``stop``."""
    begin = next(i for i, line in enumerate(lines) if line.startswith(start)) + 1
    end = next(i for i in range(begin, len(lines)) if lines[i].startswith(stop))
    return lines[begin:end]


# -- competencies --------------------------------------------------------------------------------


def parse_competency(name: str, body: list[str]) -> Competency:
    """One CRITICAL COMPETENCIES section: definition, level bullets, going well / not going well bullets."""
    definition = why = ""
    levels: dict[str, list[str]] = {lv: [] for lv in LEVEL_IDS}
    positive: list[str] = []
    negative: list[str] = []
    mode: str | None = None  # "levels" or "wellness": which table the following rows continue

    for line in body:
        if DEBRIS.match(line):
            continue
        cells = line.split("\t")
        if "Definition</b>" in line:
            definition = re.sub(r"^Definition\s*", "", clean(cells[0]))
            why_cell = next(c for c in cells[1:] if "Why is it important?" in c)
            why = re.sub(r"^Why is it important\?\s*", "", clean(why_cell))
            continue
        if "When things are going well" in line:
            mode = "wellness"
            # Header cells may carry their bullets inline (after the label) or on the following rows.
            for cell in cells:
                target = negative if "not going well" in cell else positive
                if "going well" in cell:
                    target.extend(items(re.sub(r"^.*?going well</b>(?:</p>)?", "", cell, flags=re.S)))
            continue
        if LEVEL_LABEL.match(cells[0]):
            mode = "levels"
            for column, cell in enumerate(cells):
                label = LEVEL_LABEL.match(cell)
                if label is None:
                    raise ValueError(f"{name}: expected a 'Level N' cell in column {column}: {cell[:80]!r}")
                if label.group(1) != LEVEL_IDS[column]:
                    raise ValueError(f"{name}: Level {label.group(1)} found in column {column}")
                add_cell(levels[LEVEL_IDS[column]], cell[label.end():], where=f"{name} level {column + 1}")
            continue
        if mode == "levels":
            # Page-break rows of the level table: one cell per level column, by position.
            for column, cell in enumerate(cells[:len(LEVEL_IDS)]):
                add_cell(levels[LEVEL_IDS[column]], cell, where=f"{name} level {column + 1}")
        elif mode == "wellness":
            # Rows of the going-well table put the two columns either at cells 0 and 2 (with an empty
            # spacer cell) or at cells 0 and 1, so the non-empty cells are taken in order.
            filled = [c for c in cells if c.strip()]
            if len(filled) > 2:
                raise ValueError(f"{name}: going-well row with {len(filled)} cells: {line[:80]!r}")
            for target, cell in zip((positive, negative), filled, strict=False):
                add_cell(target, cell, where=f"{name} going well")
        else:
            raise ValueError(f"{name}: unexpected line {line[:80]!r}")

    competency_id = slugify(name)
    indicators = [Indicator(id=f"{competency_id}.{level}.{n:02d}", text=text, level=level)
                  for level in LEVEL_IDS for n, text in enumerate(levels[level], 1)]
    indicators += [Indicator(id=f"{competency_id}.pos.{n:02d}", text=text) for n, text in enumerate(positive, 1)]
    indicators += [Indicator(id=f"{competency_id}.neg.{n:02d}", text=text, polarity=Polarity.negative)
                   for n, text in enumerate(negative, 1)]
    description = f"{definition}\n\nWhy is it important? {why}" if why else definition
    return Competency(id=competency_id, name=name, description=description, indicators=indicators)


def add_cell(bullets: list[str], cell: str, *, where: str) -> None:
    """Add a table cell's content to its column: new bullets, or the end of the last bullet cut at a page break."""
    if not cell.strip():
        return
    if "<li>" in cell:
        bullets.extend(items(cell))
        return
    # Bare text or a <p>: the remainder of a bullet split by the page break; rejoin it.
    if not bullets:
        raise ValueError(f"{where}: continuation text with no bullet to continue: {cell[:80]!r}")
    bullets[-1] = f"{bullets[-1]} {clean(cell)}"


# -- role ----------------------------------------------------------------------------------------


def parse_requirements(lines: list[str]) -> dict[str, str]:
    """The "Competence / Level Required" table: competency name -> level."""
    start = next(i for i, line in enumerate(lines) if line.startswith("<b>Competence</b>")) + 1
    required: dict[str, str] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        name, level = line.split("\t")
        required[name.strip()] = level.strip()
    return required


def parse_person_specification(rows: list[str]) -> list[Criterion]:
    """The Essential / Desirable / Assessed By table, one criterion per item of a cell.

    A row whose heading cell is empty continues the previous row's category across a page break
    (Occupational, Skills), so it also shares that row's "Assessed By" methods.
    """
    columns = [clean(c) for c in next(r for r in rows if "<b>Essential</b>" in r).split("\t")]
    if columns[1:] != ["Essential", "Desirable", "Assessed By"]:
        raise ValueError(f"unexpected person specification header {columns}")
    criteria: list[Criterion] = []
    category = ""
    assessed_by: list[str] = []
    for row in rows:
        if not row.strip() or "<b>Essential</b>" in row:
            continue
        cells = (row.split("\t") + ["", "", "", ""])[:4]
        if clean(cells[0]):
            category = clean(cells[0])
            # Methods are one <p> each, or plain words separated by two spaces ("Application  Interview").
            if "<" in cells[3]:
                assessed_by = items(cells[3])
            else:
                assessed_by = [m.strip() for m in re.split(r"\s{2,}", cells[3].strip()) if m.strip()]
        for priority, cell in ((Priority.essential, cells[1]), (Priority.desirable, cells[2])):
            for text in items(cell):
                criteria.append(Criterion(text=text, priority=priority, category=category,
                                          assessed_by=list(assessed_by)))
    return criteria


# -- the whole pack ------------------------------------------------------------------------------


def parse(text: str) -> Framework:
    """Build the framework from the seed's text."""
    lines = text.splitlines()
    required = parse_requirements(lines)
    table_names = {name.upper(): name for name in required}

    competencies: list[Competency] = []
    heads = [i for i, line in enumerate(lines) if SECTION_HEADING.match(line)]
    for n, head in enumerate(heads):
        heading = SECTION_HEADING.match(lines[head]).group(1).strip()
        name = HEADING_ALIASES.get(heading) or table_names.get(heading)
        if name is None:
            raise ValueError(f"competency heading {heading!r} is not in the Level Required table {list(required)}")
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        competencies.append(parse_competency(name, lines[head + 1:end]))

    by_name = {c.name: c.id for c in competencies}
    requirements = [Requirement(competency=by_name[name], level=level, priority=Priority.essential)
                    for name, level in required.items()]
    criteria = parse_person_specification(section_lines(lines, "## 8. Person Specification", "## 9."))

    # The job purpose: the role summary under "Dimensions of the Post".
    purpose = next(line for line in lines if line.startswith("We are looking to recruit Community Link Worker"))
    framework_text = next(line for line in lines if line.startswith("Posts are graded within"))
    framework_text = framework_text.split(" The role of Community Link Worker")[0]

    role = Role(id="community-link-worker", name="Community Link Worker", description=clean(purpose),
                requirements=requirements, criteria=criteria)
    return Framework(
        id=FRAMEWORK_ID,
        name="WDCVS Community Link Worker Competency Framework",
        source="seed 001: Community Link Worker Candidate Pack",
        description=("Candidate pack for the Community Link Worker post in WDCVS's Wellbeing & Tackling "
                     "Inequalities Team (West Dunbartonshire): job description, person specification and "
                     "seven critical competencies, each with Level 1-4 behaviours and signs of when things are "
                     f"and are not going well. {framework_text}"),
        levels=[Level(id=lv, name=f"Level {lv}") for lv in LEVEL_IDS],
        competencies=competencies,
        roles=[role],
    )


def build(repo_root: Path = REPO_ROOT) -> Framework:
    return parse(read_seed(SEED_GLOB, repo_root))


def main() -> None:
    framework = build()
    out = save_framework(framework, REPO_ROOT / "frameworks" / f"{FRAMEWORK_ID}.yaml")
    total = sum(len(c.indicators) for c in framework.competencies)
    print(f"wrote {out}: {len(framework.competencies)} competencies, {total} indicators, "
          f"{len(framework.roles[0].criteria)} criteria")


if __name__ == "__main__":
    main()
