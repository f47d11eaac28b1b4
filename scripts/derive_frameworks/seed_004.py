"""Derive ``frameworks/axelos-skills.yaml`` from seed 004, the AXELOS Skills Framework (September 2015).

Run from the repository root::

    .venv/bin/python -m scripts.derive_frameworks.seed_004

The seed is a PDF-to-text conversion. Its structure:

* a level table (1..5, a bold level name followed by the descriptor text);
* a skill summary table (2.1) of 57 skills in 5 categories, each with a one-line description and
  five level columns (the ticks marking which levels a skill uses were lost in the conversion:
  every one of those cells is empty in this seed);
* one section per skill (2.2 .. 2.6): a heading, the skill's definition, then a five-column row whose
  cells are either a dash (level not defined) or ``<summary> You can: <bullet> <bullet> ...``.

The bullets come in four shapes: ``<ul><li>`` lists, one ``<p>`` per bullet, bullets separated by runs
of spaces, and bullets collapsed into one run of text with single spaces. The last shape is split
before each capitalised word that starts a new statement (see :func:`_split_collapsed`); the few
capitalised words that do not start a bullet are excluded by rule or listed in ``NOT_BULLET_STARTS``.

Indicator text is each bullet as written, without the "You can:" stem: the bullets are verb phrases
that read as complete statements on their own, and a few would not read grammatically after the
stem ("Has depth of expertise ...", "Provides strategic leadership ...", "Proactive in analyzing ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evidence.domain import (
    Competency,
    Framework,
    Group,
    Indicator,
    IndicatorKind,
    Level,
    Polarity,
    slugify,
)
from evidence.frameworks.catalogue import save_framework
from scripts.derive_frameworks.common import read_seed

REPO = Path(__file__).resolve().parents[2]

OUTPUT = REPO / "frameworks" / "axelos-skills.yaml"
FRAMEWORK_ID = "axelos-skills"
LEVEL_IDS = ["1", "2", "3", "4", "5"]
LEVEL_ROW = "1\t2\t3\t4\t5"
DASHES = {"–", "-", "—", ""}

# Section headings that do not name their skill exactly as the summary table does (compared
# case-insensitively). The summary table's names are used as competency names: they are in
# sentence case, whereas most section headings are in capitals.
HEADING_TO_SUMMARY_NAME: dict[str, str] = {
    "APPLICATION OF PPM BEST PRACTICE PROCESSES, MODELS AND TOOLS":
        "Application of best practice processes, models and tools",
    "PORTFOLIO, PROGRAMME AND PROJECT SUPPORT (P30/PMO)": "Portfolio, programme and project support",
    "BENEFITS MANAGEMENT": "Benefits management and realization",
    "REQUIREMENTS IDENTIFICATION": "Requirements/needs identification",
    "INFORMATION SYSTEMS (IS) GOVERNANCE": "IS Governance",
    "APPLICATION OF ITSM BEST PRACTICE PROCESSES, METHODS AND TOOLS":
        "Application of best practice processes, methods and tools",
    "QUALITY ORIENTATION (ATTENTION TO DETIAL)": "Quality orientation (attention to detail)",
}

# Capitalised words inside collapsed bullet runs that continue a bullet rather than start one
# (found by reading every collapsed cell): "... vision to Executive, third party shareholders ...".
NOT_BULLET_STARTS = {"Executive"}

# Conversion debris inside cell text, removed before parsing. Each is a literal (old, new) pair that
# must occur exactly once in the seed (checked in build), so a changed seed fails loudly.
DEBRIS_FIXES: list[tuple[str, str]] = [
    # a stray 'p' left between two words (Project and programme organization and governance, level 4)
    ("project/programme, p e.g. quality management", "project/programme, e.g. quality management"),
]

# A level label repeated inside a level summary ("Level 5 - Leads definition ..."): the column
# already says which level it is, so the label is dropped.
LEVEL_LABEL = re.compile(r"^Level\s+\d\s*-\s*")


@dataclass
class SummaryRow:
    """One skill of the 2.1 summary table."""

    name: str
    description: str
    category: str
    marks: list[str] = field(default_factory=list)  # the five level cells, as found


@dataclass
class Section:
    """One skill's own definition section."""

    heading: str
    definition: str
    category: str
    cells: list[str]


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text)


def _squash(text: str) -> str:
    """Collapse runs of whitespace (tabs, the spaces a tag strip leaves) into single spaces."""
    return re.sub(r"\s+", " ", text).strip()


# -- front matter ------------------------------------------------------------------------------


def parse_categories(lines: list[str]) -> list[str]:
    """The five category names, from the contents list ("2.2 Project Portfolio Management 9")."""
    names = []
    for line in lines:
        m = re.match(r"^2\.([2-6])\t(.+?)\t\d+$", line)
        if m:
            names.append(m.group(2).strip())
    assert len(names) == 5, names
    return names


def parse_levels(lines: list[str]) -> list[Level]:
    """The level table: ``1\\t<b>Intern /Entry level</b> Works primarily ...``."""
    levels = []
    for line in lines:
        m = re.match(r"^([1-5])\t<b>(.+?)</b>\s*(.+)$", line)
        if m:
            # The seed spaces the slash unevenly ("Intern /Entry level", "Professional/ Manager").
            name = re.sub(r"\s*/\s*", " / ", m.group(2).strip())
            levels.append(Level(id=m.group(1), name=name, description=_squash(m.group(3))))
    assert [lv.id for lv in levels] == LEVEL_IDS, levels
    return levels


def parse_summary_table(lines: list[str]) -> list[SummaryRow]:
    """The 2.1 skill summary table, with rows split by page breaks glued back together."""
    start = next(i for i, line in enumerate(lines) if line.strip() == "### 2.1 SKILL SUMMARY")
    end = next(i for i, line in enumerate(lines) if line.startswith("## 2.2 "))
    rows: list[SummaryRow] = []
    category = ""
    for line in lines[start + 1:end]:
        if not line.strip() or line.startswith("Skill\tDescription") or line.strip() == LEVEL_ROW:
            continue
        cells = line.split("\t")
        name, rest = cells[0].strip(), [c.strip() for c in cells[1:]]
        if name and not any(rest):
            category = name  # a category row: a name and nothing else
            continue
        description, marks = (rest[0] if rest else ""), rest[1:6]
        previous = rows[-1] if rows else None
        # A row continued after a page break: either no name cell ("\tproduced by the project ...")
        # or the tail of a name cut inside parentheses ("Quality orientation (attention to" / "detail)").
        if previous and (not name or previous.name.count("(") > previous.name.count(")")):
            previous.name = _squash(f"{previous.name} {name}")
            previous.description = _squash(f"{previous.description} {description}")
            previous.marks = [a or b for a, b in zip(previous.marks, marks, strict=False)] if previous.marks else marks
            continue
        rows.append(SummaryRow(name=name, description=_squash(description), category=category, marks=marks))
    return rows


# -- skill sections ----------------------------------------------------------------------------


def parse_sections(lines: list[str]) -> list[Section]:
    """Every skill section: the heading and definition above each ``1 2 3 4 5`` row and the cells below it."""
    start = next(i for i, line in enumerate(lines) if line.startswith("## 2.2 "))
    sections = []
    category = ""
    for i in range(start, len(lines)):
        line = lines[i]
        m = re.match(r"^#+\s*2\.[2-6]\s+(.+)$", line)
        if m:
            category = m.group(1).strip()
        if line.strip() != LEVEL_ROW:
            continue
        above = [lines[j] for j in range(i - 1, start, -1) if lines[j].strip()][:2]
        combined = re.match(r"^<b>(.+?)</b>\s*(.+)$", above[0].strip())
        if combined:  # "<b>INNOVATING</b> Being able to ..." on one line
            heading, definition = combined.group(1), combined.group(2)
        else:
            heading, definition = above[1], above[0]
        heading = re.sub(r"^#+\s*|\*\*", "", heading).strip()
        row = next(lines[j] for j in range(i + 1, len(lines)) if lines[j].strip())
        cells = row.split("\t")
        assert len(cells) == 5, (heading, len(cells))
        sections.append(Section(heading=heading, definition=_squash(_strip_tags(definition)),
                                category=category, cells=cells))
    return sections


def _split_collapsed(text: str) -> list[str]:
    """Split bullets that the conversion ran together with single spaces.

    A bullet starts at a capitalised word that follows a lowercase letter, ')' or '.', unless it is an
    acronym (IT, UML, SLAs, ISO), follows another capitalised word (Net Present Value, Information
    Technology, Service Management), follows "e.g." (e.g. Use cases), or is in NOT_BULLET_STARTS.
    """
    starts = [0]
    for m in re.finditer(r"(?<=[a-z).]) ([A-Z][A-Za-z]*)", text):
        word = m.group(1)
        before = text[:m.start()]
        previous_word = re.findall(r"[A-Za-z][A-Za-z.]*", before)[-1]
        if (re.match(r"[A-Z]{2}", word) or previous_word[0].isupper() or before.endswith("e.g.")
                or word in NOT_BULLET_STARTS):
            continue
        starts.append(m.start() + 1)
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)], strict=False)]


def _bullets(after: str) -> list[str]:
    """The bullets that follow "You can:" in one cell, one per <p> or <li>, or written in one run."""
    if "<li>" not in after and not re.search(r"<p>\s*\S", after):
        return _bullets_from_run(after)  # no tags at all ("Innovating")
    chunks = [_squash(c) for c in re.split(r"</?(?:p|li|ul)[^>]*>", after)]
    return [c for c in chunks if c]


def _clean_cell(cell: str) -> tuple[str, list[str]] | None:
    """A level cell as (level summary, bullets), or None where the skill does not define the level."""
    text = cell.strip()
    if _squash(_strip_tags(text)) in DASHES:
        return None
    assert text.count("You can:") == 1, text[:120]
    summary_part, after = text.split("You can:", 1)
    summary = LEVEL_LABEL.sub("", _squash(_strip_tags(summary_part)))
    # "You can: Bullet one Bullet two</p>" keeps its bullets inside the stem's own <p>.
    first_p = re.match(r"^\s*(.*?)</p>(.*)$", after, re.S)
    if first_p and first_p.group(1).strip() and "<li>" not in first_p.group(1):
        bullets = _bullets_from_run(first_p.group(1))
        assert not _squash(_strip_tags(first_p.group(2))), text[:120]
    else:
        bullets = _bullets(after)
    return summary, bullets


def _bullets_from_run(run: str) -> list[str]:
    """Bullets written in one run after the stem: separated by runs of spaces, or by nothing at all."""
    run = _strip_tags(run).strip()
    if re.search(r"\s{2,}", run):
        chunks = [_squash(c) for c in re.split(r"\s{2,}", run) if c.strip()]
        joined: list[str] = []
        for chunk in chunks:
            if joined and joined[-1].endswith(":"):  # "of finances:" / "capital/non-cash funding, ..."
                joined[-1] = f"{joined[-1]} {chunk}"
            else:
                joined.append(chunk)
        return joined
    return _split_collapsed(_squash(run))


# -- assembling --------------------------------------------------------------------------------


def build(repo_root: Path = REPO) -> Framework:
    """Parse the seed into a Framework (the same call as every other seed script)."""
    return build_with_report(repo_root)[0]


def build_with_report(repo_root: Path = REPO) -> tuple[Framework, dict[str, object]]:
    """Parse the seed into a Framework; also return a report of counts and cross-checks."""
    text = read_seed("004_*.txt", repo_root)
    for old, new in DEBRIS_FIXES:
        assert text.count(old) == 1, f"debris fix no longer matches the seed: {old!r}"
        text = text.replace(old, new)
    lines = text.split("\n")
    categories = parse_categories(lines)
    levels = parse_levels(lines)
    summary = parse_summary_table(lines)
    sections = parse_sections(lines)
    assert len(summary) == 57 and len(sections) == 57, (len(summary), len(sections))

    by_name = {row.name.lower(): row for row in summary}
    # Summary-table category rows are shortened ("Business and commercial", "Leadership and personal"):
    # map each onto the contents list's full category name by order.
    summary_categories = list(dict.fromkeys(row.category for row in summary))
    category_of = dict(zip(summary_categories, categories, strict=False))
    section_categories = list(dict.fromkeys(s.category for s in sections))
    assert [c.lower() for c in section_categories] == [c.lower() for c in categories], section_categories

    groups = [Group(id=slugify(name), name=name) for name in categories]
    competencies: list[Competency] = []
    mismatches: list[str] = []
    used: set[str] = set()
    for section in sections:
        name_key = HEADING_TO_SUMMARY_NAME.get(section.heading.upper(), section.heading).lower()
        row = by_name[name_key]
        assert name_key not in used, name_key
        used.add(name_key)
        group_name = category_of[row.category]
        assert group_name.lower() == section.category.lower(), (row.name, section.category)
        comp_id = slugify(row.name)
        summaries: dict[str, str] = {}
        indicators: list[Indicator] = []
        for level_id, cell in zip(LEVEL_IDS, section.cells, strict=False):
            parsed = _clean_cell(cell)
            if parsed is None:
                continue
            level_summary, bullets = parsed
            summaries[level_id] = level_summary
            for n, bullet in enumerate(bullets, 1):
                indicators.append(Indicator(id=f"{comp_id}.{level_id}.{n:02d}", text=bullet, level=level_id,
                                            polarity=Polarity.positive, kind=IndicatorKind.knowledge_skill))
        # Cross-check the defined levels against the summary table's level marks, where it has any.
        marked = [lv for lv, mark in zip(LEVEL_IDS, row.marks, strict=False) if mark]
        if any(row.marks) and marked != list(summaries):
            mismatches.append(f"{row.name}: table marks {marked}, section defines {list(summaries)}")
        competencies.append(Competency(
            id=comp_id, name=row.name, group=slugify(group_name),
            # The skill's own definition is used: it is the fuller text in most sections; the summary
            # table's line is the fallback.
            description=section.definition or row.description,
            level_summaries=summaries, indicators=indicators,
        ))
    assert len(used) == 57

    framework = Framework(
        id=FRAMEWORK_ID,
        name="AXELOS Skills Framework",
        source="AXELOS Skills Framework (AXELOS.com), September 2015",
        version="September 2015",
        description=(
            "Skills in project, programme and portfolio management, business analysis and change, IT Service "
            "Management, business and commercial, and leadership and personal skills; each skill is defined "
            "at up to five levels of responsibility/autonomy, with a level summary and 'You can:' statements."
        ),
        levels=levels,
        groups=groups,
        competencies=competencies,
    )
    report = {
        "skills_per_group": {g.name: sum(c.group == g.id for c in competencies) for g in groups},
        "skill_level_pairs": sum(len(c.level_summaries) for c in competencies),
        "indicators": sum(len(c.indicators) for c in competencies),
        "summary_table_has_marks": any(any(r.marks) for r in summary),
        "mismatches": mismatches,
    }
    return framework, report


def main() -> None:
    framework, report = build_with_report()
    save_framework(framework, OUTPUT)
    print(f"wrote {OUTPUT.relative_to(REPO)}")
    for key, value in report.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
