"""The trained head: what an :class:`~evidence.engine.analyzer.Analyzer` calls to blend learned
probabilities and levels into the zero-shot ones (it implements
:class:`~evidence.engine.head.CompetencyHead`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evidence.domain import Cues
from evidence.engine.embed import Embedder
from evidence.engine.levels import LevelExemplars, scope_score
from evidence.learning.calibration import NO_CALIBRATION, calibrate
from evidence.learning.classifiers import (
    CUE_FEATURES,
    EvidenceClassifier,
    LevelClassifier,
    LexicalClassifier,
    cue_features,
)


@dataclass
class TrainingSummary:
    examples: int
    corrections: int
    indicator_examples: int
    none_examples: int
    competencies: int
    levelled_examples: int
    seconds: float = 0.0


@dataclass
class TrainedHead:
    """The trained part of a model version: what :class:`~evidence.engine.analyzer.Analyzer` calls as ``head``."""

    framework_id: str
    competency_ids: list[str]
    classifier: EvidenceClassifier
    level_classifier: LevelClassifier | None
    level_ranks: dict[str, int]
    lexical: LexicalClassifier | None = None  # heads trained before it existed have none
    # the training units' levels, voting beside the indicators (heads trained before they did have none)
    level_exemplars: LevelExemplars | None = None
    lexical_weight: float = 0.0
    level_blend: float = 0.5
    threshold: float = 0.5
    trust: float = 0.5  # weight of the classifier against the zero-shot probabilities
    # (slope, intercept) on the logit of the blended probability: see fit_calibration
    calibration: tuple[float, float] = NO_CALIBRATION
    summary: TrainingSummary | None = None
    fine_tuned_encoder: bool = False  # the competency classifier reads the version's own encoder/ vectors
    # the competency classifier reads the encoder's layer features after the sentence vector (heads
    # trained before they existed read the sentence vector alone)
    layered: bool = False
    # where that encoder lies, set when the head is trained or loaded (not saved: the folder moves with it)
    encoder_path: str | None = field(default=None, compare=False)
    # the fine-tuned encoder, opened from encoder_path on first use (or handed over by training)
    encoder: Embedder | None = field(default=None, repr=False, compare=False)
    # the head this one was trained on top of (a built-in framework's shipped head): its probabilities, not
    # zero-shot's, are what the classifiers are blended into, and it gives the learned level
    base: TrainedHead | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "encoder_path": None, "encoder": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state.pop("_embedder", None)  # a head pickled by the old layout kept its encoder under this name
        self.__dict__.update(state)

    def competency_encoder(self) -> Embedder | None:
        """The fine-tuned encoder the competency classifier reads (None: the analyzer's own)."""
        if not self.fine_tuned_encoder:
            return None
        if self.encoder is None:
            if self.encoder_path is None:
                raise RuntimeError("this head's fine-tuned encoder was not located; load it with "
                                   "evidence.learning.registry.load_head")
            self.encoder = Embedder(self.encoder_path)
        return self.encoder

    def unit_vectors(self, texts: list[str], vectors: np.ndarray, layered: np.ndarray) -> np.ndarray:
        """The vectors the competency classifier reads: the fine-tuned encoder's if there is one, else
        the packaged encoder's (``vectors``, which the level classifier always reads, or ``layered``,
        the same followed by layer features: see :meth:`~evidence.engine.embed.Embedder.encode_with_layers`)."""
        encoder = self.competency_encoder()
        if encoder is None:
            return layered if self.layered else vectors
        return encoder.encode_with_layers(texts)[1] if self.layered else encoder.encode(texts)

    def competency_probabilities(self, texts: Sequence[str], vectors: np.ndarray, cues: Sequence[Cues],
                                 zero_shot: np.ndarray) -> np.ndarray:
        """units x competencies: the classifiers' blended probabilities shrunk toward the zero-shot ones,
        by ``trust``."""
        learned = self._by_competency(self.classifier.classes_, self.classifier.predict_proba(
            np.hstack([vectors, cue_features(cues)])))
        if self.lexical is not None and self.lexical_weight > 0:
            lexical = self._by_competency(self.lexical.classes_, self.lexical.predict_proba(texts))
            learned = (1.0 - self.lexical_weight) * learned + self.lexical_weight * lexical
        prior = zero_shot
        if self.base is not None:  # it reads the packaged encoder's vectors, with or without the layer features
            prior = self.base.competency_probabilities(
                texts, vectors[:, :self.base.classifier.model_.n_features_in_ - CUE_FEATURES], cues, zero_shot)
        return calibrate(self.trust * learned + (1.0 - self.trust) * prior, self.calibration)

    def _by_competency(self, classes: np.ndarray, proba: np.ndarray) -> np.ndarray:
        """A classifier's probabilities as units x the framework's competencies (NONE's column dropped)."""
        column = {c: i for i, c in enumerate(classes)}
        matrix = np.zeros((len(proba), len(self.competency_ids)), dtype=np.float32)
        for j, cid in enumerate(self.competency_ids):
            if cid in column:
                matrix[:, j] = proba[:, column[cid]]
        return matrix

    def level_votes(self, competency: int, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The training units' votes on one competency's level for a unit (see :class:`LevelExemplars`)."""
        return self.level_exemplars.votes(competency, vector) if self.level_exemplars is not None else None

    def level_rank(self, vector: np.ndarray, text: str) -> float | None:
        """The level classifier's expected rank for a unit (None: the head learned no levels)."""
        if self.level_classifier is None:
            return self.base.level_rank(vector, text) if self.base is not None else None
        return expected_rank(self.level_classifier, self.level_ranks, vector, text)


def level_features(vector: np.ndarray, text: str) -> np.ndarray:
    """What the level classifier reads: the packaged encoder's vector and the scope cue."""
    return np.hstack([vector, [scope_score(text)]])


def expected_rank(classifier: LevelClassifier, level_ranks: dict[str, int], vector: np.ndarray, text: str) -> float:
    """The classifier's expected position on the scale's rank axis for one unit."""
    proba = classifier.predict_proba(level_features(vector, text)[None, :])[0]
    return float(sum(p * level_ranks[c] for p, c in zip(proba, classifier.classes_, strict=True)))
