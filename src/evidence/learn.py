"""Learning from labelled units and reviewers' corrections.

The classifiers follow scikit-learn's estimator contract. :class:`EvidenceClassifier` reads the
sentence embeddings and :class:`LexicalClassifier` the unit's words; both predict a competency or
``NONE`` (no evidence), and their blend is shrunk toward the zero-shot matcher's probabilities.
:class:`LevelClassifier` predicts the level. All are seeded with the framework's own indicators as
weakly labelled examples (and a shipped list of sentences that evidence nothing), so training works
from zero corrections; every correction then adds an example with full weight.

From 50 labelled units on, :func:`train_head` can first fine-tune a copy of the sentence encoder
on them (:mod:`evidence.finetune`); the competency classifier then reads its vectors, while the
zero-shot matcher and the level classifier keep the packaged encoder's.

:func:`train_model` builds a head from labelled units, measures it against the current model on a
held-out split, and has :mod:`evidence.registry` save it and promote it only when it is better.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler

from evidence.config import NONE_EXAMPLES
from evidence.domain import (
    NONE_LABEL,
    Actor,
    Correction,
    Cues,
    DecisionKind,
    Framework,
    Polarity,
)
from evidence.engine.cues import read_cues
from evidence.engine.levels import LevelExemplars, scope_score
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit
from evidence.finetune import FineTuneSettings

logger = logging.getLogger(__name__)

MIN_ABSTENTION_PRECISION = 0.85  # of units the model abstains on, the share that really evidence nothing
TRUST_HALF_WAY = 150  # labelled units at which the classifier and the zero-shot matcher weigh the same
# labelled units with a competency from which `encoder="auto"` fine-tunes the encoder. The gain grows
# with the data (bench/results/setfit_experiment.md: +10 points top-1 at 225 units, +6 on average at 100);
# on the learning curve, starting at 50 rather than 100 lifted the active-learning order earlier, and a
# model that comes out worse is not promoted anyway
FINE_TUNE_MIN_UNITS = 50
INDICATOR_WEIGHT = 0.3  # a framework indicator as a training example, against a labelled unit's 1
# share of the lexical classifier in the learned competency probabilities (the embedding classifier has
# the rest): 5-fold cross-validation on the dev gold split, bench/head_cv.py, lifted pooled top-1 from
# 0.556 (embeddings alone) to 0.644 at 0.7; 0.5 gave 0.623 and 1.0 (words alone) 0.623. With layer
# features, 0.5, 0.6, 0.7 and 0.8 gave 0.673, 0.689, 0.691 and 0.683
LEXICAL_WEIGHT = 0.7
# the embedding classifier's inverse regularisation: 5-fold cross-validation on the dev gold split
# (bench/head_cv.py) gave pooled top-1 0.664 at 4 and 0.675 at 16 (0.647 and 0.654 before the split grew);
# with layer features, 8, 16 and 32 gave 0.692, 0.691 and 0.692, and 16 the best abstention precision
EMBEDDING_C = 16.0
LEVEL_C = 0.5  # the level classifier's inverse regularisation
CALIBRATION_MIN_UNITS = 50  # out-of-fold predictions below which scores stay uncalibrated
# levelled units below which the learned level does not count: cross-validating the blend on a few
# dozen units picks noise, and early corrections made levels worse than the indicators alone
LEVEL_BLEND_MIN_UNITS = 50
ENCODER_CHOICES = ("auto", "frozen", "fine-tune")


def cue_features(cues: Sequence[Cues]) -> np.ndarray:
    return np.array([[c.weight, c.hypothetical, c.negated, c.actor is Actor.others] for c in cues],
                    dtype=np.float32).reshape(len(cues), 4)


class EvidenceClassifier(ClassifierMixin, BaseEstimator):
    """Competency-or-NONE classifier: a logistic regression over [embedding (with layer features), cues].

    ``C``: inverse regularisation strength. The embeddings are unit-length, so they are not rescaled:
    standardising them lets a few hundred examples overfit noise dimensions (measured on the gold set).
    """

    def __init__(self, *, C: float = EMBEDDING_C, max_iter: int = 3000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> EvidenceClassifier:
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(np.asarray(X, dtype=np.float32), np.asarray(y), sample_weight=sample_weight)
        self.model_.coef_ = self.model_.coef_.astype(np.float32)  # halves a head's size; the inputs are float32
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(np.asarray(X, dtype=np.float32))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class LexicalClassifier(ClassifierMixin, BaseEstimator):
    """Competency-or-NONE classifier over a unit's words: TF-IDF of word 1-2-grams and of character
    3-5-grams (which catch 'reconcile'/'reconciled'/'reconciliations'), then a logistic regression.

    The sentence encoder squeezes a unit into a few hundred numbers and blurs the domain words that
    often say what was done ('RFC', 'ITT', 'council tax band'); labelled units teach which words go
    with which competency. The vocabularies keep the most frequent terms and the coefficients are
    stored as float32, so a head stays a few megabytes even for a 57-competency framework.
    """

    def __init__(self, *, C: float = 30.0, max_words: int = 5000, max_char_ngrams: int = 10000,
                 max_iter: int = 3000) -> None:
        self.C = C
        self.max_words = max_words
        self.max_char_ngrams = max_char_ngrams
        self.max_iter = max_iter

    def fit(self, X: Sequence[str], y: Sequence[str], sample_weight: np.ndarray | None = None) -> LexicalClassifier:
        self.vectorizer_ = FeatureUnion([
            ("words", TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), max_features=self.max_words)),
            ("chars", TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                                      max_features=self.max_char_ngrams)),
        ])
        features = self.vectorizer_.fit_transform(list(X))
        for _, part in self.vectorizer_.transformer_list:
            part.stop_words_ = None  # the terms cut from the vocabulary: only needed for inspection, and large
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(features, np.asarray(y), sample_weight=sample_weight)
        self.model_.coef_ = self.model_.coef_.astype(np.float32)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.model_.predict_proba(self.vectorizer_.transform(list(X)))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class LevelClassifier(ClassifierMixin, BaseEstimator):
    """Level classifier over [embedding, scope cue]; its expected rank is blended with the zero-shot estimate."""

    def __init__(self, *, C: float = 0.5, max_iter: int = 3000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> LevelClassifier:
        self.scaler_ = StandardScaler().fit(X, sample_weight=sample_weight)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(self.scaler_.transform(X), np.asarray(y), sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(self.scaler_.transform(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


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
    calibration: tuple[float, float] = (1.0, 0.0)
    summary: TrainingSummary | None = None
    fine_tuned_encoder: bool = False  # the competency classifier reads the version's own encoder/ vectors
    # the competency classifier reads the encoder's layer features after the sentence vector (heads
    # trained before they existed read the sentence vector alone)
    layered: bool = False
    # where that encoder lies, set when the head is trained or loaded (not saved: the folder moves with it)
    encoder_path: str | None = field(default=None, compare=False)
    _embedder: object | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "encoder_path": None, "_embedder": None}

    def unit_vectors(self, texts: list[str], vectors: np.ndarray, layered: np.ndarray) -> np.ndarray:
        """The vectors the competency classifier reads: the fine-tuned encoder's if there is one, else
        the packaged encoder's (``vectors``, which the level classifier always reads, or ``layered``,
        the same followed by layer features: see :meth:`~evidence.engine.embed.Embedder.encode_with_layers`)."""
        if not self.fine_tuned_encoder:
            return layered if self.layered else vectors
        if self._embedder is None:
            from evidence.engine.embed import Embedder

            if self.encoder_path is None:
                raise RuntimeError("this head's fine-tuned encoder was not located; load it with "
                                   "evidence.registry.load_head")
            self._embedder = Embedder(self.encoder_path)
        return self._embedder.encode_with_layers(texts)[1] if self.layered else self._embedder.encode(texts)

    def competency_probabilities(self, texts: Sequence[str], vectors: np.ndarray, cues: Sequence[Cues],
                                 zero_shot: np.ndarray) -> np.ndarray:
        """units x competencies: the classifiers' blended probabilities shrunk toward the zero-shot ones,
        by ``trust``."""
        learned = self._by_competency(self.classifier, self.classifier.predict_proba(
            np.hstack([vectors, cue_features(cues)])))
        if self.lexical is not None and self.lexical_weight > 0:
            lexical = self._by_competency(self.lexical, self.lexical.predict_proba(texts))
            learned = (1.0 - self.lexical_weight) * learned + self.lexical_weight * lexical
        return calibrate(self.trust * learned + (1.0 - self.trust) * zero_shot, self.calibration)

    def _by_competency(self, classifier: ClassifierMixin, proba: np.ndarray) -> np.ndarray:
        """A classifier's probabilities as units x the framework's competencies (NONE's column dropped)."""
        column = {c: i for i, c in enumerate(classifier.classes_)}
        matrix = np.zeros((len(proba), len(self.competency_ids)), dtype=np.float32)
        for j, cid in enumerate(self.competency_ids):
            if cid in column:
                matrix[:, j] = proba[:, column[cid]]
        return matrix

    def level_votes(self, competency: int, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The training units' votes on one competency's level for a unit (see :class:`LevelExemplars`)."""
        return self.level_exemplars.votes(competency, vector) if self.level_exemplars is not None else None

    def level_rank(self, vector: np.ndarray, text: str) -> float | None:
        if self.level_classifier is None:
            return None
        return expected_rank(self.level_classifier, self.level_ranks, vector, text)


def calibrate(probabilities: np.ndarray, calibration: tuple[float, float]) -> np.ndarray:
    """Platt scaling on the logit: order-preserving, so rankings do not change, only what a score means."""
    slope, intercept = calibration
    if (slope, intercept) == (1.0, 0.0):
        return probabilities
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return (1.0 / (1.0 + np.exp(-(slope * np.log(p / (1 - p)) + intercept)))).astype(np.float32)


def fit_calibration(probabilities: np.ndarray, units: Sequence[LabelledUnit], competency_ids: Sequence[str],
                    *, top: int = 3) -> tuple[float, float]:
    """(slope, intercept) that make out-of-fold probabilities mean what they say: each unit's ``top``
    suggestions, labelled right or wrong by its gold competencies (a no-evidence unit's are all wrong).

    Blending the classifiers with zero-shot spreads the probability over several competencies, so the
    raw top score understates how often it is right (a 0.4 that is right three times in four)."""
    if len(units) < CALIBRATION_MIN_UNITS:
        return 1.0, 0.0
    order = np.argsort(-probabilities, axis=1)[:, :top]
    logits, right = [], []
    for row, unit in enumerate(units):
        for j in order[row]:
            p = float(np.clip(probabilities[row, j], 1e-6, 1 - 1e-6))
            logits.append(np.log(p / (1 - p)))
            right.append(competency_ids[j] in unit.competencies)
    if len(set(right)) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=100.0).fit(np.array(logits)[:, None], np.array(right))
    slope = float(model.coef_[0, 0])
    # a fold head on a dozen units can score right answers lower than wrong ones; a falling map would
    # turn the ranking upside down, so such noise leaves the scores as they are
    return (slope, float(model.intercept_[0])) if slope > 0 else (1.0, 0.0)


def level_features(vector: np.ndarray, text: str) -> np.ndarray:
    """What the level classifier reads: the packaged encoder's vector and the scope cue."""
    return np.hstack([vector, [scope_score(text)]])


def expected_rank(classifier: LevelClassifier, level_ranks: dict[str, int], vector: np.ndarray, text: str) -> float:
    """The classifier's expected position on the scale's rank axis for one unit."""
    proba = classifier.predict_proba(level_features(vector, text)[None, :])[0]
    return float(sum(p * level_ranks[c] for p, c in zip(proba, classifier.classes_, strict=True)))


def fit_level_classifier(indicator_vectors: np.ndarray, indicator_texts: Sequence[str],
                         indicator_levels: Sequence[str], units: Sequence[LabelledUnit], unit_vectors: np.ndarray,
                         *, indicator_weight: float, C: float) -> LevelClassifier | None:
    """A level classifier on the framework's levelled indicators (weight ``indicator_weight``) and the
    units' gold levels (weight 1); None when fewer than two levels occur."""
    X = [level_features(v, t) for v, t in zip(indicator_vectors, indicator_texts, strict=True)]
    y, w = list(indicator_levels), [indicator_weight] * len(X)
    for vector, unit in zip(unit_vectors, units, strict=True):
        for level in unit.levels.values():
            X.append(level_features(vector, unit.text))
            y.append(level)
            w.append(1.0)
    if len(set(y)) < 2:
        return None
    return LevelClassifier(C=C).fit(np.array(X), y, sample_weight=np.array(w))


def level_exemplars(framework: Framework, units: Sequence[LabelledUnit], unit_vectors: np.ndarray) -> LevelExemplars:
    """The units' gold levels as :class:`LevelExemplars` (``unit_vectors``: the units' packaged-encoder vectors)."""
    comp_index = {c.id: i for i, c in enumerate(framework.competencies)}
    rank_of = {lv.id: i for i, lv in enumerate(framework.levels)}
    rows = [(i, comp_index[c], rank_of[level]) for i, u in enumerate(units) for c, level in u.levels.items()]
    return LevelExemplars(vectors=np.asarray(unit_vectors, dtype=np.float32)[[i for i, _, _ in rows]],
                          competencies=np.array([c for _, c, _ in rows], dtype=np.int32),
                          ranks=np.array([r for _, _, r in rows], dtype=np.int32))


def _examples_from_framework(framework: Framework) -> tuple[list[str], list[str], list[str | None]]:
    """The framework's own texts as weakly labelled examples: positive indicators label their competency
    (and level), negative ones label NONE (they earn no credit), level summaries label competency and level."""
    texts, labels, levels = [], [], []
    for comp, ind in framework.indicators:
        texts.append(ind.text)
        labels.append(comp.id if ind.polarity is Polarity.positive else NONE_LABEL)
        levels.append(ind.level if ind.polarity is Polarity.positive else None)
    for comp in framework.competencies:
        for level, summary in comp.level_summaries.items():
            texts.append(summary)
            labels.append(comp.id)
            levels.append(level)
    return texts, labels, levels


def units_from_corrections(corrections: Sequence[Correction], framework: Framework) -> list[LabelledUnit]:
    """Corrections as labelled units: accepted/relabelled label the unit, no-evidence marks it NONE;
    a rejection only says what the unit is not, so it teaches nothing here. The latest decision wins."""
    ids = {c.id for c in framework.competencies}
    levels = {lv.id for lv in framework.levels}
    latest: dict[tuple[str, str | None], Correction] = {}
    bad = []
    for n, c in enumerate(corrections, start=1):
        if c.competency and c.competency not in ids:
            bad.append(f"record {n}: unknown competency {c.competency!r}")
        elif c.level and c.level not in levels:
            bad.append(f"record {n}: unknown level {c.level!r}")
        latest[(c.text, c.suggested_competency)] = c
    if bad:
        raise InputError("corrections do not fit framework " + framework.id + ": " + "; ".join(bad[:10]))
    units: dict[str, LabelledUnit] = {}
    for c in latest.values():
        if c.decision is DecisionKind.rejected:
            continue
        unit = units.setdefault(c.text, LabelledUnit(text=c.text))
        if c.decision in (DecisionKind.accepted, DecisionKind.relabelled) and c.competency not in unit.competencies:
            unit.competencies.append(c.competency)
            if c.level:
                unit.levels[c.competency] = c.level
    return list(units.values())


def fine_tuning_examples(framework: Framework, units: Sequence[LabelledUnit]) -> list[tuple[str, frozenset[str]]]:
    """What the encoder is fine-tuned on: labelled units with competencies, and the positive indicators."""
    examples = [(u.text, frozenset(u.competencies)) for u in units if u.competencies]
    examples += [(ind.text, frozenset({comp.id})) for comp, ind in framework.indicators
                 if ind.polarity is Polarity.positive]
    return examples


def fit_head(analyzer, units: Sequence[LabelledUnit], *, indicator_weight: float = INDICATOR_WEIGHT,  # noqa: ANN001
             C: float = EMBEDDING_C, level_C: float = LEVEL_C, lexical_weight: float = LEXICAL_WEIGHT,
             encoder: object | None = None) -> TrainedHead:
    """Fit the competency and level classifiers for ``analyzer.framework`` on labelled units plus the
    framework's indicators (weight ``indicator_weight``) and the shipped no-evidence sentences.
    ``lexical_weight``: the lexical classifier's share of the learned probabilities (0: not fitted).

    ``encoder``: an :class:`~evidence.engine.embed.Embedder` over a fine-tuned encoder whose vectors the
    competency classifier reads instead of the analyzer's (see :func:`train_head`)."""
    started = time.perf_counter()
    fw: Framework = analyzer.framework
    ind_texts, ind_labels, ind_levels = _examples_from_framework(fw)
    none_texts = [t for t in NONE_EXAMPLES.read_text(encoding="utf-8").splitlines() if t.strip()] \
        if NONE_EXAMPLES.exists() else []
    unit_texts = [u.text for u in units]
    texts = ind_texts + none_texts + unit_texts
    cues = [read_cues(t) for t in texts]
    vectors, layered = analyzer.embedder.encode_with_layers(texts)
    # the encoder is fine-tuned to tell competencies apart, not levels: levels keep the packaged vectors
    competency_encoder = encoder if encoder is not None else analyzer.embedder
    competency_vectors = encoder.encode_with_layers(texts)[1] if encoder is not None else layered
    n_ind = len(ind_texts)
    labels = ind_labels + [NONE_LABEL] * len(none_texts) + [u.competencies[0] if u.competencies else NONE_LABEL
                                                            for u in units]
    weights = np.array([indicator_weight] * (n_ind + len(none_texts)) + [1.0] * len(units), dtype=np.float32)
    # a unit with several gold competencies adds one extra example per further competency
    extra = [(i, c) for i, u in enumerate(units) for c in u.competencies[1:]]
    offset = n_ind + len(none_texts)
    X = np.hstack([competency_vectors, cue_features(cues)])
    example_texts = list(texts)
    if extra:
        X = np.vstack([X, X[[offset + i for i, _ in extra]]])
        example_texts += [unit_texts[i] for i, _ in extra]
        labels += [c for _, c in extra]
        weights = np.concatenate([weights, np.ones(len(extra), dtype=np.float32)])
    classifier = EvidenceClassifier(C=C).fit(X, labels, sample_weight=weights)
    lexical = LexicalClassifier().fit(example_texts, labels, sample_weight=weights) if lexical_weight > 0 else None

    levelled = [i for i, level in enumerate(ind_levels) if level]
    level_classifier = fit_level_classifier(
        vectors[levelled], [texts[i] for i in levelled], [ind_levels[i] for i in levelled], units, vectors[offset:],
        indicator_weight=indicator_weight, C=level_C)
    levelled_examples = len(levelled) + sum(len(u.levels) for u in units)
    summary = TrainingSummary(examples=len(labels), corrections=len(units), indicator_examples=n_ind,
                              none_examples=len(none_texts) + sum(1 for u in units if not u.competencies),
                              competencies=len(set(labels) - {NONE_LABEL}), levelled_examples=levelled_examples,
                              seconds=round(time.perf_counter() - started, 2))
    logger.info("trained head for %s: %s", fw.id, summary)
    return TrainedHead(framework_id=fw.id, competency_ids=[c.id for c in fw.competencies], classifier=classifier,
                       lexical=lexical, lexical_weight=lexical_weight if lexical is not None else 0.0,
                       level_classifier=level_classifier, level_ranks={lv.id: i for i, lv in enumerate(fw.levels)},
                       level_exemplars=level_exemplars(fw, units, vectors[offset:]),
                       summary=summary, trust=len(units) / (len(units) + TRUST_HALF_WAY),
                       fine_tuned_encoder=encoder is not None, layered=competency_encoder.layer_features > 0,
                       encoder_path=encoder.model_path if encoder is not None else None, _embedder=encoder)


def split_holdout(units: Sequence[LabelledUnit], fraction: float, *, seed: int = 0
                  ) -> tuple[list[LabelledUnit], list[LabelledUnit]]:
    """A seeded split stratified by first label (NONE included), keeping at least one unit per label in training."""
    import random

    if not 0.0 < fraction < 1.0:
        raise ValueError(f"holdout fraction must lie in (0, 1), got {fraction}")
    by_label: dict[str, list[LabelledUnit]] = {}
    for unit in units:
        by_label.setdefault(unit.competencies[0] if unit.competencies else NONE_LABEL, []).append(unit)
    rng = random.Random(seed)
    train, held = [], []
    for label in sorted(by_label):
        group = by_label[label][:]
        rng.shuffle(group)
        n_held = int(round(len(group) * fraction)) if len(group) > 1 else 0
        held += group[:n_held]
        train += group[n_held:]
    return train, held


LEVEL_BLENDS = (0.0, 0.25, 0.5, 0.75, 1.0)


def tune_on_folds(head: TrainedHead, analyzer, units: Sequence[LabelledUnit], *, folds: int = 2,  # noqa: ANN001
                  seed: int = 0) -> TrainedHead:
    """Set the head's calibration, abstention threshold and level blend from out-of-fold predictions on
    ``units`` (a head scores its own training units too confidently).

    The calibration is :func:`fit_calibration`'s. The threshold, on calibrated probabilities, maximises
    end-to-end accuracy among those whose abstentions are at least 85% right. With a fine-tuned encoder
    the folds share it, so the threshold is somewhat optimistic. The level blend is chosen by
    :func:`choose_level_blend`. Fold heads are fitted like ``head`` (same encoder and lexical weight)."""
    import random

    from evidence.evaluation.metrics import score_predictions
    from evidence.evaluation.predict import Predictions

    units = list(units)
    head.calibration = (1.0, 0.0)  # with too few units for folds, the head scores itself: uncalibrated
    order = list(range(len(units)))
    random.Random(seed).shuffle(order)
    parts = [order[k::folds] for k in range(folds)] if len(units) >= 10 * folds else [order]
    probabilities = np.zeros((len(units), len(analyzer.framework.competencies)), dtype=np.float32)
    for part in parts:
        in_part = set(part)
        rest = [u for i, u in enumerate(units) if i not in in_part]
        fold_head = fit_head(analyzer, rest, encoder=head._embedder, lexical_weight=head.lexical_weight) \
            if len(parts) > 1 else head
        texts = [units[i].text for i in part]
        predictions = analyzer.with_head(fold_head, "fold").predict_units(texts, [read_cues(t) for t in texts])
        probabilities[part] = predictions.probabilities

    head.calibration = fit_calibration(probabilities, units, [c.id for c in analyzer.framework.competencies])
    probabilities = calibrate(probabilities, head.calibration)
    top = probabilities.max(axis=1)
    best, best_value = head.threshold, (-1, -1.0)
    for threshold in np.arange(0.1, 0.9, 0.025):
        predictions = Predictions(probabilities, top < threshold, [{} for _ in units], [set() for _ in units])
        metrics = score_predictions(analyzer.framework, units, predictions)
        # a unit's abstention should be trusted: prefer thresholds whose abstentions are mostly right
        precise = int((metrics["abstention_precision"] or 0.0) >= MIN_ABSTENTION_PRECISION)
        value = (precise, metrics["unit_accuracy"] or 0.0)
        if value > best_value:
            best, best_value = float(round(threshold, 3)), value
    head.threshold = best
    if head.level_classifier is not None:
        head.level_blend = choose_level_blend(analyzer, units, seed=seed, default=head.level_blend)
    return head


def choose_level_blend(analyzer, units: Sequence[LabelledUnit], *, folds: int = 5, seed: int = 0,  # noqa: ANN001
                       default: float = 0.5, indicator_weight: float = INDICATOR_WEIGHT,
                       level_C: float = LEVEL_C) -> float:
    """The learned level's weight against the nearest-indicator estimate that maximises exact level
    accuracy, by ``folds``-fold cross-validation of the level classifier alone over the levelled units
    (in each fold the other folds' units vote beside the indicators, as a head's exemplars do).

    A few hundred levelled corrections outweigh the framework's own indicators, a few dozen do not.
    Only the cheap level classifier is refitted per fold, so there can be enough folds for each to
    train on most of the units: with two folds, each saw half of them, its levels were weaker than the
    final classifier's, and the blend leaned on zero-shot more than held-out data showed it should.
    Ties go to the higher blend. Below ``LEVEL_BLEND_MIN_UNITS`` levelled units the blend is 0 (the
    nearest-indicator level alone)."""
    import random

    levelled = [u for u in units if u.levels]
    if len(levelled) < max(LEVEL_BLEND_MIN_UNITS, 2 * folds):
        return 0.0
    fw = analyzer.framework
    framework_texts, _, framework_levels = _examples_from_framework(fw)
    ind_texts = [t for t, level in zip(framework_texts, framework_levels, strict=True) if level]
    ind_levels = [level for level in framework_levels if level]
    ind_vectors = analyzer.embedder.encode(ind_texts) if ind_texts else np.zeros((0, 0))
    texts = [u.text for u in levelled]
    predictions = analyzer.predict_units(texts, [read_cues(t) for t in texts])
    comp_index = {c.id: i for i, c in enumerate(fw.competencies)}
    level_ranks = {lv.id: i for i, lv in enumerate(fw.levels)}
    order = list(range(len(levelled)))
    random.Random(seed).shuffle(order)
    cases: list[tuple[float, float, int]] = []  # (zero-shot rank, learned rank, gold rank)
    for k in range(folds):
        held = set(order[k::folds])
        train = [i for i in range(len(levelled)) if i not in held]
        classifier = fit_level_classifier(ind_vectors, ind_texts, ind_levels, [levelled[i] for i in train],
                                          predictions.vectors[train], indicator_weight=indicator_weight, C=level_C)
        if classifier is None:
            return default
        exemplars = level_exemplars(fw, [levelled[i] for i in train], predictions.vectors[train])
        for row in held:
            unit = levelled[row]
            learned = expected_rank(classifier, level_ranks, predictions.vectors[row], unit.text)
            for competency, level in unit.levels.items():
                estimate = analyzer.levels.estimate(
                    comp_index[competency], predictions.scores.similarities[row], float(predictions.seniority[row]),
                    unit.text, extra_votes=exemplars.votes(comp_index[competency], predictions.vectors[row]))
                if estimate is not None:
                    cases.append((estimate.rank, learned, level_ranks[level]))
    if not cases:
        return default

    def exact(blend: float) -> float:
        return float(np.mean([analyzer.levels.snap(blend * learned + (1 - blend) * zero) == gold
                              for zero, learned, gold in cases]))

    return max(LEVEL_BLENDS, key=lambda b: (round(exact(b), 6), b))


@dataclass
class TrainResult:
    version: str
    promoted: bool
    forced: bool
    better: bool
    new_metrics: dict
    current_metrics: dict
    current_version: str
    summary: TrainingSummary
    fine_tuned: bool = False


def wants_fine_tuning(encoder: str, units: Sequence[LabelledUnit]) -> bool:
    """Whether ``encoder`` ('auto', 'frozen' or 'fine-tune') means fine-tuning for these training units."""
    if encoder not in ENCODER_CHOICES:
        raise InputError(f"encoder must be one of {', '.join(ENCODER_CHOICES)}, got {encoder!r}")
    return encoder == "fine-tune" or (encoder == "auto" and
                                      sum(1 for u in units if u.competencies) >= FINE_TUNE_MIN_UNITS)


def train_model(framework: Framework, units: Sequence[LabelledUnit], *, source: str, holdout: Sequence[LabelledUnit]
                | None = None, holdout_fraction: float = 0.2, force: bool = False, by: str = "",
                seed: int = 0, auto_promote: bool = True, encoder: str = "auto") -> TrainResult:
    """Train a head, compare it with the promoted model on a held-out split, save it, and promote it only if
    it scores higher (or ``force``). ``auto_promote=False`` saves without promoting, so a person can look
    at the before/after figures first (the app's Review page).

    ``encoder``: 'frozen' trains the head on the packaged encoder's vectors; 'fine-tune' first fine-tunes
    the encoder on the training units (:mod:`evidence.finetune`) and saves it with the version; 'auto'
    fine-tunes from :data:`FINE_TUNE_MIN_UNITS` labelled units on."""
    from evidence.config import user_models_dir
    from evidence.engine.analyzer import Analyzer
    from evidence.engine.embed import Embedder

    if holdout is None:
        train_units, held = split_holdout(units, holdout_fraction, seed=seed)
    else:
        train_units, held = list(units), list(holdout)
    if not held:
        raise InputError("the held-out split is empty: give more labelled units or a --holdout file")
    zero = Analyzer(framework, embedder=Embedder(memo_size=50_000))  # cross-validation re-embeds nothing
    user_models_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{framework.id}-training-", dir=user_models_dir()) as workdir:
        head = train_head(zero, train_units, encoder=encoder, workdir=Path(workdir), seed=seed)
        return _compare_and_save(framework, zero, head, held, source=source, force=force, by=by,
                                 auto_promote=auto_promote)


def train_head(zero, units: Sequence[LabelledUnit], *, encoder: str = "auto", workdir: Path,  # noqa: ANN001
               seed: int = 0, fine_tune: FineTuneSettings | None = None) -> TrainedHead:
    """Fit a head for ``zero.framework`` (a zero-shot :class:`~evidence.engine.analyzer.Analyzer`) and tune its
    abstention threshold; with fine-tuning (see :func:`wants_fine_tuning`), first fine-tune the encoder
    into ``workdir/encoder``, which must outlive the head's use. ``summary.seconds`` covers it all."""
    from evidence.engine.embed import Embedder
    from evidence.finetune import fine_tune_encoder

    started = time.perf_counter()
    head_encoder = None
    if wants_fine_tuning(encoder, units):
        folder = fine_tune_encoder(fine_tuning_examples(zero.framework, units), workdir / "encoder",
                                   settings=fine_tune or FineTuneSettings(seed=seed))
        head_encoder = Embedder(str(folder), memo_size=50_000)
    head = fit_head(zero, units, encoder=head_encoder)
    tune_on_folds(head, zero, units)
    head.summary.seconds = round(time.perf_counter() - started, 2)
    return head


def _compare_and_save(framework: Framework, zero, head: TrainedHead, held: Sequence[LabelledUnit], *,  # noqa: ANN001
                      source: str, force: bool, by: str, auto_promote: bool) -> TrainResult:
    from evidence import registry
    from evidence.evaluation.metrics import score_predictions, selection_score
    from evidence.evaluation.predict import predict_labelled

    new_analyzer = zero.with_head(head, "candidate")
    new_metrics = score_predictions(framework, held, predict_labelled(new_analyzer, held))
    # reliability before calibration: the same head with its Platt map taken off
    uncalibrated = replace(head, calibration=(1.0, 0.0))
    new_metrics["ece_uncalibrated"] = score_predictions(
        framework, held, predict_labelled(zero.with_head(uncalibrated, "candidate"), held, levels=False))["ece"]
    current_head, current_version = registry.resolve_model(framework, registry.PROMOTED)
    current = zero.with_head(current_head, current_version)
    current_metrics = score_predictions(framework, held, predict_labelled(current, held))
    better = selection_score(new_metrics) > selection_score(current_metrics)
    manifest = {"training": asdict(head.summary), "source": source, "holdout_units": len(held),
                "metrics": new_metrics, "compared_with": {"version": current_version, "metrics": current_metrics},
                "selection_score": selection_score(new_metrics),
                "current_selection_score": selection_score(current_metrics), "threshold": head.threshold,
                "calibration": head.calibration, "level_blend": head.level_blend,
                "encoder": "fine-tuned" if head.fine_tuned_encoder else "frozen"}
    encoder_folder = Path(head.encoder_path) if head.fine_tuned_encoder else None
    version = registry.save_version(framework, head, manifest, encoder_folder=encoder_folder)
    promoted = auto_promote and (better or force)
    if promoted:
        registry.promote(framework.id, version, by=by, forced=force and not better,
                         reason="better on held-out split" if better else "forced by user")
    return TrainResult(version=version, promoted=promoted, forced=promoted and not better, better=better,
                       new_metrics=new_metrics, current_metrics=current_metrics, current_version=current_version,
                       summary=head.summary, fine_tuned=head.fine_tuned_encoder)


def read_corrections_csv(path) -> list[Correction]:  # noqa: ANN001
    """Corrections exported by the store (one record per row, the Correction fields as columns)."""
    from evidence.io.tables import TableProblem, read_frame

    try:
        frame = read_frame(Path(path))
    except TableProblem as exc:
        raise InputError(f"{path}: {exc}") from exc
    fields = set(Correction.model_fields)
    records = []
    for n, row in enumerate(frame.to_dict("records"), start=2):
        data = {k: v for k, v in row.items() if k in fields and v != ""}  # an empty cell takes the default
        try:
            records.append(Correction.model_validate(data))
        except ValueError as exc:
            raise InputError(f"{path}: row {n} is not a valid correction: {exc}") from exc
    return records


def labelled_units_from_source(framework: Framework, source: str) -> list[LabelledUnit]:
    """Training units from 'store' (reviewers' decisions), a corrections CSV, or a labelled CSV."""
    from evidence.evaluation.labelled import read_labelled

    if source == "store":
        from evidence.store import Store

        corrections = Store.open().corrections(framework.id)
        if not corrections:
            raise InputError(f"the store has no review decisions for {framework.id!r} yet; review some suggestions "
                             "first, or train --from a labelled CSV")
        return units_from_corrections(corrections, framework)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file; --from takes a labelled CSV, a corrections CSV, or 'store'")
    from evidence.io.tables import read_frame

    if "decision" in {c.lower() for c in read_frame(path).columns}:
        return units_from_corrections(read_corrections_csv(path), framework)
    return read_labelled(path, framework)


# a unit this close (cosine) to one already placed or labelled is redundant, fully so at 1.0; being
# redundant costs up to REDUNDANCY_COST, the whole range of informativeness
REDUNDANT_FROM = 0.8
REDUNDANCY_COST = 3.0
GREEDY_LIMIT = 2000  # units placed one by one; the rest of a very long queue follows by informativeness alone


def review_priority(analyzer, texts: Sequence[str], *, labelled_counts: dict[str, int] | None = None,  # noqa: ANN001
                    labelled_texts: Sequence[str] = (), zero_shot=None) -> np.ndarray:  # noqa: ANN001
    """How much a reviewer's label on each unit would teach the model (higher first).

    Each unit's informativeness sums four signals, each in [0, 1]: uncertainty (the top
    suggestion's probability near the abstention threshold, and a small margin over the runner-up),
    disagreement between the zero-shot and the trained model's top competency, level doubt (see
    :func:`level_doubt`: a reviewer's label carries a level too) and rarity (few labelled examples of
    the predicted competency, or of no-evidence, so far).

    The order is then built greedily, like a reviewer's batch should be: each next unit is the most
    informative one, less a cost for being a near-duplicate of a unit already placed or labelled
    (``labelled_texts``), and each placement counts towards its predicted label's rarity. Without
    that, the top of the queue is a cluster of near-identical uncertain units, mostly no-evidence
    ones, and a batch of 25 corrections teaches little more than five would. Only near-duplicates
    pay: penalising all closeness would favour outliers, which teach little about typical writing.

    ``labelled_counts``: labelled units per competency id (``NONE`` for no-evidence). ``zero_shot``:
    a zero-shot analyzer to compare with (default: ``analyzer`` without its head). Returns one
    score per text: higher means review sooner.
    """
    if not len(texts):
        return np.zeros(0)
    cues = [read_cues(t) for t in texts]
    current = analyzer.predict_units(list(texts), cues)
    probs = current.probabilities
    rows = np.arange(len(texts))
    order = np.argsort(-probs, axis=1)
    top = probs[rows, order[:, 0]]
    second = probs[rows, order[:, 1]] if probs.shape[1] > 1 else np.zeros(len(texts))
    spread = max(analyzer.threshold, 1.0 - analyzer.threshold)
    uncertainty = 0.5 * (1.0 - np.abs(top - analyzer.threshold) / spread) + 0.5 * (1.0 - np.clip(top - second, 0, 1))
    disagreement = np.zeros(len(texts))
    if analyzer.head is not None:
        base = zero_shot or analyzer.with_head(None, "zero-shot")
        base_top = base.predict_units(list(texts), cues).probabilities.argmax(axis=1)
        disagreement = (base_top != order[:, 0]).astype(float)
    # the predicted label of each unit: a competency's column, or the last bucket for no-evidence
    ids = [c.id for c in analyzer.framework.competencies]
    predicted = np.where(top < analyzer.threshold, len(ids), order[:, 0])
    informativeness = uncertainty + disagreement + level_doubt(analyzer, current, texts, predicted)
    counts = np.array([float((labelled_counts or {}).get(key, 0)) for key in [*ids, NONE_LABEL]])
    vectors = current.vectors
    closeness = np.zeros(len(texts))
    if len(labelled_texts):
        closeness = np.clip(vectors @ analyzer.embedder.encode(list(labelled_texts)).T, 0, 1).max(axis=1)

    priority = np.empty(len(texts))
    placed = np.zeros(len(texts), dtype=bool)
    steps = min(len(texts), GREEDY_LIMIT)
    for step in range(steps):
        redundancy = np.clip((closeness - REDUNDANT_FROM) / (1.0 - REDUNDANT_FROM), 0, 1)
        gain = informativeness + 1.0 / (1.0 + counts[predicted]) - REDUNDANCY_COST * redundancy
        gain[placed] = -np.inf
        chosen = int(np.argmax(gain))
        placed[chosen] = True
        priority[chosen] = 2.0 * len(texts) - step  # every greedily placed unit outranks the rest
        counts[predicted[chosen]] += 1
        closeness = np.maximum(closeness, np.clip(vectors @ vectors[chosen], 0, 1))
    rest = np.flatnonzero(~placed)
    priority[rest] = informativeness[rest]  # at most 3: below every placed unit
    return priority


def level_doubt(analyzer, predictions, texts: Sequence[str], predicted: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """0..1 per unit: how unsure the level of its predicted competency is (0 for predicted no-evidence).

    The nearest-indicator vote (with the head's levelled units voting too) lying halfway between two
    levels, and, once a head is trained, the learned level disagreeing with it (by a scale step or more:
    fully)."""
    doubt = np.zeros(len(texts))
    if not analyzer.levels.has_levels:
        return doubt
    for row in np.flatnonzero(predicted < len(analyzer.framework.competencies)):
        estimate = analyzer.nearest_level(predictions, int(row), int(predicted[row]), texts[row])
        if estimate is None:
            continue
        between = 1.0 - 2.0 * abs(estimate.rank - round(estimate.rank))
        learned = None if analyzer.head is None else analyzer.head.level_rank(predictions.vectors[row], texts[row])
        doubt[row] = between if learned is None else 0.5 * between + 0.5 * min(1.0, abs(learned - estimate.rank))
    return doubt


def train_from_store(store, framework_id: str, *, by: str = "") -> TrainResult:  # noqa: ANN001
    """Train from the review decisions in ``store``; saves the new version without promoting it."""
    from evidence.frameworks.catalogue import get_framework

    framework = get_framework(framework_id)
    corrections = store.corrections(framework_id)
    if not corrections:
        raise InputError(f"no review decisions for {framework_id!r} yet: review some suggestions first")
    units = units_from_corrections(corrections, framework)
    if len(units) < 10:
        raise InputError(f"only {len(units)} reviewed units for {framework_id!r}: review at least 10 "
                         "(accepted, relabelled or marked no-evidence) before retraining")
    return train_model(framework, units, source="store", by=by, auto_promote=False)
