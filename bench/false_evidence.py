"""False evidence on the development gold: which suggestions withholding a unit's credit removes.

    .venv/bin/python bench/false_evidence.py [--model promoted|zero-shot]

A unit is withheld (no credit to any competency) when it is self-criticism (``Cues.self_critical``) or the
counter detector's probability reaches a threshold and the unit does not go on to act on it. For the
shipped rule and a sweep of thresholds it prints how many units are withheld, what their gold labels
say (counter-evidence, positive, none), and how many shown suggestions go: right ones (the competency is a
gold label of the unit) and wrong ones. "Shown" is what the previous rule showed: the calibrated
probability at or above the threshold, at most three a unit, less the one competency a flagged unit was
counter-evidence for. Reads data/gold/dev only.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evidence.engine.analyzer import MAX_SUGGESTIONS, Analyzer
from evidence.engine.cues import read_cues, turns_around
from evidence.engine.match import WITHHELD_CREDIT
from evidence.evaluation.labelled import read_labelled
from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import resolve_model

REPO = Path(__file__).resolve().parent.parent
SWEEP = (None, 0.97, 0.9, 0.85, 0.8, 0.7, 0.5)  # None: self-criticism alone


@dataclass
class Tally:
    units: int = 0
    counter: int = 0
    positive: int = 0
    none: int = 0
    right: int = 0
    wrong: int = 0
    removed_right: list[str] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="promoted")
    args = parser.parse_args()
    shown_total = 0
    tallies = {(tau, turn): Tally() for tau in SWEEP for turn in (True, False)}
    critical_units: list[str] = []
    for path in sorted((REPO / "data" / "gold" / "dev").glob("*.csv")):
        framework = get_framework(path.stem)
        head, version = resolve_model(framework, args.model)
        analyzer = Analyzer(framework, head=head, model_version=version)
        ids = [c.id for c in framework.competencies]
        units = read_labelled(path, framework)
        for start in range(0, len(units), 128):
            batch = units[start:start + 128]
            texts = [u.text for u in batch]
            cues = [read_cues(t) for t in texts]
            pred = analyzer.predict_units(texts, cues)
            # the probabilities before withholding, and the previous rule's flags (the detector alone)
            probabilities = np.where(pred.withheld[:, None], pred.probabilities / WITHHELD_CREDIT, pred.probabilities)
            counter_probability = analyzer.counter_detector.probability(pred.vectors, cues)
            old_flags = analyzer.matcher.counter_flags(pred.scores, counter_probability)
            for i, unit in enumerate(batch):
                order = np.argsort(-probabilities[i])[:MAX_SUGGESTIONS]
                shown = [ids[c] for c in order if probabilities[i, c] >= analyzer.threshold and not old_flags[i, c]]
                shown_total += len(shown)
                if cues[i].self_critical:
                    kind = "counter" if unit.counter else "positive" if unit.competencies else "none"
                    critical_units.append(f"{kind}: {unit.text[:90]}")
                for (tau, turn), tally in tallies.items():
                    sure = tau is not None and counter_probability[i] >= tau and not (turn and turns_around(unit.text))
                    if not (cues[i].self_critical or sure):
                        continue
                    tally.units += 1
                    tally.counter += bool(unit.counter)
                    tally.positive += bool(unit.competencies)
                    tally.none += not unit.counter and not unit.competencies
                    for competency in shown:
                        if competency in unit.competencies:
                            tally.right += 1
                            tally.removed_right.append(f"{competency}: {unit.text[:80]}")
                        else:
                            tally.wrong += 1
        print(f"{framework.id}: done", file=sys.stderr, flush=True)
    shipped = analyzer.matcher.settings.withhold_threshold
    print(f"model {args.model}; shown suggestions under the previous rule: {shown_total}")
    print(f"self-critical units ({len(critical_units)}):")
    for line in critical_units:
        print(f"  {line}")
    print(f"{'detector threshold':<20}{'turnaround':<12}{'units':>6}{'counter':>8}{'positive':>9}{'none':>6}"
          f"{'removed right':>14}{'removed wrong':>14}")
    for (tau, turn), t in tallies.items():
        label = "self-critical only" if tau is None else f"{tau}{' (shipped)' if tau == shipped and turn else ''}"
        if tau is None and not turn:
            continue
        print(f"{label:<20}{'exempt' if turn else 'no':<12}{t.units:>6}{t.counter:>8}{t.positive:>9}{t.none:>6}"
              f"{t.right:>14}{t.wrong:>14}")
    ship = tallies[(shipped, True)]
    print(f"shipped rule: {ship.units} units withheld, {ship.positive} labelled positive; Laplace's rule of "
          f"succession gives ({ship.positive} + 1) / ({ship.units} + 2) = {(ship.positive + 1) / (ship.units + 2):.3f} "
          f"(WITHHELD_CREDIT = {WITHHELD_CREDIT})")
    for line in ship.removed_right:
        print(f"  removed right: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
