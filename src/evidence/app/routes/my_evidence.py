"""My evidence (appraisees): what a narrative evidences, at which level, and what the next level needs.

Nothing typed or uploaded here is saved to the store: the analysis lives in this browser session only.
"""

from __future__ import annotations

import logging

import streamlit as st

from evidence.app import charts, markup, session, tables, uploads, views
from evidence.domain import Document
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.io.documents import documents_from_files
from evidence.reporting.render import analysis_to_markdown
from evidence.services.auth import Permission

logger = logging.getLogger(__name__)
user = session.require(Permission.my_evidence)

st.title("My evidence")
st.caption("Paste or upload your self-assessment. See which competencies it evidences, at which level, and "
           "what the next level still needs. Your text stays in this session; it is not saved.")

with markup.shown_problems("Listing the frameworks"):
    choices = views.framework_choices()
left, right = st.columns([3, 2], gap="large")
with left:
    upload = st.file_uploader("Upload a narrative (.txt, .md, .docx, .pdf)", type=list(uploads.UPLOAD_FILES),
                              key="mine-upload")
    text = st.text_area("…or paste it here", height=260, key="mine-text",
                        placeholder="In the last year I led the move to a new booking system…")
    if upload is not None:
        problems: list[Exception]
        try:
            docs, found = documents_from_files([(upload.name, upload.getvalue())])
            problems = list(found)
        except Exception as exc:  # noqa: BLE001 - any reader failure is shown as a message, never a traceback
            if not isinstance(exc, EvidenceError):
                logger.exception("Reading an uploaded narrative failed")
            docs, problems = [], [exc]
        for problem in problems:
            st.error(markup.problem_text(problem), icon=":material/error:")
        if docs:
            text = docs[0].text
            st.caption(f"Using the uploaded file {markup.md_text(upload.name)} ({len(text.split())} words).")
with right:
    ids = list(choices)
    preferred = views.hinted_framework(text, ids) or ids[0]
    framework_id = st.selectbox("Framework", ids, format_func=choices.get, index=ids.index(preferred),
                                key="mine-framework")
    with markup.shown_problems("Reading the framework"):
        framework = get_framework(framework_id)
    compare = st.radio("Compare against", ["A role profile", "My own target levels", "Nothing"], key="mine-compare",
                       index=0 if framework.roles else 2, horizontal=True)
    role = None
    if compare == "A role profile":
        if framework.roles:
            roles = {r.id: r.name for r in framework.roles}
            role = framework.role(st.selectbox("Role", list(roles), format_func=roles.get, key="mine-role"))
        else:
            st.info("This framework has no role profiles; set your own target levels instead.")
    elif compare == "My own target levels":
        # the column to edit comes first and narrow: beside long competency names it was scrolled out of a
        # 344 px editor at 1400 px (walkthrough B7)
        editor = st.data_editor(
            tables.targets_frame(framework), hide_index=True, key=f"mine-targets-{framework.id}",
            disabled=["Competency"], column_order=("Target level", "Competency"), width="stretch",
            column_config={"Target level": st.column_config.SelectboxColumn(
                options=[lv.id for lv in framework.scale], help="Leave empty for no target", width="small"),
                "Competency": st.column_config.TextColumn(width="large")})
        role = views.targets_role(framework, views.target_levels(framework, editor["Target level"]))
    # never disabled: a button enabled only once the text area loses focus swallowed the first click (B5)
    run = st.button("Show my evidence", type="primary", key="mine-run", icon=":material/insights:")

asked = views.narrative_inputs(text or "", framework, role)
if run and not (text or "").strip():
    st.warning("Paste your narrative or upload a file first.", icon=":material/edit_note:")
elif run:
    with st.spinner("Reading your narrative…"), markup.shown_problems("Reading your narrative"):
        analyzer = session.cached_analyzer(framework)
        document = Document(id="my-narrative", text=text, name=upload.name if upload else "My narrative")
        st.session_state["mine-analysis"] = (analyzer.analyse_document(document, role=role), framework.id, asked)

found = st.session_state.get("mine-analysis")
if not found:
    st.stop()
analysis, analysed_framework, analysed_inputs = found
if analysed_inputs != asked:  # the text, framework, role or targets changed since: say so rather than mislead (B6)
    st.warning("These results are for your earlier text or comparison. Press **Show my evidence** to update them.",
               icon=":material/update:")
with markup.shown_problems("Reading the framework"):
    framework = get_framework(analysed_framework)
competency_views = views.competency_views(analysis, framework)
evidenced = [v for v in competency_views if v.level is not None or v.sentences]

st.divider()
m1, m2, m3 = st.columns(3)
m1.metric("Competencies evidenced", f"{len(evidenced)} of {len(framework.competencies)}")
if analysis.coverage:
    met = sum(c.status.value == "met" for c in analysis.coverage)
    m2.metric("Targets met", f"{met} of {len(analysis.coverage)}")
m3.metric("Sentences read", len(analysis.units))

chart_tab, heat_tab = st.tabs(["Level per competency", "Heat map"])
with chart_tab:
    st.altair_chart(charts.level_chart(tables.level_frame(analysis, framework), framework), width="stretch")
    st.caption("Bars: the level your narrative evidences. Black ticks: the target level.")
with heat_tab:
    st.altair_chart(charts.heatmap_chart(tables.heatmap_frame(analysis, framework)), width="stretch")
    st.caption("Darker cells: stronger sentences at that level.")

st.subheader("By competency")
for view in competency_views:
    with st.expander(markup.md_text(view.title(framework.level_names)), expanded=False):
        if view.sentences:
            st.markdown(f"**Supporting sentences** (confidence {view.score:.0%})")
            st.html(markup.sentences_html(view.sentences))
        else:
            st.markdown("No sentence evidences this competency yet.")
        for sentence in view.counter:
            st.warning(f"Reads as counter-evidence: “{markup.md_text(sentence)}”", icon=":material/warning:")
        if view.needs:
            st.markdown(view.needs_heading(framework.level_names))
            st.html(markup.indicators_html(view.needs))

markdown = analysis_to_markdown(analysis, framework)
d1, d2, _ = st.columns([1, 1, 3])
d1.download_button("Download (Markdown)", markdown, file_name="my-evidence.md", mime="text/markdown",
                   icon=":material/description:", key="mine-md")
with d2, markup.shown_problems("Drawing the PDF", stop=False):
    st.download_button("Download (PDF)", session.cached_pdf_report(markdown, title="My evidence"),
                       file_name="my-evidence.pdf", mime="application/pdf", icon=":material/picture_as_pdf:",
                       key="mine-pdf")
