"""The evidence engine with the real packaged model and spaCy pipeline (slow: loads both once)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.domain import Actor, Document, StarPart
from evidence.engine.cues import read_cues
from evidence.engine.embed import IndicatorIndex
from evidence.engine.segment import segment

pytestmark = pytest.mark.slow

STATEMENT = """I am applying because I love this organisation.

- Set up a weekly drop-in with the local food bank so patients could get advice without a referral
- Trained 6 new volunteers in safeguarding and checked in with each of them monthly
When two GP practices disagreed about referrals, I met both practice managers and agreed one shared form.
I would always make sure I listen to patients.
"""


def test_segmentation_keeps_offsets_and_splits_bullets() -> None:
    doc = Document(id="d", text=STATEMENT)
    units = segment(doc)
    assert [u.text[:12] for u in units] == ["I am applying", "Set up a wee", "Trained 6 ne", "When two GP ",
                                            "I would alwa"][: len(units)] or len(units) == 5
    for unit in units:
        assert STATEMENT[unit.start:unit.end] == unit.text
    assert units[1].cues.actor is Actor.self  # CV-style fragment: implicit "I"


def test_wrapped_lines_join_and_sentences_split() -> None:
    text = "I led the project for two\nyears and delivered it early. Then I trained the team."
    units = segment(Document(id="w", text=text))
    assert [u.text for u in units] == ["I led the project for two\nyears and delivered it early.",
                                       "Then I trained the team."]


def test_redaction_placeholders_do_not_split_sentences() -> None:
    text = "You can reach [name] on [phone] or [email]. I like it here."
    units = segment(Document(id="r", text=text))
    assert [u.text for u in units] == ["You can reach [name] on [phone] or [email].", "I like it here."]


APPRAISAL = """## What went well
- Trained six volunteers to run the drop-in.

## Development for next year
- Attend the safeguarding refresher course.
### Stretch
- Shadow the manager on budget monitoring.

## Comments
I enjoyed the year and ran the summer outreach sessions myself.

Objectives for next year:
- Complete the Level 3 qualification.
"""


def test_units_under_a_heading_of_plans_are_plans(clw_analyzer) -> None:
    """Objectives and development plans say what has not happened yet, however they are worded."""
    units = segment(Document(id="a", text=APPRAISAL))
    assert [(u.text[:12], u.cues.planned) for u in units] == [
        ("Trained six ", False), ("Attend the s", True), ("Shadow the m", True), ("I enjoyed th", False),
        ("Objectives f", True), ("Complete the", True)]
    assert units[1].cues.hypothetical and "a plan" in units[1].cues.describe()
    analysis = clw_analyzer.analyse_document(Document(id="a", text=APPRAISAL))
    assert all(not u.suggestions and not u.counter_evidence for u in analysis.units if u.unit.cues.planned)
    assert analysis.units[0].suggestions  # the same analysis still credits what was done


@pytest.mark.parametrize(("text", "actor", "negated", "hypothetical"), [
    ("I rewrote the referral form.", Actor.self, False, False),
    ("We rewrote the referral form.", Actor.team, False, False),
    ("My manager rewrote the referral form.", Actor.others, False, False),
    ("My manager and I rewrote the referral form.", Actor.self, False, False),
    ("The team rewrote the referral form.", Actor.others, False, False),
    ("I have never managed a budget.", Actor.self, True, False),
    ("I would make sure everyone is heard.", Actor.self, False, True),
])
def test_cues(text: str, actor: Actor, negated: bool, hypothetical: bool) -> None:
    cues = read_cues(text)
    assert (cues.actor, cues.negated, cues.hypothetical) == (actor, negated, hypothetical)


def test_cue_weight_and_star() -> None:
    own = read_cues("I cut waiting times by 30% in three months, which meant fewer complaints.")
    assert own.star is StarPart.result and own.specificity > 0.5
    assert read_cues("I would cut waiting times.").weight < own.weight


def test_analysis_suggests_explains_and_abstains(clw_analyzer) -> None:
    fw = clw_analyzer.framework
    analysis = clw_analyzer.analyse_document(Document(id="s", text=STATEMENT), role=fw.roles[0])
    by_text = {ua.unit.text[:10]: ua for ua in analysis.units}
    assert by_text["I am apply"].suggestions == []  # motivation evidences nothing
    for ua in analysis.units:
        for s in ua.suggestions:
            assert 0.0 <= s.score <= 1.0 and s.indicator.text and s.level in {"1", "2", "3", "4"}
            assert s.competency in {c.id for c in fw.competencies}
    assert {c.competency for c in analysis.coverage} == {r.competency for r in fw.roles[0].requirements}
    assert 0.0 <= analysis.match <= 1.0


def test_counter_evidence_is_flagged_not_credited(clw_analyzer) -> None:
    text = "I do not engage with people in other teams and I am not interested in what other groups do."
    ua = clw_analyzer.analyse_document(Document(id="c", text=text)).units[0]
    assert any(s.competency == "team-working" for s in ua.counter_evidence)
    assert all(s.competency != "team-working" for s in ua.suggestions)


def test_indicator_vectors_are_cached(clw_analyzer) -> None:
    started = time.perf_counter()
    again = IndicatorIndex.build(clw_analyzer.framework, clw_analyzer.embedder)
    assert time.perf_counter() - started < 2.0  # from the cache, not re-embedded (a bench measures speed)
    np.testing.assert_allclose(again.indicator_vectors, clw_analyzer.index.indicator_vectors)


def test_traced_encoder_gives_sentence_transformers_vectors(clw_analyzer) -> None:
    from evidence.engine.encoder import (
        SentenceEncoder,
        embedding_model_path,
        load_encoder,
        load_sentence_transformer,
    )

    texts = ["I set up a weekly drop-in.", "x", "When two GP practices disagreed about referrals, I met both "
             "practice managers and agreed one shared form, which cut waiting times by a third. " * 3]
    encoder = load_encoder()
    assert isinstance(encoder, SentenceEncoder)  # the trace was built and cached, not the fallback
    assert list((Path(os.environ["EVIDENCE_HOME"]) / "cache" / "encoders").glob("*.pt"))
    expected = load_sentence_transformer(str(embedding_model_path())).encode(texts, normalize_embeddings=True)
    for batch_size in (1, 2, 8):
        np.testing.assert_allclose(encoder.encode(texts, batch_size=batch_size), expected, atol=1e-5)


def test_an_encoder_that_cannot_be_traced_runs_untraced_with_the_same_vectors(clw_analyzer, monkeypatch,
                                                                              tmp_path: Path) -> None:
    import torch

    from evidence.engine import encoder as models

    def cannot_trace(folder: Path, path: Path) -> None:
        raise RuntimeError("tracing is not supported here")

    texts = ["I set up a weekly drop-in.", "When two GP practices disagreed, I met both managers."]
    traced = models.load_encoder()
    monkeypatch.setattr(models, "_build_trace", cannot_trace)
    monkeypatch.setattr(models, "_trace_path", lambda folder: tmp_path / "no-trace.pt")
    models.load_encoder.cache_clear()
    try:
        untraced = models.load_encoder()
    finally:
        models.load_encoder.cache_clear()  # later tests get the traced encoder again
    assert not isinstance(untraced.module, torch.jit.ScriptModule)
    np.testing.assert_allclose(untraced.encode(texts, layers=True), traced.encode(texts, layers=True), atol=1e-5)


def test_layer_features_are_the_unit_length_means_of_the_layers_below_the_last(clw_analyzer) -> None:
    import torch

    from evidence.engine.encoder import (
        LAYER_FEATURES,
        embedding_model_path,
        load_encoder,
        load_sentence_transformer,
    )

    texts = ["I set up a weekly drop-in.", "When two GP practices disagreed about referrals, I met both managers."]
    encoder = load_encoder()
    rows = encoder.encode(texts, batch_size=1, layers=True)
    assert encoder.layer_features == LAYER_FEATURES and rows.shape == (2, encoder.dimension * (1 + LAYER_FEATURES))
    np.testing.assert_allclose(rows[:, :encoder.dimension], encoder.encode(texts), atol=1e-6)
    model = load_sentence_transformer(str(embedding_model_path()))
    tokens = model.tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        states = model[0].auto_model(**tokens, output_hidden_states=True).hidden_states
    mask = tokens["attention_mask"].unsqueeze(-1).float()
    for k in range(1, 1 + LAYER_FEATURES):
        mean = torch.nn.functional.normalize((states[-1 - k] * mask).sum(1) / mask.sum(1), dim=-1).numpy()
        np.testing.assert_allclose(rows[:, k * encoder.dimension:(k + 1) * encoder.dimension], mean, atol=1e-5)


def test_next_level_gap_comes_from_the_framework(clw_analyzer) -> None:
    analysis = clw_analyzer.analyse_document(Document(id="g", text=STATEMENT))
    texts = {i.text for _, i in clw_analyzer.framework.indicators}
    for evidence in analysis.competencies:
        if evidence.gap:
            assert all(ind.text in texts for ind in evidence.gap.indicators)


def test_cli_analyse_json_contract(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(path), "--framework", "community-link-worker", "--role",
                                      "community-link-worker", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    doc = data["documents"][0]
    assert data["framework"] == "community-link-worker" and data["role"] == "community-link-worker"
    for unit in doc["units"]:
        assert STATEMENT[unit["start"]:unit["end"]] == unit["text"]
        assert {"actor", "negated", "hypothetical", "specificity", "star"} <= set(unit["cues"])
    assert {"competency", "required", "evidenced", "status"} <= set(doc["coverage"][0])


def test_cli_batch_reports_a_bad_file_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("I trained six volunteers in safeguarding.", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path), "--framework", "community-link-worker"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["good"]
    assert "broken.pdf" in data["errors"][0]


def test_docx_and_pdf_are_read(tmp_path: Path) -> None:
    import docx

    from evidence.io.documents import read_document

    document = docx.Document()
    document.add_paragraph("Supporting statement")
    document.add_paragraph("Trained six volunteers", style="List Bullet")
    document.add_heading("Development for next year", level=2)
    document.save(tmp_path / "s.docx")
    assert read_document(tmp_path / "s.docx").text == ("Supporting statement\n- Trained six volunteers\n"
                                                       "## Development for next year")


def test_evaluate_reports_every_metric(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\n"
                    "I met both practice managers and agreed one shared referral form,Networking & Relationship "
                    "Building,2\nI applied because the job is near my home,NONE,\n"
                    "I credit colleagues publicly when they do well,team working,3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--framework", "community-link-worker", "--model",
                                      "zero-shot", "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in ("top1", "top3", "macro_f1", "abstention_precision", "abstention_recall", "level_exact",
                "level_within_one", "level_mae", "ece", "rp5", "mrr"):
        assert key in metrics
    assert metrics["units"] == 3 and metrics["none_units"] == 1


def test_evaluate_rejects_unknown_labels_naming_rows(tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("text,competency,level\nA,Team Working,9\nB,Juggling,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--framework", "community-link-worker"])
    assert result.exit_code == 2
    assert "unknown competency 'Juggling' on row(s) 3" in result.output and "unknown level '9' on row(s) 2" in result.output
