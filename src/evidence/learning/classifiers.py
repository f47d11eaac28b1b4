"""The head's scikit-learn estimators: competency-or-NONE over embeddings or words, and the level.

:class:`EvidenceClassifier` reads the sentence embeddings and :class:`LexicalClassifier` the unit's
words; both predict a competency or ``NONE`` (no evidence). :class:`LevelClassifier` predicts the level.
All follow scikit-learn's estimator contract (``get_params``/``clone``, fitted attributes ending in ``_``,
``check_is_fitted`` before predicting).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from evidence.domain import Actor, Cues
from evidence.learning.settings import DEFAULTS

CUE_FEATURES = 4  # the columns cue_features adds after a unit's vector


def cue_features(cues: Sequence[Cues]) -> np.ndarray:
    """units x 4: the cue weight and whether the unit is hypothetical, negated or about others."""
    return np.array([[c.weight, c.hypothetical, c.negated, c.actor is Actor.others] for c in cues],
                    dtype=np.float32).reshape(len(cues), CUE_FEATURES)


class EvidenceClassifier(ClassifierMixin, BaseEstimator):
    """Competency-or-NONE classifier: a logistic regression over [embedding (with layer features), cues].

    ``C``: inverse regularisation strength. The embeddings are unit-length, so they are not rescaled:
    standardising them lets a few hundred examples overfit noise dimensions (measured on the gold set).
    """

    def __init__(self, *, C: float = DEFAULTS.embedding_c, max_iter: int = 3000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> EvidenceClassifier:
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(np.asarray(X, dtype=np.float32), np.asarray(y), sample_weight=sample_weight)
        self.model_.coef_ = self.model_.coef_.astype(np.float32)  # halves a head's size; the inputs are float32
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        check_is_fitted(self)
        return self.model_.predict_proba(np.asarray(X, dtype=np.float32))

    def predict(self, X: np.ndarray) -> np.ndarray:
        proba = self.predict_proba(X)  # checks the fit first
        return self.classes_[np.argmax(proba, axis=1)]


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
        check_is_fitted(self)
        return self.model_.predict_proba(self.vectorizer_.transform(list(X)))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        proba = self.predict_proba(X)  # checks the fit first
        return self.classes_[np.argmax(proba, axis=1)]


class LevelClassifier(ClassifierMixin, BaseEstimator):
    """Level classifier over [embedding, scope cue]; its expected rank is blended with the zero-shot estimate."""

    def __init__(self, *, C: float = DEFAULTS.level_c, max_iter: int = 3000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: Sequence[str], sample_weight: np.ndarray | None = None) -> LevelClassifier:
        self.scaler_ = StandardScaler().fit(X, sample_weight=sample_weight)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(self.scaler_.transform(X), np.asarray(y), sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        check_is_fitted(self)
        return self.model_.predict_proba(self.scaler_.transform(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        proba = self.predict_proba(X)  # checks the fit first
        return self.classes_[np.argmax(proba, axis=1)]
