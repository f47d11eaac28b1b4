"""Derive ``frameworks/councils.yaml`` from seed 002 (Cherwell District and South Northamptonshire Councils).

Run from the repository root::

    .venv/bin/python -m scripts.derive_frameworks.seed_002

The seed is a PDF-to-text dump (partly OCR) of "An introduction to the Competency Framework" (final draft,
June 2015). Its structure:

* an introduction, Table 1 (seven core competencies and their key themes) and Table 2 (four management
  competencies and their key themes; management competencies apply to managers only);
* appendix 1: for each competency a heading, a one-line description and a table with a row per key theme
  and columns A-H. Only B, D, F and H hold indicators; A, C, E and G are the scheme's mid-point ratings
  ("ratings of a,c,e,g"). The bullets inside a cell were lost in the dump, so a cell is split into
  indicators at sentence ends, plus a few places where a bullet ended without a full stop
  (:data:`MISSING_BREAKS`).

Two appendix pages did not survive as tables and are handled separately:

* Communication (one OCR line interleaving the four level columns): typed in by hand in
  :data:`COMMUNICATION`, checked word-for-word against the seed line by :func:`check_communication`;
* Collaborative Teamwork's "Collaboration and partnership working" row came out as bullet lists separated
  by the column letters; each letter is read as the heading of the bullets that follow it.

Mapping: competency -> competency (group ``core`` or ``management``), key theme -> theme (named as in
Tables 1 and 2), cell statement -> behaviour indicator with that theme and level, id
``<competency-id>.<level>.<nn>`` (counter per competency and level, in theme order).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from evidence.domain import (
    Competency,
    Framework,
    Group,
    Indicator,
    Level,
    Theme,
    slugify,
)
from evidence.frameworks.catalogue import save_framework
from scripts.derive_frameworks.common import read_seed

REPO_ROOT = Path(__file__).resolve().parents[2]

FRAMEWORK_ID = "councils"
SEED_GLOB = "002_*.txt"
LEVEL_IDS = ["A", "B", "C", "D", "E", "F", "G", "H"]
INDICATOR_LEVELS = ["B", "D", "F", "H"]  # the table columns that hold indicators, in column order

# The OCR put Greek/Cyrillic look-alikes for some column letters (Greek Alpha/Epsilon, Cyrillic Ve/Ie/En/Es).
HOMOGLYPHS = str.maketrans({"Α": "A", "Ε": "E", "Е": "E", "В": "B", "Н": "H", "н": "H", "С": "C"})

# (competency name, group id, key themes as listed in Table 1 / Table 2), in document order.
COMPETENCIES: list[tuple[str, str, list[str]]] = [
    ("Communication", "core", ["Style", "Method", "Influence and Persuasion", "Messages"]),
    ("Performance and Outcome Focus", "core", ["Performance Management", "Planning and Organising", "Self-Management"]),
    ("Customer Focus", "core", ["Customer Needs", "Customer Relationship Management"]),
    ("Innovation, Continuous Improvement and Problem Solving", "core",
     ["Innovation", "Continuous Improvement", "Problem Solving"]),
    ("Collaborative Teamwork", "core", ["Collaboration and partnership working", "Team Relations", "Team Effectiveness"]),
    ("Financial and Commercial Awareness", "core",
     ["Finance and Budget Management", "Recognising Opportunities", "Business Acumen"]),
    ("Technical Expertise", "core",
     ["Job Knowledge and Skills", "Professionalism and Continuing Professional Development / Self-Development", "ICT"]),
    ("Managing People and Change", "management",
     ["Managing Expectations", "Managing Change", "Managing People Performance", "Managing People Development",
      "Policies and Procedures"]),
    ("Collaborative Leadership", "management",
     ["Personal Impact", "Organisational Culture", "Organisational Vision", "Stakeholder Management",
      "Decision Making, Judgement and Political Acumen"]),
    ("Strategic Thinking", "management",
     ["Organisational Awareness", "Political Awareness", "External Focus / Horizon Scanning",
      "Strategic Thinking and Planning", "Reputation Management"]),
    ("Commercial Focus", "management",
     ["Commercial Vision", "Commercial Culture and Mindset", "Commercial Opportunities", "Commissioning"]),
]

# Appendix row labels that differ from the Table 1 theme names (the tables are the canonical list).
ROW_LABEL_TO_THEME = {
    "Self- Management": "Self-Management",
    "Continual Improvement": "Continuous Improvement",
    "Finance and Budget management": "Finance and Budget Management",
    "Recognising opportunities": "Recognising Opportunities",
    "Professionalism and CPD / Self- Development": (
        "Professionalism and Continuing Professional Development / Self-Development"),
}

# Places inside a cell where one bullet ends without a full stop and the next begins: split there.
MISSING_BREAKS = [
    ("new approaches", "Considers if"),
    ("necessary or appropriate", "Recognises innovative"),
    ("co-operative negotiations", "Develops a customer-centric"),
    ("customer focus at all levels", "Steps back"),
    ("openly and easil", "Inspires team spirit"),  # 'easil' (sic: cut off in the seed)
    ("using the internet", "Uses presentation"),
    ("objectives for their teams", "Encourages managers"),
]

# Sentences that open by pointing back at the previous one ("it", "these") belong to the same bullet.
CONTINUES_PREVIOUS = [
    "Has the ability to explain it to colleagues.",
    "Researches these to advise and guide their teams.",
]

# Communication (appendix page 1) survived only as one OCR line reading the four level columns across,
# line by line, so the statements are interleaved. They are reassembled here by hand: each statement's
# fragments follow each other in the seed line, and the column of a statement was judged from which
# fragments interleave (two statements whose fragments interleave sit in different columns) and from the
# statement's content relative to the other levels. Wording is the seed's, word for word (checked by
# check_communication); statements the page cut short are kept as printed.
COMMUNICATION: dict[str, dict[str, list[str]]] = {
    "Style": {
        "B": [
            "Communicates politely, clearly and confidently.",
            # The seed line has "...people in a various different ideas and situations." as one fragment; it is
            # kept together here rather than moving "ideas" into the H statement ("articulating ... fully").
            "Able to communicate effectively with a variety of people in a various different ideas and situations.",
            "Listens carefully to information and instructions and requests further information or clarification "
            "if necessary.",
            "Able to build rapport and talk to people on a personal level.",
        ],
        "D": [
            "Understands and applies effective communication skills, i.e.: questioning/listening, body language, "
            "humour, timing and plain English.",
            "Adapts their style of communication to suit the message and the audience, making sure that the message "
            "is fully understood.",
            "Encourages two-way communication.",
        ],
        "F": [
            "Communicates calmly and objectively when under pressure.",
            "Reads people and situations perceptively and responds accordingly.",
            "Interprets and conveys complex information with clarity to ensure complete understanding.",
        ],
        "H": [
            "Creates an environment which encourages effective and open communication.",
            "Debates and presents complex and strategic issues, articulating fully to ensure complete understanding.",
            "Presents both detail and concept in articulate manner.",
        ],
    },
    "Method": {
        "B": [
            "Confidently uses the range of available communication methods.",
            "Uses words and phrases which suit the situation, but is mindful of too much use of",  # cut short (sic)
        ],
        "D": [
            "Plans appropriate methods of communication to suit the message and the audience, to ensure the message "
            "is received and understood.",
            "Ensures that information is passed on accurately up, down and across the organisation.",
        ],
        "F": [
            "Plans communication processes and disseminates information accordingly.",
            "Evaluates the success and impact of different communication methods.",
            "Demonstrates judgement in choice of communication methods when responding to unexpected/urgent situations",
        ],
        "H": [
            "Sets standards for the quality of the communication processes to be used internally and externally.",
            "Contributes to the development of corporate communication strategies.",
            "Devises and manages communication plans aligned to communication strategies.",
        ],
    },
    "Influence and Persuasion": {
        "B": [
            "Presents their own point of view in a clear and coherent",  # cut short (sic)
            "Listens to other people in order to understand their point of view.",
        ],
        "D": [
            "Consciously builds relationships with colleagues, customers and stakeholders.",
            "Able to influence and persuade others by effective use of credible and constructive argument.",
        ],
        "F": [
            "Builds rapport with colleagues, customers and stakeholders.",
            "Communicates in a way that enthuses and motivates.",
            "Has a range of influencing and persuasion skills which are confidently deployed in challenging situations "
            "to achieve win-win outcomes",
        ],
        "H": [
            "Creates communication channels across and outside the organisation.",
            "Communicates in a way that wins support and gains commitment.",
        ],
    },
    "Messages": {
        "B": [
            "Informs appropriate people about their activities and other relevant information.",
            "Is willing and able to communicate the appropriate information to colleagues and stakeholder",
        ],
        "D": [
            "Willingly engages with others to represent and promote the organisation's visions and values in a "
            "professional and credible way.",
            "Proactively and effectively communicates organisation's visions and",  # cut short (sic)
        ],
        "F": [
            "Actively seeks opportunities to promote the organisation's vision and values, confidently presents to "
            "varied audiences on a range of subject areas.",
            "Evaluates the quality and impact of information provided to colleagues and stakeholder.",
        ],
        "H": [
            "Shows confidence and charisma in promoting the organisation's visions and values, engendering commitment "
            "to the ideas they are promoting.",
        ],
    },
}

LEVEL_DESCRIPTIONS = {
    # The document names no levels beyond their letters. B carries the most basic indicators and H the most
    # strategic ones, so A is the bottom of the scale. "The new scheme has more levels of assessment and
    # also enables mid-point ratings to be given (i.e. ratings of a,c,e,g)."
    "A": "Mid-point rating below level B: the scheme enables mid-point ratings to be given (ratings of a, c, e, g); "
         "no indicators of its own.",
    "B": "First defined level of competence: the appendix sets out indicators of the behaviours, actions and "
         "attitudes expected at this level (the most basic of the four defined levels B, D, F, H).",
    "C": "Mid-point rating between levels B and D: the scheme enables mid-point ratings to be given (ratings of "
         "a, c, e, g); no indicators of its own.",
    "D": "Second defined level of competence, with indicators of the behaviours, actions and attitudes expected "
         "at this level.",
    "E": "Mid-point rating between levels D and F: the scheme enables mid-point ratings to be given (ratings of "
         "a, c, e, g); no indicators of its own.",
    "F": "Third defined level of competence, with indicators of the behaviours, actions and attitudes expected "
         "at this level.",
    "G": "Mid-point rating between levels F and H: the scheme enables mid-point ratings to be given (ratings of "
         "a, c, e, g); no indicators of its own.",
    "H": "Highest defined level of competence, with indicators of the behaviours, actions and attitudes "
         "expected at this level (the most strategic).",
}


def clean(text: str) -> str:
    """Drop markdown bold and bullets, collapse whitespace."""
    text = text.replace("**", "")
    text = re.sub(r"^[\s•·-]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def split_cell(cell: str, used_breaks: Counter[int | str]) -> list[str]:
    """One statement per bullet: split a cell at sentence ends and at the known bullet ends without a full stop."""
    text = clean(cell)
    for n, (before, after) in enumerate(MISSING_BREAKS):
        joint = f"{before} {after}"
        if joint in text:
            used_breaks[n] += 1
            text = text.replace(joint, f"{before}\n{after}")
    statements: list[str] = []
    for part in text.split("\n"):
        # A full stop followed by a capital starts a new bullet ("etc. Understands ..." included); the
        # mid-sentence abbreviations in the seed ("e.g. logging", "i.e.: questioning", "etc. of staff") don't match.
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z'\"])", part):
            if sentence in CONTINUES_PREVIOUS and statements:
                used_breaks[sentence] += 1
                statements[-1] += " " + sentence
            elif sentence.strip():
                statements.append(sentence.strip())
    return statements


def section_description(lines: list[str], heading: str, start: int) -> str:
    """The one-line description under a competency's first appendix heading (at or after line ``start``)."""
    for i in range(start, len(lines)):
        if clean(lines[i]) == heading:
            for following in lines[i + 1:]:
                if following.strip():
                    return clean(following)
    raise ValueError(f"no appendix heading {heading!r} in the seed")


def check_communication(seed_line: str, description: str) -> None:
    """Prove the hand reassembly of Communication uses exactly the seed line's words, each once."""
    rest = seed_line.translate(HOMOGLYPHS).removeprefix("Communication ").replace(description, "", 1)
    words = Counter(w for w in re.findall(r"[^\s•·*]+", rest) if w not in set(LEVEL_IDS))
    for label in ("Style", "Method", "Influence", "and", "Persuasion", "Messages"):  # the row labels
        words[label] -= 1
    typed = Counter(w for cells in COMMUNICATION.values() for texts in cells.values() for text in texts
                    for w in text.split())
    if +words != typed:
        raise ValueError(f"Communication reassembly differs from the seed: missing {+(words - typed)}, "
                         f"extra {+(typed - words)}")


def parse(text: str) -> Framework:
    """Build the framework from the seed's text."""
    lines = text.split("\n")
    appendix_start = next(i for i, line in enumerate(lines) if line.startswith("Communication Communicates"))

    theme_of_row = {name: name for _, _, themes in COMPETENCIES for name in themes}
    theme_of_row.update(ROW_LABEL_TO_THEME)
    competency_of_theme = {theme: name for name, _, themes in COMPETENCIES for theme in themes}
    cells: dict[str, dict[str, list[str]]] = {}  # theme -> level -> statements
    used_breaks: Counter[int | str] = Counter()  # MISSING_BREAKS index / CONTINUES_PREVIOUS sentence -> uses

    # Appendix tables: label, then (after the empty A column) the B, D, F, H cells; mid-point columns are
    # empty or hold a stray bullet. Rows with fewer than four cells are page debris (repeated headers).
    for line in lines[appendix_start:]:
        if "\t" not in line:
            continue
        row = [c.strip() for c in line.split("\t")]
        label = clean(row[0])
        body = [c for c in row[1:] if c not in ("", "•", "·")]
        if label in theme_of_row and len(body) == 4:
            theme = theme_of_row[label]
            if theme in cells:
                raise ValueError(f"theme {theme!r} has two rows in the seed")
            cells[theme] = {lv: split_cell(cell, used_breaks) for lv, cell in zip(INDICATOR_LEVELS, body, strict=False)}
    unused = [MISSING_BREAKS[n] for n in range(len(MISSING_BREAKS)) if used_breaks[n] != 1]
    unused += [s for s in CONTINUES_PREVIOUS if used_breaks[s] != 1]
    if unused:
        raise ValueError(f"bullet breaks not found exactly once in the seed: {unused}")

    # Collaborative Teamwork, first page: bullets under stray column letters. The first statement comes
    # before any letter (it is B's first bullet); each letter heads the bullets that follow it; 'G' is the
    # mid-point column's letter, which sits between the F and H bullets and heads nothing.
    start = next(i for i, line in enumerate(lines) if clean(line) == "Collaborative Teamwork")
    end = next(i for i in range(start + 1, len(lines)) if clean(lines[i]) == "Collaborative Teamwork")
    collaboration: dict[str, list[str]] = {lv: [] for lv in INDICATOR_LEVELS}
    level = "B"
    description_at = next(i for i in range(start + 1, end) if lines[i].strip())
    for line in lines[description_at + 1:end]:
        stripped = line.strip().translate(HOMOGLYPHS)
        if not stripped:
            continue
        if stripped in LEVEL_IDS:
            level = stripped if stripped in INDICATOR_LEVELS else level
            continue
        collaboration[level].append(clean(stripped))
    cells["Collaboration and partnership working"] = collaboration

    communication_line = lines[appendix_start]
    descriptions = {name: section_description(lines, name, appendix_start + 1) for name, _, _ in COMPETENCIES[1:]}
    descriptions["Communication"] = re.match(r"Communication (.+?\.) ", communication_line).group(1)
    check_communication(communication_line, descriptions["Communication"])
    cells.update(COMMUNICATION)

    missing = set(competency_of_theme) - set(cells)
    if missing:
        raise ValueError(f"no appendix rows found for themes {sorted(missing)}")

    competencies: list[Competency] = []
    for name, group, themes in COMPETENCIES:
        cid = slugify(name)
        counters: Counter[str] = Counter()
        indicators: list[Indicator] = []
        for theme in themes:
            for lv in INDICATOR_LEVELS:
                for statement in cells.get(theme, {}).get(lv, []):
                    counters[lv] += 1
                    indicators.append(Indicator(id=f"{cid}.{lv}.{counters[lv]:02d}", text=statement, level=lv,
                                                theme=slugify(theme)))
        competencies.append(Competency(
            id=cid, name=name, group=group, description=descriptions[name],
            themes=[Theme(id=slugify(t), name=t) for t in themes],
            indicators=indicators,
        ))

    return Framework(
        id=FRAMEWORK_ID,
        name="Cherwell District and South Northamptonshire Councils Competency Framework",
        source="seed 002: Cherwell District and South Northamptonshire Councils, An introduction to the "
               "Competency Framework (final draft, June 2015)",
        version="Final draft, June 2015",
        description=(
            "A competency framework outlines the behaviours that are essential to effective performance in an "
            "organisation; it describes 'HOW' we go about our work alongside performance objectives and targets "
            "('WHAT' we do). Seven core competencies apply to all council employees and four further management "
            "competencies apply to managers. Each competency is made up of key themes, and under each theme "
            "indicators outline the behaviours, actions and attitudes expected at each level of competence. "
            "Levels run from A (lowest) to H: indicators are given at B, D, F and H, and mid-point ratings "
            "(a, c, e, g) may be given between them. Used for appraisals and recruitment in the first instance."
        ),
        levels=[Level(id=lv, name=f"Level {lv}", description=LEVEL_DESCRIPTIONS[lv],
                      midpoint=lv not in INDICATOR_LEVELS) for lv in LEVEL_IDS],
        groups=[
            Group(id="core", name="Core Competencies",
                  description="The framework sets out seven core competencies that link into the councils' long "
                              "term strategic objectives and organisational values, these competencies will apply "
                              "to all council employees."),
            Group(id="management", name="Management Competencies", applies_to="managers",
                  description="These apply to employees in a management or leadership role, these are roles which "
                              "have full accountability for all elements of the delivery of a service, consistent "
                              "with the councils' strategic and commercial objectives, as well as the management of "
                              "staff including: accountability for quality and quantity of work; the co-ordination "
                              "and the management of complexity of activities; discipline, welfare, performance, "
                              "training and development."),
        ],
        competencies=competencies,
    )


def build(repo_root: Path = REPO_ROOT) -> Framework:
    return parse(read_seed(SEED_GLOB, repo_root))


def main() -> None:
    framework = build()
    out = save_framework(framework, REPO_ROOT / "frameworks" / f"{FRAMEWORK_ID}.yaml")
    themes = sum(len(c.themes) for c in framework.competencies)
    total = sum(len(c.indicators) for c in framework.competencies)
    print(f"wrote {out}: {len(framework.competencies)} competencies, {themes} themes, {total} indicators")


if __name__ == "__main__":
    main()
