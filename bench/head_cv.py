"""Cross-validated figures of the shipped training recipe on the dev gold split only.

Per framework, the dev units are cut into K seeded folds; for each fold a head is trained the way
`bench/train_shipped.py` trains the shipped one (``fit_head`` + ``tune_on_folds``) on the other folds
and predicts the held fold. Pooled over frameworks as `bench/evaluate_gold.py` pools. This is where
choices about the head are made: the test split is never read.

    .venv/bin/python bench/head_cv.py [--folds 5] [--frameworks ID ...] [--lexical-weight W] [--embedding-c C]
                                      [--train-fraction F]

``--train-fraction``: each fold head trains on a seeded share of the other folds' units (still scored
on every held unit), to see whether a framework still gains from more labelled data.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from evaluate_gold import pool

from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import Metrics, score_predictions
from evidence.evaluation.predict import Predictions, predict_labelled
from evidence.frameworks.catalogue import get_framework
from evidence.learning.fit import fit_head
from evidence.learning.settings import DEFAULTS
from evidence.learning.tuning import tune_on_folds

EMBEDDING_C = DEFAULTS.embedding_c
LEXICAL_WEIGHT = DEFAULTS.lexical_weight

REPO = Path(__file__).resolve().parent.parent
SHOWN = ("top1", "top3", "abstention_precision", "abstention_recall", "level_exact", "level_within_one",
         "unit_accuracy", "ece")


def cross_validate(framework_id: str, folds: int, *, lexical_weight: float = LEXICAL_WEIGHT,
                   embedding_c: float = EMBEDDING_C, train_fraction: float = 1.0, seed: int = 0) -> Metrics:
    framework = get_framework(framework_id)
    units = read_labelled(REPO / "data" / "gold" / "dev" / f"{framework_id}.csv", framework)
    zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    parts = [order[k::folds] for k in range(folds)]
    probabilities = np.zeros((len(units), len(framework.competencies)), dtype=np.float32)
    abstain = np.zeros(len(units), dtype=bool)
    levels: list[dict] = [{} for _ in units]
    counter: list[set] = [set() for _ in units]
    for part in parts:
        held = set(part)
        train = [u for i, u in enumerate(units) if i not in held]
        if train_fraction < 1.0:
            train = random.Random(seed + 1).sample(train, int(len(train) * train_fraction))
        head = tune_on_folds(fit_head(zero, train, lexical_weight=lexical_weight, C=embedding_c), zero, train)
        predictions = predict_labelled(zero.with_head(head, "fold"), [units[i] for i in part])
        probabilities[part] = predictions.probabilities
        abstain[part] = predictions.abstain
        for row, i in enumerate(part):
            levels[i], counter[i] = predictions.levels[row], predictions.counter[row]
    return score_predictions(framework, units, Predictions(probabilities, abstain, levels, counter))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--frameworks", nargs="*")
    parser.add_argument("--lexical-weight", type=float, default=LEXICAL_WEIGHT,
                        help="the lexical classifier's share of the learned probabilities (0: embeddings alone)")
    parser.add_argument("--embedding-c", type=float, default=EMBEDDING_C,
                        help="the embedding classifier's inverse regularisation")
    parser.add_argument("--train-fraction", type=float, default=1.0,
                        help="share of the other folds' units each fold head trains on (learning slope)")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args()
    ids = args.frameworks or sorted(p.stem for p in (REPO / "data" / "gold" / "dev").glob("*.csv"))
    started = time.perf_counter()
    rows = [cross_validate(fid, args.folds, lexical_weight=args.lexical_weight, embedding_c=args.embedding_c,
                           train_fraction=args.train_fraction) for fid in ids]
    print(f"{'framework':<24}" + "".join(f"{k[:11]:>12}" for k in SHOWN))
    pooled = pool(rows, SHOWN)
    for m in [*rows, {"framework": "pooled", **pooled}]:
        print(f"{m['framework']:<24}" + "".join(f"{m[k]:>12.3f}" if m[k] is not None else f"{'-':>12}"
                                                for k in SHOWN))
    print(f"{args.folds}-fold on dev, {time.perf_counter() - started:.0f} s")
    if args.out:
        figures = {"frameworks": [m.as_dict() for m in rows], "pooled": pooled}
        Path(args.out).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
