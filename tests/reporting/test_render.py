"""Rendering: the JSON contracts other tools parse, CSV rows, the ranked shortlist, Markdown and outlines."""

from __future__ import annotations

from evidence.domain import Coverage, CoverageStatus
from evidence.reporting.render import (
    analyses_to_rows,
    analysis_to_json,
    analysis_to_markdown,
    framework_summary,
    framework_to_json,
    shortlist_rows,
)
from tests.factories import make_analysis, small_batch, tiny_framework


def test_framework_json_carries_the_contract_fields() -> None:
    data = framework_to_json(tiny_framework())
    assert {"id", "name", "levels", "competencies", "roles"} <= set(data)
    assert {"id", "name"} <= set(data["levels"][0])
    indicator = data["competencies"][0]["indicators"][2]
    assert {"id", "text", "level", "theme", "polarity"} <= set(indicator) and indicator["polarity"] == "negative"
    assert data["roles"][0]["requirements"][1] == {"competency": "budgets", "level": "1", "priority": "desirable"}


def test_analysis_json_keeps_offsets_into_the_document() -> None:
    analysis = small_batch()[0]
    data = analysis_to_json(analysis)
    for unit in data["units"]:
        assert analysis.document.text[unit["start"]:unit["end"]] == unit["text"]
        for s in unit["suggestions"]:
            assert {"competency", "level", "score", "indicator"} <= set(s) and {"id", "text"} <= set(s["indicator"])
    assert {"competency", "level", "score", "units"} <= set(data["competencies"][0])


def test_rows_have_one_line_per_suggestion_and_one_for_a_unit_without() -> None:
    rows = analyses_to_rows(small_batch()[:1])
    assert [(r["unit"], r["competency"]) for r in rows] == [
        (0, "team-working"), (1, ""), (2, "leading-supporting-developing-others"), (2, "team-working")]


def test_shortlist_is_ranked_by_match() -> None:
    low = make_analysis("low", [("I like tea.", [])], match=0.2)
    high = make_analysis("high", [("I led the team.", [("team-working", "3", 0.9)])], match=0.8)
    high.coverage = [Coverage(competency="team-working", name="Team Working", required="2", evidenced="3",
                              status=CoverageStatus.met)]
    rows = shortlist_rows([low, high])
    assert [r["document"] for r in rows] == ["high", "low"]
    assert rows[0]["met"] == 1 and rows[0]["Team Working"] == "met (3/2)"


def test_markdown_and_outline_read_as_reports() -> None:
    fw = tiny_framework()
    analysis = make_analysis("d1", [("I led a team through a restructure.", [("teamwork", "2", 0.8)])], name="Ann")
    text = analysis_to_markdown(analysis, fw)
    assert text.startswith("# Ann") and "## Evidence by competency" in text
    assert '"I led a team through a restructure."' in text
    outline = framework_summary(fw)
    assert "teamwork: Teamwork" in outline and "(Level 1)" in outline and "negative" in outline
    assert "requires budgets at Level 1 (desirable)" in outline


def test_csv_rows_neutralise_formula_ids_and_sentences_and_keep_numbers() -> None:
    """`analyse --format csv` writes these rows: an id or sentence starting with "=" must reach it as text (D08)."""
    rows = analyses_to_rows([make_analysis('=HYPERLINK("http://x","y")', [("-1+1 was my team's score.",
                                                                             [("team-working", "3", 0.9)])])])
    assert rows[0]["document"] == "'=HYPERLINK(\"http://x\",\"y\")" and rows[0]["text"] == "'-1+1 was my team's score."
    assert rows[0]["score"] == 0.9 and rows[0]["unit"] == 0
