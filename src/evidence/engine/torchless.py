"""Importing libraries that would import torch on the way without it, where nothing of torch is used.

spaCy's thinc imports torch when it is installed (to offer torch layers, which the packaged English
pipeline does not use), and ``skops.io`` imports every scikit-learn package, its array-API wrapper for
torch among them. With the encoder on ONNX Runtime nothing else on the analysis path needs torch, and
importing it was 1.2 s of a cold one-statement ``evidence analyse`` (bench/speed.py's cold line).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_torch() -> Iterator[None]:
    """Imports inside see torch as not installed (``sys.modules["torch"] = None``, Python's documented way to
    make an import fail), unless torch is already imported, in which case nothing changes."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", ...) is None:
            del sys.modules["torch"]
