"""Model versions: which model analyses a framework's texts (zero-shot, or a trained and promoted head)."""

from __future__ import annotations

from evidence.errors import NotFoundError
from evidence.types import Framework

ZERO_SHOT = "zero-shot"


def resolve_model(framework: Framework, model: str = "promoted") -> tuple[object | None, str]:
    """The trained head and its version for ``model`` ('promoted', 'zero-shot' or a version id)."""
    if model in (ZERO_SHOT, "promoted"):
        return None, ZERO_SHOT
    raise NotFoundError(f"no model version {model!r} for framework {framework.id!r}; "
                        "use 'zero-shot' or `evidence models list`")
