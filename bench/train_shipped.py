"""Train the model heads shipped in models/ for the built-in frameworks, from the dev gold split only.

For each framework: 80% of data/gold/dev/<id>.csv trains a head (plus the framework's indicators), the
other 20% compares it with zero-shot; only where the head scores higher there is a head refitted on all
of the dev split, written to models/<id>/<version>/ and named in models/<id>/PROMOTED; elsewhere the
framework ships zero-shot. Each run replaces models/<id>/ as a whole: a head fitted on older data or
zero-shot settings must not stay in use. Shipped heads keep the packaged encoder (a fine-tuned one is
too large for the repository). The test split is never read.

    .venv/bin/python bench/train_shipped.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions, selection_score
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework
from evidence.learning.fit import fit_head
from evidence.learning.registry import save_version
from evidence.learning.tuning import split_holdout, tune_on_folds

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    # parsed first so that `--help` prints the description instead of replacing models/
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    for path in sorted((REPO / "data" / "gold" / "dev").glob("*.csv")):
        framework = get_framework(path.stem)
        shutil.rmtree(REPO / "models" / framework.id, ignore_errors=True)
        units = read_labelled(path, framework)
        train, held = split_holdout(units, 0.2, seed=0)
        zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))
        head = fit_head(zero, train)
        tune_on_folds(head, zero, train)
        new = score_predictions(framework, held, predict_labelled(zero.with_head(head, "new"), held))
        old = score_predictions(framework, held, predict_labelled(zero, held))
        better = selection_score(new) > selection_score(old)
        if not better:
            print(f"{framework.id:<24} held-out selection score {selection_score(new):.3f} vs zero-shot "
                  f"{selection_score(old):.3f}: not shipped, zero-shot stays", flush=True)
            continue
        head = tune_on_folds(fit_head(zero, units), zero, units)  # chosen on 80/20; shipped fitted on all of dev
        version = save_version(framework, head, {
            "training": vars(head.summary), "source": f"data/gold/dev/{path.name} (all; compared on a 20% holdout "
                                                      "by a head fitted on the other 80%)", "holdout_units": len(held),
            "metrics": new, "compared_with": {"version": "zero-shot", "metrics": old},
            "selection_score": selection_score(new), "current_selection_score": selection_score(old),
            "threshold": head.threshold, "calibration": head.calibration, "level_blend": head.level_blend},
            root=REPO / "models")
        (REPO / "models" / framework.id / "PROMOTED").write_text(version + "\n", encoding="utf-8")
        print(f"{framework.id:<24} {version}  held-out selection score {selection_score(new):.3f} vs zero-shot "
              f"{selection_score(old):.3f}: shipped as promoted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
