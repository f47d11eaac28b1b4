"""Training from labelled units: versions promoted only when better, forced promotion recorded, rollback,
a fine-tuned encoder saved with its version, the encoder choice validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.domain import Document, Framework
from evidence.engine.analyzer import Analyzer
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit, read_labelled
from evidence.evaluation.metrics import Metrics
from evidence.learning.finetune import FineTuneSettings
from evidence.learning.registry import (
    list_versions,
    promoted_version,
    promotion_log,
    resolve_model,
    rollback,
    show_version,
)
from evidence.learning.settings import DEFAULTS
from evidence.learning.train import EncoderChoice, train_model, wants_fine_tuning
from tests.learning.conftest import labelled_csv


def test_the_encoder_choice_decides_fine_tuning() -> None:
    few = [LabelledUnit(text=str(i), competencies=["a"]) for i in range(DEFAULTS.fine_tune_min_units - 1)]
    many = [*few, LabelledUnit(text="one more", competencies=["a"])]
    assert not wants_fine_tuning("auto", few) and wants_fine_tuning(EncoderChoice.auto, many)
    assert wants_fine_tuning("fine-tune", few) and not wants_fine_tuning(EncoderChoice.frozen, many)
    with pytest.raises(InputError, match="encoder must be one of auto, frozen, fine-tune, got 'thawed'"):
        wants_fine_tuning("thawed", few)


@pytest.mark.slow
def test_better_model_promoted_worse_not_and_rollback_restores(tiny: Framework, tmp_path: Path) -> None:
    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    good = read_labelled(labelled_csv(tmp_path, "good.csv", seed=1, n=60), tiny)
    first = train_model(tiny, good, source="good.csv", holdout=holdout, encoder="frozen")
    assert first.promoted and promoted_version("tiny") == first.version
    assert isinstance(first.new_metrics, Metrics)
    assert first.new_metrics.top1 is not None and first.current_metrics.top1 is not None
    assert first.new_metrics.top1 >= first.current_metrics.top1
    # reliability is reported before and after calibration, and kept in the manifest
    uncalibrated = first.new_metrics.ece_uncalibrated
    assert show_version("tiny", first.version)["metrics"]["ece_uncalibrated"] == uncalibrated == \
        first.new_metrics["ece_uncalibrated"]
    assert uncalibrated is not None and 0.0 <= uncalibrated <= 1.0
    # the levels follow the wording, which the indicators do not show: cross-validation trusts the learned level
    assert show_version("tiny", first.version)["level_blend"] >= 0.75
    assert show_version("tiny", first.version)["head_format"] == 2

    bad = read_labelled(labelled_csv(tmp_path, "bad.csv", seed=3, wrong=True), tiny)
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


@pytest.mark.slow
def test_a_few_dozen_levelled_units_leave_levels_to_the_indicators(tiny: Framework, tmp_path: Path) -> None:
    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    # the same kind of data as above, where 60 units earn the learned level a blend of 0.75 or more
    few = read_labelled(labelled_csv(tmp_path, "few.csv", seed=1, n=40), tiny)
    assert len([u for u in few if u.levels]) < DEFAULTS.level_blend_min_units
    result = train_model(tiny, few, source="few.csv", holdout=holdout, encoder="frozen")
    assert show_version("tiny", result.version)["level_blend"] == 0.0


@pytest.mark.slow
def test_forced_promotion_is_recorded(tiny: Framework, tmp_path: Path) -> None:
    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    bad = read_labelled(labelled_csv(tmp_path, "bad.csv", seed=3, wrong=True), tiny)
    result = train_model(tiny, bad, source="bad.csv", holdout=holdout, force=True)
    assert result.promoted and result.forced
    assert promotion_log("tiny")[-1]["forced"] is True


@pytest.mark.slow
def test_fine_tuned_encoder_is_saved_with_its_version_and_used(tiny: Framework, tmp_path: Path) -> None:
    from evidence.config import user_models_dir
    from evidence.engine.embed import Embedder

    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=18), tiny)
    good = read_labelled(labelled_csv(tmp_path, "good.csv", seed=1), tiny)
    result = train_model(tiny, good, source="good.csv", holdout=holdout, encoder="fine-tune", force=True)
    assert result.fine_tuned and result.promoted
    assert not list(user_models_dir().glob(".tiny-training-*")), "the staging folder is removed"

    head, version = resolve_model(tiny)
    assert head is not None and head.encoder_path is not None
    folder = Path(head.encoder_path)
    assert folder.parent.name == result.version and (folder / "model.safetensors").exists()
    texts = ["Last year I mentored two apprentices.", "I balanced the budget."]
    packaged, layered = Embedder().encode_with_layers(texts)
    tuned = head.unit_vectors(texts, packaged, layered)
    assert tuned.shape == layered.shape
    assert float((packaged * tuned[:, :packaged.shape[1]]).sum(axis=1).min()) < 0.999, \
        "the head reads its own encoder's vectors"

    analysis = Analyzer(tiny, head=head, model_version=version).analyse_document(Document(id="d", text=texts[0]))
    assert [s.competency for s in analysis.units[0].suggestions][:1] == ["coaching"]
    assert {s.model_version for u in analysis.units for s in u.suggestions} == {result.version}
    FineTuneSettings()  # the defaults are valid
