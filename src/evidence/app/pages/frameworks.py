"""Frameworks: browse competencies, levels, indicators and roles; admins import new frameworks."""

from __future__ import annotations

import logging

import streamlit as st

from evidence.app import markup, session, tables, uploads
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework, list_frameworks
from evidence.frameworks.interchange import parse_levels
from evidence.services.auth import Permission

logger = logging.getLogger(__name__)
user = session.require(Permission.browse_frameworks)

st.title("Frameworks")
st.caption("The competency frameworks statements are read against: built-in ones and those your admins imported.")

with markup.shown_problems("Listing the frameworks"):
    summaries = {str(s["id"]): s for s in list_frameworks()}
framework_id = st.selectbox("Framework", list(summaries), key="fw-select",
                            format_func=lambda i: f"{summaries[i]['name']} ({i}, {summaries[i]['origin']})")
with markup.shown_problems("Reading the framework"):
    framework = get_framework(framework_id)
summary = summaries[framework_id]

m1, m2, m3, m4 = st.columns(4)
m1.metric("Competencies", summary["competencies"])
m2.metric("Indicators", summary["indicators"])
m3.metric("Levels", summary["levels"] or "none")
m4.metric("Role profiles", summary["roles"])
if framework.description:
    shown = framework.description[:1200] + ("…" if len(framework.description) > 1200 else "")
    st.markdown(markup.md_text(shown, keep_lines=True))  # an admin's imported text: shown as text
if framework.source:
    st.caption(f"Source: {markup.md_text(framework.source)}")

tab_comp, tab_levels, tab_roles = st.tabs(["Competencies", "Levels", "Roles"])
with tab_comp:
    st.dataframe(tables.competencies_frame(framework), hide_index=True, key="fw-competencies")
    comp_ids = [c.id for c in framework.competencies]
    comp_id = st.selectbox("Indicators of", comp_ids, key=f"fw-comp-{framework.id}",
                           format_func=lambda c: framework.competency(c).name)
    competency = framework.competency(comp_id)
    if competency.description:
        with st.expander("About this competency"):
            st.markdown(markup.md_text(competency.description, keep_lines=True))
    st.dataframe(tables.indicators_frame(framework, comp_id), hide_index=True, key=f"fw-indicators-{comp_id}",
                 column_config={"Level": st.column_config.TextColumn(width="small"),
                                "Indicator": st.column_config.TextColumn(width="large"),
                                "Polarity": st.column_config.TextColumn(width="small")})
with tab_levels:
    if framework.levels:
        st.dataframe(tables.levels_frame(framework), hide_index=True, key="fw-levels")
    else:
        st.info("This framework has no levels: evidence is matched to competencies only.")
with tab_roles:
    if not framework.roles:
        st.info("This framework has no role profiles.")
    for role in framework.roles:
        st.markdown(f"**{markup.md_text(role.name)}** ({markup.md_text(role.id)})")
        if role.requirements:
            st.dataframe(tables.roles_frame(framework, role.id), hide_index=True, key=f"fw-role-{role.id}")
        if role.criteria:
            st.dataframe(tables.criteria_frame(framework, role.id), hide_index=True, key=f"fw-criteria-{role.id}",
                         column_config={"Criterion": st.column_config.TextColumn(width="large")})

st.divider()
st.subheader("Import a framework")
if not user.can(Permission.import_frameworks):
    st.info("Only admins can import frameworks.", icon=":material/lock:")
    st.stop()
st.caption("A table (CSV/XLSX with `competency` and `indicator` columns, optionally `level`, `group`, `theme`, "
           "`polarity`), an ESCO skills CSV, a list of skill labels (.txt), 1EdTech CASE JSON, or a framework "
           "YAML/JSON file.")
upload = st.file_uploader("Framework file", type=list(uploads.FRAMEWORK_UPLOADS), key="fw-upload")
c1, c2, c3 = st.columns(3)
new_id = c1.text_input("Id (optional)", key="fw-new-id", help="Defaults to the file name, e.g. my-framework")
new_name = c2.text_input("Name (optional)", key="fw-new-name")
new_levels = c3.text_input("Levels, lowest first (tables only)", key="fw-new-levels", placeholder="1, 2, 3, 4")
replace = st.checkbox("Replace an imported framework with the same id", key="fw-replace")
b1, b2, _ = st.columns([1, 1, 4])
validate = b1.button("Validate", key="fw-validate", disabled=upload is None, icon=":material/rule:")
do_import = b2.button("Import", type="primary", key="fw-import", disabled=upload is None, icon=":material/upload:")
if upload is not None and (validate or do_import):
    try:
        imported, path = uploads.import_uploaded_framework(
            upload.name, upload.getvalue(), framework_id=new_id.strip(), name=new_name.strip(),
            levels=parse_levels(new_levels), save=do_import, replace=replace)
    except Exception as exc:  # noqa: BLE001 - the project's errors say what to fix; others are logged, not shown
        if not isinstance(exc, EvidenceError):
            logger.exception("Importing the framework file failed")
        st.error(f"The framework was not imported.\n\n{markup.problem_text(exc)}", icon=":material/error:")
    else:
        counts = tables.counts_text(imported)
        named = f"{markup.md_text(imported.name)} ({markup.md_text(imported.id)})"
        if path is None:
            st.success(f"Valid: {named} — {counts}.", icon=":material/check_circle:")
        else:
            st.success(f"Imported {named} — {counts}. It is now in the framework lists.",
                       icon=":material/check_circle:")
