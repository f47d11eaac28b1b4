"""A table file read as a framework (evidence.frameworks.tabular): every problem at once, fixes worded for the CLI or
the app, sheets, encodings and layouts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import FrameworkError
from evidence.frameworks.interchange import import_framework

FIVE_PROBLEMS = ("Competency,Indicator,Level,Polarity,Indicator ID\n"
                 ",Plans own work,1,,\n"  # 1: no competency (and none above to continue)
                 "Planning,,1,,\n"  # 2: no indicator
                 "Planning,Plans the team's work,7,,\n"  # 3: a level not on the scale given
                 "Planning,Reviews plans,2,sometimes,\n"  # 4: a polarity that is neither
                 "Planning,Shares plans,2,,Bad Id\n")  # 5: an id that is not an id


def _csv(tmp_path: Path, text: str, name: str = "framework.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_five_different_problems_are_reported_at_once_with_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        import_framework(_csv(tmp_path, FIVE_PROBLEMS), levels=["1", "2", "3"])
    message = str(caught.value)
    assert message.count("\n  row ") == 5 and "5 problems" in message
    for place, problem in [('row 2, column "Competency"', "the competency cell is empty"),
                           ('row 3, column "Indicator"', "the indicator cell is empty"),
                           ('row 4, column "Level"', "level '7' is not on the scale given (1, 2, 3)"),
                           ('row 5, column "Polarity"', "polarity 'sometimes'"),
                           ('row 6, column "Indicator ID"', "'Bad Id' is not a valid id")]:
        assert f"{place}: {problem}" in message
    assert "add it with --levels" in message


def test_the_app_is_told_its_field_labels_not_the_flags(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        import_framework(_csv(tmp_path, FIVE_PROBLEMS), levels=["1", "2", "3"], audience="app")
    assert 'add it in the "Levels, lowest first" field' in str(caught.value) and "--" not in str(caught.value)
    with pytest.raises(FrameworkError, match=r'name it in the "Competency column" field'):
        import_framework(_csv(tmp_path, "Area,Behaviour\nA,does\n", name="b.csv"), audience="app")
    with pytest.raises(FrameworkError, match=r"name it with --competency-column"):
        import_framework(_csv(tmp_path, "Area,Behaviour\nA,does\n", name="b.csv"))


def test_a_long_list_of_problems_is_capped_and_counted(tmp_path: Path) -> None:
    rows = "".join(f"Planning,does {n},{n + 10}\n" for n in range(30))
    with pytest.raises(FrameworkError) as caught:
        import_framework(_csv(tmp_path, "competency,indicator,level\n" + rows), levels=["1"])
    message = str(caught.value)
    assert "30 problems" in message and message.count("\n  row ") == 20 and "... and 10 more" in message


def test_header_problems_come_together(tmp_path: Path) -> None:
    text = "Skill,Capability,Behaviour,Behaviour\nA,B,does,does too\n"
    with pytest.raises(FrameworkError) as caught:
        import_framework(_csv(tmp_path, text), columns={"level": "Grade"})
    message = str(caught.value)
    assert "no column is headed 'Grade' (given as the level column)" in message
    assert "columns 'Skill' and 'Capability' all look like the competency column" in message
    assert "name the one to read with --competency-column" in message


def _workbook(tmp_path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def test_sheets_are_chosen_by_name_or_number_or_the_first_that_reads(tmp_path: Path) -> None:
    long = pd.DataFrame({"Competency": ["A"], "Indicator": ["does a"]})
    other = pd.DataFrame({"Skill": ["B"], "Behaviour": ["does b"]})
    path = _workbook(tmp_path, {"Read me": pd.DataFrame({"Notes": ["hello"]}), "Long": long, "Other": other})
    assert import_framework(path).competencies[0].name == "A"
    assert import_framework(path, sheet="other").competencies[0].name == "B"
    assert import_framework(path, sheet=3).competencies[0].name == "B"
    with pytest.raises(FrameworkError, match=r"no sheet 'Missing'; its sheets are \['Read me', 'Long', 'Other'\]"):
        import_framework(path, sheet="Missing")


def test_when_no_sheet_reads_each_sheets_problem_is_reported(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {"Cover": pd.DataFrame({"Notes": ["hello"]}),
                                "Grid": pd.DataFrame({"Competency": ["A"], "Level 1": [""], "Level 2": [""]})})
    with pytest.raises(FrameworkError) as caught:
        import_framework(path)
    message = str(caught.value)
    assert "no sheet reads as a framework" in message and "sheet 'Cover': 2 problems" in message
    assert "no competency column; the columns are ['Notes']" in message
    assert "sheet 'Grid': row 2, column \"Competency\": 'A' has no indicators and no competencies below" in message
    assert "choose it with --sheet" in message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_every_encoding_and_separator(tmp_path: Path, encoding: str, separator: str) -> None:
    text = separator.join(["Compétence", "Niveau", "Behaviour"]) + "\n" + separator.join(
        ["Café service", "1", '"Greets customers, then seats them"']) + "\n"
    fw = import_framework(_csv(tmp_path, text, encoding=encoding), columns={"level": "niveau"})
    assert [(c.name, [(i.text, i.level) for i in c.indicators]) for c in fw.competencies] == [
        ("Café service", [("Greets customers, then seats them", "1")])]


def test_a_binary_file_named_csv_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "framework.csv"
    path.write_bytes(b"competency,indicator\n\x81\x00\x02\xff\xfe junk\n")
    with pytest.raises(FrameworkError, match=r"not UTF-8 text: byte 0x81 on line 2"):
        import_framework(path)


def test_an_empty_file_and_a_header_alone(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="cannot parse the table|the file is empty"):
        import_framework(_csv(tmp_path, "\n\n"))
    with pytest.raises(FrameworkError, match="no rows below its header"):
        import_framework(_csv(tmp_path, "competency,indicator\n", name="header.csv"))
