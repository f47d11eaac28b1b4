"""ESCO skill linking on the public validation sets: R-Precision@5 and MRR, plain cosine vs the engine.

    .venv/bin/python bench/esco_linking.py

Imports the 13,896-label ESCO list (expanded with ESCO's texts when the ESCO data package is
installed), then ranks every skill for each validation sentence, once with plain all-MiniLM-L6-v2
cosine to the label (the published baseline's method) and once with the engine's taxonomy profile.
Only the validation splits are read; the test splits are reserved (see the benchmark's README).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

from evidence.engine.analyzer import Analyzer
from evidence.engine.match import MatchSettings
from evidence.engine.settings import default_settings
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework, store_imported
from evidence.frameworks.interchange import import_framework

REPO = Path(__file__).resolve().parent.parent
ESCO = REPO.parent / "shared" / "benchmarks" / "esco-skill-extraction"
PLAIN_COSINE = MatchSettings(max_weight=0.0, top_mean_weight=0.0, competency_weight=0.0, name_weight=1.0)


def labelled(split: str, framework) -> list[LabelledUnit]:  # noqa: ANN001
    by_name = {c.name: c.id for c in framework.competencies}
    units: dict[str, LabelledUnit] = {}
    with open(ESCO / f"{split}_validation_annotations.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = row["label"].strip()
            if label in ("LABEL NOT PRESENT", "UNDERSPECIFIED") or label not in by_name:
                continue
            unit = units.setdefault(row["sentence"], LabelledUnit(text=row["sentence"]))
            if by_name[label] not in unit.competencies:
                unit.competencies.append(by_name[label])
    return list(units.values())


def main() -> int:
    if not ESCO.exists():
        print(f"{ESCO} not found: the ESCO validation sets live in ../shared/benchmarks", file=sys.stderr)
        return 1
    try:
        framework = get_framework("esco")
    except Exception:  # noqa: BLE001 - not imported yet
        framework = import_framework(ESCO / "skills_en_label.txt", framework_id="esco", name="ESCO skills v1.1")
        store_imported(framework)
    shipped = default_settings()
    results = {}
    profiles = (("plain cosine (baseline)", PLAIN_COSINE), ("evidence taxonomy profile", shipped.taxonomy_match))
    for name, match in profiles:
        analyzer = Analyzer(framework, settings=dataclasses.replace(shipped, taxonomy_match=match))
        for split in ("tech", "house"):
            units = labelled(split, framework)
            metrics = score_predictions(framework, units, predict_labelled(analyzer, units, levels=False))
            results[f"{name} / {split}"] = {"sentences": len(units), "rp5": metrics["rp5"], "mrr": metrics["mrr"]}
            print(f"{name:<28} {split:<6} sentences {len(units):>3}  R-P@5 {metrics['rp5']:.3f}  "
                  f"MRR {metrics['mrr']:.3f}", flush=True)
    out = REPO / "bench" / "results" / "esco-linking.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
