"""What every seed-derivation script needs: the seed document's text, from ``../shared/seeds``."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def read_seed(seed_glob: str, repo_root: Path = REPO_ROOT) -> str:
    """The text of the seed document matching ``seed_glob`` (e.g. ``"000_*.txt"``), kept beside the repository."""
    folder = repo_root.parent / "shared" / "seeds"
    matches = sorted(folder.glob(seed_glob))
    if not matches:
        raise FileNotFoundError(f"no seed {seed_glob} under {folder}: derive the frameworks from a checkout "
                                "with ../shared/seeds beside it")
    return matches[0].read_text(encoding="utf-8")
