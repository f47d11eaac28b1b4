"""The pages' tables (evidence.app.tables): My evidence's level data, a review card's suggestions, statuses."""

from __future__ import annotations

import pandas as pd

from evidence.app import tables
from evidence.domain import Cues
from evidence.frameworks.catalogue import get_framework
from evidence.store import QueueItem
from tests.factories import FRAMEWORK, FakeAnalyzer, make_analysis, small_batch


def test_levels_are_tabled_per_competency() -> None:
    framework = get_framework(FRAMEWORK)
    analysis = FakeAnalyzer(framework).analyse_document(make_analysis("m", [("I led.", [])]).document)
    frame = tables.level_frame(analysis, framework)
    assert len(frame) == len(framework.competencies) and set(frame.columns) >= {"competency", "evidenced_rank"}
    first = frame.iloc[0]
    assert first["sentences"] == 1 and first["evidenced"] == "none" and first["status"] == "evidenced"
    heat = tables.heatmap_frame(analysis, framework)
    assert len(heat) == len(framework.competencies) * len(framework.scale)
    assert heat.loc[(heat["competency"] == first["competency"]) & (heat["level"] == "2"), "score"].item() == 0.6


def test_coverage_and_evidence_of_one_applicant() -> None:
    analysis = small_batch()[0]
    evidence = tables.evidence_frame(analysis, get_framework(FRAMEWORK))
    assert list(evidence.columns) == ["Competency", "Level", "Confidence %", "Sentences"]
    assert evidence["Sentences"].sum() == 3
    assert tables.coverage_frame(analysis, get_framework(FRAMEWORK)).empty  # no role: nothing to cover


def test_statuses_are_coloured() -> None:
    frame = pd.DataFrame({"Status": ["met: 3", "partly met: 2 of 3", "missing: needs 3", "other"]})
    styles = tables.style_statuses(frame).to_html()
    for status in ("met", "partly met", "missing"):
        assert tables.STATUS_STYLE[status].split(";")[0].split(":")[1] in styles  # its background colour
    assert styles.count("background-color") == 3  # "other" stays plain


def test_a_review_cards_suggestions_name_their_levels() -> None:
    framework = get_framework(FRAMEWORK)
    unit = small_batch()[0].units[2]
    item = QueueItem(unit_id=1, batch_id=1, document_id=1, document="A1", framework_id=FRAMEWORK, index=2,
                     text=unit.unit.text, start=0, end=len(unit.unit.text), cues=Cues(), suggestions=unit.suggestions)
    frame = tables.suggestions_frame(item, framework)
    assert list(frame["#"]) == [1, 2] and list(frame["Score"]) == [55, 45]
    assert frame["Level"].tolist() == [framework.level_names["2"]] * 2


def test_framework_tables_and_counts() -> None:
    framework = get_framework(FRAMEWORK)
    assert len(tables.competencies_frame(framework)) == len(framework.competencies)
    assert len(tables.levels_frame(framework)) == len(framework.levels)
    comp = framework.competencies[0]
    assert len(tables.indicators_frame(framework, comp.id)) == len(comp.indicators)
    role = framework.roles[0]
    assert len(tables.roles_frame(framework, role.id)) == len(role.requirements)
    assert tables.counts_text(framework).startswith(f"{len(framework.competencies)} competencies, "
                                                    f"{len(framework.indicators)} indicators")
    targets = tables.targets_frame(framework)
    assert list(targets.columns) == ["Competency", "Target level"] and targets["Target level"].isna().all()


def test_the_shortlist_on_screen_fits_1600_px_with_seven_requirements() -> None:
    """Walkthrough step 15: 4 of 7 requirement columns were off-screen at 1600 px."""
    import pandas as pd

    requirements = [f"Requirement number {i} with a long name" for i in range(7)]
    frame = pd.DataFrame([{"Rank": 1, "Applicant": "A1", "Name": "Ann", "Match %": 60, "Met": 4, "Partly met": 2,
                           "Missing": 1, **dict.fromkeys(requirements, "partly met: 2 of 3")}])
    view, widths = tables.shortlist_view(frame)
    assert list(view.columns) == ["Rank", "Applicant", "Name", "Match %", "Met · partly · missing", *requirements]
    assert view.iloc[0]["Met · partly · missing"] == "4 · 2 · 1" and view.iloc[0][requirements[0]] == "partly 2 of 3"
    assert sum(widths.values()) <= tables.SHORTLIST_WIDTH
    assert min(widths[r] for r in requirements) >= tables.REQUIREMENT_WIDTH[0]
    styled = tables.style_statuses(view).to_html()
    assert tables.STATUS_STYLE["partly met"].split(";")[0].split(":")[1] in styled
