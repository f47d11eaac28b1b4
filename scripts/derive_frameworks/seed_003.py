"""Derive ``frameworks/admin-job-family.yaml`` from seed 003 (Customer Service and Administration Job Family).

Run from the repository root::

    .venv/bin/python -m scripts.derive_frameworks.seed_003

The seed is a PDF-to-text dump of a job family document: purpose and key focus, then tables with one
column per job level (six job titles, each with a job ref), lowest first:

* "Key features": one cell of bullets per job level; the table breaks across a page, so levels 4-6 end in
  "(continued)" and carry on in a second row under a repeated header;
* "Key inputs/outputs and performance measures", in four numbered groups: per key area a row of key
  input/output statements (one per <p> paragraph; 'N/a' where the area does not apply at that level)
  followed by a "Performance Measures" row of bullets (some cells lost their bullet marks). Two key areas
  come as a single row whose cells hold both the statements and the measures;
* "Knowledge, skills and experience": Essential and Desirable bullets per job level, where a centred
  "or" / "and/or" joins two bullets into one alternative and a centred "and" just separates them.

Mapping: job level -> level ``"1"``..``"6"`` (name = job title, description = job ref and key features) and
also a role profile (requirements = every key area that applies at that level, criteria = the knowledge,
skills and experience items); numbered group -> group; key area -> competency; key input/output statement
-> behaviour indicator ``<key-area>.<level>.<nn>``; performance measure -> indicator of kind
``performance_measure`` ``<key-area>.pm.<level>.<nn>``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from evidence.domain import (
    Competency,
    Criterion,
    Framework,
    Group,
    Indicator,
    IndicatorKind,
    Level,
    Priority,
    Requirement,
    Role,
    slugify,
)
from evidence.frameworks.catalogue import save_framework
from scripts.derive_frameworks.common import read_seed

REPO_ROOT = Path(__file__).resolve().parents[2]

FRAMEWORK_ID = "admin-job-family"
SEED_GLOB = "003_*.txt"
CRITERION_CATEGORY = "knowledge, skills and experience"

JOB_TITLE = re.compile(r"^(?P<title>.+?) \((?:job )?ref: ?(?P<ref>\d+)\)$")
GROUP_HEADING = re.compile(r"^\d+\.\s+(?P<name>.+)$")
# Where a bullet mark was lost, one item runs straight into the next: a lower-case word (or a closing
# bracket) followed by a capitalised word. No item in these cells has a capitalised word mid-sentence.
LOST_BULLET = re.compile(r"(?<=[a-z)]) (?=[A-Z][a-z])")

# A PDF text-flow slip: in the level 3 "Developing the team" measures the word "contributions" left its
# item ("Attendance at and positive contributions made at team meetings", as at every other level) and
# landed after "word of mouth". Put it back (the only correction of the text in this script).
DISPLACED = [("word of mouth contributions Performance", "word of mouth Performance"),
             ("Attendance at and positive made at team meetings",
              "Attendance at and positive contributions made at team meetings")]


def clean(text: str) -> str:
    """Plain text: no tags, bullets or doubled spaces."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"^[\s•·]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def is_na(text: str) -> bool:
    return clean(text).lower() == "n/a"


def bullet_items(cell: str) -> list[str]:
    """The bullets of a list cell: by '•' marks where present, else by <i>/<p> items and lost-bullet joins."""
    cell = re.sub(r'<p style="text-align: right;"><i>\(continued\)</i></p>', " ", cell)
    cell = re.sub(r"<ul[^>]*>", " ", cell)
    if "•" in cell:
        items = cell.split("•")
    elif "<i>" in cell:
        items = re.findall(r"<i>(.*?)</i>", cell)
    else:
        items = []
        for chunk in re.split(r"</?p>", cell):  # a measure in its own <p> is a bullet of its own
            items += LOST_BULLET.split(clean(chunk))
    return [clean(item) for item in items if clean(item) and not is_na(item)]


def statements(cell: str) -> list[str]:
    """Key input/output statements: one per <p> paragraph, or the whole cell; none for 'N/a'."""
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", cell) or [cell]
    return [clean(p) for p in paragraphs if clean(p) and not is_na(p)]


def criteria_items(cell: str) -> list[str]:
    """Knowledge/skills/experience bullets; a centred 'or' or 'and/or' joins its neighbours into one item."""
    cell = re.sub(r"<ul[^>]*>", " ", cell)
    cell = re.sub(r"<li[^>]*>\s*(or|and/or)\s*•", r" \1 ", cell)
    cell = re.sub(r"<li[^>]*>\s*and\s*•", " • ", cell)
    return [clean(item) for item in cell.split("•") if clean(item)]


def split_row(line: str) -> list[str]:
    return line.split("\t")


def parse(text: str) -> Framework:
    """Build the framework from the seed's text."""
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]

    # -- the job levels, from the first table header -----------------------------------------------
    header_at = stripped.index("Key features") + 2
    titles = [c.strip() for c in split_row(lines[header_at])]
    jobs = [JOB_TITLE.match(t) for t in titles]
    if len(jobs) != 6 or not all(jobs):
        raise ValueError(f"unexpected job level header: {titles}")
    level_ids = [str(n) for n in range(1, 7)]

    def is_header(line: str) -> bool:
        return titles[0] in line

    # -- key features: a row per page, a cell per level; '(continued)' marks the cells that go on -------
    features: dict[str, list[str]] = {lv: [] for lv in level_ids}
    continued: set[str] = set()
    end_features = stripped.index("Key inputs/outputs and performance measures")
    for line in lines[header_at + 1:end_features]:
        if not line.strip() or is_header(line):
            continue
        for lv, cell in zip(level_ids, split_row(line), strict=False):
            if not cell.strip():
                continue
            if features[lv] and lv not in continued:
                raise ValueError(f"key features of level {lv} go on without '(continued)'")
            if "(continued)" in cell:
                continued.add(lv)
            else:
                continued.discard(lv)
            features[lv] += bullet_items(cell)

    # -- key areas -------------------------------------------------------------------------------------
    groups: list[Group] = []
    competencies: list[Competency] = []
    applies: dict[str, list[str]] = {lv: [] for lv in level_ids}  # level -> key areas that apply
    displaced_fixed = 0

    def add_area(name: str, io_cells: list[str], pm_cells: list[str]) -> None:
        nonlocal displaced_fixed
        cid = slugify(name)
        indicators: list[Indicator] = []
        not_applicable: list[str] = []
        for lv, io_cell, pm_cell in zip(level_ids, io_cells, pm_cells, strict=True):
            if is_na(io_cell):
                not_applicable.append(lv)
                if not is_na(re.sub(r"<ul[^>]*>", "", pm_cell)):
                    raise ValueError(f"{name}: level {lv} is N/a but has performance measures")
                continue
            applies[lv].append(cid)
            for n, statement in enumerate(statements(io_cell), 1):
                indicators.append(Indicator(id=f"{cid}.{lv}.{n:02d}", text=statement, level=lv))
            for wrong, right in DISPLACED:
                if wrong in pm_cell:
                    pm_cell = pm_cell.replace(wrong, right)
                    displaced_fixed += 1
            for n, measure in enumerate(bullet_items(pm_cell), 1):
                indicators.append(Indicator(id=f"{cid}.pm.{lv}.{n:02d}", text=measure, level=lv,
                                            kind=IndicatorKind.performance_measure))
        description = ""
        if not_applicable:
            names = " and ".join(jobs[int(lv) - 1]["title"] for lv in not_applicable)
            description = f"Does not apply (N/a) at job levels {', '.join(not_applicable)} ({names})."
        competencies.append(Competency(id=cid, name=name, group=groups[-1].id, description=description,
                                       indicators=indicators))

    end_areas = stripped.index("Knowledge, skills and experience")
    pending: tuple[str, list[str]] | None = None  # a key area row waiting for its Performance Measures row
    for line in lines[end_features + 1:end_areas]:
        if not line.strip() or is_header(line):
            continue
        row = split_row(line)
        label = clean(row[0])
        heading = GROUP_HEADING.match(label)
        if heading and not any(c.strip() for c in row[1:]):
            groups.append(Group(id=slugify(heading["name"]), name=heading["name"]))
            continue
        cells = row[1:7]
        if len(cells) != 6:
            raise ValueError(f"expected 6 level cells in row {label!r}")
        if label == "Performance Measures":
            if pending is None:
                raise ValueError("a Performance Measures row without its key area")
            add_area(pending[0], pending[1], cells)
            pending = None
        elif label.endswith(" Performance Measures"):
            # One row holds both: "<p>key area</p> <p>Performance Measures</p>"; each cell is the <p>
            # statements, then the <ul> of measures.
            name = label.removesuffix(" Performance Measures")
            io_cells = [cell.split("<ul", 1)[0] for cell in cells]
            pm_cells = ["<ul" + cell.split("<ul", 1)[1] for cell in cells]
            add_area(name, io_cells, pm_cells)
        else:
            if pending is not None:
                raise ValueError(f"key area {pending[0]!r} has no Performance Measures row")
            pending = (label, cells)
    if pending is not None or displaced_fixed != len(DISPLACED):
        raise ValueError("unfinished key area, or the displaced-word correction no longer matches the seed")

    # -- knowledge, skills and experience ------------------------------------------------------------
    criteria: dict[str, list[Criterion]] = {lv: [] for lv in level_ids}
    for line in lines[end_areas + 1:]:
        row = split_row(line)
        priority = {"Essential": Priority.essential, "Desirable": Priority.desirable}.get(row[0].strip())
        if priority is None:
            continue
        for lv, cell in zip(level_ids, row[1:7], strict=True):
            criteria[lv] += [Criterion(text=item, priority=priority, category=CRITERION_CATEGORY)
                             for item in criteria_items(cell)]

    # -- levels and roles ------------------------------------------------------------------------------
    levels: list[Level] = []
    roles: list[Role] = []
    for lv, job, title in zip(level_ids, jobs, titles, strict=False):
        levels.append(Level(id=lv, name=job["title"],
                            description=f"Job ref: {job['ref']}. Key features: {'; '.join(features[lv])}."))
        roles.append(Role(
            id=slugify(job["title"]), name=title,
            description=f"Job level {lv} of the Customer Service and Administration job family (job ref: {job['ref']}).",
            requirements=[Requirement(competency=cid, level=lv, priority=Priority.essential) for cid in applies[lv]],
            criteria=criteria[lv],
        ))

    return Framework(
        id=FRAMEWORK_ID,
        name="Customer Service and Administration Job Family",
        source="seed 003: Customer Service and Administration Job Family (Directly employed)",
        description=family_description(lines),
        levels=levels,
        groups=groups,
        competencies=competencies,
        roles=roles,
    )


def family_description(lines: list[str]) -> str:
    """Purpose, key focus, users of the service and example roles, from the document's opening sections."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines:
        text = line.strip()
        if text == "Key features":
            break
        if text.endswith(":") and not text.startswith("-"):
            current = text.removesuffix(":")
            sections[current] = []
        elif text and current:
            sections[current].append(text.removeprefix("- "))
    focus = sections["Key focus"]
    return " ".join([
        "Customer Service and Administration Job Family (directly employed).",
        "Purpose: " + " ".join(sections["Purpose"]),
        "Key focus: " + focus[0] + " " + " ".join(focus[1:-1]),
        focus[-1],
        " ".join(sections["Users of the service"]),
        " ".join(sections["Example roles within this family"]),
    ])


def build(repo_root: Path = REPO_ROOT) -> Framework:
    return parse(read_seed(SEED_GLOB, repo_root))


def main() -> None:
    framework = build()
    out = save_framework(framework, REPO_ROOT / "frameworks" / f"{FRAMEWORK_ID}.yaml")
    kinds: dict[str, int] = {}
    for _, ind in framework.indicators:
        kinds[ind.kind.value] = kinds.get(ind.kind.value, 0) + 1
    print(f"wrote {out}: {len(framework.groups)} groups, {len(framework.competencies)} key areas, "
          f"indicators {kinds}, {len(framework.roles)} roles")


if __name__ == "__main__":
    main()
