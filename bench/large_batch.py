"""A big batch through `evidence analyse`: wall time, rows/s, peak memory and streaming, at two sizes.

    .venv/bin/python bench/large_batch.py [--sizes 200 800] [--framework community-link-worker] [--format csv]

For each size it writes an N-row CSV batch (``id,text``; each text 1-3 sentences drawn, seeded, from the
shipped sample applications, about the 1.5 units a row of the reliability review's 100k-row CSV had),
runs ``evidence analyse BATCH --format FMT -o OUT`` in a subprocess and prints the wall time, rows/s, the
subprocess's peak RSS (its own rusage, from ``os.wait4``), when the first result reached the output file
and how many progress lines stderr got. Last, the ratio of the largest size's peak memory to the
smallest's: flat in the batch size means about 1 (the model's ~1 GB dominates both).

The release check (issue 13) is the 100k-row run, about 45 minutes at the review's 37 rows/s:

    .venv/bin/python bench/large_batch.py --sizes 10000 100000

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from evidence.config import SAMPLE_BATCH

EVIDENCE = Path(sys.executable).with_name("evidence")


def sentences() -> list[str]:
    """The sample applications' sentences (a naive split is enough to make statements from)."""
    with open(SAMPLE_BATCH, encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    found = [s.strip() for text in texts for s in re.split(r"(?<=[.!?])\s+", text)]
    return [s for s in found if len(s.split()) >= 4]


def write_batch(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    pool = sentences()
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "text"])
        for i in range(rows):
            out.writerow([f"r{i:06d}", " ".join(rng.sample(pool, rng.randint(1, 3)))])


def run(batch: Path, out: Path, args: argparse.Namespace) -> dict:
    """One `evidence analyse` in a subprocess, watched until it ends."""
    import subprocess

    err = out.with_suffix(".stderr")
    command = [str(EVIDENCE), "analyse", str(batch), "-f", args.framework, "--format", args.format, "-o", str(out)]
    start = time.monotonic()
    first_output = None
    with err.open("w") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if first_output is None and out.exists() and out.stat().st_size:
                first_output = time.monotonic() - start
            if pid:
                break
            time.sleep(0.2)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen, so it does not wait
    wall = time.monotonic() - start
    lines = err.read_text(encoding="utf-8", errors="replace").splitlines()
    return {"exit": process.returncode, "wall_s": wall, "peak_rss_mb": usage.ru_maxrss / 1024,
            "first_output_s": first_output, "progress_lines": sum(line.startswith("analysed ") for line in lines),
            "stderr_tail": lines[-2:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 800])
    parser.add_argument("--framework", default="community-link-worker")
    parser.add_argument("--format", default="csv", choices=["csv", "jsonl", "json", "md"])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="keep the batches and outputs in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="large-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in args.sizes:
        batch = folder / f"batch-{size}.csv"
        write_batch(batch, size, args.seed)
        result = run(batch, folder / f"out-{size}.{args.format}", args)
        results[size] = result
        first = f"{result['first_output_s']:.1f} s" if result["first_output_s"] is not None else "never"
        print(f"{size:>7} rows: exit {result['exit']}, {result['wall_s']:.1f} s, {size / result['wall_s']:.1f} rows/s, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB, first output after {first}, "
              f"{result['progress_lines']} progress lines", flush=True)
        if result["exit"]:
            print("   stderr: " + " | ".join(result["stderr_tail"]))
    small, large = min(results), max(results)
    if small != large:
        ratio = results[large]["peak_rss_mb"] / results[small]["peak_rss_mb"]
        print(f"peak memory {large} rows / {small} rows: {ratio:.2f} (flat in the batch size: about 1)")
        extra = results[large]["wall_s"] - results[small]["wall_s"]
        if extra > 0:  # the start-up (model loading) cancels out: the steady rate of the analysis itself
            print(f"marginal rate: {(large - small) / extra:.1f} rows/s")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
