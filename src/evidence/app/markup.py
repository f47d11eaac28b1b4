"""User text shown as text: safe HTML for ``st.html``, safe Markdown for every Markdown surface, and problems
shown without tracebacks.

A statement containing ``<script>`` shows as literal text: anything put into ``st.html`` from a statement, an
indicator or a name goes through :func:`escape_block` or a function here built on it. Streamlit renders
``st.markdown``, ``st.caption``, ``st.title``/``subheader``, alerts, toasts, expander and tab labels, metric
labels and radio options as Markdown with its own extensions, so user text interpolated there goes through
:func:`md_text` (select boxes and data frames show plain text and need nothing).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import streamlit as st

from evidence.domain import Framework, MatchedIndicator, UnitAnalysis
from evidence.errors import EvidenceError

logger = logging.getLogger(__name__)

# Background colours for highlights: light enough for black text (WCAG AA) and distinct side by side.
PALETTE = ("#ffe08a", "#a8e6cf", "#ffb3c6", "#a0c4ff", "#ffd6a5", "#cdb4db", "#b9fbc0", "#fdffb6",
           "#bde0fe", "#ffc8dd", "#caffbf", "#e2ece9")
NO_COLOUR = "#eeeeee"  # a suggestion for a competency without a colour, or a card without a suggestion
CARD_COLOUR = "#ffe08a"  # a review card's highlight when its top competency has no colour


def competency_colours(framework: Framework) -> dict[str, str]:
    """A highlight colour per competency id, in framework order (the palette repeats after twelve)."""
    return {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(framework.competencies)}


def escape_block(text: str) -> str:
    """Untrusted text as HTML that shows every character literally."""
    return html.escape(text, quote=True)


# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is never syntax: this
# stops links, images, emphasis, code, headings, lists, tables, HTML and entities, Streamlit's directives
# (":red[...]", ":blue-badge[...]", ":help[...]") and math ("$...$"). Escaping all of it, not a chosen few,
# also covers syntax added later (footnotes "[^1]", directive attributes "{...}").
MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Some rewriting happens on the *parsed* text, where an escaped character is the character again: emoji and
# icon shortcodes (":smile:", ":material/home:", ":streamlit:") and GFM's bare-URL links ("http://", "www.",
# "name@host.org"). An invisible U+2060 WORD JOINER after ":" or "@" (when a character follows) and inside
# "www." breaks those patterns without changing what the reader sees.
WORD_JOINER = "\u2060"
SHORTCODE_OR_LINK = re.compile(r"(\\[:@])(?=\S)|(?i:(www)(?=\\\.))")
# Streamlit's typographic arrows ("->" as "→", "--" as "—") also apply to parsed text; they change no
# meaning and fetch nothing, so they are left alone.


def md_text(text: object, *, keep_lines: bool = False) -> str:
    """User text (an id, a name, a file name, a sentence, framework text) as Markdown that Streamlit shows
    literally, for interpolation into any Markdown surface.

    Line breaks become spaces (a line break could start a heading, list or code block); with ``keep_lines``
    they are kept as Markdown hard breaks, and blank lines as paragraph breaks. Leading spaces of a line are
    dropped: four would start a code block.
    """
    lines = [line.lstrip() for line in str(text).splitlines()]
    escaped = [SHORTCODE_OR_LINK.sub(_join, MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", line)) for line in lines]
    return "  \n".join(escaped) if keep_lines else " ".join(escaped)


def _join(found: re.Match[str]) -> str:
    return found.group(0) + WORD_JOINER


GENERIC_PROBLEM = ("Something went wrong on our side; it has been logged for the administrator. "
                   "Please try again, and tell your admin when it happened if it goes on.")


def problem_text(exc: BaseException) -> str:
    """What a page says about a failure, as safe Markdown: the project's own errors say what was wrong and how
    to fix it; anything else gets a generic line (its details belong in the server log, not the browser)."""
    return md_text(str(exc), keep_lines=True) if isinstance(exc, EvidenceError) else GENERIC_PROBLEM


@contextmanager
def shown_problems(action: str, *, stop: bool = True) -> Iterator[None]:
    """Run a page step; if it fails, show what went wrong instead of a traceback, then stop the page.

    The project's errors (:class:`~evidence.errors.EvidenceError`) are shown with their fix; anything else is
    logged here with its traceback (``logger.exception``) and shown as :data:`GENERIC_PROBLEM`. Streamlit's
    own stop/rerun signals are ``BaseException`` and pass through. ``action`` is our own text ("Reading the
    framework"), never user text. With ``stop=False`` the page goes on after the message.
    """
    try:
        yield
    except EvidenceError as exc:
        st.error(f"{action} failed. {problem_text(exc)}", icon=":material/error:")
    except Exception as exc:
        logger.exception("%s failed", action)
        st.error(f"{action} failed. {problem_text(exc)}", icon=":material/error:")
    else:
        return
    if stop:
        st.stop()


def highlight_html(text: str, units: Sequence[UnitAnalysis], colours: dict[str, str], *,
                   level_names: dict[str, str] | None = None) -> str:
    """The statement with each evidencing sentence highlighted in its top competency's colour.

    Every piece of the statement is escaped before markup is added around it; units whose offsets
    do not fit the text are shown unhighlighted rather than trusted.
    """
    level_names = level_names or {}
    parts, cursor = [], 0
    for ua in sorted(units, key=lambda u: u.unit.start):
        start, end = ua.unit.start, ua.unit.end
        if not (ua.suggestions or ua.counter_evidence) or start < cursor or end > len(text) or start >= end:
            continue
        parts.append(escape_block(text[cursor:start]))
        parts.append(_mark(text[start:end], ua, colours, level_names))
        cursor = end
    parts.append(escape_block(text[cursor:]))
    return ('<div class="ev-statement" style="white-space:pre-wrap;line-height:1.75;font-size:1rem;'
            'padding:1rem 1.2rem;border:1px solid #e6e6e6;border-radius:8px;background:#fff;color:#1f1f1f">'
            + "".join(parts) + "</div>")


def _mark(fragment: str, ua: UnitAnalysis, colours: dict[str, str], level_names: dict[str, str]) -> str:
    if not ua.suggestions:  # counter-evidence only: flagged, never credited
        s = ua.counter_evidence[0]
        title = f"Counter-evidence for {s.competency_name or s.competency}: {s.indicator.text}"
        return (f'<span title="{escape_block(title)}" style="text-decoration:underline wavy #c0392b;'
                f'text-underline-offset:4px">{escape_block(fragment)}</span>')
    s = ua.suggestions[0]
    name = s.competency_name or s.competency
    level = f" · {level_names.get(s.level, f'level {s.level}')}" if s.level else ""
    title = f"{name}{level} ({s.score:.0%}) — matches: {s.indicator.text}"
    colour = colours.get(s.competency, NO_COLOUR)
    badge = f"{name}{level}"
    return (f'<mark title="{escape_block(title)}" style="background:{colour};padding:0.1em 0.2em;'
            f'border-radius:4px">{escape_block(fragment)}<sup style="font-size:0.68em;font-weight:600;'
            f'margin-left:0.35em;color:#333;white-space:nowrap">{escape_block(badge)}</sup></mark>')


def legend_html(framework: Framework, colours: dict[str, str], used: Iterable[str] | None = None) -> str:
    """Colour chips naming the competencies (only those in ``used`` when given)."""
    wanted = set(used) if used is not None else None
    style = ("padding:0.15em 0.6em;border-radius:999px;margin:0 0.4em 0.4em 0;display:inline-block;"
             "font-size:0.85em;color:#1f1f1f")
    chips = [f'<span style="background:{colours[c.id]};{style}">{escape_block(c.name)}</span>'
             for c in framework.competencies if wanted is None or c.id in wanted]
    return '<div style="line-height:2">' + "".join(chips) + "</div>" if chips else ""


def top_competencies(units: Iterable[UnitAnalysis]) -> set[str]:
    """The competencies a statement's highlights show (each sentence's top suggestion): the legend's chips."""
    return {ua.suggestions[0].competency for ua in units if ua.suggestions}


def context_html(before: str, text: str, after: str, colour: str = CARD_COLOUR) -> str:
    """A review card's sentence between its neighbours, all escaped."""
    muted = "color:#6b6b6b"
    return ('<div style="line-height:1.75;font-size:1.02rem;padding:0.8rem 1rem;border-left:4px solid '
            f'{colour};background:#fafafa;border-radius:4px;white-space:pre-wrap">'
            + (f'<span style="{muted}">{escape_block(before)} </span>' if before else "")
            + f'<mark style="background:{colour};padding:0.1em 0.2em;border-radius:4px">{escape_block(text)}</mark>'
            + (f'<span style="{muted}"> {escape_block(after)}</span>' if after else "") + "</div>")


def sentences_html(sentences: Iterable[tuple[str, str, float]]) -> str:
    """My evidence's supporting sentences as a list: each quoted, with the indicator it matches and the score."""
    return "<ul style='line-height:1.6'>" + "".join(
        f"<li>“{escape_block(sentence)}”<br><span style='color:#6b6b6b;font-size:0.9em'>matches: "
        f"{escape_block(indicator)} ({score:.0%})</span></li>"
        for sentence, indicator, score in sentences) + "</ul>"


def indicators_html(indicators: Iterable[MatchedIndicator]) -> str:
    """Indicators as a bulleted list (what the next level still needs)."""
    return "<ul style='line-height:1.6'>" + "".join(f"<li>{escape_block(i.text)}</li>" for i in indicators) + "</ul>"


STATEMENT_BOX_HEIGHT = "28vh"  # the statement scrolls inside this box, so the card's buttons stay above the fold
# at 1366x768 (walkthrough step 47: the buttons started at y = 948 px)


def statement_html(text: str, start: int, end: int, colour: str = CARD_COLOUR) -> str | None:
    """A review card's whole statement, escaped, with the unit at ``start:end`` highlighted; None when the offsets
    do not fit the text (the card then shows the unit between its neighbours). The page's script scrolls the
    highlight into view inside the box."""
    if not 0 <= start < end <= len(text):
        return None
    return (f'<div class="ev-card-statement" style="max-height:{STATEMENT_BOX_HEIGHT};overflow-y:auto;'
            'line-height:1.65;font-size:1rem;padding:0.6rem 0.9rem;border-left:4px solid '
            f'{colour};background:#fafafa;border-radius:4px;white-space:pre-wrap;color:#4a4a4a">'
            + escape_block(text[:start])
            + f'<mark style="background:{colour};color:#111;padding:0.1em 0.2em;border-radius:4px;font-weight:500">'
            + escape_block(text[start:end]) + "</mark>" + escape_block(text[end:]) + "</div>")
