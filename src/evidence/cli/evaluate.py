"""`evidence evaluate`: measure a model on labelled units."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from evidence.cli._util import FormatOption, FrameworkOption, ModelOption, OutputFormat


def evaluate(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Labelled CSV: text, competency (id, name or NONE), "
                                                              "optional level and polarity.")],
    framework_id: FrameworkOption,
    model: ModelOption = "promoted",
    fmt: FormatOption = OutputFormat.text,
) -> None:
    """Measure accuracy, abstention, levels, calibration and ranking on labelled units."""
    from evidence.evaluation.predict import evaluate as run_evaluation  # lazy: see the evidence.cli docstring
    from evidence.frameworks.catalogue import get_framework
    from evidence.services.analyzers import load_analyzer

    metrics = run_evaluation(load_analyzer(get_framework(framework_id), model), path)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(dict(metrics), indent=1))  # a read-only mapping: json takes only a dict
    else:
        for key, value in metrics.items():
            shown = f"{value:.3f}" if isinstance(value, float) else ("-" if value is None else value)
            typer.echo(f"{key:<22} {shown}")
