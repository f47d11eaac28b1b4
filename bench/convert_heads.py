"""Rewrite saved heads in the current head format (skops, evidence.learning.storage) without refitting them.

Each version folder under the given roots (default: the shipped models/) whose head is a format-1
``head.joblib`` pickle is loaded through the legacy class-path map, saved as ``head.skops``, and its
manifest gains ``head_format`` and the framework's full content hash. The head's parameters are the
same, so every figure measured with it stays the same.

    .venv/bin/python bench/convert_heads.py [ROOT ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import trained_on, write_manifest
from evidence.learning.storage import HEAD_FORMAT, LEGACY_HEAD_FILE, load_legacy_head, save_head

REPO = Path(__file__).resolve().parent.parent


def convert(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("head_format") == HEAD_FORMAT or not (folder / LEGACY_HEAD_FILE).exists():
        return False
    framework = get_framework(manifest["framework"])
    if not trained_on(manifest, framework):
        raise SystemExit(f"{folder}: trained on another version of {framework.id}; refit it instead "
                         "(bench/train_shipped.py)")
    save_head(load_legacy_head(folder / LEGACY_HEAD_FILE, framework.id), folder)
    (folder / LEGACY_HEAD_FILE).unlink()
    write_manifest(folder, {**manifest, "framework_hash": framework.content_hash, "head_format": HEAD_FORMAT})
    return True


def main(roots: list[str]) -> int:
    for root in [Path(r) for r in roots] or [REPO / "models"]:
        for manifest in sorted(root.glob("*/*/manifest.json")):
            done = convert(manifest.parent)
            print(f"{manifest.parent.relative_to(root)}: {'converted' if done else 'already current'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
