"""Long framework tables (evidence.frameworks.tables): synonyms and a BOM, level names kept and ordered, stable ids,
merged cells, lists in cells, negative columns, and the export that reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence.frameworks.interchange import export_framework, import_framework
from tests.factories import tiny_framework

GRADES = ["Level 1 (AA/AO)", "Level 2 (EO)", "Level 3 (HEO/SEO)", "Level 4 (G7)", "Level 5 (G6)", "Level 6 (SCS)"]


def _write(tmp_path: Path, text: str, name: str = "framework.csv", encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _long(grades: list[str]) -> str:
    rows = ["Capability,Cluster,Definition,Proficiency Level,Behavioural Indicator,Ineffective behaviour"]
    for n, grade in enumerate(grades):
        rows.append(f'Seeing the whole picture,Thinking,Knows how the work fits,{grade},"Links own work to aims {n}",')
        rows.append(f"Making things better,Doing,,{grade},Improves a process {n},")
    rows.append("Making things better,Doing,,,,Blocks change")
    return "\n".join(rows) + "\n"


def test_a_long_table_with_a_bom_synonym_headers_and_named_levels(tmp_path: Path) -> None:
    shuffled = [GRADES[i] for i in (3, 0, 5, 1, 4, 2)]  # the order of the rows says nothing about the scale
    fw = import_framework(_write(tmp_path, _long(shuffled)), framework_id="grades", name="Grades")
    assert [lv.name for lv in fw.levels] == GRADES
    assert [lv.id for lv in fw.levels][:2] == ["level-1-aa-ao", "level-2-eo"]
    assert [c.name for c in fw.competencies] == ["Seeing the whole picture", "Making things better"]
    assert [g.name for g in fw.groups] == ["Thinking", "Doing"]
    assert fw.competencies[0].description == "Knows how the work fits"
    making = fw.competencies[1]
    assert len(making.indicators) == 7 and making.indicators[-1].polarity.value == "negative"
    assert making.indicators[-1].level is None
    assert {fw.level_names[i.level] for i in making.indicators if i.level} == set(GRADES)


def test_level_10_comes_after_level_2_and_names_are_never_doubled(tmp_path: Path) -> None:
    text = "Competency,Level,Indicator\nA,Level 10,ten\nA,Level 2,two\nA,2,bare two\nA,Level 1,one\n"
    fw = import_framework(_write(tmp_path, text))
    assert [lv.name for lv in fw.levels] == ["Level 1", "Level 2", "Level 10"]  # "2" is "Level 2" written short
    assert [lv.id for lv in fw.levels] == ["level-1", "level-2", "level-10"]
    assert [i.level for i in fw.competencies[0].indicators] == ["level-10", "level-2", "level-2", "level-1"]
    bare = import_framework(_write(tmp_path, "Competency,Level,Indicator\nA,10,ten\nA,2,two\n", name="bare.csv"))
    assert [(lv.id, lv.name) for lv in bare.levels] == [("2", "Level 2"), ("10", "Level 10")]


def test_the_same_file_gives_the_same_ids_every_time(tmp_path: Path) -> None:
    path = _write(tmp_path, _long(GRADES))
    first, again = import_framework(path), import_framework(path)
    ids = [(c.id, [(i.id, i.level) for i in c.indicators]) for c in first.competencies]
    assert ids == [(c.id, [(i.id, i.level) for i in c.indicators]) for c in again.competencies]
    assert first.content_hash == again.content_hash
    assert first.competencies[0].indicators[0].id == "seeing-the-whole-picture.level-1-aa-ao.01"


def test_a_given_scale_orders_and_names_the_levels(tmp_path: Path) -> None:
    text = "competency,level,indicator\nA,expert,does x\nA,Novice,does y\nA,PRACTITIONER,does z\n"
    fw = import_framework(_write(tmp_path, text), levels=["Novice", "Practitioner", "Expert"])
    assert [(lv.id, lv.name) for lv in fw.levels] == [("Novice", "Novice"), ("Practitioner", "Practitioner"),
                                                     ("Expert", "Expert")]
    assert [i.level for i in fw.competencies[0].indicators] == ["Expert", "Novice", "Practitioner"]


def test_lists_in_cells_merged_cells_and_title_rows(tmp_path: Path) -> None:
    text = ('Our framework,,\n,,\nSkill,Grade,Descriptors\nPlanning,1,"• Plans own day\n• Keeps a list\n  of tasks"\n'
            ",2,Plans for the team\nListening,1,Listens\n")
    notes: list[str] = []
    fw = import_framework(_write(tmp_path, text), notes=notes)
    assert [(i.text, i.level) for i in fw.competencies[0].indicators] == [
        ("Plans own day", "1"), ("Keeps a list of tasks", "1"), ("Plans for the team", "2")]
    assert any("header is row 3" in n for n in notes) and any("merged cells" in n for n in notes)


def test_named_columns_read_a_table_whose_headers_say_nothing(tmp_path: Path) -> None:
    text = "Area of work,What good looks like,Step\nPlanning,Plans own work,1\n"
    path = _write(tmp_path, text)
    fw = import_framework(path, columns={"competency": "Area of work", "indicator": "what good looks like",
                                         "level": "STEP"})
    assert [(c.name, [(i.text, i.level) for i in c.indicators]) for c in fw.competencies] == [
        ("Planning", [("Plans own work", "1")])]


def test_our_export_reads_back_with_level_names_and_ids(tmp_path: Path) -> None:
    fw = tiny_framework()
    renamed = fw.model_copy(update={"levels": [lv.model_copy(update={"name": f"Grade {lv.id} (named)"})
                                               for lv in fw.levels]})
    path = _write(tmp_path, export_framework(renamed, "csv"), encoding="utf-8")
    again = import_framework(path, framework_id="tiny", name="Tiny")
    assert [i for _, i in again.indicators] == [i for _, i in renamed.indicators]
    used = {i.level for _, i in renamed.indicators if i.level}
    assert [(lv.id, lv.name) for lv in again.levels] == [(lv.id, lv.name) for lv in renamed.levels if lv.id in used]


def test_formula_like_cells_of_an_export_read_back_as_written(tmp_path: Path) -> None:
    text = "competency,indicator\nPlanning,- plans own work\nPlanning,=SUM is not run\n"
    fw = import_framework(_write(tmp_path, text), framework_id="f", name="F")
    again = import_framework(_write(tmp_path, export_framework(fw, "csv"), name="again.csv"), framework_id="f",
                             name="F")
    assert [i.text for _, i in again.indicators] == [i.text for _, i in fw.indicators]
    assert json.loads(export_framework(again, "case"))["CFRubrics"] == []  # no levels: no rubric


@pytest.mark.parametrize("value", ["Effective", "ineffective", "NEGATIVE", ""])
def test_polarity_cells_as_people_write_them(tmp_path: Path, value: str) -> None:
    fw = import_framework(_write(tmp_path, f"Competency,Behaviour,Indicator type\nA,does,{value}\n"))
    expected = "negative" if value.lower() in ("ineffective", "negative") else "positive"
    assert fw.competencies[0].indicators[0].polarity.value == expected
