"""Cells split into indicators (evidence.frameworks.bullets): bullets, numbers, continuation lines, lead-ins."""

from __future__ import annotations

import pytest

from evidence.frameworks.bullets import is_empty_cell, name_and_rest, split_indicators


@pytest.mark.parametrize(("cell", "expected"), [
    ("• Plans work\n• Reviews work", ["Plans work", "Reviews work"]),
    ("- Plans work\n- Reviews work", ["Plans work", "Reviews work"]),
    ("* Plans work\n* Reviews work", ["Plans work", "Reviews work"]),
    ("– Plans work\n– Reviews work", ["Plans work", "Reviews work"]),
    ("1. Plans work\n2. Reviews work", ["Plans work", "Reviews work"]),
    ("1) Plans work\n2) Reviews work", ["Plans work", "Reviews work"]),
    ("a) Plans work\nb) Reviews work", ["Plans work", "Reviews work"]),
    ("(i) Plans work\n(ii) Reviews work", ["Plans work", "Reviews work"]),
    ("•Plans work\r\n•Reviews work", ["Plans work", "Reviews work"]),
    ("• Plans work • Reviews work", ["Plans work", "Reviews work"]),  # bullets a paste left on one line
    ("\uf0b7\tPlans work\n\uf0b7\tReviews work", ["Plans work", "Reviews work"]),  # Word's Symbol bullet, pasted
    ("• Plans work\no for the day\no for the week", ["Plans work", "for the day", "for the week"]),
])
def test_each_kind_of_bullet_starts_an_indicator(cell: str, expected: list[str]) -> None:
    assert split_indicators(cell) == expected


def test_a_line_without_a_bullet_continues_the_one_before() -> None:
    cell = "• Manages a project plan with milestones,\n  risks and a budget\n• Moves people between tasks"
    assert split_indicators(cell) == ["Manages a project plan with milestones, risks and a budget",
                                      "Moves people between tasks"]


def test_a_lead_in_above_a_list_is_not_an_indicator() -> None:
    assert split_indicators("At this level you:\n- plan work\n- review it") == ["plan work", "review it"]


def test_without_bullets_each_line_is_an_indicator_unless_it_continues_a_sentence() -> None:
    assert split_indicators("Plans own work.\nReviews the plan weekly\nand shares it.") == [
        "Plans own work.", "Reviews the plan weekly and shares it."]
    assert split_indicators("  Plans   own work  ") == ["Plans own work"]


@pytest.mark.parametrize("cell", ["", "  ", "N/A", "n/a", "-", "—", "None", "Not applicable"])
def test_cells_that_say_nothing_give_no_indicators(cell: str) -> None:
    assert is_empty_cell(cell) and split_indicators(cell) == []


def test_numbers_and_abbreviations_inside_text_are_not_bullets() -> None:
    assert split_indicators("1.5 days of training a year\nE.g. a course") == ["1.5 days of training a year",
                                                                              "E.g. a course"]


def test_a_name_cell_gives_its_name_and_the_rest() -> None:
    assert name_and_rest("Working together\nBuilds relationships\nacross teams.") == (
        "Working together", "Builds relationships across teams.")
    assert name_and_rest("  ") == ("", "")
