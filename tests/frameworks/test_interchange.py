"""Import and export: flat tables, ESCO lists and CSVs, CASE JSON; round trips lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import FrameworkError, InputError
from evidence.frameworks import interchange
from evidence.frameworks.catalogue import get_framework, save_framework
from evidence.frameworks.interchange import (
    export_framework,
    from_case,
    import_framework,
    parse_levels,
)
from tests.conftest import SHARED

SEEDS = ["units-of-competence", "community-link-worker", "councils", "admin-job-family", "axelos-skills"]


def _csv(tmp_path: Path, text: str, name: str = "table.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_table_import_builds_levels_groups_themes(tmp_path: Path) -> None:
    path = _csv(tmp_path, "competency,indicator,level,group,theme,polarity\n"
                          "Planning,Plans own work,1,Core,Own work,\n"
                          "Planning,Plans the team's work,2,Core,Team,\n"
                          "Listening,Interrupts others,,Core,,negative\n")
    fw = import_framework(path, framework_id="t", name="T")
    assert [lv.id for lv in fw.levels] == ["1", "2"]
    assert [c.id for c in fw.competencies] == ["planning", "listening"]
    assert fw.competencies[0].group == "core" and len(fw.competencies[0].themes) == 2
    assert fw.competencies[1].indicators[0].polarity.value == "negative"


# Since issue 14 a problem names its row and column, a missing column lists the columns found, and an indicator
# id used twice is reported at its second row (tests/frameworks/test_tabular.py has the five-problem file).
@pytest.mark.parametrize(("text", "message"), [
    ("competency,level\nPlanning,1\n", r"no indicator column and no level columns; the columns are \['competency', "
                                       r"'level'\]"),
    ("competency,indicator\nPlanning,\n", r'row 2, column "indicator": the indicator cell is empty'),
    ("competency,indicator\n,Plans\n", r'row 2, column "competency": the competency cell is empty'),
    ("competency,indicator,polarity\nPlanning,Plans,maybe\n", r"polarity 'maybe'"),
    ("competency,indicator,indicator_id\nA,x,same\nB,y,same\n", r"indicator id 'same' is used on row 2 too"),
])
def test_bad_tables_give_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FrameworkError, match=message):
        import_framework(_csv(tmp_path, text))


def test_unknown_level_against_a_given_scale(tmp_path: Path) -> None:
    path = _csv(tmp_path, "competency,indicator,level\nPlanning,Plans,1\nPlanning,Leads,7\n")
    with pytest.raises(FrameworkError, match=r"row 3, column \"level\": level '7' is not on the scale given"):
        import_framework(path, levels=["1", "2", "3"])


def test_a_table_that_is_not_utf8_is_read_as_windows_1252_and_said_so(tmp_path: Path) -> None:
    """Issue 14: Excel on Windows saves "CSV" as Windows-1252; it was refused, it is now read (and the import says
    so). Bytes that are not text at all are still refused with their line (tests/frameworks/test_tabular.py)."""
    path = tmp_path / "latin.csv"
    path.write_bytes("competency,indicator\nCaf\xe9 work,Serves\n".encode("latin-1"))
    notes: list[str] = []
    assert import_framework(path, notes=notes).competencies[0].name == "Café work"
    assert any("read as Windows-1252" in note for note in notes)


def test_xlsx_import(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    pd.DataFrame({"competency": ["A", "B"], "indicator": ["does a", "does b"], "level": ["1", "2"]}).to_excel(
        path, index=False)
    assert len(import_framework(path).competencies) == 2


def test_label_list_without_final_newline(tmp_path: Path) -> None:
    path = _csv(tmp_path, "manage staff\nuse spreadsheets\nmanage staff\nteach maths", name="skills.txt")
    fw = import_framework(path, framework_id="skills", expand_esco=False)
    assert [c.id for c in fw.competencies] == ["manage-staff", "use-spreadsheets", "manage-staff-2", "teach-maths"]


def test_esco_skills_csv(tmp_path: Path) -> None:
    path = tmp_path / "esco.csv"
    pd.DataFrame({"conceptUri": ["http://data.europa.eu/esco/skill/abc-1"], "preferredLabel": ["manage staff"],
                  "altLabels": ["lead staff\nsupervise staff"], "description": ["Manage employees."]}).to_csv(
        path, index=False)
    comp = import_framework(path).competencies[0]
    assert comp.id == "abc-1" and comp.name == "manage staff"
    assert [i.text for i in comp.indicators] == ["manage staff"]
    assert comp.description.startswith("Also: lead staff; supervise staff.\nManage employees.")


@pytest.mark.skipif(not (SHARED / "benchmarks").exists(), reason="../shared/benchmarks is not beside the repo")
def test_esco_label_list_has_13896_skills_expanded_from_esco() -> None:
    fw = import_framework(SHARED / "benchmarks" / "esco-skill-extraction" / "skills_en_label.txt", framework_id="esco")
    assert len(fw.competencies) == 13896
    expanded = [c for c in fw.competencies if "data.europa.eu/esco/skill/" in c.description]
    assert len(expanded) > 13000  # ESCO's own alternative labels and descriptions, from the ESCO data package


def test_esco_expansion_splits_alternative_labels_from_description() -> None:
    from evidence.frameworks.esco import split_alt_labels

    assert split_alt_labels("lead staff supervise staff Manage the staff of a unit.") == (
        "lead staff supervise staff", "Manage the staff of a unit.")


@pytest.mark.parametrize("framework_id", SEEDS)
def test_case_round_trip_is_lossless(framework_id: str) -> None:
    fw = get_framework(framework_id)
    package = json.loads(export_framework(fw, "case"))
    assert package["CFDocument"]["title"] == fw.name
    assert all(a["associationType"] == "isChildOf" for a in package["CFAssociations"])
    assert from_case(package) == fw


@pytest.mark.parametrize("framework_id", SEEDS)
def test_csv_round_trip_keeps_every_indicator(framework_id: str, tmp_path: Path) -> None:
    fw = get_framework(framework_id)
    path = _csv(tmp_path, export_framework(fw, "csv"))
    again = import_framework(path, framework_id=fw.id, name=fw.name)
    assert [(c.id, c.name, c.group) for c in again.competencies] == [(c.id, c.name, c.group) for c in fw.competencies]
    assert [i for _, i in again.indicators] == [i for _, i in fw.indicators]


def test_csv_defined_framework_round_trips_exactly(tmp_path: Path) -> None:
    path = _csv(tmp_path, "competency,indicator,level,group,theme\nPlanning,Plans own work,1,Core,Own\n"
                          "Planning,Plans team work,2,Core,Team\nListening,Listens,1,,\n")
    fw = import_framework(path, framework_id="t", name="T")
    again = import_framework(_csv(tmp_path, export_framework(fw, "csv"), name="again.csv"), framework_id="t",
                             name="T")
    assert again.model_copy(update={"source": ""}) == fw.model_copy(update={"source": ""})


def test_foreign_case_package_maps_by_tree_shape() -> None:
    doc = {"identifier": "d"}
    items = [{"identifier": "g", "fullStatement": "Core"},
             {"identifier": "c", "fullStatement": "Planning", "humanCodingScheme": "PL"},
             {"identifier": "i1", "fullStatement": "Plans own work", "educationLevel": ["1"]},
             {"identifier": "i2", "fullStatement": "Plans team work", "educationLevel": ["2"]}]
    edges = [("g", "d"), ("c", "g"), ("i1", "c"), ("i2", "c")]
    package = {"CFDocument": {**doc, "title": "Foreign"}, "CFItems": items, "CFAssociations": [
        {"associationType": "isChildOf", "originNodeURI": {"identifier": a}, "destinationNodeURI": {"identifier": b}}
        for a, b in edges]}
    fw = from_case(package)
    assert fw.name == "Foreign" and [g.name for g in fw.groups] == ["Core"]
    assert [i.level for _, i in fw.indicators] == ["1", "2"]


@pytest.mark.parametrize(("text", "levels"), [
    (None, None), ("", None), (" , ", None), ("1,2,3", ["1", "2", "3"]), (" low , high ,", ["low", "high"]),
])
def test_a_typed_scale_is_split_on_commas(text: str | None, levels: list[str] | None) -> None:
    assert parse_levels(text) == levels


# -- ids and limits at import (issue 13, D06) ----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../users", "../../escaped", "Bad Id", ".hidden", "a/b"])
@pytest.mark.parametrize("suffix", [".yaml", ".json", ".csv", ".txt"])
def test_an_id_that_is_not_an_id_is_refused_for_every_format(tmp_path: Path, bad: str, suffix: str) -> None:
    fw = get_framework("units-of-competence")
    path = tmp_path / f"mine{suffix}"
    if suffix == ".csv":
        path.write_text(export_framework(fw, "csv"), encoding="utf-8")
    elif suffix == ".txt":
        path.write_text("manage budgets\n", encoding="utf-8")
    else:
        save_framework(fw, path)
    with pytest.raises(InputError, match=r"framework id .* is not a valid id"):
        import_framework(path, framework_id=bad)


def test_the_id_and_name_given_are_validated_with_the_framework(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    save_framework(get_framework("units-of-competence"), path)
    fw = import_framework(path, framework_id="mine", name="  Mine  ")
    assert (fw.id, fw.name) == ("mine", "Mine")
    assert fw.content_hash != get_framework("units-of-competence").content_hash


def test_a_table_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interchange, "MAX_ROWS", 3)
    rows = "".join(f"Listening,does {i}\n" for i in range(4))
    with pytest.raises(FrameworkError, match="4 rows, over the 3-row limit"):
        import_framework(_csv(tmp_path, "competency,indicator\n" + rows))
    with pytest.raises(FrameworkError, match="over the 3-row limit"):
        import_framework(_csv(tmp_path, rows, name="labels.txt"), expand_esco=False)
