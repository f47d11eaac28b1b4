"""Model cards (evidence.learning.cards): a saved version's card from its manifest, the zero-shot card of every
built-in framework, Wilson intervals, and what a card says when figures are missing or stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence.domain import ZERO_SHOT
from evidence.errors import NotFoundError
from evidence.frameworks.catalogue import builtin_ids, get_framework
from evidence.learning import registry
from evidence.learning.cards import card_markdown, model_card, wilson
from tests.factories import tiny_framework

FRAMEWORK = "community-link-worker"
VERSION = "20990101-000000-c0de"
CONTRACT = {"framework", "model_version", "trained_on", "metrics", "calibration", "counterfactual", "intended_use",
            "limitations", "must_not_be_used_for"}


def write_version(home: Path, *, framework_hash: str | None = None) -> None:
    """A saved version as training leaves it: the manifest (the head file is not needed for a card)."""
    framework = get_framework(FRAMEWORK)
    folder = home / "models" / FRAMEWORK / VERSION
    folder.mkdir(parents=True)
    registry.write_manifest(folder, {
        "version": VERSION, "framework": FRAMEWORK, "framework_hash": framework_hash or framework.content_hash,
        "created_at": "2099-01-01T00:00:00+00:00", "code_version": "9.9.9",
        "training": {"examples": 120, "corrections": 80, "indicator_examples": 30, "none_examples": 10,
                     "competencies": 7, "levelled_examples": 70, "seconds": 1.5},
        "source": "reviews.csv", "holdout_units": 20,
        # 10 evidence units, 7 right; 10 none units: 8 abstained on rightly, 10 abstentions in all (precision 0.8)
        "metrics": {"framework": FRAMEWORK, "units": 20, "evidence_units": 10, "none_units": 10, "top1": 0.7,
                    "top3": 0.9, "macro_f1": 0.6, "abstention_precision": 0.8, "abstention_recall": 0.8,
                    "level_units": 8, "level_exact": 0.5, "level_within_one": 1.0, "level_mae": 0.5, "ece": 0.12,
                    "rp5": 0.9, "mrr": 0.8, "unit_accuracy": 0.75, "counter_units": 0, "counter_recall": None,
                    "counter_precision": None, "ece_uncalibrated": 0.2},
        "compared_with": {"version": ZERO_SHOT, "metrics": {}}, "calibration": [1.5, -0.2], "encoder": "frozen"})


def test_wilson_interval_of_a_hand_worked_proportion() -> None:
    # 7 of 10: p = 0.7, z = 1.95996; centre (7 + z^2/2) / (10 + z^2) = 0.6444, half-width 0.2477
    low, high = wilson(0.7, 10)
    assert low == pytest.approx(0.3968, abs=1e-4) and high == pytest.approx(0.8922, abs=1e-4)
    assert wilson(0.0, 10)[0] == 0.0 and wilson(1.0, 10)[1] == pytest.approx(1.0)


def test_a_saved_versions_card_comes_from_its_manifest(fresh_home: Path) -> None:
    write_version(fresh_home)
    card = model_card(FRAMEWORK, VERSION)
    assert CONTRACT <= set(card) and card["model_version"] == VERSION and not card["promoted"]
    assert card["framework"]["id"] == FRAMEWORK and card["framework"]["content_hash"]
    assert card["trained_on"]["examples"] == 120 and card["trained_on"]["source"] == "reviews.csv"
    assert card["trained_on"]["trained_at"] == "2099-01-01T00:00:00+00:00"
    top1 = card["metrics"]["top1"]
    assert (top1["value"], top1["units"]) == (0.7, 10)
    assert top1["interval"] == pytest.approx([0.3968, 0.8922], abs=1e-4)
    assert card["metrics"]["abstention_precision"]["units"] == 10  # recovered: 0.8 * 10 right of 10 abstentions
    assert card["metrics"]["level_exact"]["units"] == 8 and card["metrics"]["unit_accuracy"]["units"] == 20
    assert card["metrics"]["level_mae"]["interval"] is None  # not a proportion
    assert "counter_recall" not in card["metrics"]  # nothing to count it on
    assert card["calibration"]["ece"]["value"] == 0.12 and card["calibration"]["ece_uncalibrated"]["value"] == 0.2
    assert card["counterfactual"]["measured"] is False
    assert any("sole basis" in item for item in card["must_not_be_used_for"])
    assert any("about 70%" in item and "10 units" in item for item in card["limitations"])
    registry.promote(FRAMEWORK, VERSION, by="test")
    assert model_card(FRAMEWORK)["model_version"] == VERSION and model_card(FRAMEWORK)["promoted"]


def test_a_version_trained_on_another_framework_version_says_so(fresh_home: Path) -> None:
    write_version(fresh_home, framework_hash="0" * 64)
    card = model_card(FRAMEWORK, VERSION)
    assert card["warnings"] and "earlier version of the framework" in card["limitations"][0]


@pytest.mark.parametrize("framework_id", builtin_ids())
def test_every_built_in_framework_has_a_complete_zero_shot_card(framework_id: str) -> None:
    card = model_card(framework_id, ZERO_SHOT)
    assert CONTRACT <= set(card) and card["model_version"] == ZERO_SHOT
    assert {"top1", "top3", "unit_accuracy"} <= set(card["metrics"])
    for name, metric in card["metrics"].items():
        assert metric["units"] > 0, name
        if metric["interval"] is not None:
            assert metric["interval"][0] <= metric["value"] <= metric["interval"][1], name
    assert card["evaluated_on"]["split"] == f"data/gold/dev/{framework_id}.csv" and card["evaluated_on"]["in_sample"]
    assert card["calibration"]["ece"]["units"] == card["evaluated_on"]["units"]
    assert card["counterfactual"]["measured"] and card["counterfactual"]["units"] > 0
    assert any("optimistic" in item for item in card["limitations"])
    assert not card["warnings"], card["warnings"]  # the shipped figures describe the shipped framework and settings


def test_the_shipped_versions_have_their_counterfactual_figure() -> None:
    for framework_id in builtin_ids():
        version = registry.promoted_version(framework_id)
        card = model_card(framework_id, version)
        assert card["counterfactual"]["measured"], framework_id
        assert {"top_changed", "score_abs_change_max", "tolerance", "measured_at"} <= set(card["counterfactual"])


def test_an_imported_frameworks_zero_shot_card_has_no_figures_and_says_how_to_measure(fresh_home: Path) -> None:
    card = model_card(tiny_framework(), None)
    assert card["model_version"] == ZERO_SHOT and card["metrics"] == {}
    assert "evidence evaluate FILE" in card["limitations"][0]
    assert card["counterfactual"]["measured"] is False and card["limitations"]


def test_an_unknown_version_is_not_found(fresh_home: Path) -> None:
    with pytest.raises(NotFoundError, match="no model version"):
        model_card(FRAMEWORK, "20990101-000000-beef")


def test_markdown_card_for_people(fresh_home: Path) -> None:
    write_version(fresh_home)
    text = card_markdown(model_card(FRAMEWORK, VERSION))
    assert text.startswith("# Model card: ") and f"model {VERSION}" in text.splitlines()[0]
    for section in ("## Intended use", "## Must not be used for", "## Trained on", "## Measured figures",
                    "## Calibration", "## Counterfactual test", "## Limitations"):
        assert section in text
    assert "| top1 | 0.700 | 0.40-0.89 | 10 |" in text
    json.dumps(model_card(FRAMEWORK, VERSION))  # JSON-ready
