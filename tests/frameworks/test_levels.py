"""Level names kept, ids made from them, scales ordered (evidence.frameworks.levels, domain natural order)."""

from __future__ import annotations

import pytest

from evidence.domain.framework import is_valid_id, natural_level_order
from evidence.frameworks.levels import Scale, descending_by_number, level_id, level_name

GRADES = ["Level 1 (AA/AO)", "Level 2 (EO)", "Level 3 (HEO/SEO)", "Level 4 (G7)", "Level 5 (G6)", "Level 6 (SCS)"]


@pytest.mark.parametrize(("name", "identifier", "shown"), [
    ("Level 1 (AA/AO)", "level-1-aa-ao", "Level 1 (AA/AO)"), ("2", "2", "Level 2"), ("Level 2", "level-2", "Level 2"),
    ("Foundation", "Foundation", "Foundation"), ("B", "B", "B"), ("1.5", "1.5", "Level 1.5"),
])
def test_names_are_kept_and_ids_are_made_from_them(name: str, identifier: str, shown: str) -> None:
    assert (level_id(name), level_name(name)) == (identifier, shown)
    assert is_valid_id(level_id(name)) and not level_name(name).startswith("Level Level")


def test_natural_order_numbers_in_names_then_letters_then_first_appearance() -> None:
    assert natural_level_order(["Level 10", "Level 2", "Level 1"]) == ["Level 1", "Level 2", "Level 10"]
    assert natural_level_order(list(reversed(GRADES))) == GRADES
    assert natural_level_order(["10", "9", "1"]) == ["1", "9", "10"]
    assert natural_level_order(["H", "B", "D"]) == ["B", "D", "H"]
    assert natural_level_order(["Grade C", "Grade A"]) == ["Grade A", "Grade C"]
    assert natural_level_order(["Expert", "Foundation", "Practitioner"]) == ["Expert", "Foundation", "Practitioner"]
    # two names with the same number: numbers cannot order them, the file's order stands
    assert natural_level_order(["Administrator 1", "Assistant 1", "Assistant 2"]) == [
        "Administrator 1", "Assistant 1", "Assistant 2"]


def test_a_scale_resolves_any_spelling_of_a_level() -> None:
    scale = Scale.from_values(["Level 2 (EO)", "level 1 (aa/ao)", "Level 1 (AA/AO)", "LEVEL 2 (EO)"])
    assert scale.as_dicts() == [{"id": "level-1-aa-ao", "name": "level 1 (aa/ao)"},
                                {"id": "level-2-eo", "name": "Level 2 (EO)"}]
    assert scale.resolve("Level 1 (AA/AO)") == scale.resolve("level-1-aa-ao") == "level-1-aa-ao"
    assert scale.resolve("Level 3") is None and scale.resolve("") is None


def test_a_name_wrapped_in_its_cell_is_one_name() -> None:
    assert Scale(["Level 1\n(AA/AO)"]).as_dicts() == [{"id": "level-1-aa-ao", "name": "Level 1 (AA/AO)"}]


def test_a_given_order_and_given_ids_win() -> None:
    assert Scale(["Practitioner", "Foundation"]).names() == ["Practitioner", "Foundation"]
    by_id = Scale.from_values(["Senior", "Junior"], ids={"Senior": "2", "Junior": "1"})
    assert by_id.as_dicts() == [{"id": "1", "name": "Junior"}, {"id": "2", "name": "Senior"}]


def test_a_descending_numbered_scale_is_told() -> None:
    assert descending_by_number(["Level 3", "Level 2", "Level 1"])
    assert not descending_by_number(["Level 1", "Level 2"]) and not descending_by_number(["Expert", "Novice"])
