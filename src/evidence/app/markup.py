"""Statements and evidence as safe HTML: every character of a user's text is escaped before markup is added.

A statement containing ``<script>`` therefore shows as literal text. Anything shown from a statement, an
indicator or a name goes through :func:`escape_block` or a function here built on it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from evidence.domain import Framework, MatchedIndicator, UnitAnalysis

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
