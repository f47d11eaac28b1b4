"""`evidence train`: train a model from labelled units, a corrections CSV or the store's review decisions, and
promote it only when it is credibly better than the model in use (or when forced, which the promotion log records).

The CLI is the layer that opens the store: with ``--from store`` it reads the framework's corrections here and
hands them to learning, which never opens the store itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from evidence.cli._util import FormatOption, FrameworkOption, OutputFormat, format_number
from evidence.errors import InputError
from evidence.learning.settings import EncoderChoice

if TYPE_CHECKING:
    from evidence.domain import Framework
    from evidence.evaluation.labelled import LabelledUnit
    from evidence.learning.train import TrainResult

STORE_SOURCE = "store"  # `--from store`: the reviewers' decisions in the store


def training_units(framework: Framework, source: str) -> list[LabelledUnit]:
    """Training units from ``source``: the store's review decisions, a corrections CSV or a labelled CSV."""
    from evidence.learning.data import labelled_units_from_csv, units_from_corrections  # lazy: see evidence.cli
    from evidence.store import Store, default_url

    if source != STORE_SOURCE:
        return labelled_units_from_csv(framework, source)
    with Store.open(default_url()) as store:
        corrections = store.corrections(framework.id)
    if not corrections:
        raise InputError(f"the store has no review decisions for {framework.id!r} yet; review some suggestions "
                         "first, or train --from a labelled CSV")
    return units_from_corrections(corrections, framework)


def train(
    framework_id: FrameworkOption,
    source: Annotated[str, typer.Option("--from", help="A labelled CSV (as `evaluate` reads), a corrections CSV "
                                                       "export, or 'store' for the review decisions.")] = STORE_SOURCE,
    holdout: Annotated[Path | None, typer.Option(help="Labelled CSV to compare models on; default: 20% of "
                                                      "the training data held out when that is 50 units or "
                                                      "more, else 5-fold cross-validation over all of it.")] = None,
    force: Annotated[bool, typer.Option(help="Promote even if not credibly better (recorded as forced in the "
                                             "promotion log).")] = False,
    reason: Annotated[str, typer.Option(help="Why you force it: recorded in the promotion log with --force.")] = "",
    encoder: Annotated[EncoderChoice, typer.Option(help="frozen: train the classifier on the packaged encoder; "
                                                        "fine-tune: fine-tune the encoder first (about a minute "
                                                        "on 2 cores); auto: fine-tune from 50 labelled units "
                                                        "with a competency on.")] = EncoderChoice.auto,
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Train a model from labelled units or corrections; promote it only when it is credibly better."""
    from evidence.evaluation.labelled import read_labelled  # lazy: see the evidence.cli docstring
    from evidence.frameworks.catalogue import get_framework
    from evidence.learning.compare import Method
    from evidence.learning.train import comparison_method, train_model, wants_fine_tuning

    framework = get_framework(framework_id)
    units = training_units(framework, source)
    held = read_labelled(holdout, framework) if holdout else None
    if wants_fine_tuning(encoder.value, units):
        folds = comparison_method(len(units), holdout_given=held is not None) is Method.cross_validation
        typer.echo(f"training on {len(units)} labelled units; with enough of them in the training split the "
                   "encoder is fine-tuned too (about a minute on 2 cores"
                   f"{', and once more for each of the 5 cross-validation folds' if folds else ''})...", err=True)
    result = train_model(framework, units, source=source, holdout=held, force=force, by="cli",
                         encoder=encoder.value, reason=reason)
    if result.promoted:
        from evidence.cli.audit import cli_actor
        from evidence.review.training import audit_promotion

        audit_promotion(framework.id, result.version, by=cli_actor(), forced=result.forced, reason=reason)
    if fmt is OutputFormat.json:
        comparison = result.comparison.as_dict() if result.comparison is not None else None
        typer.echo(json.dumps({"version": result.version, "promoted": result.promoted, "forced": result.forced,
                               "better": result.better, "encoder": "fine-tuned" if result.fine_tuned else "frozen",
                               "comparison": comparison, "metrics": dict(result.new_metrics),
                               "current_version": result.current_version,
                               "current_metrics": dict(result.current_metrics)}, indent=1))
    else:
        _print_comparison(result)


def _print_comparison(result: TrainResult) -> None:
    """How the new model was compared with the one in use (which comparison, on how many units, the top-1
    difference and its interval), both models' metrics, and whether it was promoted."""
    from evidence.evaluation.metrics import COMPARED_METRICS  # lazy: see the evidence.cli docstring

    typer.echo(f"trained {result.version} on {result.summary.corrections} labelled units "
               f"(+{result.summary.indicator_examples} indicator examples) in {result.summary.seconds:.1f} s, "
               f"{'fine-tuned' if result.fine_tuned else 'frozen'} encoder")
    if result.comparison is not None:
        typer.echo(result.comparison.summary())
    typer.echo(f"{'metric':<22} {'new':>8} {result.current_version:>22}")
    # the CLI also shows the reliability before calibration, which the app's comparison leaves out
    for key in (*COMPARED_METRICS, "ece_uncalibrated"):
        new, cur = result.new_metrics.get(key), result.current_metrics.get(key)
        typer.echo(f"{key:<22} {format_number(new):>8} {format_number(cur):>22}")
    if result.forced:
        verdict = "promoted (forced): not credibly better than the model in use; recorded in the promotion log"
    elif result.promoted:
        verdict = "promoted: credibly better than the model in use"
    else:
        verdict = ("not promoted: not credibly better than the model in use (promote it anyway with --force, "
                   "or `evidence models promote`)")
    typer.echo(verdict)
