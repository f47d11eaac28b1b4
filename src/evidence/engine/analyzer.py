"""The evidence engine: documents in, explained suggestions and assessments out.

:class:`Analyzer` ties the steps together for one framework: segment each document into units,
embed the units (batched across documents), match them against the indicator index, calibrate,
estimate levels, and assess each document against an optional role.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from evidence.domain import (
    ZERO_SHOT,
    Cues,
    Document,
    DocumentAnalysis,
    Framework,
    MatchedIndicator,
    Role,
    Suggestion,
    Unit,
    UnitAnalysis,
)
from evidence.engine.assess import competency_evidence, coverage
from evidence.engine.calibration import UnitDetector
from evidence.engine.cues import turns_around
from evidence.engine.embed import Embedder, IndicatorIndex, is_taxonomy
from evidence.engine.head import CompetencyHead
from evidence.engine.levels import LevelEstimate, LevelEstimator
from evidence.engine.match import WITHHELD_CREDIT, CompetencyMatcher, UnitScores
from evidence.engine.segment import phrase_pieces, segment
from evidence.engine.settings import (
    ZeroShotSettings,
    default_detectors,
    default_settings,
)

MAX_SUGGESTIONS = 3
UNIT_BATCH = 256  # units embedded per batch: memory stays flat however many documents a batch has


@dataclass
class UnitPredictions:
    """The engine's raw view of a batch of units, before they are turned into suggestions."""

    vectors: np.ndarray
    scores: UnitScores
    probabilities: np.ndarray  # units x competencies, calibrated
    seniority: np.ndarray  # units: the seniority regressor's rank estimate
    cues: list[Cues]
    counter: np.ndarray  # units x competencies: counter-evidence flags
    withheld: np.ndarray  # units: no credit to any competency (self-criticism, sure counter-evidence)

    def part(self, rows: slice) -> UnitPredictions:
        scores = UnitScores(**{k: v[rows] for k, v in vars(self.scores).items()})
        return UnitPredictions(self.vectors[rows], scores, self.probabilities[rows],
                               self.seniority[rows], self.cues[rows], self.counter[rows], self.withheld[rows])


class Analyzer:
    """Analyses documents against one framework.

    ``head``: an optional trained head (see :mod:`evidence.learning.head`) whose competency probabilities are
    blended with the zero-shot calibrated ones, and whose level estimate is blended with the zero-shot
    one; ``model_version`` names it in every suggestion.
    """

    def __init__(self, framework: Framework, *, settings: ZeroShotSettings | None = None,
                 embedder: Embedder | None = None, head: CompetencyHead | None = None,
                 model_version: str = ZERO_SHOT,
                 detectors: tuple[UnitDetector, UnitDetector] | None = None) -> None:
        self.framework = framework
        self.settings = settings or default_settings()
        self.embedder = embedder or Embedder()
        self.index = IndicatorIndex.build(framework, self.embedder)
        self.matcher = CompetencyMatcher(self.index, self.settings.taxonomy_match if is_taxonomy(framework)
                                         else self.settings.match)
        self.levels = LevelEstimator(self.index, self.settings.levels)
        self.detector, self.counter_detector = detectors or default_detectors()
        self.head = head
        self.model_version = model_version

    def with_head(self, head: CompetencyHead | None, model_version: str) -> Analyzer:
        """The same analyzer (index, matcher, settings) with another trained head."""
        other = copy.copy(self)
        other.head, other.model_version = head, model_version
        return other

    # -- units -----------------------------------------------------------------------------------

    def predict_units(self, texts: list[str], cues: list[Cues]) -> UnitPredictions:
        if not texts:  # a batch without a unit ("N/A"): a trained head's model refuses 0 samples (D01)
            return self._no_predictions()
        vectors, layered = self.embedder.encode_with_layers(texts)
        pieces = None
        if self.matcher.settings.query_pieces:
            phrases = [phrase_pieces(t) for t in texts]
            flat = self.embedder.encode([p for ps in phrases for p in ps])
            bounds = np.cumsum([0, *(len(ps) for ps in phrases)])
            pieces = [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        scores = self.matcher.score(vectors, texts, pieces)
        evidence = self.detector.probability(vectors, cues)
        probabilities = self.settings.calibrator.probability_matrix(scores.raw, evidence, cues)
        if self.head is not None:
            probabilities = self.head.competency_probabilities(
                texts, self.head.unit_vectors(texts, vectors, layered), cues, probabilities)
        counter_probability = self.counter_detector.probability(vectors, cues)
        critical = np.array([c.self_critical for c in cues], dtype=bool)
        counter = self.matcher.counter_flags(scores, counter_probability, critical)
        withheld = self.matcher.withheld(counter_probability, critical,
                                         np.array([turns_around(t) for t in texts], dtype=bool))
        # what a withheld unit would credit is right this rarely (WITHHELD_CREDIT); the order stays
        probabilities = np.where(withheld[:, None], probabilities * WITHHELD_CREDIT, probabilities)
        return UnitPredictions(vectors, scores, probabilities, self.levels.seniority_ranks(vectors),
                               cues, counter, withheld)

    def _no_predictions(self) -> UnitPredictions:
        """What no units predict: arrays of 0 rows, so a document without units has no evidence."""
        competencies = np.zeros((0, len(self.framework.competencies)))
        scores = UnitScores(similarities=np.zeros((0, len(self.framework.indicators))), raw=competencies,
                            counter=competencies, best_positive=competencies)
        return UnitPredictions(np.zeros((0, 0), dtype=np.float32), scores, competencies, np.zeros(0), [],
                               np.zeros(competencies.shape, dtype=bool), np.zeros(0, dtype=bool))

    def nearest_level(self, predictions: UnitPredictions, unit: int, competency: int,
                      text: str) -> LevelEstimate | None:
        """The nearest-indicator level estimate, the head's levelled training units voting too."""
        votes = self.head.level_votes(competency, predictions.vectors[unit]) if self.head is not None else None
        return self.levels.estimate(competency, predictions.scores.similarities[unit],
                                    float(predictions.seniority[unit]), text, extra_votes=votes)

    def level_for(self, predictions: UnitPredictions, unit: int, competency: int,
                  text: str) -> tuple[str | None, int | None]:
        """The level a unit evidences for a competency, and the indicator that explains it."""
        similarities = predictions.scores.similarities[unit]
        estimate = self.nearest_level(predictions, unit, competency, text)
        if estimate is None:
            return None, self.matcher.best_indicator(predictions.scores, unit, competency)
        learned = self.head.level_rank(predictions.vectors[unit], text) if self.head is not None else None
        if learned is not None and self.head is not None:
            blended = self.head.level_blend * learned + (1.0 - self.head.level_blend) * estimate.rank
            estimate = self.levels.at_rank(competency, blended, similarities, fallback=estimate.indicator)
        if estimate.indicator is None:
            return estimate.level, self.matcher.best_indicator(predictions.scores, unit, competency)
        return estimate.level, estimate.indicator

    @property
    def threshold(self) -> float:
        """Suggestions scoring below this are not shown; a unit left with none abstains."""
        return self.head.threshold if self.head is not None else self.settings.calibrator.threshold

    def _suggestion(self, predictions: UnitPredictions, unit: int, competency: int, text: str,
                    *, counter: bool = False) -> Suggestion:
        comp = self.framework.competencies[competency]
        pairs = self.framework.indicators
        if counter:
            level, best = None, self.matcher.best_indicator(predictions.scores, unit, competency, positive=False)
            score = float(predictions.scores.counter[unit, competency])
        else:
            level, best = self.level_for(predictions, unit, competency, text)
            score = float(predictions.probabilities[unit, competency])
        if best is not None:
            ind = pairs[best][1]
            matched = MatchedIndicator(id=ind.id, text=ind.text, level=ind.level,
                                       similarity=round(float(predictions.scores.similarities[unit, best]), 3))
        else:  # a competency without indicators is explained by its own name
            matched = MatchedIndicator(id=comp.id, text=comp.name)
        return Suggestion(competency=comp.id, competency_name=comp.name, level=level, score=round(score, 3),
                          indicator=matched, counter_evidence=counter, model_version=self.model_version)

    def analyse_units(self, units: list[Unit], predictions: UnitPredictions) -> list[UnitAnalysis]:
        threshold = self.threshold
        flags = predictions.counter
        results = []
        for i, unit in enumerate(units):
            if unit.cues.planned:  # a plan earns no credit yet, and is no counter-evidence either
                results.append(UnitAnalysis(unit=unit, suggestions=[], counter_evidence=[]))
                continue
            probs = predictions.probabilities[i]
            order = np.argsort(-probs)[:MAX_SUGGESTIONS]
            suggestions = [self._suggestion(predictions, i, int(c), unit.text) for c in order if probs[c] >= threshold]
            counter = [self._suggestion(predictions, i, int(c), unit.text, counter=True)
                       for c in np.flatnonzero(flags[i])]
            if counter:  # a unit that reads as 'not going well' earns no credit for the same competency
                flagged = {s.competency for s in counter}
                suggestions = [s for s in suggestions if s.competency not in flagged]
            if predictions.withheld[i]:  # ... nor for any other, when it is self-criticism or surely negative
                suggestions = []
            results.append(UnitAnalysis(unit=unit, suggestions=suggestions, counter_evidence=counter))
        return results

    # -- documents -------------------------------------------------------------------------------

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
        """Analyse documents lazily, embedding units in batches of about :data:`UNIT_BATCH`."""
        pending: list[tuple[Document, list[Unit]]] = []
        pending_units = 0
        for document in documents:
            units = segment(document)
            pending.append((document, units))
            pending_units += len(units)
            if pending_units >= UNIT_BATCH:
                yield from self._analyse_batch(pending, role, progress)
                pending, pending_units = [], 0
        if pending:
            yield from self._analyse_batch(pending, role, progress)

    def analyse_document(self, document: Document, *, role: Role | None = None) -> DocumentAnalysis:
        return next(iter(self.analyse([document], role=role)))

    def _analyse_batch(self, batch: list[tuple[Document, list[Unit]]], role: Role | None,
                       progress: Callable[[int], None] | None) -> Iterator[DocumentAnalysis]:
        all_units = [u for _, units in batch for u in units]
        predictions = self.predict_units([u.text for u in all_units], [u.cues for u in all_units])
        offset = 0
        for document, units in batch:
            part = slice(offset, offset + len(units))
            offset += len(units)
            sub = predictions.part(part)
            yield self._assess(document, units, sub, role)
            if progress:
                progress(1)

    def _assess(self, document: Document, units: list[Unit], predictions: UnitPredictions,
                role: Role | None) -> DocumentAnalysis:
        unit_results = self.analyse_units(units, predictions)
        evidence = competency_evidence(self.framework, unit_results)
        if len(units):
            best_similarity = predictions.scores.similarities.max(axis=0)
        else:
            best_similarity = np.zeros(len(self.framework.indicators))
        for item in evidence:
            item.gap = self.levels.next_level_gap(self.index, self.framework.competency_index[item.competency],
                                                  item.level,
                                                  best_similarity)
        rows, match = coverage(self.framework, role, evidence) if role is not None else ([], None)
        return DocumentAnalysis(document=document, units=unit_results, competencies=evidence, coverage=rows,
                                match=match)
