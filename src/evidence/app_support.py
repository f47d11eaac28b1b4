"""What the Streamlit pages need beyond widgets: loading, screening, tables, charts, exports, safe HTML.

The pages (``app.py`` and ``pages/*.py``) stay thin: they lay out widgets and call these functions,
which are plain Python and tested without a browser. Anything shown from a statement goes through
:func:`highlight_html` or :func:`escape_block`, which escape every character of the text before
adding markup, so a statement containing ``<script>`` shows as literal text.
"""

from __future__ import annotations

import html
import io
import logging
import re
import tempfile
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from evidence.auth import Permission, User
from evidence.auth import Role as UserRole
from evidence.config import REPO_DIR, SAMPLE_BATCH
from evidence.domain import (
    Document,
    DocumentAnalysis,
    Framework,
    MatchedIndicator,
    Priority,
    Requirement,
    Role,
    UnitAnalysis,
)
from evidence.errors import FrameworkError, InputError
from evidence.io.redact import redact
from evidence.reporting.render import analyses_to_rows, shortlist_rows
from evidence.store import Store, StoredDocument

logger = logging.getLogger(__name__)

SAMPLE_FRAMEWORK = "community-link-worker"
SAMPLE_ROLE = "community-link-worker"
SAMPLE_BATCH_NAME = "Sample: Community Link Worker applications"
UPLOAD_TABLES = ("csv", "tsv", "xlsx", "xls")
UPLOAD_FILES = ("txt", "md", "docx", "pdf")
FRAMEWORK_UPLOADS = ("csv", "tsv", "xlsx", "xls", "json", "yaml", "yml", "txt")
# Background colours for highlights: light enough for black text (WCAG AA) and distinct side by side.
PALETTE = ("#ffe08a", "#a8e6cf", "#ffb3c6", "#a0c4ff", "#ffd6a5", "#cdb4db", "#b9fbc0", "#fdffb6",
           "#bde0fe", "#ffc8dd", "#caffbf", "#e2ece9")


# -- loading ------------------------------------------------------------------------------------


def load_analyzer(framework: Framework, model: str = "promoted") -> Any:
    """An :class:`~evidence.engine.analyzer.Analyzer` for the framework with its promoted model (zero-shot by default)."""
    from evidence.engine.analyzer import Analyzer
    from evidence.registry import resolve_model

    head, version = resolve_model(framework, model)
    return Analyzer(framework, head=head, model_version=version)


def framework_choices() -> list[tuple[str, str]]:
    """(id, "Name (id)") for every framework, built-in first."""
    from evidence.frameworks.catalogue import list_frameworks

    return [(str(s["id"]), f"{s['name']} ({s['id']})") for s in list_frameworks()]


# -- reading uploads -----------------------------------------------------------------------------


def read_upload_table(filename: str, data: bytes) -> pd.DataFrame:
    """An uploaded CSV/TSV/XLSX as a table of strings."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix in (".xlsx", ".xls"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str)
        else:
            frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                sep="\t" if suffix == ".tsv" else ",")
    except UnicodeDecodeError as exc:
        raise InputError(f"{filename}: not UTF-8 text; in Excel use 'Save as CSV UTF-8'") from exc
    except Exception as exc:  # pandas/openpyxl raise many types for an unreadable table
        raise InputError(f"{filename}: cannot read the table ({exc}); upload a CSV or XLSX file") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(f"{filename}: the table has no rows")
    return frame.fillna("")


def guess_columns(frame: pd.DataFrame) -> tuple[str, str, str | None]:
    """Likely (id, text, name) columns: by name first, else the first column and the longest text."""
    lower = {c.lower(): c for c in frame.columns}
    id_col = next((lower[n] for n in ("id", "ref", "reference", "applicant_id", "candidate_id") if n in lower),
                  frame.columns[0])
    name_col = next((lower[n] for n in ("name", "applicant", "full_name", "candidate") if n in lower), None)
    text_named = next((lower[n] for n in ("text", "statement", "supporting_statement", "narrative") if n in lower),
                      None)
    lengths = {c: frame[c].astype(str).str.len().mean() for c in frame.columns if c not in (id_col, name_col)}
    text_col = text_named or (max(lengths, key=lengths.get) if lengths else frame.columns[-1])
    return id_col, text_col, name_col


def documents_from_frame(frame: pd.DataFrame, id_column: str, text_column: str, name_column: str | None = None,
                         *, source: str = "upload") -> tuple[list[Document], list[str]]:
    """One document per row with text; returns (documents, problems) where problems are skipped rows."""
    missing = [c for c in (id_column, text_column, name_column) if c and c not in frame.columns]
    if missing:
        raise InputError(f"{source}: no column(s) {missing}; the table has {list(frame.columns)}")
    documents, problems, seen = [], [], set()
    for row_number, row in enumerate(frame.to_dict("records"), start=2):
        doc_id = str(row[id_column]).strip() or f"row-{row_number}"
        text = str(row[text_column])
        if not text.strip():
            problems.append(f"row {row_number} ({doc_id}): no text in column {text_column!r}; skipped")
            continue
        if doc_id in seen:
            problems.append(f"row {row_number}: id {doc_id!r} repeats an earlier row; skipped (ids must be unique)")
            continue
        seen.add(doc_id)
        name = str(row[name_column]).strip() if name_column else ""
        documents.append(Document(id=doc_id, text=text, source=f"{source}:{row_number}", name=name))
    return documents, problems


def documents_from_files(files: Iterable[tuple[str, bytes]]) -> tuple[list[Document], list[str]]:
    """Uploaded .txt/.md/.docx/.pdf files as documents (one per file, id from the file name)."""
    from evidence.io.documents import read_document

    documents, problems = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for filename, data in files:
            path = Path(tmp) / Path(filename).name
            path.write_bytes(data)
            try:
                doc = read_document(path)
            except InputError as exc:
                problems.append(str(exc).replace(str(path), filename))
                continue
            documents.append(doc.model_copy(update={"source": filename, "name": ""}))
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids):
        raise InputError("two uploaded files have the same name; rename one so every applicant has its own id")
    return documents, problems


# -- screening -----------------------------------------------------------------------------------


def blind_documents(documents: Sequence[Document]) -> tuple[list[Document], dict[str, str]]:
    """Redacted copies (names, contacts, postcodes, URLs removed) and the original texts by id."""
    redacted, originals = [], {}
    for doc in documents:
        result = redact(doc.text, names=[doc.name] if doc.name else [])
        redacted.append(doc.model_copy(update={"text": result.text, "name": ""}))
        originals[doc.id] = doc.text
    return redacted, originals


def screen(store: Store, analyzer: Any, documents: Sequence[Document], *, role: Role | None, name: str,
           blind: bool = False, user: str = "", progress: Callable[[int, int], None] | None = None) -> int:
    """Analyse a batch (the redacted texts when ``blind``), save it to the store and return its id."""
    if not documents:
        raise InputError("there are no statements to screen; upload a file with at least one statement")
    framework = analyzer.framework
    originals, names = None, {d.id: d.name for d in documents if d.name}
    if blind:
        documents, originals = blind_documents(documents)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(documents))

    analyses = list(analyzer.analyse(list(documents), role=role, progress=advance))
    return store.save_batch(name, framework.id, role.id if role else None, analyses, framework=framework,
                            originals=originals, names=names, created_by=user, model_version=analyzer.model_version)


def ensure_sample_batch(store: Store, analyzer_factory: Callable[[Framework], Any], *, user: str = "demo",
                        blind: bool = True) -> tuple[int, bool]:
    """Screen the shipped sample batch into the store unless it is there; returns (batch id, created)."""
    from evidence.frameworks.catalogue import get_framework
    from evidence.io.documents import read_table_documents

    existing = store.find_batch(SAMPLE_BATCH_NAME)
    if existing is not None:
        return existing.id, False
    framework = get_framework(SAMPLE_FRAMEWORK)
    documents = read_table_documents(SAMPLE_BATCH, id_column="id", text_column="text")
    batch_id = screen(store, analyzer_factory(framework), documents, role=framework.role(SAMPLE_ROLE),
                      name=SAMPLE_BATCH_NAME, blind=blind, user=user)
    return batch_id, True


def default_batch_name(filenames: Sequence[str]) -> str:
    from datetime import datetime

    stem = Path(filenames[0]).stem if len(filenames) == 1 else f"{len(filenames)} files"
    return f"{stem} {datetime.now():%Y-%m-%d %H:%M}"


# -- the shortlist and exports -------------------------------------------------------------------


def shortlist_frame(analyses: Sequence[DocumentAnalysis], *, show_names: bool = True) -> pd.DataFrame:
    """The ranked shortlist: rank, applicant, overall match (%), met/partly/missing, one column per requirement."""
    rows = []
    for rank, row in enumerate(shortlist_rows(list(analyses)), start=1):
        out = {"Rank": rank, "Applicant": row["document"]}
        if show_names:
            out["Name"] = row["name"]
        out.update({"Match %": round(100 * (row["match"] or 0.0)), "Met": row["met"],
                    "Partly met": row["partly_met"], "Missing": row["missing"]})
        fixed = {"document", "name", "match", "met", "partly_met", "missing"}
        out.update({k: _status_cell(v) for k, v in row.items() if k not in fixed})
        rows.append(out)
    return pd.DataFrame(rows)


def _status_cell(value: str) -> str:
    """'partly met (2/3)' -> 'partly met: 2 of 3'; 'met (4/3)' -> 'met: 4'; 'missing (-/3)' -> 'missing: needs 3'."""
    match = re.match(r"(met|partly met|missing) \((.*?)/(.*?)\)", str(value))
    if not match:
        return str(value)
    status, got, need = match.groups()
    if status == "met":
        return f"met: {got}" if got != "-" else "met"
    if status == "partly met":
        return f"partly met: {got} of {need}"
    return f"missing: needs {need}" if need != "-" else "missing"


STATUS_STYLE = {"met": "background-color:#dff3e4;color:#14532d", "partly met": "background-color:#fff4d6;color:#6b4e00",
                "missing": "background-color:#fde2e1;color:#7f1d1d"}


def style_statuses(frame: pd.DataFrame) -> Any:
    """A Styler that colours met / partly met / missing cells green / amber / red."""
    def colour(value: object) -> str:
        text = str(value)
        for status in ("partly met", "missing", "met"):
            if text.startswith(status):
                return STATUS_STYLE[status]
        return ""

    return frame.style.map(colour)


def coverage_frame(analysis: DocumentAnalysis) -> pd.DataFrame:
    """One applicant's requirements: competency (desirable ones marked), required and evidenced level, status."""
    return pd.DataFrame([{
        "Competency": c.name + (" (desirable)" if c.priority is Priority.desirable else ""),
        "Required": c.required or "-", "Evidenced": c.evidenced or "-", "Status": c.status.value,
    } for c in analysis.coverage])


def evidence_frame(analysis: DocumentAnalysis) -> pd.DataFrame:
    """One applicant's evidenced competencies: level, confidence, how many sentences support it."""
    return pd.DataFrame([{
        "Competency": e.name, "Level": e.level or "-", "Confidence %": round(100 * e.score),
        "Sentences": len(e.units),
    } for e in analysis.competencies])


def export_tables(analyses: Sequence[DocumentAnalysis], *, show_names: bool = True) -> dict[str, pd.DataFrame]:
    """The shortlist, each requirement per applicant, and the evidence per sentence, as tables."""
    coverage_rows = [{"applicant": a.document.id, "competency": c.competency, "name": c.name,
                      "priority": c.priority.value, "required": c.required, "evidenced": c.evidenced,
                      "status": c.status.value, "confidence": c.score} for a in analyses for c in a.coverage]
    evidence = pd.DataFrame(analyses_to_rows(list(analyses)))
    if not evidence.empty:
        evidence = evidence[evidence["kind"] != ""]
    return {"Shortlist": shortlist_frame(analyses, show_names=show_names), "Coverage": pd.DataFrame(coverage_rows),
            "Evidence": evidence}


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Tables as one workbook, a sheet each, with readable column widths and a frozen header row."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "A2"
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 80)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")  # the BOM makes Excel read UTF-8


# -- safe display of statements -----------------------------------------------------------------


def competency_colours(framework: Framework) -> dict[str, str]:
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
    colour = colours.get(s.competency, "#eeeeee")
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


def context_html(before: str, text: str, after: str, colour: str = "#ffe08a") -> str:
    """A review card's sentence between its neighbours, all escaped."""
    muted = "color:#6b6b6b"
    return ('<div style="line-height:1.75;font-size:1.02rem;padding:0.8rem 1rem;border-left:4px solid '
            f'{colour};background:#fafafa;border-radius:4px;white-space:pre-wrap">'
            + (f'<span style="{muted}">{escape_block(before)} </span>' if before else "")
            + f'<mark style="background:{colour};padding:0.1em 0.2em;border-radius:4px">{escape_block(text)}</mark>'
            + (f'<span style="{muted}"> {escape_block(after)}</span>' if after else "") + "</div>")


def shown_document_name(doc: StoredDocument, *, blind: bool) -> str:
    return doc.external_id if blind or not doc.name else f"{doc.external_id} — {doc.name}"


# -- keyboard shortcuts --------------------------------------------------------------------------


def shortcut_script(shortcuts: dict[str, str]) -> str:
    """A script that clicks the button whose label contains the text mapped to the key pressed.

    Render it with ``st.html(script, unsafe_allow_javascript=True)``: it is fixed text with no user
    content.

    Keys are ignored while typing in a field or with a modifier held; Esc leaves the field. The
    listener sits on the app window in the capture phase (replacing any earlier copy), so a shortcut
    such as "r" reaches the page's button instead of Streamlit's own "rerun" key.
    """
    import json

    mapping = json.dumps({k.lower(): v for k, v in shortcuts.items()})
    return f"""<script>
(function () {{
  const host = window.parent;
  const doc = host.document;
  const keys = {mapping};
  if (host.__evidenceShortcuts) host.removeEventListener("keydown", host.__evidenceShortcuts, true);
  const typing = (el) => el && (el.isContentEditable || ["input", "textarea", "select"].includes(
      (el.tagName || "").toLowerCase()) || el.getAttribute && el.getAttribute("role") === "combobox");
  const handler = (event) => {{
    const active = doc.activeElement;
    if (event.key === "Escape" && typing(active) && active.getAttribute("aria-expanded") !== "true") {{
      active.blur();  // Esc leaves a field (a select's first Esc closes its menu), so shortcuts work again
      return;
    }}
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typing(event.target) || typing(doc.activeElement)) return;
    const label = keys[(event.key || "").toLowerCase()];
    if (!label) return;
    const button = Array.from(doc.querySelectorAll("button")).find(
        (b) => (b.innerText || "").includes(label) && !b.disabled);
    if (!button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    button.click();
  }};
  host.__evidenceShortcuts = handler;
  host.addEventListener("keydown", handler, true);
}})();
</script>"""


# -- my evidence ---------------------------------------------------------------------------------


def scale(framework: Framework) -> list[str]:
    """The framework's levels that indicators can carry (mid-points left out), lowest first."""
    return [lv.id for lv in framework.levels if not lv.midpoint]


def targets_role(framework: Framework, targets: dict[str, str | None]) -> Role | None:
    """A role made of an appraisee's own target level per competency (None when no target is set)."""
    requirements = [Requirement(competency=cid, level=level, priority=Priority.essential)
                    for cid, level in targets.items() if level]
    return Role(id="my-targets", name="My target levels", requirements=requirements) if requirements else None


def level_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """Per competency: evidenced level (and its position on the scale), target, status and confidence."""
    ranks = {lv.id: i + 1 for i, lv in enumerate(framework.levels)}
    evidence = {e.competency: e for e in analysis.competencies}
    coverage = {c.competency: c for c in analysis.coverage}
    rows = []
    for comp in framework.competencies:
        e, c = evidence.get(comp.id), coverage.get(comp.id)
        level = e.level if e and e.units else None
        rows.append({
            "competency": comp.name, "evidenced": level or "none",
            "evidenced_rank": ranks.get(level, 0) if level else 0, "target": (c.required or "") if c else "",
            "target_rank": ranks.get(c.required, 0) if c and c.required else None,
            "status": c.status.value if c else ("evidenced" if level or (e and e.units) else "no evidence"),
            "bar": (ranks.get(level, 0) if level else 0) or (0.12 if c else 0),  # a stub shows "missing"
            "confidence": round(e.score, 3) if e else 0.0, "sentences": len(e.units) if e else 0,
        })
    return pd.DataFrame(rows)


def heatmap_frame(analysis: DocumentAnalysis, framework: Framework) -> pd.DataFrame:
    """Competency x level: the strongest sentence's score at that level (0 where nothing was found)."""
    best: dict[tuple[str, str], float] = {}
    for ua in analysis.units:
        for s in ua.suggestions:
            key = (s.competency, s.level or "-")
            best[key] = max(best.get(key, 0.0), s.score)
    levels = scale(framework) or ["-"]
    return pd.DataFrame([{"competency": c.name, "level": lv, "score": round(best.get((c.id, lv), 0.0), 3)}
                         for c in framework.competencies for lv in levels])


def level_chart(frame: pd.DataFrame, framework: Framework) -> Any:
    """Bars: the level evidenced per competency; black ticks: the target."""
    import altair as alt

    names = [lv.id for lv in framework.levels] or ["evidenced"]
    axis = alt.Axis(values=list(range(0, len(names) + 1)), labelExpr=_rank_label_expr(names), title="Level")
    base = alt.Chart(frame).encode(y=alt.Y("competency:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    bars = base.mark_bar(cornerRadiusEnd=4, height=18).encode(
        x=alt.X("bar:Q", scale=alt.Scale(domain=[0, max(len(names), 1)]), axis=axis),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(
            domain=["met", "partly met", "missing", "evidenced", "no evidence"],
            range=["#2e9d5b", "#f0b429", "#d64545", "#4c78a8", "#bbbbbb"])),
        tooltip=["competency", "evidenced", "target", "status", alt.Tooltip("confidence:Q", format=".0%"),
                 "sentences"])
    ticks = base.mark_tick(color="#111", thickness=3, size=26).encode(x="target_rank:Q", tooltip=["target"])
    return (bars + ticks).properties(height=max(140, 34 * len(frame)))


def _rank_label_expr(names: list[str]) -> str:
    import json

    return f"datum.value == 0 ? 'none' : ({json.dumps(names)})[datum.value - 1]"


def heatmap_chart(frame: pd.DataFrame) -> Any:
    import altair as alt

    return alt.Chart(frame).mark_rect(cornerRadius=3).encode(
        x=alt.X("level:N", title="Level", sort=None), y=alt.Y("competency:N", title=None, sort=None,
                                                               axis=alt.Axis(labelLimit=320)),
        color=alt.Color("score:Q", title="Strongest sentence", scale=alt.Scale(scheme="greens", domain=[0, 1])),
        tooltip=["competency", "level", alt.Tooltip("score:Q", format=".0%")],
    ).properties(height=max(140, 30 * frame["competency"].nunique()))


@dataclass
class CompetencyView:
    """What My evidence shows for one competency."""

    id: str
    name: str
    level: str | None
    score: float
    sentences: list[tuple[str, str, float]] = field(default_factory=list)  # (sentence, indicator, score)
    counter: list[str] = field(default_factory=list)
    next_level: str | None = None
    needs: list[MatchedIndicator] = field(default_factory=list)
    target: str | None = None


def competency_views(analysis: DocumentAnalysis, framework: Framework) -> list[CompetencyView]:
    """Evidenced competencies first (strongest first), then the targeted ones with no evidence yet."""
    units = {ua.unit.index: ua for ua in analysis.units}
    targets = {c.competency: c.required for c in analysis.coverage}
    views = []
    for e in analysis.competencies:
        sentences = []
        for i in e.units:
            s = next((s for s in units[i].suggestions if s.competency == e.competency), None)
            if s is not None:
                sentences.append((units[i].unit.text, s.indicator.text, s.score))
        views.append(CompetencyView(
            id=e.competency, name=e.name, level=e.level, score=e.score, sentences=sentences,
            counter=[units[i].unit.text for i in e.counter_units],
            next_level=e.gap.next_level if e.gap else None, needs=list(e.gap.indicators) if e.gap else [],
            target=targets.get(e.competency)))
    shown = {v.id for v in views}
    for cid, required in targets.items():
        if cid not in shown:
            views.append(_unevidenced_view(framework, cid, required))
    return views


def _unevidenced_view(framework: Framework, competency_id: str, required: str | None) -> CompetencyView:
    comp = framework.competency(competency_id)
    levels = scale(framework)
    aim = required or (levels[0] if levels else None)
    examples = [MatchedIndicator(id=i.id, text=i.text, level=i.level) for i in comp.indicators
                if i.polarity.value == "positive" and (aim is None or i.level == aim)][:4]
    return CompetencyView(id=comp.id, name=comp.name, level=None, score=0.0, next_level=aim, needs=examples,
                          target=required)


def pdf_report(markdown_text: str, *, title: str = "Evidence report") -> bytes:
    """A plain A4 PDF of a Markdown report (matplotlib's PdfPages; no extra dependencies)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    lines = _pdf_lines(markdown_text)
    per_page = 58
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "evidence"}) as pdf:
        for start in range(0, max(len(lines), 1), per_page):
            fig = plt.figure(figsize=(8.27, 11.69))
            y = 0.95
            for text, size, weight in lines[start:start + per_page]:
                fig.text(0.07, y, text, fontsize=size, fontweight=weight, family="DejaVu Sans", va="top")
                y -= 0.0155 * (size / 9.5)
            fig.text(0.93, 0.03, f"page {start // per_page + 1}", fontsize=8, ha="right", color="#777")
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


def _pdf_lines(markdown_text: str) -> list[tuple[str, float, str]]:
    """Markdown lines as (text, font size, weight), wrapped to the page width."""
    out: list[tuple[str, float, str]] = []
    for raw in markdown_text.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,6})\s+(.*)", line)
        if heading:
            size = {1: 15.0, 2: 12.5}.get(len(heading.group(1)), 11.0)
            out.extend((part, size, "bold") for part in textwrap.wrap(heading.group(2), 70) or [""])
            continue
        line = line.replace("**", "").replace("_", "")
        indent = "    " if line.startswith("- ") else ""
        wrapped = textwrap.wrap(line, 100, subsequent_indent=indent) or [""]
        out.extend((part, 9.5, "normal") for part in wrapped)
    return out


# -- frameworks ----------------------------------------------------------------------------------


def levels_frame(framework: Framework) -> pd.DataFrame:
    return pd.DataFrame([{"Level": lv.id, "Name": lv.name, "Mid-point": "yes" if lv.midpoint else "",
                          "Description": lv.description} for lv in framework.levels])


def competencies_frame(framework: Framework) -> pd.DataFrame:
    groups = {g.id: g.name for g in framework.groups}
    frame = pd.DataFrame([{"Competency": c.name, "Group": groups.get(c.group or "", ""),
                           "Indicators": len(c.indicators), "Themes": len(c.themes), "Id": c.id}
                          for c in framework.competencies])
    return _drop_empty(frame, ("Group", "Themes"))


def indicators_frame(framework: Framework, competency_id: str) -> pd.DataFrame:
    comp = framework.competency(competency_id)
    themes = {t.id: t.name for t in comp.themes}
    frame = pd.DataFrame([{"Level": i.level or "", "Indicator": i.text, "Theme": themes.get(i.theme or "", ""),
                           "Polarity": i.polarity.value, "Kind": i.kind.value.replace("_", " ")}
                          for i in comp.indicators])
    return _drop_empty(frame, ("Level", "Theme"))


def _drop_empty(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Leave out optional columns with nothing in them (a framework without levels or themes)."""
    empty = [c for c in columns if c in frame.columns and not frame[c].astype(bool).any()]
    return frame.drop(columns=empty)


def roles_frame(framework: Framework, role_id: str) -> pd.DataFrame:
    role = framework.role(role_id)
    return pd.DataFrame([{"Competency": framework.competency(q.competency).name, "Level required": q.level or "",
                          "Priority": q.priority.value} for q in role.requirements])


def criteria_frame(framework: Framework, role_id: str) -> pd.DataFrame:
    role = framework.role(role_id)
    return pd.DataFrame([{"Criterion": c.text, "Priority": c.priority.value, "Category": c.category}
                         for c in role.criteria])


def import_uploaded_framework(filename: str, data: bytes, *, framework_id: str | None = None,
                              name: str | None = None, levels: list[str] | None = None,
                              save: bool = False, replace: bool = False) -> tuple[Framework, Path | None]:
    """Validate an uploaded framework file (and with ``save``, store it under $EVIDENCE_HOME)."""
    from evidence.frameworks.catalogue import store_imported
    from evidence.frameworks.interchange import import_framework

    suffix = Path(filename).suffix.lower()
    if suffix.lstrip(".") not in FRAMEWORK_UPLOADS:
        raise InputError(f"{filename}: unsupported file type; upload one of {', '.join(FRAMEWORK_UPLOADS)}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(filename).name
        path.write_bytes(data)
        try:
            framework = import_framework(path, framework_id=framework_id or None, name=name or None, levels=levels)
        except FrameworkError as exc:  # name the uploaded file, not the temporary copy
            raise FrameworkError(exc.problem, source=filename, path=exc.path, fix=exc.fix) from exc
    stored = store_imported(framework, replace=replace) if save else None
    return framework, stored


def split_levels(text: str) -> list[str] | None:
    values = [v.strip() for v in text.split(",") if v.strip()]
    return values or None


# -- Streamlit session helpers (only the pages call these) ---------------------------------------

PAGE_DIR = REPO_DIR / "pages"

if not st.runtime.exists():  # imported by the CLI (`evidence demo`): Streamlit's caches are not in use there
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)


@st.cache_resource(show_spinner="Opening the store…")
def _cached_store(url: str) -> Store:
    return Store.open(url)


def cached_store() -> Store:
    """The store for the current EVIDENCE_DATABASE_URL / EVIDENCE_HOME, opened once per server."""
    from evidence.store import default_url

    return _cached_store(default_url())


@st.cache_resource(show_spinner="Loading the language model and indexing the framework (first time only)…",
                   max_entries=4)
def _cached_analyzer(framework_id: str, content_hash: str, _framework: Framework) -> Any:
    return load_analyzer(_framework)


def cached_analyzer(framework: Framework) -> Any:
    """The analyzer for this framework version, loaded once per server (the model takes a few seconds)."""
    from evidence.store import framework_hash

    return _cached_analyzer(framework.id, framework_hash(framework), framework)


ACTIVE_LEARNING_REFRESH = 25  # recompute active-learning scores after this many more decisions


@st.cache_data(show_spinner="Ordering the queue by what the model would learn most from…", max_entries=16)
def _active_learning_scores(batch_id: int, model_key: str, bucket: int, _store: Store, _analyzer: Any,
                            framework_id: str) -> dict[int, float]:
    from evidence import review

    items = _store.suggested_units(batch_id=batch_id)
    return review.priority_scores(_analyzer, items, review.labelled_counts(_store, framework_id),
                                  review.labelled_texts(_store, framework_id))


def review_queue(store: Store, framework: Framework, *, batch_id: int, reviewer: str, reviews_needed: int,
                 limit: int = 25) -> list[Any]:
    """The review queue, in active-learning order when the learning module offers it.

    Scores are computed once per batch and model version and refreshed every
    :data:`ACTIVE_LEARNING_REFRESH` decisions, so a reviewer's next card comes without delay.
    """
    from evidence import review

    queue = store.review_queue(batch_id=batch_id, reviewer=reviewer, reviews_needed=reviews_needed)
    if not queue or not review.active_learning_available():
        return queue[:limit]
    analyzer = cached_analyzer(framework)
    decided, _ = store.progress(batch_id=batch_id)
    scores = _active_learning_scores(batch_id, f"{framework.id}:{analyzer.model_version}",
                                     decided // ACTIVE_LEARNING_REFRESH, store, analyzer, framework.id)
    return review.order_by_scores(queue, scores)[:limit]


def current_user() -> User | None:
    """The signed-in :class:`~evidence.auth.User`, or None."""
    found = st.session_state.get("user")
    if isinstance(found, dict):
        return User(found["name"], UserRole(found["role"]))
    return _sso_user()


def _sso_user() -> User | None:
    """A user signed in through st.login whose e-mail the users file gives a role."""
    from evidence.auth import oidc_configured, user_role

    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
    except Exception:  # noqa: BLE001 - st.user without an identity provider
        return None
    role = user_role(email) if email else None
    if role is None:
        return None
    set_user(User(email, role))
    return User(email, role)


def set_user(user: User) -> None:
    st.session_state["user"] = {"name": user.name, "role": user.role.value}


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def require(permission: Permission) -> User:
    """The signed-in user when they have ``permission``; otherwise explain and stop the page."""
    user = current_user()
    if user is None:
        st.warning("Please sign in to see this page.")
        st.stop()
    if not user.can(permission):
        st.error(f"Your role ({user.role.value}) cannot use this page. Ask an admin for access.")
        st.stop()
    return user


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    permission: str


PAGES = (
    PageSpec("screen.py", "Screen applicants", ":material/group_search:", "screen"),
    PageSpec("review.py", "Review suggestions", ":material/fact_check:", "review"),
    PageSpec("my_evidence.py", "My evidence", ":material/insights:", "my_evidence"),
    PageSpec("frameworks.py", "Frameworks", ":material/account_tree:", "browse_frameworks"),
)


def pages_for(user: User | None) -> list[PageSpec]:
    """The pages a user's role may open, in menu order."""
    return [p for p in PAGES if user is not None and user.can(Permission(p.permission))]



# -- the embedded default (`evidence demo`) -------------------------------------------------------


@dataclass(frozen=True)
class DemoSetup:
    store_url: str
    users_file: Path
    users_created: bool
    credentials: dict[str, tuple[UserRole, str]]
    batch_id: int
    batch_created: bool


def prepare_demo() -> DemoSetup:
    """Create the store and the demo users if missing, and screen the sample batch into the store once."""
    from evidence.auth import demo_credentials_valid, ensure_demo_users, users_path
    from evidence.store import default_url

    url = default_url()
    with Store.open(url) as store:
        created = ensure_demo_users()
        batch_id, batch_created = ensure_sample_batch(store, load_analyzer)
    return DemoSetup(store_url=url, users_file=users_path(), users_created=created is not None,
                     credentials=demo_credentials_valid(), batch_id=batch_id, batch_created=batch_created)


def app_path() -> Path:
    """The Streamlit entry point (``app.py`` beside the source tree)."""
    path = REPO_DIR / "app.py"
    if not path.exists():
        raise InputError(f"the app files are not installed ({path} is missing); run the app from a source "
                         "checkout: `streamlit run app.py`")
    return path


def serve_command(port: int, address: str = "localhost") -> list[str]:
    """The command that serves the app headless on ``address:port``."""
    import sys

    return [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.headless=true",
            f"--server.port={port}", f"--server.address={address}", "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none", "--client.toolbarMode=minimal"]
