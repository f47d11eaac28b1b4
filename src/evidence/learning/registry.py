"""Model versions: saving trained heads, promoting only better ones, rolling back.

A version lives in ``<root>/<framework>/<version>/`` as ``head.skops`` (see
:mod:`evidence.learning.storage`; versions saved before it have ``head.joblib``) plus ``manifest.json``
(framework and its content hash, the head's file format, training data summary, held-out metrics of the
new and the then-current model, creation time, code version), and ``encoder/``, a sentence-transformers
folder, when the version fine-tuned its own encoder. Roots: the shipped ``models/`` folder and the
user's ``$EVIDENCE_HOME/models``. Which version is in use is an append-only log,
``$EVIDENCE_HOME/models/<framework>/promotions.jsonl``: promote and rollback add a line, so the
history is never lost; without a log, a shipped ``models/<framework>/PROMOTED`` file names the
default. No promotion at all means zero-shot.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.config import VERSION, builtin_models_dir, user_models_dir, utcnow
from evidence.domain import ZERO_SHOT, Framework
from evidence.engine.encoder import TRACE_PREFIX
from evidence.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from evidence.learning.head import TrainedHead

# Reading and writing heads (evidence.learning.storage) needs scikit-learn and skops; they are imported where
# a head is saved or loaded, so that listing, showing, promoting and rolling back versions stays light
# (importing this module: 0.27 s without them, 1.67 s with scikit-learn alone; best of 3 wall-clock runs)

logger = logging.getLogger(__name__)

PROMOTED = "promoted"
ENCODER_FOLDER = "encoder"


def legacy_framework_hash(framework: Framework) -> str:
    """The framework hash that manifests written before ``Framework.content_hash`` carry (16 hex digits)."""
    return hashlib.sha256(framework.model_dump_json().encode("utf-8")).hexdigest()[:16]


def trained_on(manifest: dict, framework: Framework) -> bool:
    """Whether a version's manifest names this exact framework content (either hash form)."""
    recorded = manifest.get("framework_hash")
    return recorded == framework.content_hash or recorded == legacy_framework_hash(framework)


def _roots() -> list[Path]:
    return [user_models_dir(), builtin_models_dir()]


def _version_dir(framework_id: str, version: str) -> Path | None:
    for root in _roots():
        folder = root / framework_id / version
        if (folder / "manifest.json").exists():
            return folder
    return None


def list_versions(framework_id: str) -> list[dict]:
    """Manifests of every saved version of a framework's model, oldest first, with a 'promoted' flag."""
    current = promoted_version(framework_id)
    manifests = {}
    for root in reversed(_roots()):
        folder = root / framework_id
        if folder.is_dir():
            for sub in folder.iterdir():
                if (sub / "manifest.json").exists():
                    manifests[sub.name] = json.loads((sub / "manifest.json").read_text(encoding="utf-8"))
    out = sorted(manifests.values(), key=lambda m: m["created_at"])
    for m in out:
        m["promoted"] = m["version"] == current
    return out


def show_version(framework_id: str, version: str) -> dict:
    folder = _version_dir(framework_id, version)
    if folder is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework_id!r}; "
                            f"see `evidence models list --framework {framework_id}`")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["promoted"] = manifest["version"] == promoted_version(framework_id)
    return manifest


def _log_path(framework_id: str) -> Path:
    return user_models_dir() / framework_id / "promotions.jsonl"


def promotion_log(framework_id: str) -> list[dict]:
    path = _log_path(framework_id)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def promoted_version(framework_id: str) -> str:
    """The version in use: the last promotion-log entry, else the shipped default, else zero-shot."""
    log = promotion_log(framework_id)
    if log:
        return log[-1]["version"]
    shipped = builtin_models_dir() / framework_id / "PROMOTED"
    if shipped.exists():
        version = shipped.read_text(encoding="utf-8").strip()
        if _version_dir(framework_id, version) is not None:
            return version
    return ZERO_SHOT


def _append_log(framework_id: str, entry: dict) -> None:
    path = _log_path(framework_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() and promoted_version(framework_id) != ZERO_SHOT:
        # the first user entry records the shipped default it replaces, so rollback can return to it
        base = {"version": promoted_version(framework_id), "action": "shipped", "at": _now(), "by": "evidence"}
        entry_lines = [base, entry]
    else:
        entry_lines = [entry]
    with path.open("a", encoding="utf-8") as handle:
        for line in entry_lines:
            handle.write(json.dumps(line) + "\n")
        handle.flush()


def promote(framework_id: str, version: str, *, by: str = "", forced: bool = False, reason: str = "") -> None:
    if version != ZERO_SHOT and _version_dir(framework_id, version) is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework_id!r}")
    _append_log(framework_id, {"version": version, "action": "promote", "at": _now(), "by": by,
                               "forced": forced, "reason": reason})
    logger.info("promoted %s for %s%s", version, framework_id, " (forced)" if forced else "")


def rollback(framework_id: str, *, by: str = "") -> str:
    """Return to the version promoted before the current one; returns it."""
    history = [e["version"] for e in promotion_log(framework_id)]
    current = promoted_version(framework_id)
    previous = ZERO_SHOT
    # walk back past entries equal to the current version
    while history and history[-1] == current:
        history.pop()
    if history:
        previous = history[-1]
    elif current == ZERO_SHOT:
        raise InputError(f"framework {framework_id!r} is on the zero-shot model; there is nothing to roll back")
    _append_log(framework_id, {"version": previous, "action": "rollback", "at": _now(), "by": by,
                               "from": current})
    return previous


def save_version(framework: Framework, head: TrainedHead, manifest: dict, *, root: Path | None = None,
                 encoder_folder: Path | None = None) -> str:
    """Write a trained head, its fine-tuned encoder if any, and its manifest; returns the new version id."""
    created = utcnow()
    version = f"{created:%Y%m%d-%H%M%S}-{random.Random().randrange(16**4):04x}"
    folder = (root or user_models_dir()) / framework.id / version
    folder.mkdir(parents=True, exist_ok=True)
    if encoder_folder is not None:
        # its trace is keyed by its location, so it is rebuilt in the new one on first use
        shutil.copytree(encoder_folder, folder / ENCODER_FOLDER, ignore=shutil.ignore_patterns(f"{TRACE_PREFIX}*"))
    from evidence.learning.storage import HEAD_FORMAT, save_head

    save_head(head, folder)
    manifest = {"version": version, "framework": framework.id, "framework_hash": framework.content_hash,
                "created_at": created.isoformat(timespec="seconds"), "code_version": VERSION,
                **manifest, "head_format": HEAD_FORMAT}
    write_manifest(folder, manifest)
    return version


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, default=_jsonable), encoding="utf-8")


def load_head(framework: Framework, version: str) -> TrainedHead:
    folder = _version_dir(framework.id, version)
    if folder is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework.id!r}; "
                            f"see `evidence models list --framework {framework.id}`")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    from evidence.learning.storage import load_head_file

    if not trained_on(manifest, framework):
        logger.warning("model %s was trained on a different version of framework %s", version, framework.id)
    head = load_head_file(folder, framework.id, manifest.get("head_format"))
    if head.fine_tuned_encoder:
        if not (folder / ENCODER_FOLDER).is_dir():
            raise NotFoundError(f"model version {version!r} of {framework.id!r} lacks its fine-tuned encoder "
                                f"({folder / ENCODER_FOLDER}); promote another version or retrain")
        head.encoder_path = str(folder / ENCODER_FOLDER)
    return head


def resolve_model(framework: Framework, model: str = PROMOTED) -> tuple[TrainedHead | None, str]:
    """The trained head and its version for ``model`` ('promoted', 'zero-shot' or a version id)."""
    version = promoted_version(framework.id) if model == PROMOTED else model
    if version == ZERO_SHOT:
        return None, ZERO_SHOT
    return load_head(framework, version), version


def _jsonable(value: object) -> object:
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):  # evaluation.metrics.Metrics
        return as_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def _now() -> str:
    """The promotion log's timestamps: UTC to the second."""
    return utcnow().isoformat(timespec="seconds")
