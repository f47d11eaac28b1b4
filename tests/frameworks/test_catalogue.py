"""The framework catalogue and validation: built-ins load, bad files fail with one clear error each."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evidence.domain import Framework
from evidence.errors import FrameworkError, NotFoundError
from evidence.frameworks.catalogue import (
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
