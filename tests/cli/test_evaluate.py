"""`evidence evaluate` (evidence.cli.evaluate): every metric on the real engine, and label errors naming rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app


@pytest.mark.slow
def test_evaluate_reports_every_metric(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\n"
                    "I met both practice managers and agreed one shared referral form,Networking & Relationship "
                    "Building,2\nI applied because the job is near my home,NONE,\n"
                    "I credit colleagues publicly when they do well,team working,3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--framework", "community-link-worker", "--model",
                                      "zero-shot", "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in ("top1", "top3", "macro_f1", "abstention_precision", "abstention_recall", "level_exact",
                "level_within_one", "level_mae", "ece", "rp5", "mrr"):
        assert key in metrics
    assert metrics["units"] == 3 and metrics["none_units"] == 1


@pytest.mark.slow
def test_evaluate_rejects_unknown_labels_naming_rows(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\nA,Team Working,9\nB,Juggling,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--framework", "community-link-worker"])
    assert result.exit_code == 2
    assert "unknown competency 'Juggling' on row(s) 3" in result.output
    assert "unknown level '9' on row(s) 2" in result.output
