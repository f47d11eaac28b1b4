"""Runs a batch analysis as a Ray Data pipeline (`evidence analyse --engine ray`): the one job of this module.

The caller hands over the documents as it reads them; they go to Ray in windows of ``window`` documents
(default 2,000 per worker, so the caller never holds more than a window), each window a Ray Data dataset
whose batches of ``batch_size`` documents are analysed by a pool of ``workers`` actors, each of which loads
the analyzer once per window (:class:`_AnalyseBatch`). Results come back in the order the documents went
in, one per document: its :class:`~evidence.domain.DocumentAnalysis`, or the exception the analysis raised
on it, so the caller writes exactly what the local engine writes. Documents, analyses and exceptions travel
pickled: the driver and the workers run the same `evidence`.

Ray is an optional extra, imported only here and only when this engine runs (:func:`import_ray`): the
default engine never imports it. Without ``address`` a local Ray is started in this process with
``workers`` CPUs, no dashboard, no usage report and its logs kept off the terminal, and stopped after
the run; with ``address`` (``ray://host:10001`` or ``host:6379``) an existing cluster is used, whose
nodes need the same `evidence` installed (and, for a trained model version, the same ``EVIDENCE_HOME``).
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import warnings
from collections.abc import Iterable, Iterator
from itertools import islice
from types import ModuleType
from typing import TYPE_CHECKING, Any

from evidence.errors import EvidenceError

if TYPE_CHECKING:
    import numpy as np

    from evidence.domain import Document, DocumentAnalysis, Framework, Role

logger = logging.getLogger(__name__)

INSTALL_HINT = "install it with pip install 'evidence[ray]'"
# Documents per Ray Data batch, i.e. per call of an actor's analyzer. The local engine batches units across
# documents, 200 statements in a few seconds per core; 16 statements (~5 s of one core's work at the ~3 a
# second measured by bench/scale.py) keep the Ray overhead per batch (tens of ms) under 1 % and still give
# every worker of a 2-worker pool several batches of a 200-statement folder.
BATCH_SIZE = 16
# Documents per worker read ahead and handed to Ray as one dataset (a window). Each window starts its own actor
# pool, whose actors load the analyzer again: 15-26 s before the first batch in bench/scale.py, on two busy
# cores. 2,000 statements are ~400 s of one worker's work at the ~5 a second measured there, so the reload is
# a few % of a window; 2,000 texts of a few KB per worker are a few MB per worker in the driver and object store.
WINDOW_PER_WORKER = 2000
CONNECT_TIMEOUT_S = 10  # for --ray-address to answer; a cluster on the same network answers in milliseconds


def import_ray() -> ModuleType:
    """The ``ray`` module, or an :class:`EvidenceError` saying how to install it (the ``ray`` extra)."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never report usage over the network
    try:
        import ray
        import ray.data  # noqa: F401  (ray without its `data` extra has no ray.data)
    except ImportError as exc:
        raise EvidenceError(f"--engine ray needs Ray Data, which is not installed ({exc}); {INSTALL_HINT}, "
                            "or use --engine local") from exc
    # Ray's own messages (its token notice, each dataset's start and finish) would mix with the CLI's on stderr;
    # ray.data sets its logger's level when imported, so this comes after the import
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return ray


def pinned_version(framework: Framework, model: str) -> str:
    """The version id ``model`` names now (``promoted`` resolved, a version id checked), for every worker to load:
    a promotion during the run does not give workers different models. Raises
    :class:`~evidence.errors.NotFoundError` for an unknown version."""
    from evidence.learning.registry import resolve_model

    return resolve_model(framework, model)[1]


class _AnalyseBatch:
    """One worker actor: loads the analyzer once, then analyses each batch of pickled documents it is given."""

    def __init__(self, framework: Framework, model_version: str, role: Role | None) -> None:
        from evidence.services.analyzers import load_analyzer

        self.analyzer = load_analyzer(framework, model_version)
        self.role = role

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import numpy as np

        documents = [pickle.loads(item) for item in batch["document"]]
        results = [pickle.dumps(result) for result in self._analyse(documents)]
        out = np.empty(len(results), dtype=object)
        out[:] = results
        return {"result": out}

    def _analyse(self, documents: list[Document]) -> list[DocumentAnalysis | BaseException]:
        """Each document's analysis in order; when the batch fails, the documents one at a time, so the failing
        one carries its exception and the others their analyses (as the local engine does)."""
        try:
            return list(self.analyzer.analyse(documents, role=self.role))
        except Exception:  # which document failed is found below, one at a time
            logger.info("a batch failed; analysing its %d documents one at a time", len(documents), exc_info=True)
        results: list[DocumentAnalysis | BaseException] = []
        for document in documents:
            try:
                results.append(next(iter(self.analyzer.analyse([document], role=self.role))))
            except Exception as exc:  # reported for this document by the caller; the batch goes on
                logger.info("analysing %s failed", document.id, exc_info=True)
                results.append(_picklable(exc))
        return results


def _picklable(exc: Exception) -> BaseException:
    """``exc``, or a RuntimeError with its type and message when it would not survive the trip to the driver."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # an exception class with an odd constructor: keep what the report needs
        logger.debug("%s does not pickle", type(exc).__name__, exc_info=True)
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _check_reachable(address: str) -> None:
    """Fail at once, saying so, when the cluster's ``HOST:PORT`` does not answer: Ray itself retries for minutes
    and then ends the process from its C++ core, with no message of ours."""
    if address == "auto":  # Ray finds the cluster this machine belongs to
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except (OSError, ValueError) as exc:
        raise EvidenceError(f"the Ray cluster at {address!r} does not answer ({type(exc).__name__}: {exc}); give "
                            "--ray-address as ray://HOST:10001 (Ray Client) or HOST:6379 (the head node's GCS), "
                            "or leave it out for a local Ray") from exc


def _start(ray: ModuleType, workers: int | None, address: str | None) -> tuple[int, bool]:
    """Connect to Ray (start a local one unless ``address``): the number of workers to use, and whether this
    call started Ray (and so stops it)."""
    if ray.is_initialized():  # a session the caller started (tests share one)
        return workers or int(ray.cluster_resources().get("CPU", 1)), False
    quiet: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False, "include_dashboard": False}
    try:
        if address:
            _check_reachable(address)
            ray.init(address=address, **quiet)
        else:
            # "local": a Ray of our own even where `ray start` left one running (or RAY_ADDRESS names one)
            ray.init(address="local", num_cpus=workers or os.cpu_count() or 1, _node_ip_address="127.0.0.1", **quiet)
    except EvidenceError:
        raise
    except Exception as exc:  # a cluster that refuses us, a local Ray that cannot start
        if address:  # the cluster answered (checked above), so most likely it wants its token
            raise EvidenceError(f"could not join the Ray cluster at {address!r} ({type(exc).__name__}: {exc}); a "
                                "cluster with token authentication (Ray's default) needs RAY_AUTH_MODE=token and "
                                "its token in RAY_AUTH_TOKEN or ~/.ray/auth_token") from exc
        raise EvidenceError(f"could not start a local Ray ({type(exc).__name__}: {exc}); Ray's logs are under "
                            "/tmp/ray/session_latest/logs; or use --engine local") from exc
    return workers or max(1, int(ray.cluster_resources().get("CPU", 1))), True


def analyse_with_ray(documents: Iterable[Document], framework: Framework, model_version: str, role: Role | None,
                     *, workers: int | None = None, address: str | None = None, batch_size: int = BATCH_SIZE,
                     window: int | None = None) -> Iterator[tuple[Document, DocumentAnalysis | BaseException]]:
    """Each document with its analysis (or the exception its analysis raised), in the order of ``documents``,
    analysed by ``workers`` Ray actors (default: every CPU of the local machine or the cluster) with the
    framework's model version ``model_version`` (a version id or ``zero-shot``, resolved by the caller so
    every worker uses the same one)."""
    ray = import_ray()
    workers, started = _start(ray, workers, address)
    context = ray.data.DataContext.get_current()
    saved = context.execution_options.preserve_order, context.enable_progress_bars
    context.execution_options.preserve_order = True  # results in input order, as the local engine writes them
    context.enable_progress_bars = False  # the CLI draws its own progress line
    try:
        items = iter(documents)
        while chunk := list(islice(items, window or WINDOW_PER_WORKER * workers)):
            yield from zip(chunk, _analyse_window(ray, chunk, framework, model_version, role, workers, batch_size),
                           strict=True)
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved
        if started:
            ray.shutdown()


def _analyse_window(ray: ModuleType, chunk: list[Document], framework: Framework, model_version: str,
                    role: Role | None, workers: int, batch_size: int) -> Iterator[DocumentAnalysis | BaseException]:
    blocks = -(-len(chunk) // batch_size)  # one block a batch: the pool takes them as they are ready
    dataset = ray.data.from_items([{"document": pickle.dumps(d)} for d in chunk], override_num_blocks=blocks)
    # Two batches in flight per actor: the next is there when one finishes, and a slow batch holds up one other.
    # No actor restarts: its constructor arguments (the framework) would be gone; a lost actor fails the run.
    pool = ray.data.ActorPoolStrategy(size=min(workers, blocks), max_tasks_in_flight_per_actor=2)
    with warnings.catch_warnings():  # Ray 2.60 documents max_restarts=0 here and also warns it will move in 2.64
        warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated")
        analysed = dataset.map_batches(_AnalyseBatch, fn_constructor_args=(framework, model_version, role),
                                       batch_size=batch_size, batch_format="numpy", compute=pool, num_cpus=1,
                                       max_restarts=0)
    for batch in analysed.iter_batches(batch_size=None, batch_format="numpy"):
        for item in batch["result"]:
            yield pickle.loads(item)
