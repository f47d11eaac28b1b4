"""A trained head on disk: a skops file of plain parameters and scikit-learn estimators, and the
legacy joblib pickles of earlier layouts.

Format 2 (``head.skops``) holds no class of this package: :func:`head_state` takes a
:class:`TrainedHead` apart into numbers, strings, numpy arrays and scikit-learn's own estimators,
and :func:`head_from_state` builds it again, so moving a class never breaks a saved head. Loading
trusts only the types in :data:`TRUSTED_TYPES`; skops refuses anything else, so a file cannot run
code. The lexical classifier's vocabularies are stored as arrays of terms: as dicts they made the
file three times larger and loading fifty times slower (2 s against 0.04 s for the councils head).

Format 1 (``head.joblib``) pickled the head by module path (``evidence.learn.TrainedHead``,
``evidence.levels.LevelExemplars``); :func:`load_legacy_head` maps those paths to today's classes
and refuses any type outside scikit-learn, numpy, scipy and the head's own, and any function but numpy's
array rebuilders. A pickle is still code: :mod:`evidence.learning.registry` opens one only inside a
registry version folder whose manifest describes it (and matches its sha256 when it records one).
"""

from __future__ import annotations

import copy
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import numpy as np
from joblib.numpy_pickle import NumpyUnpickler

from evidence.engine.levels import LevelExemplars
from evidence.engine.torchless import without_torch
from evidence.errors import InputError
from evidence.learning.classifiers import EvidenceClassifier, LevelClassifier, LexicalClassifier
from evidence.learning.head import TrainedHead, TrainingSummary

E = TypeVar("E", EvidenceClassifier, LexicalClassifier, LevelClassifier)

# SKOPS_IMPORT: skops is imported where a head is read or written, not with this module: importing it
# imports every scikit-learn estimator (this module with it 3.65 s, without it 1.67 s; once torch and the
# engine are loaded, as when an analyzer loads its head, it adds 0.11 s; best of 3 wall-clock runs)
HEAD_FORMAT = 2  # recorded in manifest.json as head_format; a version without one is format 1
HEAD_FILE = "head.skops"
LEGACY_HEAD_FILE = "head.joblib"
RETRAIN_HINT = "retrain it with `evidence train --framework {framework} --from <labelled or corrections CSV>`"

# every non-builtin type a format-2 head file may hold (skops also trusts builtins and numpy arrays)
TRUSTED_TYPES = [
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.preprocessing._data.StandardScaler",
]

# format-1 class paths -> where the classes live now
LEGACY_CLASSES: dict[tuple[str, str], type] = {
    ("evidence.learn", "TrainedHead"): TrainedHead,
    ("evidence.learn", "TrainingSummary"): TrainingSummary,
    ("evidence.learn", "EvidenceClassifier"): EvidenceClassifier,
    ("evidence.learn", "LexicalClassifier"): LexicalClassifier,
    ("evidence.learn", "LevelClassifier"): LevelClassifier,
    ("evidence.levels", "LevelExemplars"): LevelExemplars,
    ("evidence.engine.levels", "LevelExemplars"): LevelExemplars,
}
LEGACY_MODULES = ("sklearn.", "numpy.", "scipy.")
LEGACY_EXACT = {("joblib.numpy_pickle", "NumpyArrayWrapper"), ("numpy", "dtype"), ("numpy", "ndarray"),
                ("numpy", "float64"), ("numpy", "float32"), ("numpy", "int64"), ("numpy", "int32")}
# The only functions (not classes) a pickled head calls: numpy's array and scalar rebuilders. Any other
# function of numpy, scipy or scikit-learn is refused: some run code (numpy.testing's runstring calls exec).
LEGACY_FUNCTIONS = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
                    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar")}


class HeadFormatError(InputError):
    """A saved head this version cannot load."""


def head_state(head: TrainedHead) -> dict[str, Any]:
    """The head as plain parameters, numpy arrays and scikit-learn estimators (no class of this package)."""
    lexical = None
    if head.lexical is not None:
        vectorizer = copy.deepcopy(head.lexical.vectorizer_)
        vocabularies = {}
        for name, part in vectorizer.transformer_list:
            vocabulary = part.vocabulary_
            del part.vocabulary_
            vocabularies[name] = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
        lexical = {"params": head.lexical.get_params(), "vectorizer": vectorizer, "vocabularies": vocabularies,
                   "model": head.lexical.model_}
    level = None
    if head.level_classifier is not None:
        level = {"params": head.level_classifier.get_params(), "scaler": head.level_classifier.scaler_,
                 "model": head.level_classifier.model_}
    exemplars = None
    if head.level_exemplars is not None:
        exemplars = {"vectors": head.level_exemplars.vectors, "competencies": head.level_exemplars.competencies,
                     "ranks": head.level_exemplars.ranks}
    return {
        "head_format": HEAD_FORMAT, "framework_id": head.framework_id, "competency_ids": list(head.competency_ids),
        "level_ranks": dict(head.level_ranks), "lexical_weight": float(head.lexical_weight),
        "level_blend": float(head.level_blend), "threshold": float(head.threshold), "trust": float(head.trust),
        "calibration": [float(v) for v in head.calibration],
        "summary": asdict(head.summary) if head.summary is not None else None,
        "fine_tuned_encoder": bool(head.fine_tuned_encoder), "layered": bool(head.layered),
        "classifier": {"params": head.classifier.get_params(), "model": head.classifier.model_},
        "lexical": lexical, "level_classifier": level, "level_exemplars": exemplars,
        # the head this one was trained on top of, taken apart the same way (a shipped head is never nested)
        "base": head_state(head.base) if head.base is not None else None,
    }


def _fitted(cls: type[E], part: dict[str, Any], **fitted: Any) -> E:
    """One of our estimators rebuilt from its parameters, its scikit-learn model and any other fitted parts."""
    estimator = cls(**part["params"])
    for name, value in {**fitted, "model_": part["model"], "classes_": part["model"].classes_}.items():
        setattr(estimator, name, value)
    return estimator


def head_from_state(state: dict[str, Any]) -> TrainedHead:
    """The :class:`TrainedHead` that :func:`head_state` took apart."""
    classifier = _fitted(EvidenceClassifier, state["classifier"])
    lexical = None
    if state["lexical"] is not None:
        lexical = _fitted(LexicalClassifier, state["lexical"], vectorizer_=state["lexical"]["vectorizer"])
        for name, part in lexical.vectorizer_.transformer_list:
            part.vocabulary_ = {str(term): i for i, term in enumerate(state["lexical"]["vocabularies"][name])}
    level = None
    if state["level_classifier"] is not None:
        level = _fitted(LevelClassifier, state["level_classifier"], scaler_=state["level_classifier"]["scaler"])
    exemplars = LevelExemplars(**state["level_exemplars"]) if state["level_exemplars"] is not None else None
    summary = TrainingSummary(**state["summary"]) if state["summary"] is not None else None
    return TrainedHead(framework_id=state["framework_id"], competency_ids=list(state["competency_ids"]),
                       classifier=classifier, level_classifier=level, level_ranks=dict(state["level_ranks"]),
                       lexical=lexical, level_exemplars=exemplars, lexical_weight=state["lexical_weight"],
                       level_blend=state["level_blend"], threshold=state["threshold"], trust=state["trust"],
                       calibration=(state["calibration"][0], state["calibration"][1]), summary=summary,
                       fine_tuned_encoder=state["fine_tuned_encoder"], layered=state["layered"],
                       base=head_from_state(state["base"]) if state.get("base") is not None else None)


def _skops_io() -> ModuleType:
    """``skops.io``, imported where a head is read or written (see SKOPS_IMPORT), without torch (see
    :mod:`evidence.engine.torchless`)."""
    with without_torch():
        import skops.io
    return skops.io


def save_head(head: TrainedHead, folder: Path) -> Path:
    """Write ``head`` to ``folder``/head.skops (format :data:`HEAD_FORMAT`); returns the file."""
    skops_io = _skops_io()
    path = folder / HEAD_FILE
    skops_io.dump(head_state(head), path, compression=8)  # zip-deflated: a third of the raw size
    return path


def load_head_file(folder: Path, framework_id: str, head_format: int | None = None) -> TrainedHead:
    """The head saved in a version folder, in whichever format it was written."""
    hint = RETRAIN_HINT.format(framework=framework_id)
    if (folder / HEAD_FILE).exists():
        skops_io = _skops_io()
        from skops.io.exceptions import UntrustedTypesFoundException

        if head_format not in (None, HEAD_FORMAT):
            raise HeadFormatError(f"{folder}: head format {head_format} is newer than this version of evidence "
                                  f"reads ({HEAD_FORMAT}); upgrade evidence, or {hint}")
        try:
            state = skops_io.load(folder / HEAD_FILE, trusted=TRUSTED_TYPES)
        except UntrustedTypesFoundException as exc:
            raise HeadFormatError(f"{folder / HEAD_FILE} holds types a head never has ({exc}); it was not "
                                  f"written by evidence: {hint}") from exc
        return head_from_state(state)
    if (folder / LEGACY_HEAD_FILE).exists():
        return load_legacy_head(folder / LEGACY_HEAD_FILE, framework_id)
    raise HeadFormatError(f"{folder} has no {HEAD_FILE} (nor a legacy {LEGACY_HEAD_FILE}); {hint}")


class _LegacyUnpickler(NumpyUnpickler):
    """joblib's unpickler, with format-1 class paths renamed and every other type outside scikit-learn,
    numpy and scipy refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in LEGACY_CLASSES:
            return LEGACY_CLASSES[(module, name)]
        if (module, name) in LEGACY_EXACT or module.startswith(LEGACY_MODULES) or module in ("numpy", "scipy"):
            found = super().find_class(module, name)
            if isinstance(found, type) or (module, name) in LEGACY_FUNCTIONS:
                return found
        raise HeadFormatError(f"a legacy head refers to {module}.{name}, which a head never holds")


def load_legacy_head(path: Path, framework_id: str) -> TrainedHead:
    """A format-1 head (a joblib pickle naming classes by their old module paths)."""
    # joblib's own reader, to undo its compression and inline arrays; the private helper is pinned by
    # requirements/constraints.txt (joblib==1.6.0) and only format-1 heads take this path
    from joblib.numpy_pickle import _validate_fileobject_and_memmap

    hint = RETRAIN_HINT.format(framework=framework_id)
    try:
        with open(path, "rb") as handle, _validate_fileobject_and_memmap(handle, str(path), None) as (stream, _):
            head = _LegacyUnpickler(str(path), stream, True, mmap_mode=None).load()
    except HeadFormatError as exc:
        raise HeadFormatError(f"{path}: {exc}; {hint}") from exc
    except Exception as exc:  # an unreadable pickle fails in many ways; each one means the same to the user
        raise HeadFormatError(f"{path}: cannot load this head saved by an older version of evidence ({exc}); "
                              f"{hint}") from exc
    if not isinstance(head, TrainedHead):
        raise HeadFormatError(f"{path} holds a {type(head).__name__}, not a trained head; {hint}")
    return head
