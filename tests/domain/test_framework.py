"""The framework model's lookups: indexes, the scale without mid-points, level names, the content hash; the one
id rule and the paths built from ids; every broken cross-reference reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.domain import Framework
from evidence.domain.framework import check_id, is_valid_id, path_for_id
from evidence.errors import InputError
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


# -- the one id rule (issue 13, D06): checked before any path is built ------------------------------------


@pytest.mark.parametrize("good", ["community-link-worker", "v1.2_b", "20261207-043234-1a8f", "zero-shot", "A" * 120])
def test_valid_ids_pass(good: str) -> None:
    assert check_id(good) == good and is_valid_id(good)


@pytest.mark.parametrize("bad", ["../users", "Bad Id", "", ".", "..", ".hidden", "a/b", "a\\b", "x\n", "a\x00b",
                                 "-x", "A" * 121, "é", 7, None])
def test_invalid_ids_are_refused_with_the_rule(bad: object) -> None:
    assert not is_valid_id(bad)
    with pytest.raises(InputError, match=r"framework id .* is not a valid id: an id is 1 to 120 letters"):
        check_id(bad, what="framework id")


def test_a_path_for_an_id_stays_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    assert path_for_id(folder, "mine", suffix=".json") == folder / "mine.json"
    with pytest.raises(InputError, match="not a valid id"):
        path_for_id(folder, "../users", suffix=".json")
    (folder / "escape.json").symlink_to(tmp_path / "users.json")  # a link planted in the folder
    with pytest.raises(InputError, match="leads outside"):
        path_for_id(folder, "escape", suffix=".json")


def test_every_broken_reference_is_reported_at_once() -> None:
    data = tiny_framework().model_dump(mode="json")
    data["competencies"][0]["indicators"][0]["level"] = "9"
    data["competencies"][1]["group"] = "nowhere"
    data["roles"] = [{"id": "r", "name": "R", "requirements": [{"competency": "ghost"}]}]
    with pytest.raises(ValueError) as caught:
        Framework.model_validate(data)
    message = str(caught.value)
    assert "unknown level '9'" in message and "group 'nowhere'" in message and "unknown competency 'ghost'" in message


def test_levels_are_shown_by_their_names_and_phrased_once() -> None:
    """An imported scale's ids are slugs ("level-1-aa-ao"): people read its names, and "Level" is never doubled."""
    fw = Framework.model_validate({"id": "x", "name": "X", "levels": [
        {"id": "level-1-aa-ao", "name": "Level 1 (AA/AO)"}, {"id": "b", "name": "B"}, {"id": "3", "name": "3"},
        {"id": "foundation", "name": "Foundation"}], "competencies": [
        {"id": "c", "name": "C", "indicators": [{"id": "c.1", "text": "Does things.", "level": "b"}]}]})
    assert fw.level_name("level-1-aa-ao") == "Level 1 (AA/AO)" and fw.level_name(None) == "-"
    assert [fw.level_phrase(lv.id) for lv in fw.levels] == ["Level 1 (AA/AO)", "level B", "level 3", "Foundation"]
