"""Fixtures for the review tests: a store holding the small screened batch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evidence.domain import Framework
from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import FRAMEWORK, small_batch


@pytest.fixture
def framework() -> Framework:
    return get_framework(FRAMEWORK)


@pytest.fixture
def store(database_url: str, framework: Framework) -> Iterator[Store]:
    with Store.open(database_url) as s:
        s.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
        yield s
