"""The shipped zero-shot model's settings (models/zero-shot.json) and detectors."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from evidence.config import builtin_models_dir
from evidence.engine.calibration import Calibrator, UnitDetector
from evidence.engine.levels import LevelSettings
from evidence.engine.match import MatchSettings

# Large label-like taxonomies (ESCO): half the bare name (or the unit's best phrase) against half the
# name with its alternative labels and description, plus a tenth of BM25. Chosen on the ESCO
# validation sets by 2-fold cross-validation (bench/esco_experiments.py, bench/results/esco_experiments.md).
TAXONOMY_MATCH = MatchSettings(max_weight=0.0, top_mean_weight=0.0, competency_weight=0.5, name_weight=0.5,
                               lexical_weight=0.1, query_pieces=True)


@dataclass
class ZeroShotSettings:
    """The shipped zero-shot model: match, level and calibration settings (models/zero-shot.json).

    ``match`` is for frameworks (fitted on the seed frameworks' dev gold); ``taxonomy_match`` for large
    label-like skills lists such as ESCO."""

    match: MatchSettings = field(default_factory=MatchSettings)
    calibrator: Calibrator = field(default_factory=Calibrator)
    levels: LevelSettings = field(default_factory=LevelSettings)
    taxonomy_match: MatchSettings = field(default_factory=lambda: TAXONOMY_MATCH)

    @classmethod
    def load(cls, path: Path) -> ZeroShotSettings:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(match=MatchSettings(**data.get("match", {})), calibrator=Calibrator(**data.get("calibrator", {})),
                   levels=LevelSettings(**data.get("levels", {})),
                   taxonomy_match=MatchSettings(**data["taxonomy_match"]) if "taxonomy_match" in data
                   else TAXONOMY_MATCH)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"match": asdict(self.match), "calibrator": asdict(self.calibrator),
                                    "levels": asdict(self.levels), "taxonomy_match": asdict(self.taxonomy_match)},
                                   indent=1), encoding="utf-8")


@lru_cache(maxsize=1)
def default_detectors() -> tuple[UnitDetector, UnitDetector]:
    """The shipped evidence and counter-evidence detectors."""
    return (UnitDetector.load(builtin_models_dir() / "evidence-detector.joblib", default=1.0),
            UnitDetector.load(builtin_models_dir() / "counter-detector.joblib", default=0.0))


def default_settings() -> ZeroShotSettings:
    path = builtin_models_dir() / "zero-shot.json"
    return ZeroShotSettings.load(path) if path.exists() else ZeroShotSettings()
