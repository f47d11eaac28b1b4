"""My evidence (appraisees): what a narrative evidences, at which level, and what the next level needs.

Nothing typed or uploaded here is saved to the store: the analysis lives in this browser session only.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from evidence import app_support as ui
from evidence.auth import Permission
from evidence.domain import Document
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.reporting.render import analysis_to_markdown

user = ui.require(Permission.my_evidence)
pdf_report = st.cache_data(show_spinner=False, max_entries=8)(ui.pdf_report)

st.title("My evidence")
st.caption("Paste or upload your self-assessment. See which competencies it evidences, at which level, and "
           "what the next level still needs. Your text stays in this session; it is not saved.")

choices = dict(ui.framework_choices())
left, right = st.columns([3, 2], gap="large")
with left:
    upload = st.file_uploader("Upload a narrative (.txt, .md, .docx, .pdf)", type=list(ui.UPLOAD_FILES),
                              key="mine-upload")
    text = st.text_area("…or paste it here", height=260, key="mine-text",
                        placeholder="In the last year I led the move to a new booking system…")
    if upload is not None:
        try:
            docs, problems = ui.documents_from_files([(upload.name, upload.getvalue())])
        except EvidenceError as exc:
            docs, problems = [], [str(exc)]
        for problem in problems:
            st.error(problem, icon=":material/error:")
        if docs:
            text = docs[0].text
            st.caption(f"Using the uploaded file {upload.name} ({len(text.split())} words).")
with right:
    hinted = re.search(r"<!--\s*framework:\s*([\w.-]+)\s*-->", text or "")
    ids = list(choices)
    preferred = hinted.group(1) if hinted and hinted.group(1) in choices else ids[0]
    framework_id = st.selectbox("Framework", ids, format_func=choices.get, index=ids.index(preferred),
                                key="mine-framework")
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
        levels = ui.scale(framework)
        editor = st.data_editor(
            pd.DataFrame({"Competency": [c.name for c in framework.competencies], "Target level": [None] * len(
                framework.competencies)}),
            hide_index=True, key=f"mine-targets-{framework.id}", disabled=["Competency"], column_config={
                "Target level": st.column_config.SelectboxColumn(options=levels, help="Leave empty for no target")})
        targets = {c.id: (str(v) if v else None) for c, v in zip(framework.competencies, editor["Target level"])}
        role = ui.targets_role(framework, targets)
    run = st.button("Show my evidence", type="primary", key="mine-run", disabled=not (text or "").strip(),
                    icon=":material/insights:")

if run:
    analyzer = ui.cached_analyzer(framework)
    with st.spinner("Reading your narrative…"):
        document = Document(id="my-narrative", text=text, name=upload.name if upload else "My narrative")
        st.session_state["mine-analysis"] = (analyzer.analyse_document(document, role=role), framework.id)

found = st.session_state.get("mine-analysis")
if not found:
    st.stop()
analysis, analysed_framework = found
framework = get_framework(analysed_framework)
views = ui.competency_views(analysis, framework)
evidenced = [v for v in views if v.level is not None or v.sentences]

st.divider()
m1, m2, m3 = st.columns(3)
m1.metric("Competencies evidenced", f"{len(evidenced)} of {len(framework.competencies)}")
if analysis.coverage:
    met = sum(c.status.value == "met" for c in analysis.coverage)
    m2.metric("Targets met", f"{met} of {len(analysis.coverage)}")
m3.metric("Sentences read", len(analysis.units))

chart_tab, heat_tab = st.tabs(["Level per competency", "Heat map"])
with chart_tab:
    st.altair_chart(ui.level_chart(ui.level_frame(analysis, framework), framework), width="stretch")
    st.caption("Bars: the level your narrative evidences. Black ticks: the target level.")
with heat_tab:
    st.altair_chart(ui.heatmap_chart(ui.heatmap_frame(analysis, framework)), width="stretch")
    st.caption("Darker cells: stronger sentences at that level.")

st.subheader("By competency")
level_names = {lv.id: lv.name for lv in framework.levels}
for view in views:
    shown = level_names.get(view.level, view.level) if view.level else "no level evidenced"
    target = f" · target {level_names.get(view.target, view.target)}" if view.target else ""
    with st.expander(f"{view.name} — {shown}{target}", expanded=False):
        if view.sentences:
            st.markdown(f"**Supporting sentences** (confidence {view.score:.0%})")
            st.html("<ul style='line-height:1.6'>" + "".join(
                f"<li>“{ui.escape_block(sentence)}”<br><span style='color:#6b6b6b;font-size:0.9em'>matches: "
                f"{ui.escape_block(indicator)} ({score:.0%})</span></li>"
                for sentence, indicator, score in view.sentences) + "</ul>")
        else:
            st.markdown("No sentence evidences this competency yet.")
        for sentence in view.counter:
            st.warning(f"Reads as counter-evidence: “{sentence}”", icon=":material/warning:")
        if view.needs:
            st.markdown(f"**What {level_names.get(view.next_level, view.next_level) if view.next_level else 'it'} "
                        "still needs**, for example:")
            st.html("<ul style='line-height:1.6'>" + "".join(f"<li>{ui.escape_block(i.text)}</li>"
                                                             for i in view.needs) + "</ul>")

markdown = analysis_to_markdown(analysis, framework)
d1, d2, _ = st.columns([1, 1, 3])
d1.download_button("Download (Markdown)", markdown, file_name="my-evidence.md", mime="text/markdown",
                   icon=":material/description:", key="mine-md")
d2.download_button("Download (PDF)", pdf_report(markdown, title="My evidence"), file_name="my-evidence.pdf",
                   mime="application/pdf", icon=":material/picture_as_pdf:", key="mine-pdf")
