"""Model versions: manifests record the head format, the head's sha256 and the framework's content hash, older
manifests' 16-hex hash is still accepted, and the shipped heads load in the current format; nothing outside
the registry is opened, torn logs and manifests do not crash, rollback walks back, killed saves leave nothing."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

import numpy as np
import pytest

from evidence.config import builtin_models_dir
from evidence.domain import ZERO_SHOT, Framework
from evidence.errors import InputError
from evidence.frameworks.catalogue import get_framework
from evidence.learning.head import TrainedHead
from evidence.learning.registry import (
    legacy_framework_hash,
    list_versions,
    load_head,
    promote,
    promoted_version,
    resolve_model,
    rollback,
    save_version,
    trained_on,
)
from evidence.learning.storage import HEAD_FILE, HEAD_FORMAT, LEGACY_HEAD_FILE, HeadFormatError
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


# -- what the registry trusts, and logs that survive a crash (issue 13, D16, D17) ------------------------------


def _saved(fresh_home: Path) -> tuple[Framework, str, Path]:
    framework = tiny_framework()
    version = save_version(framework, small_head(), {"source": "test"})
    return framework, version, fresh_home / "models" / framework.id / version


def test_a_head_is_loaded_only_when_its_manifest_vouches_for_it(fresh_home: Path) -> None:
    framework, version, folder = _saved(fresh_home)
    manifest = _manifest(folder)
    assert manifest["head_sha256"] == hashlib.sha256((folder / HEAD_FILE).read_bytes()).hexdigest()
    with (folder / HEAD_FILE).open("ab") as handle:  # changed after it was saved
        handle.write(b"\0")
    with pytest.raises(HeadFormatError, match="does not match the sha256 its manifest records"):
        load_head(framework, version)
    del manifest["head_sha256"]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(HeadFormatError, match="records no sha256"):
        load_head(framework, version)


@pytest.mark.parametrize("model", ["../../../evil", "/tmp/evil", "..", "v 1"])
def test_a_model_named_by_a_path_is_never_opened(fresh_home: Path, tmp_path: Path, model: str) -> None:
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "manifest.json").write_text("{}", encoding="utf-8")
    marker = tmp_path / "ran"
    (evil / LEGACY_HEAD_FILE).write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")
    with pytest.raises(InputError, match="is not a valid id"):
        resolve_model(tiny_framework(), model)
    with pytest.raises(InputError, match="is not a valid id"):
        promote("tiny", model)
    assert not marker.exists()


def test_a_version_folder_linked_outside_the_registry_is_refused(fresh_home: Path, tmp_path: Path) -> None:
    framework, version, folder = _saved(fresh_home)
    outside = tmp_path / "outside"
    folder.rename(outside)
    folder.symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError, match="leads outside"):
        load_head(framework, version)


def test_a_legacy_pickle_loads_only_where_its_manifest_describes_it(fresh_home: Path) -> None:
    framework, version, folder = _saved(fresh_home)
    (folder / HEAD_FILE).rename(folder / LEGACY_HEAD_FILE)  # not a pickle: it must not even be opened
    with pytest.raises(HeadFormatError, match="does not describe a legacy"):
        load_head(framework, version)


def test_a_torn_promotion_log_is_skipped_and_repaired(fresh_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    framework, version, _ = _saved(fresh_home)
    promote(framework.id, version)
    log = fresh_home / "models" / framework.id / "promotions.jsonl"
    with log.open("a", encoding="utf-8") as handle:
        handle.write('{"version": "2026120')  # a crash in the middle of a write
    with caplog.at_level(logging.WARNING, logger="evidence.learning.registry"):
        assert promoted_version(framework.id) == version
    assert "line 2 is damaged" in caplog.text
    promote(framework.id, ZERO_SHOT)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["version"] for line in lines] == [version, ZERO_SHOT]


def test_rollback_walks_back_through_the_history(fresh_home: Path) -> None:
    framework = tiny_framework()
    v1, v2, v3 = (save_version(framework, small_head(), {}) for _ in range(3))
    for version in (v1, v2, v3):
        promote(framework.id, version)
    assert [rollback(framework.id) for _ in range(3)] == [v2, v1, ZERO_SHOT]
    with pytest.raises(InputError, match="nothing to roll back"):
        rollback(framework.id)
    promote(framework.id, v3)
    assert rollback(framework.id) == ZERO_SHOT  # the history before it was rolled back through already


def test_rollback_reaches_the_shipped_default_and_then_zero_shot(fresh_home: Path) -> None:
    shipped = promoted_version("community-link-worker")
    promote("community-link-worker", ZERO_SHOT)
    promote("community-link-worker", shipped)
    promote("community-link-worker", ZERO_SHOT)
    assert [rollback("community-link-worker") for _ in range(2)] == [shipped, ZERO_SHOT]


def test_a_save_is_renamed_into_place_and_leftovers_are_removed(fresh_home: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    framework = tiny_framework()
    parent = fresh_home / "models" / framework.id
    old = time.time() - 2 * 3600
    for name in (".saving-abc", "20200101-000000-0000"):  # a killed save, new layout and old
        (parent / name).mkdir(parents=True)
        (parent / name / HEAD_FILE).write_bytes(b"")
        os.utime(parent / name, (old, old))
    (parent / ".saving-recent").mkdir()  # another save still writing
    assert list_versions(framework.id) == []

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr("evidence.learning.storage.save_head", killed)
        save_version(framework, small_head(), {})
    assert sorted(p.name for p in parent.iterdir()) == [".saving-recent"]
    version = save_version(framework, small_head(), {})
    assert sorted(p.name for p in parent.iterdir()) == [".saving-recent", version]
    assert [m["version"] for m in list_versions(framework.id)] == [version]


def test_a_torn_manifest_is_listed_as_damaged(fresh_home: Path) -> None:
    framework, version, folder = _saved(fresh_home)
    (folder / "manifest.json").write_text('{"version": "20', encoding="utf-8")
    listed = list_versions(framework.id)
    assert [m["version"] for m in listed] == [version] and "manifest is damaged" in listed[0]["damaged"]
    with pytest.raises(InputError, match="manifest is damaged"):
        load_head(framework, version)
