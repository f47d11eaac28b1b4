"""SetFit-style contrastive fine-tuning of the sentence encoder vs the frozen encoder, for competency
classification on one framework's gold data (dev split for training, test split for measuring).

Methods (all heads: LogisticRegression(C=4) on normalised embeddings, trained on dev units with
competencies (first label, weight 1) + the framework's positive indicators (weight 0.3)):
  zero-shot     frozen encoder, max cosine to a competency's positive indicators (no training)
  frozen+LR     frozen encoder + LR head
  setfit-cos    encoder fine-tuned 1 epoch on seeded balanced pairs (same competency -> 1, disjoint -> 0)
                with CosineSimilarityLoss, then LR head
  setfit-mnrl   encoder fine-tuned 1 epoch on (anchor, same-competency positive) pairs with
                MultipleNegativesRankingLoss, batches holding at most one pair per competency, then LR head

Training is a plain torch loop over sentence-transformers' losses (the Trainer API needs `datasets` and
`accelerate`, which the project does not install). Writes bench/results/setfit_experiment.md.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/setfit_experiment.py [--framework community-link-worker]
        [--pairs 4] [--mnrl-pairs 2] [--seeds 0] [--sizes 100 all] [--threads 1] [--out FILE.md]

The defaults (cheap pair counts, one seed) take ~10 minutes on a shared 2-core CPU. The multi-seed grid in
bench/results/setfit_experiment.md was run on a GPU machine without the project installed:
    .venv/bin/python bench/setfit_experiment.py --export bench/results/setfit-carry.tmp   # data + fp16 encoder
    python bench/setfit_experiment.py --data bench/results/setfit-carry.tmp --device cuda \
        --seeds 0 1 2 3 4 --pairs 20 --mnrl-pairs 5          # and --pairs 4 --mnrl-pairs 2
and the CPU timings with --device cpu --threads 4 on that machine's (uncontended) CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.sentence_transformer import losses  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
IND_WEIGHT = 0.3
DEVICE = "cpu"
MODEL_PATH = ""


@dataclass
class Unit:
    text: str
    competencies: list[str]


def load_project_data(framework: str):  # noqa: ANN201
    """(framework id, dev units with competencies, test units with competencies, positive indicators,
    frozen encoder, encoder folder) from the installed project."""
    from evidence.engine.encoder import embedding_model_path
    from evidence.engine.encoder import load_sentence_transformer as load_encoder
    from evidence.evaluation.labelled import read_labelled
    from evidence.frameworks.catalogue import get_framework

    fw = get_framework(framework)
    dev = [Unit(u.text, list(u.competencies)) for u in
           read_labelled(REPO / "data" / "gold" / "dev" / f"{fw.id}.csv", fw) if u.competencies]
    test = [Unit(u.text, list(u.competencies)) for u in
            read_labelled(REPO / "data" / "gold" / "test" / f"{fw.id}.csv", fw) if u.competencies]
    return fw.id, dev, test, positive_indicators(fw), load_encoder(), str(embedding_model_path())


def export_data(framework: str, folder: Path) -> None:
    """Write data.json and an fp16 copy of the encoder (half the size) to `folder`, so that the experiment
    can run (--data folder) on a machine without the project or its packaged model installed."""
    import shutil

    from safetensors.torch import load_file, save_file

    fw_id, dev, test, inds, _, model_dir = load_project_data(framework)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.json").write_text(json.dumps({
        "framework": fw_id, "dev": [[u.text, u.competencies] for u in dev],
        "test": [[u.text, u.competencies] for u in test], "indicators": inds}), encoding="utf-8")
    shutil.copytree(model_dir, folder / "model", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("model.safetensors", "README.md", "data_config.json"))
    weights = load_file(str(Path(model_dir) / "model.safetensors"))
    save_file({k: v.half().contiguous() for k, v in weights.items()}, str(folder / "model" / "model.safetensors"),
              metadata={"format": "pt"})


def load_exported_data(folder: Path):  # noqa: ANN201
    d = json.loads((folder / "data.json").read_text(encoding="utf-8"))
    model_dir = str(folder / "model")
    frozen = SentenceTransformer(model_dir, device=DEVICE).float()
    return (d["framework"], [Unit(t, c) for t, c in d["dev"]], [Unit(t, c) for t, c in d["test"]],
            [tuple(x) for x in d["indicators"]], frozen, model_dir)


def positive_indicators(fw):  # noqa: ANN001, ANN201
    return [(c.id, i.text) for c, i in fw.indicators if getattr(i.polarity, "value", i.polarity) == "positive"]


def encode(model: SentenceTransformer, texts: list[str]) -> np.ndarray:
    model.eval()
    return model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                        show_progress_bar=False)


def lr_head_scores(model, units, inds, test, classes):  # noqa: ANN001, ANN201
    texts = [u.text for u in units] + [t for _, t in inds]
    labels = [u.competencies[0] for u in units] + [c for c, _ in inds]
    w = np.array([1.0] * len(units) + [IND_WEIGHT] * len(inds))
    X = encode(model, texts)
    clf = LogisticRegression(C=4.0, max_iter=2000).fit(X, labels, sample_weight=w)
    proba = clf.predict_proba(encode(model, [u.text for u in test]))
    order = [list(clf.classes_)[j] for j in range(len(clf.classes_))]
    return [[order[j] for j in np.argsort(-p)] for p in proba]


def zero_shot_scores(model, inds, test):  # noqa: ANN001, ANN201
    comps = sorted({c for c, _ in inds})
    indicator_vectors = encode(model, [t for _, t in inds])
    T = encode(model, [u.text for u in test])
    sims = T @ indicator_vectors.T
    owner = np.array([c for c, _ in inds])
    best = np.stack([sims[:, owner == c].max(axis=1) for c in comps], axis=1)
    return [[comps[j] for j in np.argsort(-row)] for row in best]


def topk(ranked, test) -> tuple[float, float]:  # noqa: ANN001
    t1 = np.mean([r[0] in u.competencies for r, u in zip(ranked, test, strict=False)])
    t3 = np.mean([bool(set(r[:3]) & set(u.competencies)) for r, u in zip(ranked, test, strict=False)])
    return float(t1), float(t3)


def labelled_examples(units, inds):  # noqa: ANN001, ANN201
    """(text, set of competencies) for dev units and positive indicators."""
    return [(u.text, set(u.competencies)) for u in units] + [(t, {c}) for c, t in inds]


def cosine_pairs(examples, per_example: int, rng: random.Random):  # noqa: ANN001, ANN201
    """SetFit's pair generation: for each example, per_example/2 positives (shares a competency) and
    per_example/2 negatives (no shared competency)."""
    pairs = []
    for text, labs in examples:
        pos = [t for t, other in examples if other & labs and t != text]
        neg = [t for t, other in examples if not (other & labs)]
        for _ in range(per_example // 2):
            pairs.append((text, rng.choice(pos), 1.0))
            pairs.append((text, rng.choice(neg), 0.0))
    rng.shuffle(pairs)
    return pairs


def mnrl_batches(examples, per_example: int, batch: int, rng: random.Random):  # noqa: ANN001, ANN201
    """(anchor, positive) pairs grouped so that no two pairs in a batch share a competency label
    (in-batch negatives are then true negatives); batch is capped at the number of competencies."""
    pairs = []
    for text, labs in examples:
        pos = [(t, other) for t, other in examples if other & labs and t != text]
        for _ in range(per_example):
            t, other = rng.choice(pos)
            pairs.append((text, t, labs | other))
    rng.shuffle(pairs)
    batches, pending = [], list(pairs)
    while pending:
        b, used, rest = [], set(), []
        for p in pending:
            if len(b) < batch and not (p[2] & used):
                b.append(p)
                used |= p[2]
            else:
                rest.append(p)
        batches.append(b)
        pending = rest
    rng.shuffle(batches)
    return batches


def train(model: SentenceTransformer, batches, loss_fn, lr: float = 2e-5, log_every: int = 50) -> float:  # noqa: ANN001
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    total = len(batches)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    started = time.perf_counter()
    for step, (cols, labels) in enumerate(batches):
        feats = [{k: v.to(model.device) if hasattr(v, 'to') else v for k, v in model.preprocess(list(col)).items()}
                 for col in cols]
        loss = loss_fn(feats, labels.to(model.device) if labels is not None else labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if log_every and step % log_every == 0:
            print(f"    step {step}/{total} loss {loss.item():.4f} {time.perf_counter() - started:.0f}s", flush=True)
    model.eval()
    return time.perf_counter() - started


def finetune(method: str, examples, per_example: int, batch: int, seed: int):  # noqa: ANN001, ANN201
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(MODEL_PATH, device=DEVICE).float()
    if method == "setfit-cos":
        pairs = cosine_pairs(examples, per_example, rng)
        batches = [(([a for a, _, _ in chunk], [b for _, b, _ in chunk]),
                    torch.tensor([y for _, _, y in chunk], dtype=torch.float32))
                   for chunk in (pairs[i:i + batch] for i in range(0, len(pairs), batch))]
        loss_fn = losses.CosineSimilarityLoss(model)
    elif method == "setfit-mnrl":
        groups = mnrl_batches(examples, per_example, batch, rng)
        batches = [(([a for a, _, _ in g], [b for _, b, _ in g]), None) for g in groups]
        loss_fn = losses.MultipleNegativesRankingLoss(model)
    else:
        raise ValueError(method)
    n_pairs = sum(len(c[0]) for c, _ in batches)
    print(f"  {method} seed {seed}: {n_pairs} pairs, {len(batches)} steps", flush=True)
    seconds = train(model, batches, loss_fn)
    return model, seconds


def encode_speed(model: SentenceTransformer, texts: list[str], repeats: int = 3) -> float:
    """Sentences per second encoding `texts` (best of `repeats`)."""
    encode(model, texts[:16])
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        encode(model, texts)
        best = min(best, time.perf_counter() - t)
    return len(texts) / best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", default="community-link-worker")
    parser.add_argument("--pairs", type=int, default=4, help="pairs per training example (cosine)")
    parser.add_argument("--mnrl-pairs", type=int, default=2, help="(anchor, positive) pairs per example")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--methods", nargs="+", default=["setfit-cos", "setfit-mnrl"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--sizes", nargs="+", default=["100", "all"])
    parser.add_argument("--threads", type=int, default=int(os.environ.get("SETFIT_THREADS", "1")),
                        help="torch threads (1 was fastest on the shared 2-core machine)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (accuracy runs only; timings are CPU)")
    parser.add_argument("--export", help="write data.json + fp16 encoder to this folder and exit")
    parser.add_argument("--data", help="run from an --export folder instead of the installed project")
    parser.add_argument("--out", help="also write the tables (markdown) here, and the rows as JSON beside it")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    global DEVICE, MODEL_PATH
    DEVICE = args.device
    if args.export:
        export_data(args.framework, Path(args.export))
        return 0
    if args.data:
        fw_id, dev_all, test, inds, frozen, MODEL_PATH = load_exported_data(Path(args.data))
    else:
        fw_id, dev_all, test, inds, frozen, MODEL_PATH = load_project_data(args.framework)
    classes = sorted({c for c, _ in inds})
    print(f"{fw_id}: {len(dev_all)} dev units with competencies, {len(test)} test units, "
          f"{len(inds)} positive indicators, {len(classes)} competencies", flush=True)

    test_texts = [u.text for u in test] * 4
    frozen_speed = encode_speed(frozen, test_texts)
    rows = []
    zs = topk(zero_shot_scores(frozen, inds, test), test)
    rows.append({"method": "zero-shot (frozen)", "n_train": 0, "seed": "-", "top1": zs[0], "top3": zs[1],
                 "train_s": 0.0})
    print(rows[-1], flush=True)

    for size in args.sizes:
        for seed in args.seeds:
            if size == "all":
                units = dev_all
            else:
                units = random.Random(1000 + seed).sample(dev_all, int(size))
            n = len(units)
            if seed == args.seeds[0] or size != "all":
                r = topk(lr_head_scores(frozen, units, inds, test, classes), test)
                rows.append({"method": "frozen + LR", "n_train": n, "seed": seed if size != "all" else "-",
                             "top1": r[0], "top3": r[1], "train_s": 0.0})
                print(rows[-1], flush=True)
            examples = labelled_examples(units, inds)
            for method in args.methods:
                per = args.pairs if method == "setfit-cos" else args.mnrl_pairs
                batch = args.batch if method == "setfit-cos" else min(args.batch, len(classes))
                model, secs = finetune(method, examples, per, batch, seed)
                r = topk(lr_head_scores(model, units, inds, test, classes), test)
                z = topk(zero_shot_scores(model, inds, test), test)
                speed = encode_speed(model, test_texts)
                rows.append({"method": f"{method} + LR", "n_train": n, "seed": seed, "top1": r[0], "top3": r[1],
                             "train_s": secs, "zs_top1": z[0], "zs_top3": z[1], "speed": speed})
                print(rows[-1], flush=True)
                del model

    lines = [f"# SetFit-style encoder fine-tuning vs frozen encoder ({fw_id}, {DEVICE})", "",
             f"Train: dev units with competencies ({len(dev_all)}) + {len(inds)} positive indicators "
             f"(weight {IND_WEIGHT} in the LR head); test: {len(test)} test units with competencies "
             f"(one unit = {100 / len(test):.1f} points). Top-1/top-3 count a hit if the predicted competency "
             "is among the unit's gold competencies. Encoder all-MiniLM-L6-v2 "
             f"({'fp16-rounded copy, ' if args.data else ''}{DEVICE}, {torch.get_num_threads()} torch threads). "
             "n_train=100 is a seeded sample of the "
             "dev units. `zs` columns: zero-shot (max cosine to indicators) with that method's encoder.", "",
             f"Pairs: cosine = {args.pairs} per example (half positive, half negative), batch {args.batch}; "
             f"MNRL = {args.mnrl_pairs} (anchor, positive) per example, batches of <= {len(classes)} with "
             "distinct competencies. 1 epoch, AdamW lr 2e-5, 10% warm-up, linear decay.", "",
             "| method | n_train | seed | top-1 | top-3 | train s | zs top-1 | zs top-3 |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        zs1 = f"{r['zs_top1']:.3f}" if "zs_top1" in r else ""
        zs3 = f"{r['zs_top3']:.3f}" if "zs_top3" in r else ""
        lines.append(f"| {r['method']} | {r['n_train']} | {r['seed']} | {r['top1']:.3f} | {r['top3']:.3f} | "
                     f"{r['train_s']:.0f} | {zs1} | {zs3} |")
    lines += ["", "Mean over seeds (sd):", "", "| method | n_train | runs | top-1 | top-3 | train s |",
              "|---|---|---|---|---|---|"]
    groups: dict = {}
    for r in rows:
        groups.setdefault((r["method"], r["n_train"]), []).append(r)
    for (method, n), rs in groups.items():
        def ms(key: str, rs=rs) -> str:
            v = np.array([x[key] for x in rs])
            return f"{v.mean():.3f} ({v.std():.3f})"
        lines.append(f"| {method} | {n} | {len(rs)} | {ms('top1')} | {ms('top3')} | "
                     f"{np.mean([x['train_s'] for x in rs]):.0f} |")
    speeds = [r["speed"] for r in rows if "speed" in r]
    lines += ["", f"Encoding speed (test texts x4, best of 3): frozen {frozen_speed:.0f} sentences/s; "
              f"fine-tuned {', '.join(f'{s:.0f}' for s in speeds)} sentences/s (same architecture).", ""]
    if args.out:
        Path(args.out).write_text("\n".join(lines), encoding="utf-8")
        (Path(args.out).with_suffix(".json")).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
