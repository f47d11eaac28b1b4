"""The one analyzer factory: a framework's :class:`~evidence.engine.analyzer.Analyzer` with the model in use."""

from __future__ import annotations

from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.learning.registry import resolve_model


def load_analyzer(framework: Framework, model: str = "promoted") -> Analyzer:
    """An analyzer for ``framework`` with ``model``: ``promoted`` (the version in use, zero-shot if none),
    ``zero-shot``, or a version id. Raises :class:`~evidence.errors.NotFoundError` for an unknown version."""
    head, version = resolve_model(framework, model)
    return Analyzer(framework, head=head, model_version=version)
