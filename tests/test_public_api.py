"""The public API: every name in ``evidence.__all__`` resolves, and importing the package stays cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import evidence


@pytest.mark.parametrize("name", evidence.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(evidence, name) is not None


def test_an_unknown_name_lists_the_public_ones() -> None:
    with pytest.raises(AttributeError, match="public API"):
        evidence.no_such_thing  # noqa: B018


def test_importing_the_package_loads_no_model_store_or_learner() -> None:
    """The CLI imports the package on every command: heavy libraries wait until a name needs them."""
    heavy = ("torch", "sentence_transformers", "sklearn", "sqlalchemy", "spacy", "streamlit")
    code = f"import sys, evidence, evidence.domain; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
