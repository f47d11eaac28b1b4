"""Safe HTML (evidence.app.markup): statements, neighbours and indicators are escaped before markup is added."""

from __future__ import annotations

from evidence.app import markup
from evidence.domain import MatchedIndicator
from evidence.frameworks.catalogue import get_framework
from tests.factories import FRAMEWORK, make_analysis

SCRIPT = "<script>alert('x')</script>"


def test_highlighting_escapes_everything_and_keeps_offsets() -> None:
    analysis = make_analysis("X", [(f"A <b>bold</b> claim {SCRIPT}.", [("team-working", "3", 0.8)]),
                                   ("Plain & simple.", [])])
    out = markup.highlight_html(analysis.document.text, analysis.units, {"team-working": "#ffe08a"},
                              level_names={"3": "Level 3"})
    assert "<script" not in out and "<b>" not in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out and "Plain &amp; simple." in out
    assert out.count("<mark") == 1 and "Team Working · Level 3" in out


def test_highlighting_ignores_offsets_that_do_not_fit() -> None:
    analysis = make_analysis("X", [("Short.", [("team-working", "3", 0.8)])])
    out = markup.highlight_html("Sh", analysis.units, {})
    assert "<mark" not in out and "Sh" in out


def test_context_html_escapes_neighbours() -> None:
    out = markup.context_html("<i>before</i>", "x < y", SCRIPT)
    assert "&lt;i&gt;" in out and "x &lt; y" in out and "<script" not in out


def test_my_evidence_lists_escape_sentences_and_indicators() -> None:
    sentences = markup.sentences_html([(SCRIPT, "<b>indicator</b>", 0.42)])
    assert "<script" not in sentences and "&lt;b&gt;indicator&lt;/b&gt;" in sentences and "42%" in sentences
    needs = markup.indicators_html([MatchedIndicator(id="i", text="<img src=x>")])
    assert needs.count("<li>") == 1 and "<img" not in needs and "&lt;img src=x&gt;" in needs


def test_legend_shows_the_used_competencies_in_their_colours() -> None:
    framework = get_framework(FRAMEWORK)
    colours = markup.competency_colours(framework)
    assert len(colours) == len(framework.competencies) and set(colours.values()) <= set(markup.PALETTE)
    analysis = make_analysis("X", [("I led.", [("team-working", "3", 0.8)]), ("I like tea.", [])])
    used = markup.top_competencies(analysis.units)
    assert used == {"team-working"}
    legend = markup.legend_html(framework, colours, used)
    assert legend.count("<span") == 1 and colours["team-working"] in legend
    assert markup.legend_html(framework, colours, set()) == ""
