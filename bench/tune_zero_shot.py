"""Fit the shipped zero-shot settings (models/zero-shot.json) on the development gold set.

Only data/gold/dev/*.csv is read: the test split stays unseen. Steps:
1. match weights: grid search maximising mean competency top-1 across frameworks;
2. level blend: grid search maximising exact + within-one level accuracy;
3. calibrator: logistic regression on (unit, competency) features, then the abstention threshold
   that maximises end-to-end unit accuracy (right top suggestion, or abstaining on NONE).

    .venv/bin/python bench/tune_zero_shot.py
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from evidence.analyse import Analyzer
from evidence.config import REPO_DIR
from evidence.evaluate import read_labelled, step_positions
from evidence.frameworks import get_framework
from evidence.levels import LevelEstimator, LevelSettings
from evidence.match import Calibrator, CompetencyMatcher, MatchSettings, ZeroShotSettings, calibration_features
from evidence.segment import read_cues

DEV = REPO_DIR / "data" / "gold" / "dev"
OUT = REPO_DIR / "models" / "zero-shot.json"


def main() -> int:
    data = []
    for path in sorted(DEV.glob("*.csv")):
        fw = get_framework(path.stem)
        analyzer = Analyzer(fw, settings=ZeroShotSettings())
        units = read_labelled(path, fw)
        texts = [u.text for u in units]
        vectors = analyzer.embedder.encode(texts)
        data.append((fw, analyzer, units, vectors, [read_cues(t) for t in texts]))
        print(f"{fw.id}: {len(units)} dev units", file=sys.stderr)

    # 1. match weights
    best_match, best_top1 = None, -1.0
    for mx, tm, cw in itertools.product([0.3, 0.5, 0.7, 1.0], [0.0, 0.2, 0.4], [0.0, 0.1, 0.2, 0.4]):
        settings = MatchSettings(max_weight=mx, top_mean_weight=tm, competency_weight=cw)
        top1 = []
        for fw, analyzer, units, vectors, _ in data:
            raw = CompetencyMatcher(analyzer.index, settings).score(vectors).raw
            ids = [c.id for c in fw.competencies]
            top1.append(np.mean([ids[int(np.argmax(raw[i]))] in u.competencies
                                 for i, u in enumerate(units) if u.is_evidence]))
        if np.mean(top1) > best_top1:
            best_top1, best_match = float(np.mean(top1)), settings
    print(f"match: {asdict(best_match)} -> mean top-1 {best_top1:.3f}")

    # 2. level blend
    best_levels, best_level_score = None, -1.0
    scored = [(fw, a, units, vectors, cues, CompetencyMatcher(a.index, best_match).score(vectors))
              for fw, a, units, vectors, cues in data]
    grid = itertools.product([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], [0.02, 0.05, 0.1], [0.0, 0.25, 0.5, 0.75],
                             [0.0, 0.2, 0.3])
    for knn, temp, scope, band in grid:
        settings = LevelSettings(knn_weight=knn, temperature=temp, scope_steps=scope, midpoint_band=band)
        exact, within = [], []
        for fw, a, units, vectors, _, scores in scored:
            estimator = LevelEstimator(a.index, settings)
            if not estimator.has_levels:
                continue
            positions = step_positions(fw)
            seniority = estimator.seniority_ranks(vectors)
            comp_index = {c.id: i for i, c in enumerate(fw.competencies)}
            for i, u in enumerate(units):
                for comp, gold in u.levels.items():
                    est = estimator.estimate(comp_index[comp], scores.similarities[i], float(seniority[i]), u.text)
                    diff = abs(positions[est.level] - positions[gold])
                    exact.append(diff == 0)
                    within.append(diff <= 1)
        value = np.mean(exact) + np.mean(within)
        if value > best_level_score:
            best_level_score, best_levels = value, settings
            print(f"levels: {asdict(settings)} -> exact {np.mean(exact):.3f} within-one {np.mean(within):.3f}")

    # 3. calibrator and threshold
    features, labels = [], []
    per_unit = []
    for fw, a, units, vectors, cues, scores in scored:
        f = calibration_features(scores.raw, cues)
        ids = [c.id for c in fw.competencies]
        y = np.array([[cid in u.competencies for cid in ids] for u in units], dtype=int)
        features.append(f.reshape(-1, f.shape[-1]))
        labels.append(y.reshape(-1))
        per_unit.append((f, y, units))
    model = LogisticRegression(C=1.0, max_iter=2000).fit(np.vstack(features), np.concatenate(labels))
    calibrator = Calibrator(coef=[float(c) for c in model.coef_[0]], intercept=float(model.intercept_[0]))
    best_threshold, best_accuracy = 0.5, -1.0
    for threshold in np.arange(0.05, 0.95, 0.01):
        outcomes = []
        for f, y, units in per_unit:
            p = calibrator.probability(f)
            top = p.argmax(axis=1)
            for i, u in enumerate(units):
                if p[i, top[i]] < threshold:
                    outcomes.append(not u.is_evidence)
                else:
                    outcomes.append(bool(y[i, top[i]]))
        if np.mean(outcomes) > best_accuracy:
            best_accuracy, best_threshold = float(np.mean(outcomes)), float(round(threshold, 2))
    calibrator.threshold = best_threshold
    print(f"calibrator: {asdict(calibrator)} -> end-to-end unit accuracy {best_accuracy:.3f}")

    settings = ZeroShotSettings(match=best_match, calibrator=calibrator, levels=asdict(best_levels))
    OUT.parent.mkdir(exist_ok=True)
    settings.save(OUT)
    print(f"wrote {OUT.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
