"""Safe HTML and Markdown (evidence.app.markup): user text is escaped before markup is added, problems hide details."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from evidence.app import markup
from evidence.domain import MatchedIndicator
from evidence.errors import InputError
from evidence.frameworks.catalogue import get_framework
from tests.factories import FRAMEWORK, MARKDOWN_PAYLOADS, make_analysis

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


# -- Markdown (reliability review, D14) ------------------------------------------------------------------


def rendered(markdown: str) -> str:
    """CommonMark with GFM tables and strikethrough: the syntax Streamlit's Markdown starts from."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def shown_text(markdown: str) -> str:
    """What a reader sees: the rendered HTML's text, without the invisible word joiners."""
    text = re.sub(r"<[^>]+>", "", rendered(markdown))
    return html.unescape(text).replace(markup.WORD_JOINER, "").strip()


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_md_text_shows_every_markdown_payload_literally(payload: str) -> None:
    out = rendered(f"**Document {markup.md_text(payload)}** · sentence 1")
    body = out.removeprefix("<p><strong>Document ").split("</strong>")[0]
    assert not re.search(r"<(a|img|em|strong|code|h\d|li|ul|table|del)\b", body), body
    assert shown_text(markup.md_text(payload)) == " ".join(line.strip() for line in payload.splitlines())


def test_md_text_breaks_streamlits_directives_shortcodes_and_bare_links() -> None:
    """Streamlit turns ":red[x]" into styled text, ":smile:"/":material/home:" into icons and bare URLs/emails
    into links, partly after parsing, where an escaped character is the character again: a word joiner after
    ":" and "@" and inside "www." breaks each pattern."""
    out = markup.md_text(":red[RED] :smile: :material/home: http://e.vil/x www.e.vil a@e.vil")
    assert shown_text(out) == ":red[RED] :smile: :material/home: http://e.vil/x www.e.vil a@e.vil"
    seen = html.unescape(re.sub(r"<[^>]+>", "", rendered(out)))  # the text Streamlit's plugins would rewrite
    assert not re.search(r":[\w-]+[:\[]", seen)  # no directive or shortcode left (emoji, icon, colour)
    assert not re.search(r"https?://|www\.|\w@\w", seen)  # no bare link or email left
    assert "\\:" in out and "\\[" in out


def test_md_text_keeps_or_folds_line_breaks() -> None:
    assert markup.md_text("# one\n    two") == "\\# one two"  # no heading, no code block
    assert markup.md_text("a\n\nb", keep_lines=True) == "a  \n  \nb"
    assert "<p>a</p>" in rendered(markup.md_text("a\n\nb", keep_lines=True))


def test_problems_show_the_projects_errors_and_hide_everything_else() -> None:
    assert markup.problem_text(InputError("batch.csv: no text column; name one with --text")) == (
        "batch\\.csv\\: no text column\\; name one with \\-\\-text")
    assert markup.problem_text(RuntimeError("/srv/secret/path.py line 3")) == markup.GENERIC_PROBLEM
