"""Model versions: manifests record the head format and the framework's content hash, older manifests'
16-hex hash is still accepted, and the shipped heads load in the current format."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from evidence.config import builtin_models_dir
from evidence.frameworks.catalogue import get_framework
from evidence.learning.head import TrainedHead
from evidence.learning.registry import legacy_framework_hash, load_head, resolve_model, save_version, trained_on
from evidence.learning.storage import HEAD_FILE, HEAD_FORMAT
from tests.factories import tiny_framework
from tests.learning.heads import small_head


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_a_saved_version_records_its_format_and_content_hash(fresh_home: Path) -> None:
    framework = tiny_framework()
    version = save_version(framework, small_head(), {"source": "test"})
    folder = fresh_home / "models" / framework.id / version
    manifest = _manifest(folder)
    assert manifest["head_format"] == HEAD_FORMAT and (folder / HEAD_FILE).exists()
    assert manifest["framework_hash"] == framework.content_hash and len(manifest["framework_hash"]) == 64
    loaded = load_head(framework, version)
    assert np.array_equal(loaded.classifier.model_.coef_, small_head().classifier.model_.coef_)


def test_an_older_manifests_hash_still_names_the_framework(fresh_home: Path, caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    framework = tiny_framework()
    version = save_version(framework, small_head(), {})
    folder = fresh_home / "models" / framework.id / version
    manifest = _manifest(folder)
    assert len(legacy_framework_hash(framework)) == 16
    (folder / "manifest.json").write_text(json.dumps({**manifest, "framework_hash": legacy_framework_hash(framework)}))
    with caplog.at_level(logging.WARNING, logger="evidence.learning.registry"):
        load_head(framework, version)
    assert not caplog.records
    (folder / "manifest.json").write_text(json.dumps({**manifest, "framework_hash": "0123456789abcdef"}))
    with caplog.at_level(logging.WARNING, logger="evidence.learning.registry"):
        load_head(framework, version)
    assert "different version of framework tiny" in caplog.text


def test_the_shipped_heads_load_in_the_current_format(fresh_home: Path) -> None:
    promoted = sorted(builtin_models_dir().glob("*/PROMOTED"))
    assert promoted, "models/ ships trained heads"
    for marker in promoted:
        framework = get_framework(marker.parent.name)
        folder = marker.parent / marker.read_text(encoding="utf-8").strip()
        manifest = _manifest(folder)
        assert manifest["head_format"] == HEAD_FORMAT and trained_on(manifest, framework), folder
        assert manifest["framework_hash"] == framework.content_hash
        head, version = resolve_model(framework)
        assert isinstance(head, TrainedHead) and version == folder.name
        assert head.competency_ids == [c.id for c in framework.competencies]
