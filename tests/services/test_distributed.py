"""evidence.services.distributed without a Ray cluster: a worker actor's batch (one failing document does not
lose the others), the version every worker is pinned to, and the error when Ray is not installed."""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pytest

from evidence.domain import Document, DocumentAnalysis, Role
from evidence.errors import EvidenceError, NotFoundError
from evidence.frameworks.catalogue import get_framework
from evidence.services import distributed
from tests.factories import FakeAnalyzer


class _Flaky(FakeAnalyzer):
    """Fails on any batch holding a document whose text says BOOM (the whole batch's generator dies)."""

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
        batch = list(documents)
        if any("BOOM" in d.text for d in batch):
            raise ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000")
        yield from super().analyse(batch, role=role, progress=progress)


def _actor(analyzer: FakeAnalyzer) -> distributed._AnalyseBatch:
    actor = distributed._AnalyseBatch.__new__(distributed._AnalyseBatch)  # without loading the real analyzer
    actor.analyzer, actor.role = analyzer, None  # type: ignore[assignment]
    return actor


def test_a_worker_batch_keeps_input_order_and_isolates_the_failing_document() -> None:
    framework = get_framework("community-link-worker")
    docs = [Document(id="a", text="I led the team."), Document(id="b", text="BOOM. I led."),
            Document(id="c", text="I planned the rota.")]
    batch = {"document": np.array([pickle.dumps(d) for d in docs], dtype=object)}
    results = [pickle.loads(r) for r in _actor(_Flaky(framework))(batch)["result"]]
    assert [type(r).__name__ for r in results] == ["DocumentAnalysis", "ValueError", "DocumentAnalysis"]
    assert [results[0].document.id, results[2].document.id] == ["a", "c"]
    assert "E088" in str(results[1])


def test_an_exception_that_does_not_pickle_keeps_its_type_and_message() -> None:
    class Odd(Exception):
        def __init__(self, a: str, b: str) -> None:
            super().__init__(f"{a}/{b}")

    kept = distributed._picklable(Odd("x", "y"))
    assert isinstance(kept, RuntimeError) and str(kept) == "Odd: x/y"
    plain = ValueError("v")
    assert distributed._picklable(plain) is plain


def test_the_pinned_version_is_checked_before_any_worker_starts() -> None:
    framework = get_framework("community-link-worker")
    assert distributed.pinned_version(framework, "zero-shot") == "zero-shot"
    with pytest.raises(NotFoundError, match="no model version"):
        distributed.pinned_version(framework, "19990101-000000-dead")


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError, as when it is not installed
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(EvidenceError, match=r"pip install 'evidence\[ray\]'"):
        distributed.import_ray()


def test_a_cluster_that_does_not_answer_is_named_at_once() -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        with pytest.raises(EvidenceError, match=rf"Ray cluster at 'ray://127.0.0.1:{port}' does not answer"):
            distributed._check_reachable(f"ray://127.0.0.1:{port}")
    with pytest.raises(EvidenceError, match="does not answer"):
        distributed._check_reachable("no-port-given")
