"""The worked examples in data/frameworks-examples/ come from scripts/make_framework_examples.py and read back as
the framework written there (the CLI test imports each with nothing but --id and --name)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evidence.frameworks.interchange import import_framework
from scripts import make_framework_examples as examples
from tests.conftest import REPO

FOLDER = REPO / "data" / "frameworks-examples"
SHAPES = ["long-bom.csv", "grid-two-sheets.xlsx", "grid-semicolon-cp1252.csv", "case-rubric.json"]


def test_the_examples_are_what_the_script_writes(tmp_path: Path) -> None:
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(SHAPES)
    assert (FOLDER / "long-bom.csv").read_bytes() == examples.long_csv()
    assert (FOLDER / "long-bom.csv").read_bytes().startswith(b"\xef\xbb\xbfCapability,")
    assert (FOLDER / "grid-semicolon-cp1252.csv").read_bytes() == examples.grid_csv()
    assert json.loads((FOLDER / "case-rubric.json").read_text(encoding="utf-8")) == examples.case_package()
    examples.grid_xlsx(tmp_path / "again.xlsx")
    for sheet in ("About", "Framework"):
        written = pd.read_excel(tmp_path / "again.xlsx", sheet_name=sheet, header=None, dtype=str)
        kept = pd.read_excel(FOLDER / "grid-two-sheets.xlsx", sheet_name=sheet, header=None, dtype=str)
        pd.testing.assert_frame_equal(written, kept)


def expected(*, negatives: bool = True) -> list[tuple[str, str, str | None, str]]:
    """(competency, indicator, level rank or None, polarity) of :data:`examples.FRAMEWORK`, in file order."""
    rows = []
    for _, name, _, by_level, negative in examples.FRAMEWORK:
        for rank, texts in enumerate(by_level):
            rows += [(name, text, str(rank), "positive") for text in texts]
        if negatives:
            rows += [(name, text, None, "negative") for text in negative]
    return rows


@pytest.mark.parametrize("shape", SHAPES)
def test_each_example_reads_as_the_framework_written(shape: str) -> None:
    fw = import_framework(FOLDER / shape, framework_id="harbour", name="Harbour")
    names = examples.GRID_CSV_LEVELS if "semicolon" in shape else examples.LEVELS
    assert [lv.name for lv in fw.levels] == names
    rank = {lv.id: str(n) for n, lv in enumerate(fw.levels)}
    found = [(c.name, i.text, rank.get(i.level or ""), i.polarity.value) for c in fw.competencies for i in c.indicators]
    assert sorted(found, key=str) == sorted(expected(negatives=shape != "case-rubric.json"), key=str)
    assert [c.description for c in fw.competencies] == [d for _, _, d, _, _ in examples.FRAMEWORK]
