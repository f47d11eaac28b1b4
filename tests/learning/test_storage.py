"""Saved heads: the skops format round-trips exactly, refuses untrusted types, and heads pickled by the old
module layout (``evidence.learn.*``, ``evidence.levels.LevelExemplars``) still load."""

from __future__ import annotations

import sys
import types
from dataclasses import replace
from pathlib import Path

import joblib
import numpy as np
import pytest
import skops.io

from evidence.domain import Cues
from evidence.engine.levels import LevelExemplars
from evidence.learning import classifiers
from evidence.learning import head as head_module
from evidence.learning.head import TrainedHead
from evidence.learning.storage import (
    HEAD_FILE,
    LEGACY_HEAD_FILE,
    HeadFormatError,
    load_head_file,
    load_legacy_head,
    save_head,
)
from tests.learning.heads import small_head, unit_inputs


def _scores(head: TrainedHead) -> tuple[np.ndarray, list[float | None], tuple[np.ndarray, np.ndarray] | None]:
    texts, vectors, zero = unit_inputs()
    cues = [Cues() for _ in texts]
    layered = np.hstack([vectors, np.zeros((len(texts), 0), dtype=np.float32)])
    probabilities = head.competency_probabilities(texts, head.unit_vectors(texts, vectors, layered), cues, zero)
    ranks = [head.level_rank(v, t) for v, t in zip(vectors, texts, strict=True)]
    return probabilities, ranks, head.level_votes(0, vectors[0])


def _assert_same(a: TrainedHead, b: TrainedHead) -> None:
    pa, ra, va = _scores(a)
    pb, rb, vb = _scores(b)
    assert np.array_equal(pa, pb) and ra == rb
    assert va is not None and vb is not None and all(np.array_equal(x, y) for x, y in zip(va, vb, strict=True))
    for name in ("framework_id", "competency_ids", "level_ranks", "lexical_weight", "level_blend", "threshold",
                 "trust", "calibration", "summary", "fine_tuned_encoder", "layered"):
        assert getattr(a, name) == getattr(b, name), name


def test_skops_round_trip_gives_identical_probabilities_and_levels(tmp_path: Path) -> None:
    head = small_head()
    path = save_head(head, tmp_path)
    assert path.name == HEAD_FILE
    # the file holds no class of this package, so moving one cannot break it
    assert not [t for t in skops.io.get_untrusted_types(file=path) if t.startswith("evidence")]
    loaded = load_head_file(tmp_path, "tiny", 2)
    _assert_same(head, loaded)
    assert loaded.lexical is not None and loaded.lexical.vectorizer_.transform(["budget"]).nnz > 0


def test_a_head_trained_on_top_of_another_keeps_it_through_a_round_trip(tmp_path: Path) -> None:
    head = replace(small_head(), base=small_head(), level_classifier=None, trust=0.1)
    loaded = load_head_file(save_head(head, tmp_path).parent, "tiny", 2)
    assert loaded.base is not None and loaded.level_classifier is None
    _assert_same(head, loaded)
    _assert_same(head.base, loaded.base)


def test_a_skops_file_with_untrusted_types_is_refused(tmp_path: Path) -> None:
    skops.io.dump({"head_format": 2, "payload": types.SimpleNamespace(x=1)}, tmp_path / HEAD_FILE)
    with pytest.raises(HeadFormatError, match="types a head never has.*evidence train --framework tiny"):
        load_head_file(tmp_path, "tiny")


def test_a_newer_head_format_asks_for_an_upgrade(tmp_path: Path) -> None:
    save_head(small_head(), tmp_path)
    with pytest.raises(HeadFormatError, match="head format 3 is newer"):
        load_head_file(tmp_path, "tiny", 3)


def test_a_version_without_a_head_says_how_to_retrain(tmp_path: Path) -> None:
    with pytest.raises(HeadFormatError, match="no head.skops.*evidence train --framework tiny"):
        load_head_file(tmp_path, "tiny")


def _pickle_under_old_names(head: TrainedHead, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write ``head`` as the previous layout did: joblib, classes named evidence.learn.* and evidence.levels.*."""
    old_learn, old_levels = types.ModuleType("evidence.learn"), types.ModuleType("evidence.levels")
    with monkeypatch.context() as patch:
        for cls, module in [(head_module.TrainedHead, old_learn), (head_module.TrainingSummary, old_learn),
                            (classifiers.EvidenceClassifier, old_learn), (classifiers.LexicalClassifier, old_learn),
                            (classifiers.LevelClassifier, old_learn), (LevelExemplars, old_levels)]:
            patch.setattr(cls, "__module__", module.__name__)
            setattr(module, cls.__name__, cls)
        patch.setitem(sys.modules, "evidence.learn", old_learn)
        patch.setitem(sys.modules, "evidence.levels", old_levels)
        state = dict(head.__dict__)
        state["_embedder"] = state.pop("encoder")  # the old layout's name for it
        head.__dict__.clear()
        head.__dict__.update(state)
        joblib.dump(head, path, compress=3)
    raw = path.read_bytes()
    assert b"evidence.learn" in raw or path.stat().st_size > 0


def test_a_head_pickled_by_the_old_layout_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = small_head()
    folder = tmp_path / "v1"
    folder.mkdir()
    _pickle_under_old_names(small_head(), folder / LEGACY_HEAD_FILE, monkeypatch)
    # the old modules are gone: only the class-path map can resolve them
    monkeypatch.setitem(sys.modules, "evidence.learn", None)
    monkeypatch.setitem(sys.modules, "evidence.levels", None)
    loaded = load_head_file(folder, "tiny")
    assert isinstance(loaded, TrainedHead) and isinstance(loaded.level_exemplars, LevelExemplars)
    assert loaded.encoder is None and "_embedder" not in vars(loaded)
    _assert_same(old, loaded)
    # and it converts to the new format without a change
    save_head(loaded, folder)
    (folder / LEGACY_HEAD_FILE).unlink()
    _assert_same(old, load_head_file(folder, "tiny"))


def test_a_legacy_pickle_naming_other_code_is_refused(tmp_path: Path) -> None:
    joblib.dump({"not": types.SimpleNamespace(x=1)}, tmp_path / LEGACY_HEAD_FILE, compress=3)
    with pytest.raises(HeadFormatError, match="types.SimpleNamespace, which a head never holds.*evidence train"):
        load_legacy_head(tmp_path / LEGACY_HEAD_FILE, "tiny")
    (tmp_path / "junk.joblib").write_bytes(b"not a pickle")
    with pytest.raises(HeadFormatError, match="cannot load this head.*evidence train --framework tiny"):
        load_legacy_head(tmp_path / "junk.joblib", "tiny")
