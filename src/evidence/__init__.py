"""evidence: suggests which competencies, at which level, a piece of free text evidences.

The public API, in the order a newcomer meets it::

    from evidence import get_framework, load_analyzer, Document

    framework = get_framework("community-link-worker")
    analyzer = load_analyzer(framework)               # the model in use (zero-shot until one is promoted)
    analysis = analyzer.analyse_document(Document(id="s1", text="I trained six volunteers..."))

Names are imported on first use (PEP 562), so ``import evidence.cli`` does not pay for the encoder, the
store or scikit-learn before a command needs them (cold start is measured in ``bench/speed.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from evidence.config import VERSION as __version__

if TYPE_CHECKING:
    from evidence.domain import (
        Competency,
        Correction,
        Document,
        DocumentAnalysis,
        Framework,
        Indicator,
        Level,
        Role,
    )
    from evidence.engine.analyzer import Analyzer
    from evidence.errors import EvidenceError, FrameworkError, InputError, ModelMissingError, NotFoundError
    from evidence.evaluation.predict import evaluate
    from evidence.frameworks import get_framework, list_frameworks, load_framework_file
    from evidence.learning.train import train_model
    from evidence.services.analyzers import load_analyzer
    from evidence.store import Store

_PUBLIC = {
    "evidence.domain": ("Competency", "Correction", "Document", "DocumentAnalysis", "Framework", "Indicator",
                        "Level", "Role"),
    "evidence.engine.analyzer": ("Analyzer",),
    "evidence.errors": ("EvidenceError", "FrameworkError", "InputError", "ModelMissingError", "NotFoundError"),
    "evidence.evaluation.predict": ("evaluate",),
    "evidence.frameworks": ("get_framework", "list_frameworks", "load_framework_file"),
    "evidence.learning.train": ("train_model",),
    "evidence.services.analyzers": ("load_analyzer",),
    "evidence.store": ("Store",),
}
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}

__all__ = [
    "Analyzer", "Competency", "Correction", "Document", "DocumentAnalysis", "EvidenceError", "Framework",
    "FrameworkError", "Indicator", "InputError", "Level", "ModelMissingError", "NotFoundError", "Role", "Store",
    "__version__", "evaluate", "get_framework", "list_frameworks", "load_analyzer", "load_framework_file",
    "train_model",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'evidence' has no attribute {name!r}; the public API is {__all__}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
