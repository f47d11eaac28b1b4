"""`evidence train` (evidence.cli.train): where the training units come from, and what it prints.

Learning itself is replaced by a stand-in here: the CLI's job is to open the store, hand over the
units and report the result (tests/learning/ trains for real)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.domain import Correction, DecisionKind
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import COMPARED_METRICS, Metrics
from evidence.learning import data as learning_data
from evidence.learning import train as learning_train
from evidence.learning.compare import Comparison, Method
from evidence.store import Store

FRAMEWORK = "community-link-worker"


def comparison(**changes: object) -> Comparison:
    metrics = Metrics(framework=FRAMEWORK, units=18, evidence_units=16, none_units=2, top1=0.75, top3=None,
                      macro_f1=0.0, abstention_precision=None, abstention_recall=None, level_units=0,
                      level_exact=None, level_within_one=None, level_mae=None, ece=None, rp5=None, mrr=None,
                      unit_accuracy=0.5, counter_units=0, counter_recall=None, counter_precision=None)
    values = {"new_metrics": metrics, "current_metrics": replace(metrics, top1=0.625), "current_version": "zero-shot",
              "method": Method.cross_validation, "units": 18, "folds": 5, "top1_units": 16, "difference": 0.125,
              "interval": (-0.0625, 0.3125), **changes}
    return Comparison(**values)  # type: ignore[arg-type]


def fake_result(**changes: object) -> SimpleNamespace:
    metrics = {key: 0.5 for key in (*COMPARED_METRICS, "ece_uncalibrated")}
    result = SimpleNamespace(version="v-new", promoted=True, forced=False, better=True, fine_tuned=False,
                             new_metrics=metrics, current_version="zero-shot",
                             current_metrics={key: 0.25 for key in COMPARED_METRICS}, comparison=comparison(),
                             summary=SimpleNamespace(corrections=3, indicator_examples=190, seconds=1.5))
    for key, value in changes.items():
        setattr(result, key, value)
    return result


@pytest.fixture()
def trained(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Each call of learning's train_model (units and options); it returns :func:`fake_result`."""
    calls: list[dict] = []

    def train_model(framework, units, **options):  # noqa: ANN001, ANN202
        calls.append({"framework": framework.id, "units": list(units), **options})
        return fake_result()

    monkeypatch.setattr(learning_train, "train_model", train_model)
    return calls


@pytest.fixture()
def empty_store(fresh_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    return fresh_home



def test_training_from_an_empty_store_says_how_to_fix_it(empty_store: Path, trained: list[dict]) -> None:
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK])
    assert result.exit_code == 2 and not trained
    assert result.stderr == (f"error: the store has no review decisions for {FRAMEWORK!r} yet; review some "
                             "suggestions first, or train --from a labelled CSV\n")
    assert (empty_store / "evidence.db").exists()  # the default store, in the data directory


def test_the_cli_reads_the_stores_corrections_and_hands_units_to_learning(
        empty_store: Path, trained: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    corrections = [
        Correction(text="I trained six volunteers.", framework=FRAMEWORK, decision=DecisionKind.accepted,
                   competency="team-working", level="2", suggested_competency="team-working"),
        Correction(text="I like the area.", framework=FRAMEWORK, decision=DecisionKind.no_evidence,
                   suggested_competency="team-working"),
    ]
    asked: list[str] = []

    def stored_corrections(store: Store, framework_id: str, **_: object) -> list[Correction]:
        asked.append(framework_id)
        return corrections

    def no_store_branch(*args: object) -> None:
        raise AssertionError("--from store is the store's corrections, read by the CLI, not a CSV")

    monkeypatch.setattr(Store, "corrections", stored_corrections)
    monkeypatch.setattr(learning_data, "labelled_units_from_csv", no_store_branch)
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", "store", "--encoder", "frozen"])
    assert result.exit_code == 0, result.output
    assert asked == [FRAMEWORK]
    [call] = trained
    assert [(u.text, u.competencies, u.levels) for u in call["units"]] == [
        ("I trained six volunteers.", ["team-working"], {"team-working": "2"}), ("I like the area.", [], {})]
    assert {k: call[k] for k in ("source", "holdout", "force", "by", "encoder", "reason")} == {
        "source": "store", "holdout": None, "force": False, "by": "cli", "encoder": "frozen", "reason": ""}


def test_a_labelled_csv_and_a_holdout_file_go_to_learning(tmp_path: Path, trained: list[dict]) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\nI trained six volunteers,team working,2\nI like it here,NONE,\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(gold), "--holdout", str(gold),
                                      "--force", "--reason", "pilot"])
    assert result.exit_code == 0, result.output
    [call] = trained
    assert [u.text for u in call["units"]] == ["I trained six volunteers", "I like it here"]
    assert all(isinstance(u, LabelledUnit) for u in call["holdout"]) and len(call["holdout"]) == 2
    assert call["source"] == str(gold) and call["force"] is True and call["encoder"] == "auto"
    assert call["reason"] == "pilot"


def test_a_missing_source_file_exits_2(tmp_path: Path, trained: list[dict]) -> None:
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and not trained
    assert "no such file; --from takes a labelled CSV, a corrections CSV, or 'store'" in result.stderr


def test_the_text_report_says_how_it_compared_and_every_metric(tmp_path: Path, trained: list[dict]) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency\nI trained six volunteers,team working\n", encoding="utf-8")
    lines = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(gold)]).stdout.splitlines()
    assert lines[0] == "trained v-new on 3 labelled units (+190 indicator examples) in 1.5 s, frozen encoder"
    assert lines[1] == ("checked by 5-fold cross-validation on 18 labelled units: top suggestion right 75% vs 62% "
                        "in use, difference +12 points, 95% interval -6 to +31 (on 16 units with a competency)")
    assert lines[2].split() == ["metric", "new", "zero-shot"]
    rows = [line.split() for line in lines[3:-1]]
    assert rows == [[key, "0.500", "0.250"] for key in COMPARED_METRICS] + [["ece_uncalibrated", "0.500", "-"]]
    assert lines[-1] == "promoted: credibly better than the model in use"


@pytest.mark.parametrize(("changes", "verdict"), [
    ({"promoted": True, "forced": True, "better": False},
     "promoted (forced): not credibly better than the model in use; recorded in the promotion log"),
    ({"promoted": False, "better": False}, "not promoted: not credibly better than the model in use (promote it "
                                           "anyway with --force, or `evidence models promote`)"),
])
def test_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: dict, verdict: str) -> None:
    monkeypatch.setattr(learning_train, "train_model", lambda *args, **kwargs: fake_result(**changes))
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency\nI trained six volunteers,team working\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(gold)])
    assert result.stdout.splitlines()[-1] == verdict


def test_the_json_report(tmp_path: Path, trained: list[dict]) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency\nI trained six volunteers,team working\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(gold), "--format", "json"])
    data = json.loads(result.stdout)
    assert data == {"version": "v-new", "promoted": True, "forced": False, "better": True, "encoder": "frozen",
                    "comparison": {"method": "cross-validation", "folds": 5, "units": 18, "top1_units": 16,
                                   "top1_difference": 0.125, "interval": [-0.0625, 0.3125], "confidence": 0.95,
                                   "credible": False, "better": False, "current_version": "zero-shot"},
                    "metrics": fake_result().new_metrics, "current_version": "zero-shot",
                    "current_metrics": fake_result().current_metrics}


def test_a_promotion_is_recorded_in_the_audit_trail(tmp_path: Path, fresh_home: Path, trained: list[dict],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence.store import AuditAction, Store

    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\nI trained six volunteers,team working,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "-f", FRAMEWORK, "--from", str(gold), "--reason", "pilot"])
    assert result.exit_code == 0, result.output
    with Store.open() as store:
        [record] = list(store.audit_records(action=AuditAction.promotion))
    assert record.subject == f"framework:{FRAMEWORK}" and record.actor.startswith("cli:")
    assert record.payload == {"version": "v-new", "reason": "pilot"}
