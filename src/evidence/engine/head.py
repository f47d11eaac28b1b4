"""The contract between the engine and a trained head: what :class:`~evidence.engine.analyzer.Analyzer`
calls on one. The engine never fits a head; :class:`evidence.learning.head.TrainedHead` implements this."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from evidence.domain import Cues


@runtime_checkable
class CompetencyHead(Protocol):
    """A trained head blended into the zero-shot analysis.

    ``threshold``: suggestions scoring below it are not shown. ``level_blend``: the learned level's
    weight against the nearest-indicator estimate.
    """

    threshold: float
    level_blend: float

    def unit_vectors(self, texts: list[str], vectors: np.ndarray, layered: np.ndarray) -> np.ndarray:
        """The vectors :meth:`competency_probabilities` reads, from the packaged encoder's ``vectors``
        (units x dim) and ``layered`` (the same followed by layer features)."""
        ...

    def competency_probabilities(self, texts: Sequence[str], vectors: np.ndarray, cues: Sequence[Cues],
                                 zero_shot: np.ndarray) -> np.ndarray:
        """units x competencies: learned probabilities blended with the ``zero_shot`` ones."""
        ...

    def level_votes(self, competency: int, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(similarities, ranks) of the head's levelled examples of one competency, or None."""
        ...

    def level_rank(self, vector: np.ndarray, text: str) -> float | None:
        """The learned expected level rank of a unit, or None when the head learned no levels."""
        ...
