"""Speed and memory of the engine on this machine. Prints its figures; writes nothing but a JSON summary.

    .venv/bin/python bench/speed.py [--statements 1000] [--skip-esco] [--only warm cold ...] [--out FILE]
    EVIDENCE_ENCODER_RUNTIME=torch .venv/bin/python bench/speed.py ...   # the encoder before ONNX Runtime

1. warm: a 600-word statement against the largest seed framework, p50 latency over repeated runs,
   and its ratio to bare encoding of the same units: the same model through sentence-transformers'
   own ``encode`` with its defaults (the engine's traced encoder alone is reported beside it);
2. batch: N statements, throughput (statements/s) against bare encoding of the same units, and the
   peak memory of runs with N/4 and N statements (flat in batch size when the two are close);
3. cold: one `evidence analyse` of a single statement in a fresh process (model loading included);
4. ESCO size: indicator-cache build and reload time for the 13,896-skill label list;
5. folder: `evidence analyse FOLDER` on N distinct statements (fifteen dev gold sentences each, none repeated
   while the split lasts), the whole command timed in a fresh process (loading, segmentation, matching, levels,
   output), against bare sentence-transformers encoding the same sentences (model already loaded), and the
   command's peak memory. The issue 18 bar: at most 0.5x the bare time for 200 statements, 600 MB for 1,000.

The batch part reuses the 24 sample applications, so its units repeat; the folder part's do not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from evidence.config import SAMPLE_BATCH
from evidence.engine.encoder import encoder_runtime

REPO = Path(__file__).resolve().parent.parent
SAMPLES = SAMPLE_BATCH  # the demo batch shipped inside the package
ESCO_LABELS = REPO.parent / "shared" / "benchmarks" / "esco-skill-extraction" / "skills_en_label.txt"
LARGEST = "axelos-skills"


def statements(n: int, words: int = 600) -> list[str]:
    """n statements of about ``words`` words, stitched from the shipped sample applications (seeded order)."""
    texts = pd.read_csv(SAMPLES)["text"].tolist()
    out = []
    for i in range(n):
        parts, count, j = [], 0, i
        while count < words:
            text = texts[j % len(texts)]
            parts.append(text)
            count += len(text.split())
            j += 7
        out.append("\n\n".join(parts))
    return out


def bare_encode(texts: list[str]) -> None:
    """The bare model: sentence-transformers' encode with its defaults, normalised vectors."""
    from evidence.engine.encoder import load_sentence_transformer

    load_sentence_transformer().encode(texts, normalize_embeddings=True, show_progress_bar=False)


def p50_seconds(run, repeats: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm(repeats: int) -> dict:
    from evidence.domain import Document
    from evidence.engine.analyzer import Analyzer
    from evidence.engine.segment import segment
    from evidence.frameworks.catalogue import get_framework

    analyzer = Analyzer(get_framework(LARGEST))
    doc = Document(id="warm", text=" ".join(statements(1)[0].split()[:600]))
    units = [u.text for u in segment(doc)]
    p50 = p50_seconds(lambda: analyzer.analyse_document(doc), repeats)
    bare = p50_seconds(lambda: bare_encode(units), repeats)
    engine_encoder = p50_seconds(lambda: analyzer.embedder.encode(units), repeats)
    return {"framework": LARGEST, "words": 600, "units": len(units), "p50_ms": round(p50 * 1000, 1),
            "bare_encoding_p50_ms": round(bare * 1000, 1), "ratio_to_bare": round(p50 / bare, 2),
            "engine_encoder_p50_ms": round(engine_encoder * 1000, 1)}


def batch_run(n: int) -> dict:
    """Runs in a child process so peak memory (ru_maxrss) belongs to this batch alone."""
    from evidence.domain import Document
    from evidence.engine.analyzer import Analyzer
    from evidence.engine.segment import segment
    from evidence.frameworks.catalogue import get_framework

    analyzer = Analyzer(get_framework("community-link-worker"))
    docs = [Document(id=str(i), text=t) for i, t in enumerate(statements(n, words=300))]
    analyzer.analyse_document(docs[0])
    start = time.perf_counter()
    count = sum(1 for _ in analyzer.analyse(docs, role=analyzer.framework.roles[0]))
    elapsed = time.perf_counter() - start
    units = [u.text for d in docs for u in segment(d)]
    bare_encode(units[:10])  # load the model outside the timing
    start = time.perf_counter()
    for i in range(0, len(units), 256):
        bare_encode(units[i:i + 256])
    bare = time.perf_counter() - start
    return {"statements": count, "units": len(units), "seconds": round(elapsed, 1),
            "statements_per_s": round(count / elapsed, 2), "bare_statements_per_s": round(count / bare, 2),
            "throughput_vs_bare": round(bare / elapsed, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def batch(n: int) -> dict:
    results = {}
    for size in (max(1, n // 4), n):
        out = subprocess.run([sys.executable, __file__, "--child-batch", str(size)], capture_output=True, text=True,
                             check=True)
        results[size] = json.loads(out.stdout.strip().splitlines()[-1])
    small, large = results[max(1, n // 4)], results[n]
    return {**large, "peak_rss_mb_quarter_batch": small["peak_rss_mb"],
            "memory_growth_ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 2)}


def cold() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.txt"
        path.write_text(" ".join(statements(1)[0].split()[:600]), encoding="utf-8")
        env = dict(os.environ, HF_HUB_OFFLINE="1")
        command = str(Path(sys.executable).parent / "evidence")
        subprocess.run([command, "analyse", str(path), "--framework", "community-link-worker", "--format",
                        "json"], capture_output=True, env=env, check=True)  # the indicator cache exists afterwards
        times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([command, "analyse", str(path), "--framework", "community-link-worker", "--format",
                            "json"], capture_output=True, env=env, check=True)
            times.append(time.perf_counter() - start)
    return {"seconds_median_of_3": round(statistics.median(times), 2)}


def child_peak(command: list[str]) -> tuple[float, float]:
    """Run ``command``; its wall time in seconds and peak RSS in MB (its own rusage, from ``os.wait4``)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise RuntimeError(f"{command[0]} failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def gold_sentences() -> list[str]:
    """Every dev gold sentence of the seed frameworks once, in a seeded order (the test split is never read)."""
    texts = [t for path in sorted((REPO / "data" / "gold" / "dev").glob("*.csv")) for t in pd.read_csv(path)["text"]]
    unique = list(dict.fromkeys(str(t) for t in texts))
    random.Random(18).shuffle(unique)
    return unique


def folder(n: int, per_statement: int = 15) -> dict:
    sentences = gold_sentences()
    statements = [[sentences[(i * per_statement + k) % len(sentences)] for k in range(per_statement)]
                  for i in range(n)]
    command = [str(Path(sys.executable).parent / "evidence"), "analyse", "--framework", "community-link-worker",
               "--format", "jsonl"]
    with tempfile.TemporaryDirectory() as work:
        inbox = Path(work) / "statements"
        inbox.mkdir()
        for i, parts in enumerate(statements):  # paragraphs of five sentences, as statements are written
            paragraphs = [" ".join(parts[k:k + 5]) for k in range(0, len(parts), 5)]
            (inbox / f"{i:05d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
        subprocess.run([*command, str(inbox / "00000.txt"), "-o", str(Path(work) / "warm.jsonl")],
                       capture_output=True, check=True)  # the indicator cache and compiled encoder exist afterwards
        # timed from a small intermediate process: a child forked from this one (a model loaded) would report this
        # process's memory as its own peak (ru_maxrss counts the pages it shared until exec)
        measured = subprocess.run([sys.executable, __file__, "--child-peak", *command, str(inbox), "-o",
                                   str(Path(work) / "out.jsonl")], capture_output=True, text=True, check=True)
        seconds, peak_mb = json.loads(measured.stdout.strip().splitlines()[-1])
    texts = [s for parts in statements for s in parts]
    model_load = time.perf_counter()
    bare_encode(texts[:8])  # load the model outside the timing
    model_load = time.perf_counter() - model_load
    start = time.perf_counter()
    bare_encode(texts)
    bare = time.perf_counter() - start
    return {"statements": n, "sentences": len(texts), "distinct_sentences": len(set(texts)),
            "seconds": round(seconds, 1), "bare_encoding_s": round(bare, 1),
            "ratio_to_bare": round(seconds / bare, 2), "bare_model_load_s": round(model_load, 1),
            "peak_rss_mb": round(peak_mb, 1)}


def esco() -> dict:
    from evidence.engine.embed import Embedder, IndicatorIndex
    from evidence.frameworks.catalogue import load_framework_file, store_imported
    from evidence.frameworks.interchange import import_framework

    if not ESCO_LABELS.exists():
        return {"skipped": f"{ESCO_LABELS} not found"}
    with tempfile.TemporaryDirectory() as home:
        os.environ["EVIDENCE_HOME"] = home
        fw = import_framework(ESCO_LABELS, framework_id="esco-bench", name="ESCO")
        path = store_imported(fw)
        embedder = Embedder()
        embedder.encode(["warm up"])
        start = time.perf_counter()
        IndicatorIndex.build(fw, embedder)
        build = time.perf_counter() - start
        start = time.perf_counter()
        loaded = load_framework_file(path)
        IndicatorIndex.build(loaded, embedder)
        reload = time.perf_counter() - start
    return {"skills": len(fw.competencies), "cache_build_s": round(build, 1), "reload_s": round(reload, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--skip-esco", action="store_true")
    parser.add_argument("--folder-statements", type=int, nargs="+", default=[200, 1000],
                        help="statements in the folder part's runs")
    parser.add_argument("--only", nargs="+", choices=["warm", "batch", "cold", "esco", "folder"],
                        help="run these parts only, updating them in the last results file")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "speed.json")
    parser.add_argument("--child-batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-peak", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.child_peak:
        print(json.dumps(child_peak(args.child_peak)))
        return 0
    if args.child_batch:
        print(json.dumps(batch_run(args.child_batch)))
        return 0
    out = args.out
    parts = {"warm": lambda: warm(args.repeats), "batch": lambda: batch(args.statements), "cold": cold,
             "esco": esco, "folder": lambda: {str(n): folder(n) for n in args.folder_statements}}
    chosen = args.only or [p for p in parts if not (p == "esco" and args.skip_esco)]
    # a partial run updates its parts of the last summary
    figures = json.loads(out.read_text(encoding="utf-8")) if args.only and out.exists() else {}
    figures["encoder_runtime"] = encoder_runtime()  # EVIDENCE_ENCODER_RUNTIME: the same for every part and child
    for part in chosen:
        figures[part] = parts[part]()
        print(f"{part}:", figures[part], flush=True)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
