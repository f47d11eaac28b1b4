"""Splitting a document into units: offsets, bullets, wrapped lines, plans."""

from __future__ import annotations

import pytest

from evidence.domain import Actor, Document
from evidence.engine.segment import segment
from tests.factories import APPRAISAL, STATEMENT


@pytest.mark.slow
def test_segmentation_keeps_offsets_and_splits_bullets() -> None:
    doc = Document(id="d", text=STATEMENT)
    units = segment(doc)
    assert [u.text[:12] for u in units] == ["I am applying", "Set up a wee", "Trained 6 ne", "When two GP ",
                                            "I would alwa"][: len(units)] or len(units) == 5
    for unit in units:
        assert STATEMENT[unit.start:unit.end] == unit.text
    assert units[1].cues.actor is Actor.self  # CV-style fragment: implicit "I"


@pytest.mark.slow
def test_wrapped_lines_join_and_sentences_split() -> None:
    text = "I led the project for two\nyears and delivered it early. Then I trained the team."
    units = segment(Document(id="w", text=text))
    assert [u.text for u in units] == ["I led the project for two\nyears and delivered it early.",
                                       "Then I trained the team."]


@pytest.mark.slow
def test_redaction_placeholders_do_not_split_sentences() -> None:
    text = "You can reach [name] on [phone] or [email]. I like it here."
    units = segment(Document(id="r", text=text))
    assert [u.text for u in units] == ["You can reach [name] on [phone] or [email].", "I like it here."]


@pytest.mark.slow
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


# -- any length in linear time and bounded memory (issue 13: D02, D13) ---------------------------------------

def test_blocks_of_many_short_lines_are_linear() -> None:
    """200 KB of one-letter lines: each line looked at its whole block before, quadratic (D13)."""
    import time

    from evidence.engine.segment import _blocks

    started = time.perf_counter()
    [block] = list(_blocks("x\n" * 100_000))
    assert (block.start, block.end) == (0, 199_999)
    assert time.perf_counter() - started < 5.0  # ~0.2 s; it was ~90 s


def test_spacy_never_sees_a_long_token_or_chunk_and_units_are_bounded() -> None:
    """A 1.2 M-character paragraph (over spaCy's 1,000,000, E088) in chunks; offsets exact (D02)."""
    from evidence.engine.segment import CHUNK_CHARS, TOKEN_CHARS, _break_long_runs, _chunks, _unit_spans
    from evidence.io.limits import LIMITS

    text = ("I led the team and we delivered the project on time. " * 25_000)[:1_200_000]
    spans = list(_chunks(text, 0, len(text)))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b <= a + CHUNK_CHARS and b == c for (a, b), (c, _) in zip(spans, spans[1:], strict=False))
    assert all(text[b - 1:b + 1] == ". " for _, b in spans[:-1])  # cut after a full stop
    shielded = _break_long_runs("(" * 20_000 + " ordinary words " + "x" * 250)
    assert len(shielded) == 20_266 and max(len(run) for run in shielded.split()) == TOKEN_CHARS
    assert _break_long_runs(text) is text
    words = "word " * 1000
    pieces = list(_unit_spans(words, 0, len(words)))
    assert all(0 < b - a <= LIMITS.unit_chars and words[a:b] == words[a:b].strip() for a, b in pieces)
    assert " ".join(words[a:b] for a, b in pieces) == words.strip()


@pytest.mark.slow
def test_hostile_text_is_segmented_quickly_with_exact_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """D13: 40 KB of brackets took 132 s, one-letter lines 83 s and 3.4 GiB; D02: over spaCy's max_length."""
    import time

    from evidence.engine.nlp import load_spacy
    from evidence.io.limits import LIMITS

    monkeypatch.setattr(load_spacy(), "max_length", 20_000)  # spaCy's E088, reached with a small text
    for text in ["(" * 20_000 + "I led the team of five volunteers." + ")" * 20_000, "x\n" * 10_000,
                 "I led the team and we delivered the project on time " * 1_000]:
        started = time.perf_counter()
        units = segment(Document(id="h", text=text))
        assert time.perf_counter() - started < 20.0
        assert units and all(text[u.start:u.end] == u.text and len(u.text) <= LIMITS.unit_chars for u in units)
    assert segment(Document(id="na", text="N/A")) == []
