"""Model versions: saving trained heads, promoting only better ones, rolling back.

A version lives in ``<root>/<framework>/<version>/`` as ``head.skops`` (see
:mod:`evidence.learning.storage`; versions saved before it have ``head.joblib``) plus ``manifest.json``
(framework and its content hash, the head's file format and its sha256, training data summary, held-out
metrics of the new and the then-current model, creation time, code version), and ``encoder/``, a
sentence-transformers folder, when the version fine-tuned its own encoder. Roots: the shipped ``models/``
folder and the user's ``$EVIDENCE_HOME/models``. Which version is in use is an append-only log,
``$EVIDENCE_HOME/models/<framework>/promotions.jsonl``: promote and rollback add a line, so the
history is never lost; without a log, a shipped ``models/<framework>/PROMOTED`` file names the
default. No promotion at all means zero-shot.

What is trusted (issue 13, D16 and D17):

* framework ids and versions pass the one id rule (:func:`evidence.domain.framework.check_id`) before a
  path is built, and a version folder must resolve inside its root: nothing outside the registry is read;
* a head is loaded only from a version folder whose manifest reads and records the sha256 of the head file,
  and only when the file still has it. A legacy ``head.joblib`` (a pickle) is loaded only from a version
  folder whose manifest says it is format 1 (no ``head_format``, or 1), and is checked against the
  manifest's sha256 when it has one; a pickle anywhere else is never opened;
* a torn or damaged line in the promotion log is skipped with a warning and dropped when the log is next
  written; a damaged manifest lists its version as damaged; a version is written to a temporary folder
  and renamed into place, so a killed save leaves no half version, and leftovers are removed later.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
import tempfile
import time
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.config import VERSION, builtin_models_dir, user_models_dir, utcnow
from evidence.domain import ZERO_SHOT, Framework
from evidence.domain.framework import check_id, is_valid_id, path_for_id
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
MANIFEST = "manifest.json"
SAVING_PREFIX = ".saving-"  # a version being written; never a valid id, so never listed or loaded
# A save writes the head (and a fine-tuned encoder, ~90 MB) in seconds; a folder left over for an hour
# belongs to a save that was killed, and is removed by the next save of the same framework.
STALE_SECONDS = 3600


def legacy_framework_hash(framework: Framework) -> str:
    """The framework hash that manifests written before ``Framework.content_hash`` carry (16 hex digits)."""
    return hashlib.sha256(framework.model_dump_json().encode("utf-8")).hexdigest()[:16]


def trained_on(manifest: dict, framework: Framework) -> bool:
    """Whether a version's manifest names this exact framework content (either hash form)."""
    recorded = manifest.get("framework_hash")
    return recorded == framework.content_hash or recorded == legacy_framework_hash(framework)


def _roots() -> list[Path]:
    return [user_models_dir(), builtin_models_dir()]


def _framework_id(framework_id: object) -> str:
    return check_id(framework_id, what="framework id", fix="see `evidence frameworks list` for the ids")


def _version_id(framework_id: str, version: object) -> str:
    return check_id(version, what="model version",
                    fix=f"give a version listed by `evidence models list --framework {framework_id}`, "
                        "'zero-shot' or 'promoted'")


def _version_dir(framework_id: str, version: str) -> Path | None:
    """The registry folder of a version (the user's first, then the shipped one), or None. Both ids are checked,
    and a folder (or a link) that resolves outside its root is never used."""
    _framework_id(framework_id)
    _version_id(framework_id, version)
    for root in _roots():
        folder = path_for_id(path_for_id(root, framework_id, what="framework id"), version, what="model version")
        if (folder / MANIFEST).is_file() and folder.resolve().is_relative_to(root.resolve()):
            return folder
    return None


def _read_manifest(folder: Path) -> dict:
    """A version's manifest; a damaged or unreadable one is an :class:`InputError` naming the file."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"{path}: the manifest is damaged and cannot be read ({str(exc)[:120]}); this version "
                         "cannot be used: promote another version, or delete the folder and retrain") from exc
    if not isinstance(manifest, dict):
        raise InputError(f"{path}: the manifest is not a JSON object; this version cannot be used: promote "
                         "another version, or delete the folder and retrain")
    return manifest


def list_versions(framework_id: str) -> list[dict]:
    """Manifests of every saved version of a framework's model, oldest first, with a 'promoted' flag. A version
    whose manifest is damaged is listed with ``damaged`` (the problem); folders that are not versions (a save
    in progress or killed) are left out."""
    _framework_id(framework_id)
    current = promoted_version(framework_id)
    manifests: dict[str, dict] = {}
    for root in reversed(_roots()):
        folder = path_for_id(root, framework_id, what="framework id")
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if not (is_valid_id(sub.name) and sub.is_dir() and (sub / MANIFEST).exists()):
                continue
            if not sub.resolve().is_relative_to(root.resolve()):
                logger.warning("skipped %s: it leads outside the model registry %s", sub, root)
                continue
            try:
                manifest = _read_manifest(sub)
            except InputError as exc:
                logger.warning("%s", exc)
                manifest = {"damaged": str(exc)}
            manifests[sub.name] = {**manifest, "version": sub.name,
                                   "created_at": str(manifest.get("created_at") or "")}
    out = sorted(manifests.values(), key=lambda m: (m["created_at"], m["version"]))
    for m in out:
        m["promoted"] = m["version"] == current
    return out


def show_version(framework_id: str, version: str) -> dict:
    folder = _version_dir(framework_id, version)
    if folder is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework_id!r}; "
                            f"see `evidence models list --framework {framework_id}`")
    manifest = _read_manifest(folder)
    manifest["promoted"] = manifest.get("version") == promoted_version(framework_id)
    return manifest


def _log_path(framework_id: str) -> Path:
    return path_for_id(user_models_dir(), _framework_id(framework_id), what="framework id") / "promotions.jsonl"


def _read_log(framework_id: str) -> tuple[list[dict], int]:
    """The promotion log's good entries, and how many lines were skipped as damaged (torn by a crash, edited)."""
    path = _log_path(framework_id)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], 0
    entries, bad = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            entry = None
        if isinstance(entry, dict) and is_valid_id(entry.get("version")):
            entries.append(entry)
        else:
            bad += 1
            logger.warning("%s line %d is damaged (%r) and was skipped; it is dropped the next time a version is "
                           "promoted or rolled back", path, number, line[:80])
    return entries, bad


def promotion_log(framework_id: str) -> list[dict]:
    return _read_log(framework_id)[0]


def _shipped_default(framework_id: str) -> str:
    shipped = builtin_models_dir() / framework_id / "PROMOTED"
    if shipped.is_file():
        version = shipped.read_text(encoding="utf-8").strip()
        if is_valid_id(version) and _version_dir(framework_id, version) is not None:
            return version
    return ZERO_SHOT


def shipped_version(framework_id: str) -> str:
    """The version a built-in framework ships in use (its shipped head), else zero-shot."""
    return _shipped_default(framework_id)


def promoted_version(framework_id: str) -> str:
    """The version in use: the last promotion-log entry, else the shipped default, else zero-shot."""
    log = promotion_log(framework_id)
    return str(log[-1]["version"]) if log else _shipped_default(framework_id)


def _append_log(framework_id: str, entry: dict) -> None:
    """Add ``entry``; a log with damaged lines is rewritten (atomically) without them first."""
    path = _log_path(framework_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries, bad = _read_log(framework_id)
    new = [entry]
    if not entries and _shipped_default(framework_id) != ZERO_SHOT:
        # the first user entry records the shipped default it replaces, so rollback can return to it
        new = [{"version": _shipped_default(framework_id), "action": "shipped", "at": _now(), "by": "evidence"},
               entry]
    if bad:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text("".join(json.dumps(line) + "\n" for line in entries + new), encoding="utf-8")
        tmp.replace(path)
        logger.warning("%s: dropped %d damaged line(s) while recording this change", path, bad)
        return
    with path.open("a", encoding="utf-8") as handle:
        for line in new:
            handle.write(json.dumps(line) + "\n")
        handle.flush()


def promote(framework_id: str, version: str, *, by: str = "", forced: bool = False, reason: str = "") -> None:
    _framework_id(framework_id)
    _version_id(framework_id, version)
    if version != ZERO_SHOT and _version_dir(framework_id, version) is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework_id!r}; "
                            f"see `evidence models list --framework {framework_id}`")
    _append_log(framework_id, {"version": version, "action": "promote", "at": _now(), "by": by,
                               "forced": forced, "reason": reason})
    logger.info("promoted %s for %s%s", version, framework_id, " (forced)" if forced else "")


def _history(framework_id: str) -> list[str]:
    """The versions a rollback can return to, oldest first, the one in use last: the log replayed as a stack
    (a promotion pushes, a rollback pops), so rolling back again goes further back, never forth."""
    stack: list[str] = []
    for entry in promotion_log(framework_id):
        version = str(entry["version"])
        if entry.get("action") == "rollback":
            left = stack.pop() if stack else None
            while stack and stack[-1] == left:
                stack.pop()
            if stack[-1:] != [version] and (stack or version != ZERO_SHOT):
                stack.append(version)
        elif stack[-1:] != [version]:
            stack.append(version)
    if not stack and _shipped_default(framework_id) != ZERO_SHOT:
        stack.append(_shipped_default(framework_id))
    return stack


def rollback(framework_id: str, *, by: str = "") -> str:
    """Return to the version in use before the current one, and on a further rollback to the one before that,
    down to zero-shot; returns it. Versions deleted since are passed over."""
    _framework_id(framework_id)
    stack = _history(framework_id)
    current = promoted_version(framework_id)
    while stack and stack[-1] == current:
        stack.pop()
    while stack and stack[-1] != ZERO_SHOT and _version_dir(framework_id, stack[-1]) is None:
        logger.warning("rollback passes over %s of %s: its folder is gone", stack.pop(), framework_id)
    if not stack and current == ZERO_SHOT:
        raise InputError(f"framework {framework_id!r} is on the zero-shot model; there is nothing to roll back")
    previous = stack[-1] if stack else ZERO_SHOT
    _append_log(framework_id, {"version": previous, "action": "rollback", "at": _now(), "by": by,
                               "from": current})
    return previous


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove_incomplete(folder: Path) -> None:
    """Remove what killed saves left in a framework's folder: temporary folders, and version folders without
    a manifest (the layout before saves were renamed into place), once older than :data:`STALE_SECONDS`."""
    now = time.time()
    for sub in folder.iterdir():
        incomplete = sub.name.startswith(SAVING_PREFIX) or (is_valid_id(sub.name) and not (sub / MANIFEST).exists())
        try:
            stale = sub.is_dir() and not sub.is_symlink() and now - sub.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if incomplete and stale:
            logger.warning("removing %s, left by a save that did not finish", sub)
            shutil.rmtree(sub, ignore_errors=True)


def save_version(framework: Framework, head: TrainedHead, manifest: dict, *, root: Path | None = None,
                 encoder_folder: Path | None = None) -> str:
    """Write a trained head, its fine-tuned encoder if any, and its manifest (with the head's sha256) into a
    temporary folder, then rename it into place; returns the new version id."""
    created = utcnow()
    version = f"{created:%Y%m%d-%H%M%S}-{random.Random().randrange(16**4):04x}"
    parent = path_for_id(root or user_models_dir(), framework.id, what="framework id")
    parent.mkdir(parents=True, exist_ok=True)
    _remove_incomplete(parent)
    from evidence.learning.storage import HEAD_FORMAT, save_head

    tmp = Path(tempfile.mkdtemp(prefix=SAVING_PREFIX, dir=parent))
    try:
        if encoder_folder is not None:
            # its trace is keyed by its location, so it is rebuilt in the new one on first use
            shutil.copytree(encoder_folder, tmp / ENCODER_FOLDER, ignore=shutil.ignore_patterns(f"{TRACE_PREFIX}*"))
        head_file = save_head(head, tmp)
        manifest = {"version": version, "framework": framework.id, "framework_hash": framework.content_hash,
                    "created_at": created.isoformat(timespec="seconds"), "code_version": VERSION,
                    **manifest, "head_format": HEAD_FORMAT, "head_sha256": file_sha256(head_file)}
        write_manifest(tmp, manifest)
        tmp.rename(parent / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return version


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write ``manifest.json`` atomically (a temporary file renamed over it)."""
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, default=_jsonable), encoding="utf-8")
    tmp.replace(folder / MANIFEST)


def _check_head_file(folder: Path, manifest: dict, framework_id: str, version: str) -> None:
    """Refuse a head whose file the manifest does not vouch for (see the module docstring)."""
    from evidence.learning.storage import HEAD_FILE, LEGACY_HEAD_FILE, RETRAIN_HINT, HeadFormatError

    hint = RETRAIN_HINT.format(framework=framework_id)
    recorded = manifest.get("head_sha256")
    if (folder / HEAD_FILE).exists():
        head_file = folder / HEAD_FILE
        if not isinstance(recorded, str):
            raise HeadFormatError(f"{folder / MANIFEST} records no sha256 of {HEAD_FILE}, so version {version!r} "
                                  f"cannot be trusted and is not loaded; {hint}")
    elif (folder / LEGACY_HEAD_FILE).exists():
        head_file = folder / LEGACY_HEAD_FILE
        if manifest.get("head_format") not in (None, 1) or (recorded is not None and not isinstance(recorded, str)):
            raise HeadFormatError(f"{head_file}: its manifest does not describe a legacy (format 1) head, so the "
                                  f"pickle is not opened; {hint}")
    else:
        return  # load_head_file says what is missing
    if recorded is not None and file_sha256(head_file) != recorded:
        raise HeadFormatError(f"{head_file} does not match the sha256 its manifest records: it changed after it "
                              f"was saved and is not loaded; restore it, promote another version, or {hint}")


def load_head(framework: Framework, version: str) -> TrainedHead:
    folder = _version_dir(framework.id, version)
    if folder is None:
        raise NotFoundError(f"no model version {version!r} for framework {framework.id!r}; "
                            f"see `evidence models list --framework {framework.id}`")
    manifest = _read_manifest(folder)
    from evidence.learning.storage import load_head_file

    if not trained_on(manifest, framework):
        logger.warning("model %s was trained on a different version of framework %s", version, framework.id)
    _check_head_file(folder, manifest, framework.id, version)
    head = load_head_file(folder, framework.id, manifest.get("head_format"))
    if head.fine_tuned_encoder:
        if not (folder / ENCODER_FOLDER).is_dir():
            raise NotFoundError(f"model version {version!r} of {framework.id!r} lacks its fine-tuned encoder "
                                f"({folder / ENCODER_FOLDER}); promote another version or retrain")
        head.encoder_path = str(folder / ENCODER_FOLDER)
    return head


def resolve_model(framework: Framework, model: str = PROMOTED) -> tuple[TrainedHead | None, str]:
    """The trained head and its version for ``model`` ('promoted', 'zero-shot' or a version id)."""
    version = promoted_version(framework.id) if model == PROMOTED else _version_id(framework.id, model)
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
