"""Training a model version: fit and tune a head (fine-tuning the encoder first when there is data
enough), compare it with the model in use (:mod:`evidence.learning.compare`: on a held-out split when one
would be large enough to decide anything, else by cross-validation over the labelled units), save it, and
promote it only when it is credibly better, or when a person forces it (:mod:`evidence.learning.registry`
keeps the versions and the promotion log)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from evidence.config import user_models_dir
from evidence.domain import ZERO_SHOT, Framework
from evidence.engine.analyzer import Analyzer
from evidence.engine.embed import Embedder
from evidence.errors import EvidenceError, InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.evaluation.metrics import Metrics, selection_score
from evidence.learning import registry
from evidence.learning.compare import HOLDOUT_MIN_UNITS, Comparison, Method, compare, cross_validate
from evidence.learning.finetune import FineTuneSettings, fine_tune_encoder
from evidence.learning.fit import fine_tuning_examples, fit_head
from evidence.learning.head import TrainedHead, TrainingSummary
from evidence.learning.settings import DEFAULTS, EncoderChoice, TrainingSettings
from evidence.learning.tuning import split_holdout, tune_on_folds

logger = logging.getLogger(__name__)

# labelled units below which nothing is trained: a reviewer's first ten decisions are enough to learn from
# (bench/results/first_corrections.md), and cross-validation still leaves two units in each of 5 folds
MIN_TRAINING_UNITS = 10
SHIPPED = "shipped"  # train_model's default base: the framework's shipped head, where it has one


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
    comparison: Comparison | None = None  # how the two were compared, on how many units, with what uncertainty


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


def base_head(framework: Framework) -> tuple[TrainedHead | None, str]:
    """The head a built-in framework ships in use, and its version, for a new head to be trained on top of:
    (None, 'zero-shot') for an imported framework, or where the shipped head reads a fine-tuned encoder or
    cannot be loaded (then the new head is trained over zero-shot, as for an imported framework)."""
    version = registry.shipped_version(framework.id)
    if version == ZERO_SHOT:
        return None, ZERO_SHOT
    try:
        head = registry.load_head(framework, version)
    except EvidenceError as exc:
        logger.warning("the shipped head %s of %s cannot be loaded (%s): training over zero-shot", version,
                       framework.id, exc)
        return None, ZERO_SHOT
    return (None, ZERO_SHOT) if head.fine_tuned_encoder else (head, version)


def comparison_method(units: int, *, holdout_given: bool = False, holdout_fraction: float = 0.2) -> Method:
    """How :func:`train_model` compares a candidate trained on ``units`` labelled units with the model in use."""
    if holdout_given:
        return Method.holdout_file
    return Method.holdout if round(units * holdout_fraction) >= HOLDOUT_MIN_UNITS else Method.cross_validation


def train_model(framework: Framework, units: Sequence[LabelledUnit], *, source: str, holdout: Sequence[LabelledUnit]
                | None = None, holdout_fraction: float = 0.2, force: bool = False, by: str = "",
                seed: int = 0, auto_promote: bool = True, encoder: EncoderChoice | str = EncoderChoice.auto,
                reason: str = "", embedder: Embedder | None = None,
                base: TrainedHead | str | None = SHIPPED) -> TrainResult:
    """Train a head, compare it with the model in use, save it, and promote it only if it is credibly better
    (:attr:`~evidence.learning.compare.Comparison.better`) or ``force`` (recorded as forced, with ``reason``,
    in the promotion log). ``auto_promote=False`` saves without promoting, so a person can look at the
    comparison first (the app's Review page).

    The comparison: on ``holdout`` when given; else on a seeded ``holdout_fraction`` split when that holds at
    least :data:`~evidence.learning.compare.HOLDOUT_MIN_UNITS` units; else by k-fold cross-validation over
    all the units, the saved head then trained on all of them.

    ``encoder``: 'frozen' trains the head on the packaged encoder's vectors; 'fine-tune' first fine-tunes
    the encoder on the training units (:mod:`evidence.learning.finetune`) and saves it with the version;
    'auto' fine-tunes from ``fine_tune_min_units`` labelled units on (each cross-validation fold too).
    ``embedder``: the packaged encoder to read vectors with (one with a memo spares re-embedding the
    framework's texts on every call; default: a fresh one, whose memo serves the folds).

    ``base``: the head to train on top of (see :func:`~evidence.learning.fit.fit_head`): by default the
    framework's shipped head (:func:`base_head`; none for an imported framework), so that a built-in
    framework's first corrections add to what its shipped head knows instead of starting again from zero-shot;
    None trains over zero-shot. A head is trained on top of another only with the packaged encoder: where the
    encoder is fine-tuned (``encoder``, from 50 labelled units with 'auto') it is trained over zero-shot."""
    units = list(units)
    if len(units) < MIN_TRAINING_UNITS:
        raise InputError(f"only {len(units)} labelled units: training needs at least {MIN_TRAINING_UNITS} "
                         "(accepted, relabelled or marked no-evidence); label a few more and train again")
    method = comparison_method(len(units), holdout_given=holdout is not None, holdout_fraction=holdout_fraction)
    if method is Method.holdout:
        train_units, held = split_holdout(units, holdout_fraction, seed=seed)
    else:
        train_units, held = units, list(holdout or [])
    if method is Method.holdout_file and not held:
        raise InputError("the held-out file has no labelled units: give one with labelled rows, or leave "
                         "--holdout out to compare by cross-validation")
    base_version = None
    if base == SHIPPED:
        base, base_version = base_head(framework)
    if not isinstance(base, TrainedHead) or wants_fine_tuning(encoder, train_units):
        base = None
    # with a memo, the cross-validation folds re-embed nothing
    zero = Analyzer(framework, embedder=embedder or Embedder(memo_size=50_000))
    current, current_version = registry.resolve_model(framework, registry.PROMOTED)
    user_models_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{framework.id}-training-", dir=user_models_dir()) as workdir:
        head = train_head(zero, train_units, encoder=encoder, workdir=Path(workdir), seed=seed, base=base)
        if method is Method.cross_validation:
            fold_dir = Path(workdir) / "fold"

            def train_fold(fold_units: list[LabelledUnit]) -> TrainedHead:
                shutil.rmtree(fold_dir, ignore_errors=True)  # the previous fold's encoder has served
                return train_head(zero, fold_units, encoder=encoder, workdir=fold_dir, seed=seed, base=base)

            comparison = cross_validate(framework, zero, units, train_fold, current=current,
                                        current_version=current_version, seed=seed)
        else:
            comparison = compare(framework, zero, head, held, current=current, current_version=current_version,
                                 method=method, seed=seed)
        return save_and_promote(framework, head, comparison, source=source, force=force, by=by,
                                auto_promote=auto_promote, reason=reason,
                                base_version=(base_version or "given") if base is not None else None)


def train_head(zero: Analyzer, units: Sequence[LabelledUnit], *, encoder: EncoderChoice | str = EncoderChoice.auto,
               workdir: Path, seed: int = 0, fine_tune: FineTuneSettings | None = None,
               base: TrainedHead | None = None) -> TrainedHead:
    """Fit a head for ``zero.framework`` (a zero-shot :class:`~evidence.engine.analyzer.Analyzer`) and tune its
    abstention threshold; with fine-tuning (see :func:`wants_fine_tuning`), first fine-tune the encoder
    into ``workdir/encoder``, which must outlive the head's use. ``summary.seconds`` covers it all.
    ``base``: a head to train on top of (then the encoder is never fine-tuned: see :func:`train_model`)."""
    started = time.perf_counter()
    head_encoder = None
    if base is None and wants_fine_tuning(encoder, units):
        folder = fine_tune_encoder(fine_tuning_examples(zero.framework, units), workdir / "encoder",
                                   settings=fine_tune or FineTuneSettings(seed=seed))
        head_encoder = Embedder(str(folder), memo_size=50_000)
    head = fit_head(zero, units, encoder=head_encoder, base=base)
    tune_on_folds(head, zero, units)
    if head.summary is not None:
        head.summary.seconds = round(time.perf_counter() - started, 2)
    return head


def save_and_promote(framework: Framework, head: TrainedHead, comparison: Comparison, *, source: str, force: bool,
                     by: str, auto_promote: bool, reason: str = "", base_version: str | None = None) -> TrainResult:
    """Save ``head`` as a new version with its comparison in the manifest; promote it when it is credibly
    better, or when ``force`` (recorded as forced in the promotion log, with ``reason``), and ``auto_promote``."""
    if head.summary is None:
        raise ValueError("a trained head carries its training summary")
    better = comparison.better
    manifest = {"training": asdict(head.summary), "source": source,
                "holdout_units": comparison.units, "comparison": comparison.as_dict(),
                "metrics": comparison.new_metrics.as_dict(),
                "compared_with": {"version": comparison.current_version,
                                  "metrics": comparison.current_metrics.as_dict()},
                "selection_score": selection_score(comparison.new_metrics),
                "current_selection_score": selection_score(comparison.current_metrics), "threshold": head.threshold,
                "calibration": head.calibration, "level_blend": head.level_blend,
                "encoder": "fine-tuned" if head.fine_tuned_encoder else "frozen",
                "trained_on_top_of": base_version or ZERO_SHOT}
    encoder_folder = Path(head.encoder_path) if head.fine_tuned_encoder and head.encoder_path else None
    version = registry.save_version(framework, head, manifest, encoder_folder=encoder_folder)
    promoted = auto_promote and (better or force)
    if promoted:
        why = f"credibly better: {comparison.summary()}" if better else \
            f"forced although not credibly better ({reason.strip() or 'no reason given'}): {comparison.summary()}"
        registry.promote(framework.id, version, by=by, forced=not better, reason=why)
    elif not better:
        logger.info("%s not promoted: %s", version, comparison.summary())
    return TrainResult(version=version, promoted=promoted, forced=promoted and not better, better=better,
                       new_metrics=comparison.new_metrics, current_metrics=comparison.current_metrics,
                       current_version=comparison.current_version, summary=head.summary,
                       fine_tuned=head.fine_tuned_encoder, comparison=comparison)
