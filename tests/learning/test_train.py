"""Training from labelled units: from ten of them, compared with the model in use by cross-validation when a
held-out split would be too small, promoted only when credibly better, forced promotion recorded, rollback, a
fine-tuned encoder saved with its version, the encoder choice validated, an imported framework taught."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence.domain import Document, Framework
from evidence.engine.analyzer import Analyzer
from evidence.errors import InputError
from evidence.evaluation.labelled import LabelledUnit, read_labelled
from evidence.evaluation.metrics import Metrics
from evidence.learning.compare import HOLDOUT_MIN_UNITS, Method
from evidence.learning.finetune import FineTuneSettings
from evidence.learning.fit import classifier_trust
from evidence.learning.registry import (
    list_versions,
    promoted_version,
    promotion_log,
    resolve_model,
    rollback,
    show_version,
)
from evidence.learning.settings import DEFAULTS
from evidence.learning.train import (
    MIN_TRAINING_UNITS,
    EncoderChoice,
    base_head,
    comparison_method,
    train_model,
    wants_fine_tuning,
)
from tests.learning.conftest import labelled_csv


def test_the_encoder_choice_decides_fine_tuning() -> None:
    few = [LabelledUnit(text=str(i), competencies=["a"]) for i in range(DEFAULTS.fine_tune_min_units - 1)]
    many = [*few, LabelledUnit(text="one more", competencies=["a"])]
    assert not wants_fine_tuning("auto", few) and wants_fine_tuning(EncoderChoice.auto, many)
    assert wants_fine_tuning("fine-tune", few) and not wants_fine_tuning(EncoderChoice.frozen, many)
    with pytest.raises(InputError, match="encoder must be one of auto, frozen, fine-tune, got 'thawed'"):
        wants_fine_tuning("thawed", few)


def test_a_held_out_split_only_where_it_would_hold_enough_units() -> None:
    assert comparison_method(10) is Method.cross_validation
    assert comparison_method(5 * HOLDOUT_MIN_UNITS - 3) is Method.cross_validation  # 49 held out
    assert comparison_method(5 * HOLDOUT_MIN_UNITS) is Method.holdout
    assert comparison_method(10, holdout_given=True) is Method.holdout_file


def test_the_first_corrections_weigh_as_much_as_zero_shot() -> None:
    assert classifier_trust(0) == 0.0 and classifier_trust(MIN_TRAINING_UNITS - 1) < 0.1
    assert classifier_trust(MIN_TRAINING_UNITS) == DEFAULTS.first_trust
    assert classifier_trust(600) == 600 / (600 + DEFAULTS.trust_half_way) > DEFAULTS.first_trust


def test_a_built_in_framework_trains_on_top_of_its_shipped_head_an_imported_one_over_zero_shot(
        tiny: Framework) -> None:
    from evidence.frameworks.catalogue import get_framework
    from evidence.learning.registry import shipped_version

    assert base_head(tiny) == (None, "zero-shot")
    builtin = get_framework("councils")
    head, version = base_head(builtin)
    assert version == shipped_version("councils") != "zero-shot"
    assert head is not None and head.summary is not None and head.summary.corrections > 100


def test_fewer_than_ten_labelled_units_say_how_many_are_needed(tiny: Framework) -> None:
    nine = [LabelledUnit(text=f"I coached a colleague ({i})", competencies=["coaching"]) for i in range(9)]
    with pytest.raises(InputError, match="only 9 labelled units: training needs at least 10"):
        train_model(tiny, nine, source="nine.csv")


@pytest.mark.slow
def test_ten_corrections_train_and_are_compared_by_cross_validation(tiny: Framework, tmp_path: Path) -> None:
    ten = read_labelled(labelled_csv(tmp_path, "ten.csv", seed=1, n=6), tiny)  # 6 with a competency, 4 NONE
    assert len(ten) == MIN_TRAINING_UNITS
    result = train_model(tiny, ten, source="ten.csv", encoder="frozen")
    comparison = result.comparison
    assert comparison is not None and comparison.method is Method.cross_validation
    assert (comparison.units, comparison.folds, comparison.top1_units) == (10, 5, 6)
    assert comparison.interval is not None and comparison.interval[0] <= comparison.difference <= comparison.interval[1]
    # six units with a competency are too few to call any gain credible: saved, not promoted
    assert not result.better and not result.promoted and promoted_version("tiny") == "zero-shot"
    manifest = show_version("tiny", result.version)
    assert manifest["comparison"]["method"] == "cross-validation" and manifest["comparison"]["units"] == 10
    assert manifest["trained_on_top_of"] == "zero-shot"  # an imported framework has no shipped head
    assert manifest["holdout_units"] == 10 and manifest["training"]["corrections"] == 10


@pytest.mark.slow
def test_a_forced_promotion_on_a_small_comparison_is_logged_with_its_reason(tiny: Framework, tmp_path: Path) -> None:
    ten = read_labelled(labelled_csv(tmp_path, "ten.csv", seed=1, n=6), tiny)
    result = train_model(tiny, ten, source="ten.csv", encoder="frozen", force=True, by="ann",
                         reason="pilot with the team")
    assert result.promoted and result.forced and not result.better
    entry = promotion_log("tiny")[-1]
    assert entry["version"] == result.version and entry["forced"] is True and entry["by"] == "ann"
    assert "pilot with the team" in entry["reason"]
    assert "5-fold cross-validation on 10 labelled units" in entry["reason"]
    assert rollback("tiny") == "zero-shot"


@pytest.mark.slow
def test_corrections_on_an_imported_framework_teach(tiny: Framework, tmp_path: Path, encoder_runtime) -> None:
    """tiny is imported from a CSV (tests/learning/conftest.py): no shipped head or data of a built-in one."""
    from evidence.config import builtin_models_dir

    # tiny's synthetic units sit on the edge of what zero-shot tells apart: the int8 encoder's small differences
    # lifted zero-shot to 27 of 30, leaving training's gain short of credible; the float32 one shows the flow
    encoder_runtime("onnx")
    assert not (builtin_models_dir() / "tiny").exists()
    units = read_labelled(labelled_csv(tmp_path, "thirty.csv", seed=1, n=30), tiny)
    result = train_model(tiny, units, source="thirty.csv", encoder="frozen")
    comparison = result.comparison
    assert comparison is not None and comparison.method is Method.cross_validation and comparison.units == 34
    assert comparison.current_version == "zero-shot" and comparison.interval is not None
    assert comparison.interval[0] > 0, comparison.summary()  # zero-shot cannot tell the topics apart; training can
    assert result.better and result.promoted and promoted_version("tiny") == result.version
    head, version = resolve_model(tiny)
    analysis = Analyzer(tiny, head=head, model_version=version).analyse_document(
        Document(id="d", text="Every week I mentored two apprentices."))
    assert [s.competency for s in analysis.units[0].suggestions][:1] == ["coaching"]


@pytest.mark.slow
def test_better_model_promoted_worse_not_and_rollback_restores(tiny: Framework, tmp_path: Path,
                                                              encoder_runtime) -> None:
    # 18 held-out units showed +17 points with a 95% interval of 0 to +33: not credible. 40 are enough
    encoder_runtime("onnx")  # as above: the flow, on the float32 encoder's vectors
    holdout = read_labelled(labelled_csv(tmp_path, "holdout.csv", seed=2, n=40), tiny)
    good = read_labelled(labelled_csv(tmp_path, "good.csv", seed=1, n=60), tiny)
    first = train_model(tiny, good, source="good.csv", holdout=holdout, encoder="frozen")
    assert first.promoted and promoted_version("tiny") == first.version
    assert first.comparison is not None and first.comparison.method is Method.holdout_file
    assert first.comparison.units == 44 and first.comparison.better, first.comparison.summary()
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
