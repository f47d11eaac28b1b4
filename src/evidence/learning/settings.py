"""The tunables of training a head and of the active-learning order, each with the measurement behind it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class EncoderChoice(str, Enum):
    """Which vectors a new head's competency classifier reads (the CLI's ``--encoder``; kept in this light
    module because the CLI builds its option from it at import time)."""

    auto = "auto"  # fine-tune from settings.fine_tune_min_units labelled units with a competency on
    frozen = "frozen"  # the packaged encoder's
    fine_tune = "fine-tune"  # an encoder fine-tuned on the training units, saved with the version


@dataclass(frozen=True)
class TrainingSettings:
    """What :mod:`evidence.learning` fits and tunes with; validated on construction (like setfit's
    ``TrainingArguments``). :data:`DEFAULTS` holds the measured defaults."""

    # of units the model abstains on, the share that really evidence nothing
    min_abstention_precision: float = 0.85
    # labelled units at which the classifier and the zero-shot matcher weigh the same
    trust_half_way: int = 150
    # the classifier's least weight once there are `first_trust_units` labelled units. At 16-25 corrections over
    # zero-shot, the mean top-1 gain on held-out dev units of the five seed frameworks was +0.5 points with
    # n/(n+150) (0.10-0.14), and +2.0, +3.3, +4.4, +3.0 and -0.7 with 0.3, 0.4, 0.5, 0.6 and 0.8
    # (bench/first_corrections.py, 5 seeds: bench/results/first_corrections.md). More corrections only make the
    # classifier better, so its weight never falls below what the first ones earned
    first_trust: float = 0.5
    first_trust_units: int = 10
    # labelled units with a competency from which `encoder="auto"` fine-tunes the encoder. The gain grows
    # with the data (bench/results/setfit_experiment.md: +10 points top-1 at 225 units, +6 on average at 100);
    # on the learning curve, starting at 50 rather than 100 lifted the active-learning order earlier, and a
    # model that comes out worse is not promoted anyway
    fine_tune_min_units: int = 50
    indicator_weight: float = 0.3  # a framework indicator as a training example, against a labelled unit's 1
    # share of the lexical classifier in the learned competency probabilities (the embedding classifier has
    # the rest): 5-fold cross-validation on the dev gold split, bench/head_cv.py, lifted pooled top-1 from
    # 0.556 (embeddings alone) to 0.644 at 0.7; 0.5 gave 0.623 and 1.0 (words alone) 0.623. With layer
    # features, 0.5, 0.6, 0.7 and 0.8 gave 0.673, 0.689, 0.691 and 0.683
    lexical_weight: float = 0.7
    # the embedding classifier's inverse regularisation: 5-fold cross-validation on the dev gold split
    # (bench/head_cv.py) gave pooled top-1 0.664 at 4 and 0.675 at 16 (0.647 and 0.654 before the split grew);
    # with layer features, 8, 16 and 32 gave 0.692, 0.691 and 0.692, and 16 the best abstention precision
    embedding_c: float = 16.0
    level_c: float = 0.5  # the level classifier's inverse regularisation
    calibration_min_units: int = 50  # out-of-fold predictions below which scores stay uncalibrated
    # levelled units below which the learned level does not count: cross-validating the blend on a few
    # dozen units picks noise, and early corrections made levels worse than the indicators alone
    level_blend_min_units: int = 50
    level_blends: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)  # the learned level's weights tried
    # active learning: a unit this close (cosine) to one already placed or labelled is redundant, fully
    # so at 1.0; being redundant costs up to `redundancy_cost`, the whole range of informativeness
    redundant_from: float = 0.8
    redundancy_cost: float = 3.0
    greedy_limit: int = 2000  # units placed one by one; the rest of a very long queue follows by informativeness alone

    def __post_init__(self) -> None:
        for name in ("min_abstention_precision", "indicator_weight", "lexical_weight", "redundant_from", "first_trust"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"TrainingSettings.{name} must lie in [0, 1], got {getattr(self, name)}")
        if self.redundant_from == 1.0:
            raise ValueError("TrainingSettings.redundant_from must be below 1 (it scales the redundancy)")
        for name in ("embedding_c", "level_c", "redundancy_cost"):
            if getattr(self, name) <= 0:
                raise ValueError(f"TrainingSettings.{name} must be positive, got {getattr(self, name)}")
        for name in ("trust_half_way", "greedy_limit"):
            if getattr(self, name) < 1:
                raise ValueError(f"TrainingSettings.{name} must be at least 1, got {getattr(self, name)}")
        for name in ("fine_tune_min_units", "calibration_min_units", "level_blend_min_units", "first_trust_units"):
            if getattr(self, name) < 0:
                raise ValueError(f"TrainingSettings.{name} must not be negative, got {getattr(self, name)}")
        if not self.level_blends or any(not 0.0 <= b <= 1.0 for b in self.level_blends):
            raise ValueError(f"TrainingSettings.level_blends must be weights in [0, 1], got {self.level_blends}")


DEFAULTS = TrainingSettings()
