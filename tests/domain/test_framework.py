"""The framework model's lookups: indexes, the scale without mid-points, level names, the content hash."""

from __future__ import annotations

import pytest

from evidence.domain import Framework
from tests.factories import tiny_framework


def test_lookups_follow_the_framework_order() -> None:
    fw = tiny_framework()
    assert fw.competency_index == {"teamwork": 0, "budgets": 1}
    assert fw.level_index == {"1": 0, "1.5": 1, "2": 2}
    assert [lv.id for lv in fw.scale] == ["1", "2"]  # the mid-point is not a level anyone names
    assert fw.level_names["1.5"] == "Level 1.5"
    assert fw.level_rank("2") == 2 and fw.level_rank(None) is None


def test_an_unknown_level_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"no level '9'.*'1', '1.5', '2'"):
        tiny_framework().level_rank("9")


def test_content_hash_is_stable_and_changes_with_the_content() -> None:
    fw = tiny_framework()
    same = Framework.model_validate(fw.model_dump(mode="json"))
    assert fw.content_hash == same.content_hash and len(fw.content_hash) == 64
    changed = fw.model_dump(mode="json")
    changed["competencies"][1]["indicators"][0]["text"] = "Keeps a budget balanced"
    assert Framework.model_validate(changed).content_hash != fw.content_hash


def test_an_edited_copy_computes_its_lookups_afresh() -> None:
    fw = tiny_framework()
    original = fw.content_hash, fw.competency_index
    copy = fw.model_copy(update={"competencies": fw.competencies[::-1]})
    assert copy.competency_index == {"budgets": 0, "teamwork": 1} and copy.content_hash != original[0]
    assert (fw.content_hash, fw.competency_index) == original
