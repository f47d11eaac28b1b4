"""Throughput of the Ray engine (`evidence analyse --engine ray`) at 1 and 2 workers, against the local engine.

    .venv/bin/python bench/scale.py [--statements 200] [--words 300] [--workers 1 2] [--rounds 2]

In one run, on the same N statements (bench/speed.py's ``statements()``: sample applications stitched to about
``--words`` words) against community-link-worker and its role, with the model the CLI would use:

1. local: the default engine, one Analyzer in this process (the encoder's threads on every core), loaded and
   warmed outside the timing;
2. ray, W workers: evidence.services.distributed.analyse_with_ray on a local Ray of max(--workers) CPUs started
   outside the timing; each run's timing includes its actors loading their analyzers, as every window of a
   real run does. ``steady_statements_per_s`` leaves out the wait for the first batch (actor start-up).

The runs go round ``--rounds`` times (local, then each worker count) and each keeps its fastest round: on a
machine others share, the fastest is the one least slowed by them. Each figure is also printed as a ratio to
the local engine of the same run, and the peak RSS of a worker actor (sampled from /proc every 0.2 s) and the
JSON size of an analysis are recorded for sizing. Writes bench/results/scale.json. Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.speed import statements  # noqa: E402  (the bench folder is not a package on sys.path by itself)

FRAMEWORK = "community-link-worker"


class ActorMemory:
    """Peak RSS of the Ray worker actors (processes named ``ray::MapWorker...``), sampled in a thread."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ActorMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for proc in Path("/proc").iterdir():
                try:
                    if proc.name.isdigit() and b"MapWorker" in (proc / "cmdline").read_bytes():
                        for line in (proc / "status").read_text().splitlines():
                            if line.startswith("VmRSS:"):
                                self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)
                except OSError:  # the process ended while it was read
                    continue


def local_run(docs: list, framework, version: str, role) -> dict:
    from evidence.services.analyzers import load_analyzer

    analyzer = load_analyzer(framework, version)
    next(iter(analyzer.analyse(docs[:1], role=role)))  # load and warm outside the timing
    start = time.perf_counter()
    count = sum(1 for _ in analyzer.analyse(docs, role=role))
    elapsed = time.perf_counter() - start
    return {"statements": count, "seconds": round(elapsed, 1), "statements_per_s": round(count / elapsed, 2)}


def ray_run(docs: list, framework, version: str, role, workers: int) -> dict:
    from evidence.services.distributed import BATCH_SIZE, analyse_with_ray

    first = None
    count = 0
    with ActorMemory() as memory:
        start = time.perf_counter()
        for _document, outcome in analyse_with_ray(docs, framework, version, role, workers=workers):
            if isinstance(outcome, BaseException):
                raise outcome
            count += 1
            if count == BATCH_SIZE:
                first = time.perf_counter()
        elapsed = time.perf_counter() - start
    steady = (count - BATCH_SIZE) / (start + elapsed - first) if first and count > BATCH_SIZE else None
    return {"workers": workers, "statements": count, "seconds": round(elapsed, 1),
            "statements_per_s": round(count / elapsed, 2),
            "first_batch_s": round(first - start, 1) if first else None,
            "steady_statements_per_s": round(steady, 2) if steady else None,
            "peak_actor_rss_mb": round(memory.peak_mb, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from evidence.domain import Document
    from evidence.frameworks.catalogue import get_framework
    from evidence.reporting.render import analysis_to_json
    from evidence.services.distributed import import_ray, pinned_version

    framework = get_framework(FRAMEWORK)
    role = framework.roles[0]
    version = pinned_version(framework, "promoted")
    docs = [Document(id=str(i), text=t) for i, t in enumerate(statements(args.statements, words=args.words))]

    figures: dict = {"statements": len(docs), "words": args.words, "framework": FRAMEWORK, "model": version,
                     "cpus": os.cpu_count(), "load_average_at_start": round(os.getloadavg()[0], 2)}
    from evidence.services.analyzers import load_analyzer

    sample = list(load_analyzer(framework, version).analyse(docs[:20], role=role))
    figures["analysis_json_bytes_per_statement"] = round(
        sum(len(json.dumps(analysis_to_json(a))) for a in sample) / len(sample))

    ray = import_ray()
    ray.init(address="local", num_cpus=max(args.workers), include_dashboard=False, log_to_driver=False,
             logging_level=logging.ERROR, _node_ip_address="127.0.0.1")
    fastest: dict[str, dict] = {}
    try:
        for round_ in range(1, args.rounds + 1):
            runs = {"local": local_run(docs, framework, version, role)}
            runs.update({f"ray_{w}": ray_run(docs, framework, version, role, w) for w in args.workers})
            for name, run in runs.items():
                print(f"round {round_}, {name}:", run, flush=True)
                if name not in fastest or run["statements_per_s"] > fastest[name]["statements_per_s"]:
                    fastest[name] = run
    finally:
        ray.shutdown()
    figures["rounds"] = args.rounds
    figures["load_average_at_end"] = round(os.getloadavg()[0], 2)  # others' work on the machine during the run
    figures["local"] = local = fastest["local"]
    for workers in args.workers:
        run = figures[f"ray_{workers}"] = fastest[f"ray_{workers}"]
        run["ratio_to_local"] = round(run["statements_per_s"] / local["statements_per_s"], 2)
        if run["steady_statements_per_s"]:
            run["steady_ratio_to_local"] = round(run["steady_statements_per_s"] / local["statements_per_s"], 2)
        print(f"ray, {workers} worker(s), fastest of {args.rounds}:", run)
    runs = [figures[f"ray_{w}"] for w in args.workers]
    if len(runs) > 1 and runs[0]["steady_statements_per_s"] and runs[-1]["steady_statements_per_s"]:
        figures["steady_speed_up"] = round(runs[-1]["steady_statements_per_s"] / runs[0]["steady_statements_per_s"], 2)
        print(f"{runs[-1]['workers']} workers / {runs[0]['workers']}: {figures['steady_speed_up']}x (steady)")
    out = REPO / "bench" / "results" / "scale.json"
    out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
