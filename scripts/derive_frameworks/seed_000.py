"""Derive ``frameworks/units-of-competence.yaml`` from seed 000 (units of competence with performance criteria).

Run from the repository root::

    .venv/bin/python -m scripts.derive_frameworks.seed_000

The seed is a PDF-to-text dump of a unit-of-competence framework. Each page holds one unit::

    1.                      <- area number
    Services                <- area name (repeated on every page of the area: page debris)
    UNIT OF COMPETENCE
    1.1 Deliver and maintain services.
    OVERVIEW
    <overview paragraph>
    PERFORMANCE CRITERIA
    (a) ...                 <- one performance criterion per lettered paragraph

Mapping: area -> group (one per area, however many times its heading repeats), unit -> competency
(id ``unit-<n.n>``, name = unit title, description = overview), lettered paragraph -> indicator of kind
``performance_criterion`` with no level (the framework has no level scale).
"""

from __future__ import annotations

import re
from pathlib import Path

from evidence.domain import (
    Competency,
    Framework,
    Group,
    Indicator,
    IndicatorKind,
    slugify,
)
from evidence.frameworks.catalogue import save_framework
from scripts.derive_frameworks.common import read_seed

REPO_ROOT = Path(__file__).resolve().parents[2]

FRAMEWORK_ID = "units-of-competence"
SEED_GLOB = "000_*.txt"

AREA_NUMBER = re.compile(r"^(\d+)\.$")
UNIT_TITLE = re.compile(r"^(\d+\.\d+)\s+(.+?)\.?$")
CRITERION = re.compile(r"^\(([a-z])\)\s+(.+)$")


def clean(text: str) -> str:
    """Collapse the PDF's doubled spaces (between sentences) and trailing blanks."""
    return re.sub(r"\s+", " ", text).strip()


def parse(text: str) -> Framework:
    """Build the framework from the seed's text."""
    lines = [line.strip() for line in text.splitlines()]
    groups: dict[str, Group] = {}
    competencies: list[Competency] = []
    area_id: str | None = None
    section: str | None = None  # "overview" or "criteria" inside the current unit
    overview: list[str] = []

    def finish_overview() -> None:
        if competencies and overview:
            competencies[-1].description = clean(" ".join(overview))
            overview.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        number = AREA_NUMBER.match(line)
        if number and i + 1 < len(lines) and lines[i + 1]:
            # An area heading: "N." then the area's name on the next line. It repeats on every page
            # of the area (page debris), so the group is created once and merely re-selected later.
            finish_overview()
            name = lines[i + 1]
            area_id = slugify(name)
            groups.setdefault(area_id, Group(id=area_id, name=name))
            section = None
            i += 2
            continue
        if not line or line == "UNIT OF COMPETENCE":
            i += 1
            continue
        if line == "OVERVIEW":
            section = "overview"
        elif line == "PERFORMANCE CRITERIA":
            finish_overview()
            section = "criteria"
        elif (unit := UNIT_TITLE.match(line)) and section is None:
            competencies.append(Competency(id=f"unit-{unit.group(1)}", name=clean(unit.group(2)), group=area_id))
        elif section == "overview":
            overview.append(line)
        elif section == "criteria":
            criterion = CRITERION.match(line)
            if criterion is None:
                raise ValueError(f"line {i + 1}: expected a lettered performance criterion, found {line!r}")
            unit_id = competencies[-1].id
            competencies[-1].indicators.append(Indicator(
                id=f"{unit_id}.{criterion.group(1)}", text=clean(criterion.group(2)),
                kind=IndicatorKind.performance_criterion))
        else:
            raise ValueError(f"line {i + 1}: unexpected text {line!r}")
        i += 1
    finish_overview()

    return Framework(
        id=FRAMEWORK_ID,
        name="Units of Competence",
        source="seed 000: Units of Competence",
        description=("Units of competence with performance criteria for office staff, in five areas (services, "
                     "resources, people, information and communication, programme and project management). "
                     "Each unit has an overview and lettered performance criteria; there is no level scale. The "
                     "document names no organisation beyond \"the office\" and \"the Assembly IT system\"."),
        levels=[],
        groups=list(groups.values()),
        competencies=competencies,
    )


def build(repo_root: Path = REPO_ROOT) -> Framework:
    return parse(read_seed(SEED_GLOB, repo_root))


def main() -> None:
    framework = build()
    out = save_framework(framework, REPO_ROOT / "frameworks" / f"{FRAMEWORK_ID}.yaml")
    total = sum(len(c.indicators) for c in framework.competencies)
    print(f"wrote {out}: {len(framework.groups)} groups, {len(framework.competencies)} units, {total} criteria")


if __name__ == "__main__":
    main()
