"""Spreadsheet cells that cannot run (evidence.io.cells): OWASP's CSV-injection rule, numbers left as numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.io import cells
from tests.factories import FORMULA_PAYLOADS


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_each_formula_payload_gets_a_quote_in_front(payload: str) -> None:
    assert cells.neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["", "plain text", "I led the team.", "'quoted", " =space first", "1+1", "5"])
def test_harmless_text_is_left_alone(value: str) -> None:
    assert cells.neutralise(value) == value


@pytest.mark.parametrize("value", [-0.5, -3, 0, 2.5, True, None])
def test_numbers_and_empty_values_stay_what_they_are(value: object) -> None:
    """A negative number written as a number is a number in a spreadsheet, never a formula."""
    assert cells.neutralise(value) is value


def test_the_text_of_a_negative_number_is_quoted_like_any_text() -> None:
    assert cells.neutralise("-5") == "'-5"


def test_rows_and_frames_are_neutralised_cell_by_cell_headers_included() -> None:
    assert cells.neutralise_row({"id": "=1+1", "score": -0.5, "text": "ok"}) == {
        "id": "'=1+1", "score": -0.5, "text": "ok"}
    frame = pd.DataFrame({"Applicant": ["=1+1", "ok"], "Match %": [-5, 40], "=HYPERLINK(1)": ["@x", None]})
    out = cells.neutralise_frame(frame)
    assert list(out.columns) == ["Applicant", "Match %", "'=HYPERLINK(1)"]
    assert out["Applicant"].tolist() == ["'=1+1", "ok"] and out["Match %"].tolist() == [-5, 40]
    assert out["Match %"].dtype.kind == "i" and out["'=HYPERLINK(1)"].tolist()[0] == "'@x"
    assert frame["Applicant"].tolist() == ["=1+1", "ok"]  # the caller's table is not changed


@given(st.text(max_size=40))
def test_neutralised_text_never_starts_a_formula_is_idempotent_and_restores(text: str) -> None:
    once = cells.neutralise(text)
    assert not once.startswith(cells.FORMULA_TRIGGERS)
    assert cells.neutralise(once) == once  # two export layers quote once
    if not (text.startswith(cells.QUOTE) and text[1:].startswith(cells.FORMULA_TRIGGERS)):
        assert cells.restore(once) == text


def test_csv_text_quotes_a_carriage_return_inside_a_cell() -> None:
    """With pandas' default "\\n" line end, "x\\r=1+1" was written unquoted: a spreadsheet ends the row at the CR
    and reads "=1+1" as the formula starting the next one."""
    text = cells.csv_text(pd.DataFrame({"text": ["x\r=1+1", "\r=2+2", "ok"], "score": [-0.5, 1.0, 2.0]}))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["text", "score"], ["x\r=1+1", "-0.5"], ["'\r=2+2", "1.0"], ["ok", "2.0"]]
    assert text.splitlines()[1] == '"x'  # the CR sits inside a quoted field
