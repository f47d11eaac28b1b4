"""Learning from corrections, simulated on the gold data: accuracy against the number of corrections.

A simulated reviewer labels units of the framework's dev split in batches of 25, either in the
active-learning order (`evidence.learning.active.review_priority`, recomputed after each retrain) or at random;
after each batch a model is retrained the way `evidence train` does (`--encoder auto`: the encoder is
fine-tuned once 50 labelled units have a competency) and measured on the test split. Each order runs
with several seeds (the shuffle, which breaks the active order's ties too, and fine-tuning's seed) and
the curves are their mean: one test unit moves top-1 by more than a point. Also times one training on
1,000 corrections with the default settings. Writes
bench/results/learning-curve-<framework>.png and .json.

    .venv/bin/python bench/learning_curve.py [--framework community-link-worker] [--max 200] [--seeds 3]
        [--encoder auto]
    .venv/bin/python bench/learning_curve.py --timing-only      # just the 1,000-correction training time
    .venv/bin/python bench/learning_curve.py --inside-dev 3 --encoder frozen   # for tuning: never reads test

``--inside-dev K``: K seeded splits of the dev split itself (a 25% held-out part measured, the rest the
pool), one active and two random runs per split; prints the mean curves and writes nothing. Any choice
about the learning loop is made on these, so the test split stays unseen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evidence.domain import NONE_LABEL
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework
from evidence.learning.active import review_priority
from evidence.learning.train import train_head
from evidence.learning.tuning import split_holdout

REPO = Path(__file__).resolve().parent.parent
BATCH = 25


METRICS = ("top1", "top3", "unit_accuracy", "level_exact", "level_within_one", "abstention_precision")


def measure(analyzer, test) -> dict:  # noqa: ANN001
    m = score_predictions(analyzer.framework, test, predict_labelled(analyzer, test))
    return {k: m[k] for k in METRICS}


def curve(zero: Analyzer, pool, test, *, active: bool, limit: int, encoder: str,  # noqa: ANN001
          seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    remaining = list(pool)
    rng.shuffle(remaining)
    chosen: list = []
    points = [{"corrections": 0, **measure(zero, test)}]
    current = zero
    while remaining and len(chosen) < limit:
        if active:
            counts: dict[str, int] = {}
            for u in chosen:
                for c in u.competencies or [NONE_LABEL]:
                    counts[c] = counts.get(c, 0) + 1
            priority = review_priority(current, [u.text for u in remaining], labelled_counts=counts,
                                       labelled_texts=[u.text for u in chosen], zero_shot=zero)
            order = sorted(range(len(remaining)), key=lambda i: -priority[i])
            picked = [remaining[i] for i in order[:BATCH]]
            remaining = [remaining[i] for i in order[BATCH:]]
        else:
            picked, remaining = remaining[:BATCH], remaining[BATCH:]
        chosen += picked
        with tempfile.TemporaryDirectory() as workdir:  # a fine-tuned encoder lives only for this point
            head = train_head(zero, chosen, encoder=encoder, workdir=Path(workdir), seed=seed)
            current = zero.with_head(head, f"{len(chosen)}")
            points.append({"corrections": len(chosen), "train_seconds": head.summary.seconds,
                           "fine_tuned": head.fine_tuned_encoder, **measure(current, test)})
        print(("active" if active else f"random (seed {seed})"), points[-1], flush=True)
    return points


def mean_curve(runs: list[list[dict]]) -> list[dict]:
    """The point-by-point mean of several runs' metrics (the runs share their correction counts); a
    metric a run could not measure (abstention precision with no abstention) is left out of its mean."""
    def mean(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return sum(known) / len(known) if known else None

    return [{"corrections": points[0]["corrections"], **{key: mean([p[key] for p in points]) for key in METRICS}}
            for points in zip(*runs, strict=True)]


def inside_dev(zero: Analyzer, dev, *, splits: int, limit: int, encoder: str) -> None:  # noqa: ANN001
    """Print mean active and random curves over ``splits`` pool/held-out splits of the dev units."""
    runs: dict[str, list[list[dict]]] = {"active": [], "random": []}
    for k in range(splits):
        pool, held = split_holdout(dev, 0.25, seed=100 + k)
        runs["active"].append(curve(zero, pool, held, active=True, limit=limit, encoder=encoder, seed=k))
        runs["random"] += [curve(zero, pool, held, active=False, limit=limit, encoder=encoder, seed=10 * k + s)
                           for s in range(2)]
    for name, order_runs in runs.items():
        print(f"{name:<7}", " ".join(f"{p['corrections']}:{p['top1']:.3f}/{p['level_exact']:.3f}"
                                     for p in mean_curve(order_runs)), "(corrections:top-1/level exact)")


def train_seconds_1000(fw, pool, encoder: str) -> float:  # noqa: ANN001
    """Training time for 1,000 corrections, as `evidence train` does it (fine-tuning included with
    --encoder auto), embedding included: a fresh embedder with an empty memo, as train_model makes one."""
    thousand = [u for _ in range(4) for u in pool][:1000]
    for i, unit in enumerate(thousand):  # distinct texts, as 1,000 real corrections would be
        thousand[i] = type(unit)(text=f"{unit.text} ({i})", competencies=unit.competencies, levels=unit.levels,
                                 counter=unit.counter)
    fresh = Analyzer(fw, embedder=Embedder(memo_size=50_000))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        train_head(fresh, thousand, encoder=encoder, workdir=Path(workdir))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", default="community-link-worker")
    parser.add_argument("--max", type=int, default=200)
    parser.add_argument("--encoder", default="auto", choices=["auto", "frozen", "fine-tune"])
    parser.add_argument("--seeds", type=int, default=3, help="runs per order (shuffles and fine-tuning seeds)")
    parser.add_argument("--timing-only", action="store_true", help="only time training on 1,000 corrections")
    parser.add_argument("--inside-dev", type=int, metavar="SPLITS",
                        help="measure on held-out parts of the dev split instead of the test split")
    args = parser.parse_args()
    fw = get_framework(args.framework)
    zero = Analyzer(fw, embedder=Embedder(memo_size=50_000))
    pool = read_labelled(REPO / "data" / "gold" / "dev" / f"{fw.id}.csv", fw)
    if args.inside_dev:
        inside_dev(zero, pool, splits=args.inside_dev, limit=args.max, encoder=args.encoder)
        return 0
    test = read_labelled(REPO / "data" / "gold" / "test" / f"{fw.id}.csv", fw)
    if args.timing_only:
        print(json.dumps({"framework": fw.id, "encoder": args.encoder,
                          "train_seconds_1000": round(train_seconds_1000(fw, pool, args.encoder), 1)}))
        return 0
    seeds = range(args.seeds)
    active_runs = [curve(zero, pool, test, active=True, limit=args.max, encoder=args.encoder, seed=s) for s in seeds]
    random_runs = [curve(zero, pool, test, active=False, limit=args.max, encoder=args.encoder, seed=s)
                   for s in seeds]
    active, randomly = mean_curve(active_runs), mean_curve(random_runs)

    train_seconds = train_seconds_1000(fw, pool, args.encoder)

    final_random = randomly[-1]["top1"]
    reached = next((p["corrections"] for p in active if p["top1"] >= final_random - 1e-9), None)
    summary = {"framework": fw.id, "encoder": args.encoder, "seeds": args.seeds, "active": active,
               "random": randomly, "train_seconds_1000": round(train_seconds, 1),
               "active_corrections_to_reach_random_final": reached,
               "random_final_corrections": randomly[-1]["corrections"],
               "active_runs": active_runs, "random_runs": random_runs}
    out = REPO / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"learning-curve-{fw.id}.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    panels = (("top1", "competency top-1"), ("level_exact", "level exact"), ("level_within_one", "level within one"))
    for ax, (key, title) in zip(axes, panels, strict=True):
        for points, runs, label, colour in ((active, active_runs, "active learning", "C0"),
                                            (randomly, random_runs, "random order", "C1")):
            for run in runs:  # each seed faintly, their mean boldly
                ax.plot([p["corrections"] for p in run], [p[key] for p in run], color=colour, alpha=0.2)
            ax.plot([p["corrections"] for p in points], [p[key] for p in points], marker="o", color=colour,
                    label=f"{label} (mean of {len(runs)})")
        ax.set_xlabel("corrections")
        ax.set_title(f"{fw.id}: {title} (test split)")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / f"learning-curve-{fw.id}.png", dpi=110)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("active", "random")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
