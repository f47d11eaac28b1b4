"""Problems reported together, fixes worded for where the person is (evidence.frameworks.problems)."""

from __future__ import annotations

import pytest

from evidence.frameworks.problems import APP, CLI, FIELD_LABELS, FLAGS, Problems, Wording


def test_every_option_has_a_flag_and_a_field_label() -> None:
    assert set(FLAGS) == set(FIELD_LABELS)
    assert CLI.option("levels") == "--levels" and CLI.via("sheet") == "with --sheet"
    assert APP.option("levels") == 'the "Levels, lowest first" field' and APP.via("sheet") == 'in the "Sheet" field'
    assert CLI.set_to("layout", "grid") == "--layout grid"
    assert APP.set_to("layout", "grid") == '"grid" in the "Layout" field'
    assert CLI.switch_on("replace") == "pass --replace" and APP.switch_on("replace").startswith('tick the "Replace')
    with pytest.raises(ValueError):
        Wording("email")  # type: ignore[arg-type]


def test_one_problem_is_itself_and_several_are_a_list() -> None:
    problems = Problems("f.csv")
    problems.raise_any()  # nothing found, nothing raised
    problems.add('row 2, column "Level"', "level '7' is unknown", "correct it")
    one = problems.error()
    assert (one.path, one.problem, one.fix) == ('row 2, column "Level"', "level '7' is unknown", "correct it")
    problems.add("row 3", "the cell is empty")
    several = problems.error()
    assert str(several).startswith("f.csv: 2 problems\n  row 2, column \"Level\": level '7' is unknown; correct it\n"
                                   "  row 3: the cell is empty\n  how to fix:")
