"""Screening a batch into the store (evidence.services.screening), with the stand-in analyzer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence.domain import Document
from evidence.errors import InputError
from evidence.frameworks.catalogue import get_framework
from evidence.services import screening
from evidence.store import Store
from tests.factories import FRAMEWORK, FakeAnalyzer


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'evidence.db'}") as opened:
        yield opened


def _documents() -> list[Document]:
    return [Document(id="C1", text="I led the team. Call Jo Bloggs on 07700 900123.", name="Jo Bloggs"),
            Document(id="C2", text="I built a network with GPs.")]


def test_blinding_removes_names_and_contacts_and_keeps_the_originals() -> None:
    redacted, originals = screening.blind_documents(_documents())
    assert "Jo Bloggs" not in redacted[0].text and "07700" not in redacted[0].text and redacted[0].name == ""
    assert originals == {d.id: d.text for d in _documents()}


def test_screening_saves_the_batch_with_progress(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    seen: list[tuple[int, int]] = []
    batch_id = screening.screen(store, FakeAnalyzer(framework), _documents(), role=framework.roles[0], name="b",
                                blind=True, user="recruiter", progress=lambda done, total: seen.append((done, total)))
    [batch] = store.list_batches()
    assert (batch.id, batch.documents, batch.blind, batch.created_by, batch.role_id) == (
        batch_id, 2, True, "recruiter", framework.roles[0].id)
    assert seen == [(1, 2), (2, 2)]
    docs = {d.external_id: d for d in store.documents(batch_id)}
    assert docs["C1"].name == "Jo Bloggs" and "Jo Bloggs" not in docs["C1"].shown_text
    with pytest.raises(InputError, match="no statements"):
        screening.screen(store, FakeAnalyzer(framework), [], role=None, name="empty")


def test_the_sample_batch_is_screened_once(store: Store) -> None:
    frameworks: list[str] = []

    def factory(framework):  # noqa: ANN001, ANN202 - an analyzer factory
        frameworks.append(framework.id)
        return FakeAnalyzer(framework)

    batch_id, created = screening.ensure_sample_batch(store, factory)
    assert created and frameworks == [screening.SAMPLE_FRAMEWORK]
    assert screening.ensure_sample_batch(store, factory) == (batch_id, False) and len(frameworks) == 1
    [batch] = store.list_batches()
    assert batch.name == screening.SAMPLE_BATCH_NAME and batch.documents == 24 and batch.blind


def test_a_default_batch_name_says_what_was_uploaded() -> None:
    assert screening.default_batch_name(["applications.csv"]).startswith("applications 20")
    assert screening.default_batch_name(["a.txt", "b.txt"]).startswith("2 files ")
