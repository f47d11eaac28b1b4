"""The head's estimators follow scikit-learn's contract, learn domain words, stay small, refuse to predict unfitted."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from evidence.domain import Actor, Cues
from evidence.learning.classifiers import EvidenceClassifier, LevelClassifier, LexicalClassifier, cue_features


def test_classifier_follows_the_estimator_contract() -> None:
    X = np.random.default_rng(0).normal(size=(40, 5))
    y = ["a" if v > 0 else "b" for v in X[:, 0]]
    model = EvidenceClassifier(C=2.0)
    assert clone(model).get_params() == {"C": 2.0, "max_iter": 3000}
    model.fit(X, y)
    assert list(model.classes_) == ["a", "b"] and model.predict_proba(X).shape == (40, 2)
    assert (model.predict(X) == np.array(y)).mean() > 0.9


def test_lexical_classifier_learns_domain_words_and_stays_small() -> None:
    """Word forms it never saw in training ('reconciliations') still count through character n-grams."""
    rng = random.Random(0)
    filler = ["this week", "for the team", "last month", "again", "on time", "with care"]
    topics = {"finance": ["reconciled the invoices", "reconcile supplier invoices", "checked invoice totals"],
              "people": ["coached the apprentice", "mentored a new starter", "coaching sessions for staff"]}
    texts, labels = [], []
    for label, phrases in topics.items():
        for _ in range(30):
            texts.append(f"I {rng.choice(phrases)} {rng.choice(filler)}")
            labels.append(label)
    model = LexicalClassifier(C=10.0)
    assert clone(model).get_params()["C"] == 10.0
    model.fit(texts, labels)
    assert list(model.predict(["invoice reconciliations, every Friday", "a mentoring scheme for starters"])) == [
        "finance", "people"]
    assert model.model_.coef_.dtype == np.float32
    assert all(part.stop_words_ is None for _, part in model.vectorizer_.transformer_list)


@pytest.mark.parametrize(("model", "X"), [
    (EvidenceClassifier(), np.zeros((2, 5), dtype=np.float32)),
    (LexicalClassifier(), ["I coached a colleague", "I balanced the budget"]),
    (LevelClassifier(), np.zeros((2, 5))),
])
def test_an_unfitted_classifier_refuses_to_predict(model: EvidenceClassifier, X: np.ndarray) -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict_proba(X)
    with pytest.raises(NotFittedError):
        model.predict(X)


def test_level_classifier_predicts_the_level_its_features_show() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = ["2" if v > 0 else "1" for v in X[:, 1]]
    model = LevelClassifier().fit(X, y, sample_weight=np.ones(60))
    assert (model.predict(X) == np.array(y)).mean() > 0.9


def test_cue_features_read_weight_hypothetical_negation_and_actor() -> None:
    cues = [Cues(), Cues(hypothetical=True, negated=True, actor=Actor.others)]
    features = cue_features(cues)
    assert features.shape == (2, 4) and features.dtype == np.float32
    assert features[1, 1:].tolist() == [1.0, 1.0, 1.0] and features[0, 1:].tolist() == [0.0, 0.0, 0.0]
    assert cue_features([]).shape == (0, 4)
