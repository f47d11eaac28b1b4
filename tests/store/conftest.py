"""Fixtures for the store tests: a fresh store (SQLite, and PostgreSQL when given), and a small batch saved in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import FRAMEWORK, small_batch
from tests.store.backends import postgres_url  # noqa: F401 - a fixture, for the PostgreSQL-only tests


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A fresh store on each backend (:mod:`tests.store.backends`: SQLite, and PostgreSQL when given)."""
    with Store.open(database_url) as s:
        yield s


@pytest.fixture
def batch_id(store: Store) -> int:
    return store.save_batch("tiny", get_framework(FRAMEWORK), FRAMEWORK, small_batch(),
                            created_by="rec")


@pytest.fixture
def units(store: Store, batch_id: int) -> dict[str, int]:
    """Unit id by unit text, for every unit of the batch with suggestions."""
    return {item.text: item.unit_id for item in store.suggested_units(batch_id=batch_id)}


@pytest.fixture
def save_small() -> Callable[[Store], int]:
    """Saves :func:`tests.factories.small_batch` into any store (for tests that open their own) and returns its id."""
    framework = get_framework(FRAMEWORK)

    def save(s: Store) -> int:
        return s.save_batch("b", framework, None, small_batch())

    return save
