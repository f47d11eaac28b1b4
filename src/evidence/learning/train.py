"""Training a model version: fit and tune a head (fine-tuning the encoder first when there is data
enough), measure it against the model in use on a held-out split, save it, and promote it only when it
scores higher (:mod:`evidence.learning.registry` keeps the versions and the promotion log)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from evidence.config import user_models_dir
from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Metrics, score_predictions, selection_score
from evidence.evaluation.predict import predict_labelled
from evidence.learning import registry
from evidence.learning.calibration import NO_CALIBRATION
from evidence.learning.finetune import FineTuneSettings, fine_tune_encoder
from evidence.learning.fit import fine_tuning_examples, fit_head
from evidence.learning.head import TrainedHead, TrainingSummary
from evidence.learning.settings import DEFAULTS, EncoderChoice, TrainingSettings
from evidence.learning.tuning import split_holdout, tune_on_folds


@dataclass
class TrainResult:
    version: str
    promoted: bool
    forced: bool
    better: bool
    new_metrics: Metrics
    current_metrics: Metrics
    current_version: str
    summary: TrainingSummary
    fine_tuned: bool = False


@dataclass(frozen=True)
class Comparison:
    """A candidate head and the model in use, measured on the same held-out units."""

    new_metrics: Metrics
    current_metrics: Metrics
    current_version: str

    @property
    def better(self) -> bool:
        return selection_score(self.new_metrics) > selection_score(self.current_metrics)


def wants_fine_tuning(encoder: EncoderChoice | str, units: Sequence[LabelledUnit], *,
                      settings: TrainingSettings = DEFAULTS) -> bool:
    """Whether ``encoder`` ('auto', 'frozen' or 'fine-tune') means fine-tuning for these training units."""
    try:
        choice = EncoderChoice(encoder)
    except ValueError:
        raise InputError(f"encoder must be one of {', '.join(c.value for c in EncoderChoice)}, "
                         f"got {encoder!r}") from None
    return choice is EncoderChoice.fine_tune or (
        choice is EncoderChoice.auto and sum(1 for u in units if u.competencies) >= settings.fine_tune_min_units)


def train_model(framework: Framework, units: Sequence[LabelledUnit], *, source: str, holdout: Sequence[LabelledUnit]
                | None = None, holdout_fraction: float = 0.2, force: bool = False, by: str = "",
                seed: int = 0, auto_promote: bool = True, encoder: EncoderChoice | str = EncoderChoice.auto
                ) -> TrainResult:
    """Train a head, compare it with the promoted model on a held-out split, save it, and promote it only if
    it scores higher (or ``force``). ``auto_promote=False`` saves without promoting, so a person can look
    at the before/after figures first (the app's Review page).

    ``encoder``: 'frozen' trains the head on the packaged encoder's vectors; 'fine-tune' first fine-tunes
    the encoder on the training units (:mod:`evidence.learning.finetune`) and saves it with the version;
    'auto' fine-tunes from ``fine_tune_min_units`` labelled units on."""
    if holdout is None:
        train_units, held = split_holdout(units, holdout_fraction, seed=seed)
    else:
        train_units, held = list(units), list(holdout)
    if not held:
        raise InputError("the held-out split is empty: give more labelled units or a --holdout file")
    zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))  # cross-validation re-embeds nothing
    user_models_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{framework.id}-training-", dir=user_models_dir()) as workdir:
        head = train_head(zero, train_units, encoder=encoder, workdir=Path(workdir), seed=seed)
        comparison = compare_with_current(framework, zero, head, held)
        return save_and_promote(framework, head, comparison, holdout_units=len(held), source=source, force=force,
                                by=by, auto_promote=auto_promote)


def train_head(zero: Analyzer, units: Sequence[LabelledUnit], *, encoder: EncoderChoice | str = EncoderChoice.auto,
               workdir: Path, seed: int = 0, fine_tune: FineTuneSettings | None = None) -> TrainedHead:
    """Fit a head for ``zero.framework`` (a zero-shot :class:`~evidence.engine.analyzer.Analyzer`) and tune its
    abstention threshold; with fine-tuning (see :func:`wants_fine_tuning`), first fine-tune the encoder
    into ``workdir/encoder``, which must outlive the head's use. ``summary.seconds`` covers it all."""
    started = time.perf_counter()
    head_encoder = None
    if wants_fine_tuning(encoder, units):
        folder = fine_tune_encoder(fine_tuning_examples(zero.framework, units), workdir / "encoder",
                                   settings=fine_tune or FineTuneSettings(seed=seed))
        head_encoder = Embedder(str(folder), memo_size=50_000)
    head = fit_head(zero, units, encoder=head_encoder)
    tune_on_folds(head, zero, units)
    if head.summary is not None:
        head.summary.seconds = round(time.perf_counter() - started, 2)
    return head


def compare_with_current(framework: Framework, zero: Analyzer, head: TrainedHead,
                         held: Sequence[LabelledUnit]) -> Comparison:
    """Measure ``head`` and the promoted model on ``held``; the new metrics carry the head's expected
    calibration error before its Platt map too."""
    held = list(held)
    new_metrics = score_predictions(framework, held, predict_labelled(zero.with_head(head, "candidate"), held))
    # reliability before calibration: the same head with its Platt map taken off
    uncalibrated = replace(head, calibration=NO_CALIBRATION)
    ece_uncalibrated = score_predictions(
        framework, held, predict_labelled(zero.with_head(uncalibrated, "candidate"), held, levels=False)).ece
    current_head, current_version = registry.resolve_model(framework, registry.PROMOTED)
    current = zero.with_head(current_head, current_version)
    current_metrics = score_predictions(framework, held, predict_labelled(current, held))
    return Comparison(new_metrics=replace(new_metrics, ece_uncalibrated=ece_uncalibrated),
                      current_metrics=current_metrics, current_version=current_version)


def save_and_promote(framework: Framework, head: TrainedHead, comparison: Comparison, *, holdout_units: int,
                     source: str, force: bool, by: str, auto_promote: bool) -> TrainResult:
    """Save ``head`` as a new version with its comparison in the manifest; promote it when it is better
    (or ``force``) and ``auto_promote``."""
    if head.summary is None:
        raise ValueError("a trained head carries its training summary")
    better = comparison.better
    manifest = {"training": asdict(head.summary), "source": source,
                "holdout_units": holdout_units, "metrics": comparison.new_metrics.as_dict(),
                "compared_with": {"version": comparison.current_version,
                                  "metrics": comparison.current_metrics.as_dict()},
                "selection_score": selection_score(comparison.new_metrics),
                "current_selection_score": selection_score(comparison.current_metrics), "threshold": head.threshold,
                "calibration": head.calibration, "level_blend": head.level_blend,
                "encoder": "fine-tuned" if head.fine_tuned_encoder else "frozen"}
    encoder_folder = Path(head.encoder_path) if head.fine_tuned_encoder and head.encoder_path else None
    version = registry.save_version(framework, head, manifest, encoder_folder=encoder_folder)
    promoted = auto_promote and (better or force)
    if promoted:
        registry.promote(framework.id, version, by=by, forced=force and not better,
                         reason="better on held-out split" if better else "forced by user")
    return TrainResult(version=version, promoted=promoted, forced=promoted and not better, better=better,
                       new_metrics=comparison.new_metrics, current_metrics=comparison.current_metrics,
                       current_version=comparison.current_version, summary=head.summary,
                       fine_tuned=head.fine_tuned_encoder)
