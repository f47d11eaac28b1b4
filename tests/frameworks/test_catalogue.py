"""The framework catalogue and validation: built-ins load, bad files fail with one clear error each; hostile
files (alias bombs, deep nesting, huge numbers, wrong types) are refused fast, and a bad stored file is left
out of the list with a warning instead of breaking it."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
import yaml

from evidence.domain import Framework
from evidence.errors import FrameworkError, InputError, NotFoundError
from evidence.frameworks import catalogue
from evidence.frameworks.catalogue import (
    framework_problems,
    get_framework,
    list_frameworks,
    load_framework_file,
    store_imported,
)

SEED_IDS = {"units-of-competence", "community-link-worker", "councils", "admin-job-family", "axelos-skills"}


def test_all_five_seeds_are_listed_and_load() -> None:
    listed = {s["id"]: s for s in list_frameworks()}
    assert SEED_IDS <= set(listed)
    assert listed["axelos-skills"]["competencies"] == 57
    assert listed["councils"]["levels"] == 8


def test_unknown_framework_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="community-link-worker"):
        get_framework("no-such-framework")


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data.get('id', 'x')}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _minimal() -> dict:
    return {"id": "tiny", "name": "Tiny", "levels": [{"id": "1", "name": "One"}, {"id": "2", "name": "Two"}],
            "competencies": [{"id": "listening", "name": "Listening", "indicators": [
                {"id": "l1", "text": "Listens well", "level": "1"},
                {"id": "l2", "text": "Makes space for others", "level": "2"}]}]}


def test_minimal_framework_loads(tmp_path: Path) -> None:
    fw = load_framework_file(_write(tmp_path, _minimal()))
    assert isinstance(fw, Framework)
    assert fw.level_rank("2") == 1


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["competencies"][0]["indicators"][0].update(level="9"), r"unknown level '9'"),
    (lambda d: d["competencies"][0]["indicators"][1].update(id="l1"), r"duplicate ids in indicators: \['l1'\]"),
    (lambda d: d["competencies"][0]["indicators"][0].update(text="   "), r"indicators\[0\] \(l1\)\.text"),
    (lambda d: d.pop("competencies"), r"competencies: a required field is missing"),
    (lambda d: d["competencies"][0].update(group="nowhere"), r"group 'nowhere' is not one of"),
])
def test_bad_framework_gives_one_clear_error(tmp_path: Path, mutate, message: str) -> None:
    data = _minimal()
    mutate(data)
    with pytest.raises(FrameworkError, match=message) as caught:
        load_framework_file(_write(tmp_path, data))
    assert "tiny.yaml" in str(caught.value) and "how to fix" in str(caught.value)


def test_wrong_encoding_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: tiny\nname: Caf\xe9\ncompetencies: []\n".encode("latin-1"))
    with pytest.raises(FrameworkError, match="not UTF-8"):
        load_framework_file(path)


def test_midpoint_levels_cannot_carry_indicators(tmp_path: Path) -> None:
    data = _minimal()
    data["levels"][0]["midpoint"] = True
    with pytest.raises(FrameworkError, match="mid-point"):
        load_framework_file(_write(tmp_path, data))


def test_imported_framework_cannot_shadow_a_builtin(fresh_home: Path) -> None:
    fw = get_framework("councils").model_copy(update={"name": "Mine"})
    with pytest.raises(FrameworkError, match="built-in"):
        store_imported(fw)


def test_import_refuses_to_overwrite_without_replace(fresh_home: Path) -> None:
    fw = Framework.model_validate(_minimal())
    store_imported(fw)
    with pytest.raises(FrameworkError, match="--replace"):
        store_imported(fw)
    store_imported(fw.model_copy(update={"name": "Renamed"}), replace=True)
    assert get_framework("tiny").name == "Renamed"


# -- hostile framework files (issue 13, D04, D05, D07) -------------------------------------------------------

# nine levels of nine aliases: 377 bytes that expand to 9**9 strings (the reliability review's bomb)
ALIAS_BOMB = "id: bomb\nname: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)) + "competencies: []\n"


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(FrameworkError, match=r"YAML aliases \(\*a0\) are not accepted") as caught:
        load_framework_file(path)
    assert time.perf_counter() - started < 0.5
    assert "bomb.yaml: line 3" in str(caught.value) and "how to fix" in str(caught.value)


def test_a_huge_value_is_quoted_short_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump({"id": "big", "name": ["x" * 1000] * 1000, "competencies": []}), encoding="utf-8")
    with pytest.raises(FrameworkError, match="name: Input should be a valid string") as caught:
        load_framework_file(path)
    assert len(str(caught.value)) < 600


@pytest.mark.parametrize(("name", "text", "message"), [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nests deeper than 32 levels"),
    ("deep-ok-for-json.json", "[" * 500 + "]" * 500, "nests deeper than 32 levels"),
    ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000, "nests deeper than 32 levels"),
    ("deep-block.yaml", "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "x: 1\n", "deeper than 32"),
    ("digits.json", '{"id": ' + "9" * 5000 + "}", "more than 4,300 digits"),
    ("digits.yaml", "id: " + "9" * 5000 + "\n", "more than 4,300 digits"),
    ("date.yaml", "id: 2024-02-31\n", "a value cannot be read"),
    ("python.yaml", "id: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ("list.json", "[1, 2]", "expected a mapping"),
    ("scalar.yaml", "just text", "expected a mapping"),
    ("types.json", '{"id": 5, "name": {"a": 1}, "competencies": "none"}', "id: Input should be a valid string"),
])
def test_hostile_yaml_and_json_give_a_clear_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(FrameworkError, match=message) as caught:
        load_framework_file(path)
    assert time.perf_counter() - started < 2
    assert name in str(caught.value)


def test_too_many_values_or_bytes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"id": "many", "name": "Many", "competencies": [1] * 2000}), encoding="utf-8")
    monkeypatch.setattr(catalogue, "MAX_VALUES", 1000)
    with pytest.raises(FrameworkError, match="more than 1,000 values"):
        load_framework_file(path)
    monkeypatch.setattr(catalogue, "MAX_FRAMEWORK_BYTES", 100)
    with pytest.raises(FrameworkError, match="over the 100-byte limit"):
        load_framework_file(path)


def test_every_field_problem_is_listed(tmp_path: Path) -> None:
    data = _minimal()
    data["competencies"][0]["indicators"][0]["text"] = ""
    data["competencies"][0]["indicators"][1]["id"] = "bad id"
    data["name"] = ""
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(_write(tmp_path, data))
    message = str(caught.value)
    assert "tiny.yaml: name: String should have at least 1 character" in message
    assert "\n  competencies[0] (listening).indicators[0] (l1).text: String should" in message
    assert "indicators[1] (bad id).id: not a valid id: an id is 1 to 120 letters" in message
    assert "correct these fields" in message


def test_store_refuses_an_id_that_escapes(fresh_home: Path) -> None:
    fw = Framework.model_validate(_minimal()).model_construct(**{**Framework.model_validate(_minimal()).__dict__,
                                                                  "id": "../users"})
    with pytest.raises(InputError, match="not a valid id"):
        store_imported(fw)
    assert not (fresh_home / "users.json").exists()


def test_a_bad_stored_framework_is_left_out_of_the_list(fresh_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    store_imported(Framework.model_validate(_minimal()))
    folder = fresh_home / "frameworks"
    (folder / "Bad Id.json").write_text(json.dumps({**_minimal(), "id": "Bad Id"}), encoding="utf-8")
    (folder / "torn.json").write_text('{"id": "torn", "na', encoding="utf-8")
    (folder / "other.json").write_text(json.dumps(_minimal()), encoding="utf-8")  # declares id 'tiny'
    with caplog.at_level(logging.WARNING, logger="evidence.frameworks.catalogue"):
        listed = {s["id"] for s in list_frameworks()}
    assert "tiny" in listed and SEED_IDS <= listed and not {"Bad Id", "torn", "other"} & listed
    for name in ("Bad Id.json", "torn.json", "other.json"):
        assert f"skipped {folder / name}" in caplog.text
    problems = {path.name: reason for path, reason in framework_problems()}
    assert set(problems) == {"Bad Id.json", "torn.json", "other.json"}
    assert "not valid JSON" in problems["torn.json"] and "--replace" in problems["torn.json"]
    assert get_framework("tiny").name == "Tiny"
