"""The measured figures of the zero-shot model that its model cards show, one entry per built-in framework.

    .venv/bin/python bench/zero_shot_cards.py

The zero-shot model has no manifest (it is not trained on a user's data), so its cards read what this script
measures: the zero-shot engine on each built-in framework's development gold split, data/gold/dev/<id>.csv,
with the counts each figure rests on (the metrics of `evidence evaluate`, plus the number of units the model
abstained on, which abstention precision is a share of). The test split is never read.

The zero-shot settings (models/zero-shot.json) were tuned on this same dev split (bench/tune_zero_shot.py),
so these figures are in-sample and optimistic; the cards say so. Each entry records the framework's content
hash and the settings file's sha256, so a card can tell when either has changed since the measurement.
Writes src/evidence/data/zero-shot-dev.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from evidence.config import PACKAGE_DATA_DIR, VERSION, builtin_models_dir
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import file_sha256

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "data" / "gold" / "dev"
OUT = PACKAGE_DATA_DIR / "zero-shot-dev.json"
COMMAND = ".venv/bin/python bench/zero_shot_cards.py"


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    frameworks = {}
    for path in sorted(DEV.glob("*.csv")):
        framework = get_framework(path.stem)
        analyzer = Analyzer(framework, embedder=Embedder(memo_size=50_000))
        units = read_labelled(path, framework)
        predictions = predict_labelled(analyzer, units)
        metrics = score_predictions(framework, units, predictions)
        frameworks[framework.id] = {"framework_hash": framework.content_hash,
                                    "file": str(path.relative_to(REPO)), "metrics": metrics.as_dict(),
                                    "abstained_units": int(predictions.abstain.sum())}
        shown = {k: "-" if metrics[k] is None else f"{metrics[k]:.3f}" for k in ("top1", "unit_accuracy",
                                                                                  "level_exact", "ece")}
        print(f"{framework.id:<24} {metrics.units:>5} units  top-1 {shown['top1']}  unit accuracy "
              f"{shown['unit_accuracy']}  level exact {shown['level_exact']}  ECE {shown['ece']}", flush=True)
    OUT.write_text(json.dumps({
        "measured_at": datetime.now(UTC).date().isoformat(), "command": COMMAND, "code_version": VERSION,
        "split": "data/gold/dev", "settings_sha256": file_sha256(builtin_models_dir() / "zero-shot.json"),
        "frameworks": frameworks}, indent=1), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
