"""Corrections become labelled units; a corrections CSV and a labelled CSV both feed training."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evidence.domain import Correction, DecisionKind, Framework
from evidence.errors import InputError
from evidence.evaluation.labelled import read_labelled
from evidence.learning.data import labelled_units_from_csv, units_from_corrections
from tests.learning.conftest import labelled_csv


def test_training_data_with_unknown_labels_names_the_rows(tiny: Framework, tmp_path: Path) -> None:
    path = tmp_path / "bad-labels.csv"
    path.write_text("text,competency,level\nI balanced the budget,budgeting,1\nI juggled,juggling,1\n"
                    "I coached Sam,coaching,7\n", encoding="utf-8")
    with pytest.raises(InputError,
                       match=r"unknown competency 'juggling' on row\(s\) 3.*unknown level '7' on row\(s\) 4"):
        read_labelled(path, tiny)


def test_corrections_become_labelled_units(tiny: Framework) -> None:
    base = {"framework": "tiny", "reviewer": "sam", "model_version": "zero-shot"}
    corrections = [
        Correction(text="I cut agency spend", decision=DecisionKind.accepted, competency="budgeting", level="2",
                   suggested_competency="budgeting", **base),
        Correction(text="I like cats", decision=DecisionKind.no_evidence, suggested_competency="coaching", **base),
        Correction(text="I mentored Jo", decision=DecisionKind.relabelled, competency="coaching", level="1",
                   suggested_competency="budgeting", **base),
        Correction(text="I filed things", decision=DecisionKind.rejected, suggested_competency="budgeting", **base),
    ]
    units = {u.text: u for u in units_from_corrections(corrections, tiny)}
    assert units["I cut agency spend"].levels == {"budgeting": "2"}
    assert units["I like cats"].competencies == []
    assert units["I mentored Jo"].competencies == ["coaching"]
    assert "I filed things" not in units
    with pytest.raises(InputError, match="unknown competency 'juggling'"):
        units_from_corrections([Correction(text="x", decision=DecisionKind.accepted, competency="juggling",
                                           **base)], tiny)


def test_corrections_csv_feeds_training(tiny: Framework, tmp_path: Path) -> None:
    rows = [Correction(text="I cut agency spend", framework="tiny", decision=DecisionKind.relabelled,
                       competency="budgeting", level="1", suggested_competency="coaching", reviewer="sam"),
            Correction(text="I like cats", framework="tiny", decision=DecisionKind.no_evidence, reviewer="kim")]
    path = tmp_path / "corrections.csv"
    pd.DataFrame([r.model_dump(mode="json") for r in rows]).to_csv(path, index=False)
    units = {u.text: u for u in labelled_units_from_csv(tiny, path)}
    assert units["I cut agency spend"].competencies == ["budgeting"] and units["I like cats"].competencies == []


def test_a_labelled_csv_feeds_training_and_a_missing_file_is_named(tiny: Framework, tmp_path: Path) -> None:
    units = labelled_units_from_csv(tiny, labelled_csv(tmp_path, "l.csv", seed=1, n=6))
    assert len(units) == 10 and units[0].competencies == ["budgeting"]
    with pytest.raises(InputError, match="no-such.csv: no such file"):
        labelled_units_from_csv(tiny, tmp_path / "no-such.csv")
