"""Training from labelled units and corrections; versioned models promoted only when better; rollback."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from evidence.domain import Correction, DecisionKind, Document
from evidence.engine.analyzer import Analyzer
from evidence.engine.levels import LevelExemplars
from evidence.errors import InputError
from evidence.evaluation.labelled import read_labelled
from evidence.evaluation.metrics import score_predictions
from evidence.evaluation.predict import predict_labelled
from evidence.frameworks.catalogue import get_framework, store_imported
from evidence.frameworks.interchange import import_framework
from evidence.learn import (
    LEVEL_BLEND_MIN_UNITS,
    EvidenceClassifier,
    LexicalClassifier,
    calibrate,
    fit_calibration,
    fit_head,
    train_model,
    units_from_corrections,
)
from evidence.registry import (
    list_versions,
    promoted_version,
    resolve_model,
    rollback,
    show_version,
)

pytestmark = pytest.mark.slow

TOPICS = {
    "budgeting": ["balanced the budget", "cut spending on agency staff", "tracked invoices against the forecast",
                  "found savings in the supplies contract", "reported the monthly spend to the board"],
    "coaching": ["coached a new colleague", "gave feedback to a trainee after each shift",
                 "mentored two apprentices", "ran practice sessions for the new starters",
                 "helped a colleague prepare for her interview"],
    "safeguarding": ["reported a safeguarding concern", "made a referral to adult social care",
                     "checked the DBS status of volunteers", "followed the child protection procedure",
                     "raised an alert about a vulnerable client"],
}
OPENERS = ["Last year I", "In my current job I", "At the food bank I", "Every week I", "During the audit I",
           "When we were short staffed I"]


def _table(tmp_path: Path) -> Path:
    """Three competencies whose indicators are worded alike: zero-shot cannot tell them apart, training can."""
    rows = ["competency,indicator,level"]
    for topic in TOPICS:
        rows += [f"{topic.capitalize()},Carries out the routine tasks of this area,1",
                 f"{topic.capitalize()},Leads and improves this area for others,2"]
    path = tmp_path / "tiny.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _labelled(tmp_path: Path, name: str, *, seed: int, wrong: bool = False, n: int = 36) -> Path:
    """Seeded synthetic units; the level follows the phrase (its first three are level 1, the rest level 2)."""
    rng = random.Random(seed)
    topics = list(TOPICS)
    lines = ["text,competency,level"]
    for i in range(n):
        topic = topics[i % 3]
        label = topics[(i + 1) % 3] if wrong else topic
        phrase = rng.randrange(len(TOPICS[topic]))
        text = f"{rng.choice(OPENERS)} {TOPICS[topic][phrase]} ({i})"
        lines.append(f"{text},{label},{'1' if phrase < 3 else '2'}")
    lines += [f"I applied because I like the area ({i}),NONE," for i in range(4)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def tiny(fresh_home: Path, tmp_path: Path):
    fw = import_framework(_table(tmp_path), framework_id="tiny", name="Tiny")
    store_imported(fw)
    return get_framework("tiny")


def test_classifier_follows_the_estimator_contract() -> None:
    from sklearn.base import clone

    X = np.random.default_rng(0).normal(size=(40, 5))
    y = ["a" if v > 0 else "b" for v in X[:, 0]]
    model = EvidenceClassifier(C=2.0)
    assert clone(model).get_params() == {"C": 2.0, "max_iter": 3000}
    model.fit(X, y)
    assert list(model.classes_) == ["a", "b"] and model.predict_proba(X).shape == (40, 2)
    assert (model.predict(X) == np.array(y)).mean() > 0.9


def test_lexical_classifier_learns_domain_words_and_stays_small() -> None:
    """Word forms it never saw in training ('reconciliations') still count through character n-grams."""
    from sklearn.base import clone

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


def test_calibration_makes_an_underconfident_score_mean_what_it_says() -> None:
    """Top scores around 0.4 that are right four times in five are lifted toward 0.8, ranks unchanged."""
    from evidence.evaluation.labelled import LabelledUnit

    rng = np.random.default_rng(0)
    probabilities = rng.uniform(0.0, 0.2, size=(400, 4)).astype(np.float32)
    probabilities[:, 0] = rng.uniform(0.3, 0.5, size=400)
    units = [LabelledUnit(text=str(i), competencies=["a" if rng.random() < 0.8 else "b"]) for i in range(400)]
    calibration = fit_calibration(probabilities, units, ["a", "b", "c", "d"])
    calibrated = calibrate(probabilities, calibration)
    assert (np.argsort(-calibrated, axis=1) == np.argsort(-probabilities, axis=1)).all()
    assert abs(calibrated[:, 0].mean() - 0.8) < 0.05
    assert calibrate(probabilities, (1.0, 0.0)) is probabilities
    # scores that fall as correctness rises (noise from a dozen units) must never reverse the ranking
    reversed_units = [LabelledUnit(text=str(i), competencies=["b"]) for i in range(400)]
    assert fit_calibration(probabilities, reversed_units, ["a", "b", "c", "d"]) == (1.0, 0.0)
    assert fit_calibration(probabilities[:20], units[:20], ["a", "b", "c", "d"]) == (1.0, 0.0)


def test_better_model_promoted_worse_not_and_rollback_restores(tiny, tmp_path: Path) -> None:
    holdout = read_labelled(_labelled(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    good = read_labelled(_labelled(tmp_path, "good.csv", seed=1, n=60), tiny)
    first = train_model(tiny, good, source="good.csv", holdout=holdout, encoder="frozen")
    assert first.promoted and promoted_version("tiny") == first.version
    assert first.new_metrics["top1"] >= first.current_metrics["top1"]
    # reliability is reported before and after calibration, and kept in the manifest
    assert show_version("tiny", first.version)["metrics"]["ece_uncalibrated"] == first.new_metrics["ece_uncalibrated"]
    assert 0.0 <= first.new_metrics["ece_uncalibrated"] <= 1.0
    # the levels follow the wording, which the indicators do not show: cross-validation trusts the learned level
    assert show_version("tiny", first.version)["level_blend"] >= 0.75

    bad = read_labelled(_labelled(tmp_path, "bad.csv", seed=3, wrong=True), tiny)
    second = train_model(tiny, bad, source="bad.csv", holdout=holdout)
    assert not second.promoted, "a model trained on wrong labels must not replace a better one"
    assert promoted_version("tiny") == first.version
    assert {v["version"] for v in list_versions("tiny")} == {first.version, second.version}

    doc = Document(id="d", text="Last year I mentored two apprentices.")
    head, version = resolve_model(tiny)
    trained = Analyzer(tiny, head=head, model_version=version).analyse_document(doc)
    assert {s.model_version for u in trained.units for s in u.suggestions} <= {first.version}

    assert rollback("tiny") == "zero-shot"
    head, version = resolve_model(tiny)
    restored = Analyzer(tiny, head=head, model_version=version).analyse_document(doc)
    zero = Analyzer(tiny, model_version="zero-shot").analyse_document(doc)
    assert restored.model_dump() == zero.model_dump()


def test_a_few_dozen_levelled_units_leave_levels_to_the_indicators(tiny, tmp_path: Path) -> None:
    holdout = read_labelled(_labelled(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    # the same kind of data as above, where 60 units earn the learned level a blend of 0.75 or more
    few = read_labelled(_labelled(tmp_path, "few.csv", seed=1, n=40), tiny)
    assert len([u for u in few if u.levels]) < LEVEL_BLEND_MIN_UNITS
    result = train_model(tiny, few, source="few.csv", holdout=holdout, encoder="frozen")
    assert show_version("tiny", result.version)["level_blend"] == 0.0


def test_levelled_units_vote_on_the_level_beside_the_indicators(tiny, tmp_path: Path) -> None:
    """The tiny framework's indicators say nothing of which phrases are level 2; reviewers' levelled units
    do, and units written like them get their level."""
    units = read_labelled(_labelled(tmp_path, "train.csv", seed=1, n=36), tiny)
    holdout = read_labelled(_labelled(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    zero = Analyzer(tiny, model_version="zero-shot")
    head = fit_head(zero, units)
    assert len(head.level_exemplars.ranks) == sum(len(u.levels) for u in units)
    head.level_blend = 0.0  # the nearest-indicator vote alone, so the exemplars are what is measured
    with_exemplars = score_predictions(tiny, holdout, predict_labelled(zero.with_head(head, "t"), holdout))
    head.level_exemplars = None
    without = score_predictions(tiny, holdout, predict_labelled(zero.with_head(head, "t"), holdout))
    assert with_exemplars["level_exact"] >= 0.9 > without["level_exact"] + 0.2


def test_the_competency_classifier_reads_layer_features_and_older_heads_the_sentence_vector(tiny, tmp_path: Path
                                                                                            ) -> None:
    units = read_labelled(_labelled(tmp_path, "train.csv", seed=1, n=36), tiny)
    zero = Analyzer(tiny, model_version="zero-shot")
    head = fit_head(zero, units)
    texts = ["Last year I mentored two apprentices.", "I balanced the budget."]
    vectors, layered = zero.embedder.encode_with_layers(texts)
    assert head.layered and layered.shape[1] > vectors.shape[1]
    assert head.classifier.model_.coef_.shape[1] == layered.shape[1] + 4  # the layers, then four cues
    assert head.unit_vectors(texts, vectors, layered) is layered
    head.layered = False  # a head trained before layer features existed
    assert head.unit_vectors(texts, vectors, layered) is vectors


def test_level_exemplars_need_a_competency_and_rank_per_vector() -> None:
    with pytest.raises(ValueError, match="one competency and rank per vector"):
        LevelExemplars(vectors=np.zeros((3, 4), dtype=np.float32), competencies=np.zeros(3, dtype=np.int32),
                       ranks=np.zeros(2, dtype=np.int32))
    exemplars = LevelExemplars(vectors=np.eye(3, dtype=np.float32), competencies=np.array([0, 1, 0]),
                               ranks=np.array([2, 0, 1]))
    similarities, ranks = exemplars.votes(0, np.array([1.0, 0.0, 0.0], dtype=np.float32))
    assert similarities.tolist() == [1.0, 0.0] and ranks.tolist() == [2, 1]


def test_review_priority_spreads_a_batch_over_topics_and_skips_what_is_labelled(tiny) -> None:
    """A near-duplicate cluster must not fill the top of the queue, nor a unit already labelled."""
    from evidence.learn import review_priority

    cluster = [f"Every week I coached a new colleague on shift {i}" for i in range(6)]
    others = ["Last year I reported a safeguarding concern", "During the audit I balanced the budget"]
    labelled = "At the food bank I tracked invoices against the forecast"
    texts = cluster + others + [labelled]
    priority = review_priority(Analyzer(tiny), texts, labelled_texts=[labelled])
    order = [texts[i] for i in np.argsort(-priority)]
    assert set(others) <= set(order[:3]), order
    assert order.index(labelled) > order.index(others[1]) and order.index(labelled) > 2
    assert len(set(priority.tolist())) == len(texts)  # a strict order: the queue never ties


def test_forced_promotion_is_recorded(tiny, tmp_path: Path) -> None:
    from evidence.registry import promotion_log

    holdout = read_labelled(_labelled(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    bad = read_labelled(_labelled(tmp_path, "bad.csv", seed=3, wrong=True), tiny)
    result = train_model(tiny, bad, source="bad.csv", holdout=holdout, force=True)
    assert result.promoted and result.forced
    assert promotion_log("tiny")[-1]["forced"] is True


def test_training_data_with_unknown_labels_names_the_rows(tiny, tmp_path: Path) -> None:
    path = tmp_path / "bad-labels.csv"
    path.write_text("text,competency,level\nI balanced the budget,budgeting,1\nI juggled,juggling,1\n"
                    "I coached Sam,coaching,7\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown competency 'juggling' on row\(s\) 3.*unknown level '7' on row\(s\) 4"):
        read_labelled(path, tiny)


def test_corrections_become_labelled_units(tiny) -> None:
    base = {"framework": "tiny", "reviewer": "sam", "model_version": "zero-shot"}
    corrections = [
        Correction(text="I cut agency spend", decision=DecisionKind.accepted, competency="budgeting", level="2",
                   suggested_competency="budgeting", **base),
        Correction(text="I like cats", decision=DecisionKind.no_evidence, suggested_competency="coaching", **base),
        Correction(text="I mentored Jo", decision=DecisionKind.relabelled, competency="coaching", level="1",
                   suggested_competency="budgeting", **base),
        Correction(text="I filed things", decision=DecisionKind.rejected, suggested_competency="budgeting", **base),
    ]
    units = {u.text: u for u in units_from_corrections(corrections, tiny)}
    assert units["I cut agency spend"].levels == {"budgeting": "2"}
    assert units["I like cats"].competencies == []
    assert units["I mentored Jo"].competencies == ["coaching"]
    assert "I filed things" not in units
    with pytest.raises(InputError, match="unknown competency 'juggling'"):
        units_from_corrections([Correction(text="x", decision=DecisionKind.accepted, competency="juggling",
                                           **base)], tiny)


def test_corrections_csv_feeds_training(tiny, tmp_path: Path) -> None:
    import pandas as pd

    from evidence.learn import labelled_units_from_source

    rows = [Correction(text="I cut agency spend", framework="tiny", decision=DecisionKind.relabelled,
                       competency="budgeting", level="1", suggested_competency="coaching", reviewer="sam"),
            Correction(text="I like cats", framework="tiny", decision=DecisionKind.no_evidence, reviewer="kim")]
    path = tmp_path / "corrections.csv"
    pd.DataFrame([r.model_dump(mode="json") for r in rows]).to_csv(path, index=False)
    units = {u.text: u for u in labelled_units_from_source(tiny, str(path))}
    assert units["I cut agency spend"].competencies == ["budgeting"] and units["I like cats"].competencies == []


def test_fine_tuned_encoder_is_saved_with_its_version_and_used(tiny, tmp_path: Path) -> None:
    from evidence.config import user_models_dir
    from evidence.engine.embed import Embedder

    holdout = read_labelled(_labelled(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    good = read_labelled(_labelled(tmp_path, "good.csv", seed=1), tiny)
    result = train_model(tiny, good, source="good.csv", holdout=holdout, encoder="fine-tune", force=True)
    assert result.fine_tuned and result.promoted
    assert not list(user_models_dir().glob(".tiny-training-*")), "the staging folder is removed"

    head, version = resolve_model(tiny)
    folder = Path(head.encoder_path)
    assert folder.parent.name == result.version and (folder / "model.safetensors").exists()
    texts = ["Last year I mentored two apprentices.", "I balanced the budget."]
    packaged, layered = Embedder().encode_with_layers(texts)
    tuned = head.unit_vectors(texts, packaged, layered)
    assert tuned.shape == layered.shape
    assert float((packaged * tuned[:, :packaged.shape[1]]).sum(axis=1).min()) < 0.999, "the head reads its own encoder's vectors"

    analysis = Analyzer(tiny, head=head, model_version=version).analyse_document(Document(id="d", text=texts[0]))
    assert [s.competency for s in analysis.units[0].suggestions][:1] == ["coaching"]
    assert {s.model_version for u in analysis.units for s in u.suggestions} == {result.version}
