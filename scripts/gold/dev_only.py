"""Dev-only gold units: written after the split was fixed, so they join the dev split and never the test split.

The original units in `community_link_worker.py` and `other_frameworks.py` are split seeded and
stratified; adding rows there would reshuffle the test split that earlier tuning never saw. Later units
live in `scripts/gold/dev_only/<framework>*.csv` (the gold CSV columns: text, competency, level,
polarity, note; rows with the same text form one multi-label unit) and are appended to the dev split
only. A new unit must not be a near-copy of any original gold unit, in either split.

    python scripts/gold/dev_only.py --check FRAMEWORK_ID    # validate the dev-only files of one framework
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "dev_only"
COLUMNS = ["text", "competency", "level", "polarity", "note"]
NEAR_COPY = 0.6  # word-set Jaccard above which two texts are the same unit reworded


def read(framework_id: str) -> list[list[dict]]:
    """The dev-only units of a framework, each a list of rows sharing one text, in file order."""
    units: dict[str, list[dict]] = {}
    for path in sorted(FOLDER.glob(f"{framework_id}*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != COLUMNS:
                sys.exit(f"{path}: expected the columns {COLUMNS}, found {reader.fieldnames}")
            for line, row in enumerate(reader, start=2):
                row = {k: (row[k] or "").strip() for k in COLUMNS}
                if not row["text"] or not row["competency"]:
                    sys.exit(f"{path}:{line}: text and competency are required")
                row["polarity"] = row["polarity"] or "positive"
                units.setdefault(row["text"], []).append(row)
    return list(units.values())


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


def near_copies(new_texts: list[str], existing_texts: list[str]) -> list[str]:
    """Problems for new texts that nearly copy an existing text or each other."""
    problems = []
    seen = [(t, _words(t)) for t in existing_texts]
    for text in new_texts:
        words = _words(text)
        for _other, other_words in seen:
            overlap = len(words & other_words) / max(1, len(words | other_words))
            if overlap > NEAR_COPY:
                problems.append(f"near-copy (word overlap {overlap:.2f}) of an existing unit: {text[:70]}")
                break
        seen.append((text, words))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="FRAMEWORK_ID", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    units = read(args.check)
    if args.check == "community-link-worker":
        import community_link_worker as clw

        originals = clw.build_rows()
        clw.validate(originals + units)  # exits with the problem
        original_texts = [rows[0]["text"] for rows in originals]
        problems = []
    else:
        import other_frameworks as other

        originals, allowed = other.FRAMEWORKS[args.check]
        original_texts = [text for text, _ in originals]
        problems = other.validate(args.check, originals + other.as_units(units), allowed)
    problems += near_copies([u[0]["text"] for u in units], original_texts)
    print("\n".join(problems) if problems else f"{args.check}: {len(units)} dev-only units, all valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
