"""Seed gold evaluation: every framework's split, and the pooled figures the targets refer to.

    .venv/bin/python bench/evaluate_gold.py [--split test] [--model promoted|zero-shot]
    .venv/bin/python bench/evaluate_gold.py --train fine-tune|frozen

``--train``: what a user gets from `evidence train --encoder ...` on the dev split: per framework, a
model is trained on all of data/gold/dev/<id>.csv and measured on the test split.
Pooled figures weight each framework by its units (levels: by its levelled units).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import Metrics
from evidence.evaluation.predict import evaluate
from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import resolve_model
from evidence.learning.train import train_head

REPO = Path(__file__).resolve().parent.parent
SHOWN = ("top1", "top3", "macro_f1", "abstention_precision", "abstention_recall", "level_exact",
         "level_within_one", "level_mae", "ece", "rp5", "mrr", "unit_accuracy", "counter_recall")
WEIGHT = {"level_exact": "level_units", "level_within_one": "level_units", "level_mae": "level_units",
          "top1": "evidence_units", "top3": "evidence_units", "rp5": "evidence_units", "mrr": "evidence_units",
          "abstention_recall": "none_units", "counter_recall": "counter_units"}


def pool(rows: list[Metrics], keys: tuple[str, ...]) -> dict:
    """Each metric pooled over frameworks, weighted by the units it is measured on (see WEIGHT)."""
    pooled = {}
    for key in keys:
        weight = WEIGHT.get(key, "units")
        pairs = [(m[key], m[weight]) for m in rows if m[key] is not None and m[weight]]
        pooled[key] = sum(v * w for v, w in pairs) / sum(w for _, w in pairs) if pairs else None
    return pooled


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--model", default="promoted")
    parser.add_argument("--train", choices=["frozen", "fine-tune"], help="train on dev, measure on test")
    args = parser.parse_args()
    if args.train:
        args.split, args.model = "test", f"trained-{args.train}"
    rows = []
    for path in sorted((REPO / "data" / "gold" / args.split).glob("*.csv")):
        framework = get_framework(path.stem)
        if args.train:
            zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))
            dev = read_labelled(REPO / "data" / "gold" / "dev" / path.name, framework)
            with tempfile.TemporaryDirectory() as workdir:
                head = train_head(zero, dev, encoder=args.train, workdir=Path(workdir))
                rows.append(evaluate(zero.with_head(head, args.model), path))
                print(f"{framework.id}: trained in {head.summary.seconds:.0f} s", flush=True)
            continue
        head, version = resolve_model(framework, args.model)
        rows.append(evaluate(Analyzer(framework, head=head, model_version=version), path))
    print(f"{'framework':<22}{'model':<24}" + "".join(f"{k[:10]:>11}" for k in SHOWN))
    for m in rows:
        print(f"{m['framework']:<22}{m['model']:<24}" + "".join(
            f"{m[k]:>11.3f}" if m[k] is not None else f"{'-':>11}" for k in SHOWN))
    pooled = pool(rows, SHOWN)
    print(f"{'pooled':<22}{args.model:<24}" + "".join(
        f"{pooled[k]:>11.3f}" if pooled[k] is not None else f"{'-':>11}" for k in SHOWN))
    out = REPO / "bench" / "results" / f"gold-{args.split}-{args.model}.json"
    out.parent.mkdir(exist_ok=True)
    frameworks = [m.as_dict() for m in rows]
    out.write_text(json.dumps({"frameworks": frameworks, "pooled": pooled}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
