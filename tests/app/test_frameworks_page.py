"""The Frameworks page's import form (issue 14): the importer the CLI uses, its options as form fields, every problem
shown with the fix naming the form's fields, nothing stored from a file that does not read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evidence.app import markup, session
from evidence.app.serve import app_path
from evidence.frameworks.catalogue import get_framework
from evidence.frameworks.problems import FIELD_LABELS
from evidence.services import auth

PAGE = str(app_path().parent / "routes" / "frameworks.py")
GRID = ("Competency;Level 1 (AA/AO);Level 2 (EO);Not effective\n"
        'Listening;"• Lets people finish\n• Checks understanding";"- Asks open questions";"Talks over others"\n'
        'Planning;"1. Keeps a list";"1. Plans the team\'s week";""\n').encode("cp1252")


def plain(markdown: str) -> str:
    """The text a reader sees in escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(markup.WORD_JOINER, "")


def _admin_page(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    admin = auth.User("admin", auth.UserRole("admin"))
    monkeypatch.setattr(session, "require", lambda permission: admin)
    return AppTest.from_file(PAGE, default_timeout=60).run()


def _submit(at: AppTest, name: str, data: bytes, label: str = "Import") -> AppTest:
    at.file_uploader(key="fw-upload").set_value((name, data, "text/csv"))
    at.run()
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_the_form_offers_the_importers_options_under_their_labels(app_home: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = _admin_page(monkeypatch)
    labels = {w.label for w in at.text_input} | {w.label for w in at.selectbox}
    for option in ("layout", "sheet", "competency_column", "indicator_column", "level_column"):
        assert FIELD_LABELS[option] in labels
    assert any(label.startswith(FIELD_LABELS["levels"]) for label in labels)


def test_a_grid_imports_with_its_level_names_in_order(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _submit(_admin_page(monkeypatch), "our-grid.csv", GRID)
    assert not at.exception, at.exception
    assert "Imported" in at.success[0].value and "Level 1 (AA/AO), Level 2 (EO)" in plain(at.success[0].value)
    assert any("read as Windows-1252" in plain(i.value) for i in at.info)
    fw = get_framework("our-grid")
    assert [lv.name for lv in fw.levels] == ["Level 1 (AA/AO)", "Level 2 (EO)"]
    assert [(i.text, i.polarity.value) for i in fw.competencies[0].indicators] == [
        ("Lets people finish", "positive"), ("Checks understanding", "positive"), ("Asks open questions", "positive"),
        ("Talks over others", "negative")]


def test_every_problem_is_shown_with_the_forms_words_and_nothing_is_stored(
        app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _admin_page(monkeypatch)
    at.text_input(key="fw-new-levels").input("1, 2")
    bad = b"Competency,Indicator,Level,Polarity\n,a,1,\nA,,1,\nA,b,9,\nA,c,1,maybe\nA,d,1,\n"
    at = _submit(at, "bad.csv", bad)
    shown = plain(at.error[0].value)
    assert "not imported" in shown and "4 problems" in shown
    assert shown.count("row ") >= 4 and "Levels, lowest first" in shown and "--levels" not in shown
    assert not (app_home / "frameworks" / "bad.json").exists()


def test_the_sheet_and_column_fields_reach_the_importer(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _admin_page(monkeypatch)
    at.text_input(key="fw-new-competency-column").input("Area")
    at.text_input(key="fw-new-indicator-column").input("What good looks like")
    at = _submit(at, "odd.csv", b"Area,What good looks like\nPlanning,Plans own work\n", label="Validate")
    assert not at.exception, at.exception
    assert "Valid" in at.success[0].value and "1 competencies, 1 indicators" in at.success[0].value
    at.text_input(key="fw-new-competency-column").input("Nowhere")
    next(b for b in at.button if b.label == "Validate").click()
    at.run()
    assert 'give one of these names in the "Competency column" field' in plain(at.error[0].value)
