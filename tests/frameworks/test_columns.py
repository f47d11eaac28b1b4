"""Which column holds what (evidence.frameworks.columns): synonyms, case, punctuation, a BOM, negative columns."""

from __future__ import annotations

import pytest

from evidence.frameworks.columns import find_columns, find_header_row, level_of_negative, role_of
from evidence.frameworks.options import ColumnNames


@pytest.mark.parametrize(("header", "role"), [
    ("\ufeffCompetency", "competency"), ("CAPABILITY", "competency"), ("Skill name", "competency"),
    ("competence", "competency"), ("Competencies", "competency"),
    ("Indicator", "indicator"), ("Behaviours", "indicator"), ("behavior", "indicator"),
    ("Behavioural Indicator", "indicator"), ("Descriptor", "indicator"), ("Criterion", "indicator"),
    ("Criteria", "indicator"), ("Positive indicators", "indicator"), ("Effective behaviours", "indicator"),
    ("Level", "level"), ("Grade", "level"), ("Proficiency", "level"), ("Band", "level"),
    ("Proficiency level", "level"), ("Competency level", "level"),
    ("Group", "group"), ("Cluster", "group"), ("Category", "group"), ("Area", "group"), ("Competency cluster", "group"),
    ("Description", "description"), ("Definition", "description"), ("Competency description", "description"),
    ("competency_id", "competency_id"), ("Indicator ID", "indicator_id"),
    ("Negative indicators", "negative"), ("Ineffective behaviours", "negative"), ("Not effective", "negative"),
    ("Level 1 (AA/AO)", None), ("Foundation", None), ("B", None), ("Level 2 - negative", None),
])
def test_headers_are_matched_with_their_synonyms(header: str, role: str | None) -> None:
    assert role_of(header) == role


@pytest.mark.parametrize(("header", "level"), [
    ("Level 2 - negative", "Level 2"), ("Level 2 (negative indicators)", "Level 2"),
    ("Practitioner – ineffective behaviours", "Practitioner"), ("B: not effective", "B"),
])
def test_a_negative_grid_column_names_its_level(header: str, level: str) -> None:
    assert level_of_negative(header) == level


def test_a_grid_header_row() -> None:
    headers = ["Competency", "Description", "Level 1 (AA/AO)", "Level 1 (AA/AO) - negative", "Notes", ""]
    found = find_columns(headers, named=ColumnNames(), has_text=[True, True, True, True, True, False])
    assert found.roles == {"competency": 0, "description": 1}
    assert [(c.level, c.negative) for c in found.levels] == [("Level 1 (AA/AO)", False), ("Level 1 (AA/AO)", True)]
    assert found.ignored == ["Notes"]


def test_named_columns_win_and_missing_or_repeated_ones_are_told() -> None:
    headers = ["Area of work", "What good looks like", "Step", "Skill", "Capability"]
    named = ColumnNames(competency="area of work", indicator="WHAT GOOD LOOKS LIKE", level="step", group="Team")
    found = find_columns(headers, named=named, has_text=[True] * 5)
    assert found.roles == {"competency": 0, "indicator": 1, "level": 2}
    assert found.missing == {"group": "Team"} and "Skill" in found.ignored
    clash = find_columns(["Skill", "Capability", "Behaviour"], named=ColumnNames(), has_text=[True] * 3)
    assert clash.ambiguous == {"competency": ["Skill", "Capability"]}


def test_the_header_row_may_sit_below_title_rows() -> None:
    rows = [["Our framework 2026", "", ""], ["", "", ""], ["Competency", "Level 1", "Level 2"], ["A", "x", "y"]]
    assert find_header_row(rows, named=ColumnNames()) == 2
    assert find_header_row([["Area", "Does"], ["A", "x"]], named=ColumnNames(competency="Area")) == 0
