"""Grid framework tables (evidence.frameworks.grids): a competency a row, a column per level, lists in the cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import FrameworkError
from evidence.frameworks.interchange import import_framework

LEVELS = ["Level 1 (AA/AO)", "Level 2 (EO)", "Level 3 (HEO/SEO)"]
GRID = {
    "Competency": ["Working together", "Planning"],
    "Description": ["Builds relationships across teams.", ""],
    "Level 1 (AA/AO)": ["• Offers help\n• Shares what the team\n  needs to know", "1. Keeps a list\n2. Flags risks"],
    "Level 2 (EO)": ["- Agrees who does what", "a) Breaks work into steps"],
    "Level 3 (HEO/SEO)": ["* Brings teams together\n* Gives credit", "Manages a plan\nMoves people between tasks"],
    "Level 2 (EO) - negative": ["Keeps information to themselves", ""],
}


def _xlsx(tmp_path: Path, grid: dict, *, cover: bool = True, name: str = "grid.xlsx") -> Path:
    path = tmp_path / name
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        if cover:
            pd.DataFrame({"About this workbook": ["The framework is on the next sheet."]}).to_excel(
                writer, sheet_name="Cover", index=False)
        pd.DataFrame(grid).to_excel(writer, sheet_name="Framework", index=False)
    return path


def _indicators(fw) -> list[tuple[str, str | None, str]]:  # noqa: ANN001
    return [(c.name, i.level and fw.level_names[i.level], i.text if i.polarity.value == "positive" else f"NOT {i.text}")
            for c in fw.competencies for i in c.indicators]


EXPECTED = [
    ("Working together", "Level 1 (AA/AO)", "Offers help"),
    ("Working together", "Level 1 (AA/AO)", "Shares what the team needs to know"),
    ("Working together", "Level 2 (EO)", "Agrees who does what"),
    ("Working together", "Level 3 (HEO/SEO)", "Brings teams together"),
    ("Working together", "Level 3 (HEO/SEO)", "Gives credit"),
    ("Working together", "Level 2 (EO)", "NOT Keeps information to themselves"),
    ("Planning", "Level 1 (AA/AO)", "Keeps a list"), ("Planning", "Level 1 (AA/AO)", "Flags risks"),
    ("Planning", "Level 2 (EO)", "Breaks work into steps"),
    ("Planning", "Level 3 (HEO/SEO)", "Manages a plan"),
    ("Planning", "Level 3 (HEO/SEO)", "Moves people between tasks"),
]


def test_a_grid_workbook_on_its_second_sheet(tmp_path: Path) -> None:
    notes: list[str] = []
    path = _xlsx(tmp_path, GRID)
    fw = import_framework(path, framework_id="grid", name="Grid", notes=notes)
    assert import_framework(path, framework_id="grid", name="Grid").content_hash == fw.content_hash  # same ids
    assert [lv.name for lv in fw.levels] == LEVELS
    assert _indicators(fw) == EXPECTED
    assert fw.competencies[0].description == "Builds relationships across teams."
    assert any("read sheet 'Framework' (2 of 2)" in n and "--sheet" in n for n in notes)
    assert any(n.startswith("layout: grid") for n in notes)


def test_a_semicolon_grid_saved_as_windows_1252(tmp_path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Compétence", "Foundation", "Practitioner", "Expert"])
    writer.writerow(["Café service – front of house", "- Greets customers\n- Takes orders", "- Runs a shift",
                     "- Trains staff’s skills"])
    path = tmp_path / "grid.csv"
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    notes: list[str] = []
    fw = import_framework(path, notes=notes)
    assert [lv.name for lv in fw.levels] == ["Foundation", "Practitioner", "Expert"]  # the columns' order
    assert fw.competencies[0].name == "Café service – front of house"
    assert [i.text for i in fw.competencies[0].indicators] == ["Greets customers", "Takes orders", "Runs a shift",
                                                               "Trains staff’s skills"]
    assert any("Windows-1252" in n for n in notes)


def test_a_given_scale_picks_and_orders_the_level_columns(tmp_path: Path) -> None:
    notes: list[str] = []
    fw = import_framework(_xlsx(tmp_path, GRID, cover=False), levels=["level 3 (heo/seo)", "Level 1 (AA/AO)"],
                          notes=notes)
    assert [lv.name for lv in fw.levels] == ["level 3 (heo/seo)", "Level 1 (AA/AO)"]
    assert {lv for _, lv, _ in _indicators(fw)} == {"level 3 (heo/seo)", "Level 1 (AA/AO)"}
    assert any("not one of the levels given" in n and "Level 2 (EO)" in n for n in notes)


def test_numbered_columns_from_the_highest_down_are_read_lowest_first(tmp_path: Path) -> None:
    grid = {"Skill": ["Planning"], "Band 3": ["Sets strategy"], "Band 2": ["Plans the team"], "Band 1": ["Plans self"]}
    fw = import_framework(_xlsx(tmp_path, grid, cover=False))
    assert [lv.name for lv in fw.levels] == ["Band 1", "Band 2", "Band 3"]


def test_cluster_rows_blank_headers_and_a_single_column_of_indicators(tmp_path: Path) -> None:
    grid = {"": ["Working with people", "Listening", "Delivering", "Planning"],
            "What good looks like": ["", "- Listens\n- Summarises", "", "- Plans"]}
    notes: list[str] = []
    fw = import_framework(_xlsx(tmp_path, grid, cover=False), layout="grid", notes=notes)
    assert [(c.name, c.group) for c in fw.competencies] == [("Listening", "working-with-people"),
                                                           ("Planning", "delivering")]
    assert fw.levels == [] and [i.text for _, i in fw.indicators] == ["Listens", "Summarises", "Plans"]
    assert any("whose header is empty" in n for n in notes) and any("without levels" in n for n in notes)


def test_a_grid_row_without_indicators_and_the_wrong_layout_are_reported(tmp_path: Path) -> None:
    grid = {"Competency": ["Planning", "Listening"], "Description": ["Plans", "Listens"],
            "Level 1": ["- Plans", ""], "Level 2": ["", "N/A"]}
    with pytest.raises(FrameworkError, match=r"competency 'Listening' has no indicators") as caught:
        import_framework(_xlsx(tmp_path, grid, cover=False))
    assert caught.value.path == 'row 3, column "Competency"'
    with pytest.raises(FrameworkError, match=r"(?s)no indicator column; .*--layout grid"):
        import_framework(_xlsx(tmp_path, grid, cover=False, name="g2.xlsx"), layout="long")
