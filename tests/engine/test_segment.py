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
    text = "I rang [name] at [team] and agreed a plan. I like it here."
    units = segment(Document(id="r", text=text))
    assert [u.text for u in units] == ["I rang [name] at [team] and agreed a plan.", "I like it here."]


@pytest.mark.slow
def test_units_under_a_heading_of_plans_are_plans(clw_analyzer) -> None:
    """Objectives and development plans say what has not happened yet, however they are worded."""
    units = segment(Document(id="a", text=APPRAISAL))
    assert [(u.text[:12], u.cues.planned) for u in units] == [  # "Objectives for next year:" is a heading
        ("Trained six ", False), ("Attend the s", True), ("Shadow the m", True), ("I enjoyed th", False),
        ("Complete the", True)]
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


# -- what is never a unit, and sections of shortfalls (issue 15) ---------------------------------------------

LETTER = """Dear Hiring Manager,

**Appraisee:** Senior Administrator, Highways and Transport business support
Name: Sam Jones
Date: 12 March 2024

Working across teams

I brought the housing and health teams together to agree one referral route. You can reach me on [email] or [phone].

Judgement and quality
- weighed up three options with the participants and moved to a volunteer-led model

## What did not go so well
- I took on too much during the permit changeover and fell behind with filing.
- The monthly report went out late twice.

Yours sincerely, Sam
"""


def _block_texts(text: str) -> list[tuple[str, bool, bool]]:
    from evidence.engine.segment import _blocks

    return [(text[b.start:b.end], b.plans, b.shortfall) for b in _blocks(text)]


def test_headings_form_fields_and_shortfall_sections_in_blocks() -> None:
    assert _block_texts(LETTER) == [
        ("Dear Hiring Manager,", False, False),  # a sentence-level rule drops it (see below)
        ("I brought the housing and health teams together to agree one referral route. You can reach me on "
         "[email] or [phone].", False, False),
        ("weighed up three options with the participants and moved to a volunteer-led model", False, False),
        ("I took on too much during the permit changeover and fell behind with filing.", False, True),
        ("The monthly report went out late twice.", False, True),
        ("Yours sincerely, Sam", False, True)]  # under the same heading, but a sign-off: no unit


def test_a_list_without_bullets_and_a_wrapped_paragraph_keep_their_lines() -> None:
    cv = "Led a team of five\nManaged the rota\nRan the summer fair\n"
    assert [t for t, _, _ in _block_texts(cv)] == ["Led a team of five", "Managed the rota", "Ran the summer fair"]
    # a Title Case line inside a paragraph: something unfinished is above it, so it is kept, not a heading
    wrapped = "I met the\nHead of Highways and Parish Council\nclerks about the closures.\n"
    assert [t for t, _, _ in _block_texts(wrapped)] == [
        "I met the", "Head of Highways and Parish Council\nclerks about the closures."]


def test_a_plain_heading_of_plans_or_shortfalls_holds_until_the_next_heading() -> None:
    text = ("Areas for improvement\n\nThe filing backlog grew in December.\n\nWhat went well\n\n"
            "I cleared the backlog in January.\n\nDevelopment plan\n\nAttend the Excel course.\n")
    assert _block_texts(text) == [("The filing backlog grew in December.", False, True),
                                  ("I cleared the backlog in January.", False, False),
                                  ("Attend the Excel course.", True, False)]


@pytest.mark.slow
def test_contact_metadata_headings_greetings_and_sign_offs_are_not_units() -> None:
    units = segment(Document(id="letter", text=LETTER))
    assert [u.text for u in units] == [
        "I brought the housing and health teams together to agree one referral route.",
        "weighed up three options with the participants and moved to a volunteer-led model",
        "I took on too much during the permit changeover and fell behind with filing.",
        "The monthly report went out late twice."]
    assert all(LETTER[u.start:u.end] == u.text for u in units) and [u.index for u in units] == [0, 1, 2, 3]
    assert [u.cues.self_critical for u in units] == [False, False, True, True]


@pytest.mark.slow
def test_a_greeting_that_opens_a_sentence_is_left_out_of_the_unit() -> None:
    text = "Dear Hiring Manager, I have run the weekly drop-in for five years. Kind regards"
    [unit] = segment(Document(id="g", text=text))
    assert unit.text == "I have run the weekly drop-in for five years." and text[unit.start:unit.end] == unit.text


@pytest.mark.slow
def test_the_sample_appraisal_has_no_metadata_unit_and_its_shortfalls_are_self_criticism() -> None:
    from evidence.config import PACKAGE_DATA_DIR

    text = (PACKAGE_DATA_DIR / "samples" / "appraisal-narrative.md").read_text(encoding="utf-8")
    units = segment(Document(id="appraisal", text=text))
    assert not any("Appraisee" in u.text or "Review period" in u.text or "<!--" in u.text for u in units)
    critical = [u.text[:30] for u in units if u.cues.self_critical]
    assert critical == ["I took on too much during the ", "I should have asked for help s",
                        "I am not yet confident analysi", "I can spot something that look"]
