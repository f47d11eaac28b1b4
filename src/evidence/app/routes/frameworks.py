"""Frameworks: browse competencies, levels, indicators and roles; admins import new frameworks."""

from __future__ import annotations

import logging

import streamlit as st

from evidence.app import markup, session, tables, uploads
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework, list_frameworks
from evidence.frameworks.interchange import parse_levels
from evidence.frameworks.options import ColumnNames, Layout
from evidence.frameworks.problems import FIELD_LABELS
from evidence.services.auth import Permission

logger = logging.getLogger(__name__)
LAYOUT_LABELS = {"auto": "Told from the columns", "long": "Long: one indicator a row",
                 "grid": "Grid: one column per level"}
COLUMN_FIELDS = ("competency", "indicator", "level", "group", "description")
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
    # rows two lines high: the grid wraps a long indicator instead of cutting it off (walkthrough step 39)
    st.dataframe(tables.indicators_frame(framework, comp_id), hide_index=True, key=f"fw-indicators-{comp_id}",
                 row_height=56, column_config={"Level": st.column_config.TextColumn(width="small"),
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
st.caption("A table (CSV/XLSX): **long**, one indicator a row (columns such as Competency, Indicator or "
           "Behaviour, Level or Grade, Group or Cluster), or a **grid**, one competency a row and one column per "
           "level headed with the level's name, its cells listing the indicators. Also an ESCO skills CSV, a list "
           "of skill labels (.txt), 1EdTech CASE JSON, or a framework YAML/JSON file. Every problem of a file is "
           "listed at once, and nothing is saved unless the whole file reads.")
upload = st.file_uploader("Framework file", type=list(uploads.FRAMEWORK_UPLOADS), key="fw-upload")
c1, c2, c3 = st.columns(3)
new_id = c1.text_input(f"{FIELD_LABELS['id']} (optional)", key="fw-new-id",
                       help="Defaults to the file name, e.g. my-framework")
new_name = c2.text_input(f"{FIELD_LABELS['name']} (optional)", key="fw-new-name")
new_levels = c3.text_input(f"{FIELD_LABELS['levels']} (tables only)", key="fw-new-levels",
                           placeholder="Level 1, Level 2, Level 3",
                           help="The level names as the file writes them, lowest first. Default: the grid's column "
                                "order, else numbers in the names, then letters, then the file's order.")
with st.expander("How the table is laid out (when the headers do not say)"):
    d1, d2 = st.columns(2)
    new_layout = d1.selectbox(FIELD_LABELS["layout"], [layout.value for layout in Layout], key="fw-new-layout",
                              format_func=LAYOUT_LABELS.get)
    new_sheet = d2.text_input(FIELD_LABELS["sheet"], key="fw-new-sheet", placeholder="first sheet that reads",
                              help="A workbook's sheet, by name or number (1 = the first)")
    column_fields = st.columns(len(COLUMN_FIELDS))
    named = {part: box.text_input(FIELD_LABELS[f"{part}_column"], key=f"fw-new-{part}-column",
                                  placeholder="found from the headers")
             for box, part in zip(column_fields, COLUMN_FIELDS, strict=True)}
replace = st.checkbox(FIELD_LABELS["replace"], key="fw-replace")
b1, b2, _ = st.columns([1, 1, 4])
validate = b1.button("Validate", key="fw-validate", disabled=upload is None, icon=":material/rule:")
do_import = b2.button("Import", type="primary", key="fw-import", disabled=upload is None, icon=":material/upload:")
if upload is not None and (validate or do_import):
    notes: list[str] = []
    try:
        imported, path = uploads.import_uploaded_framework(
            upload.name, upload.getvalue(), framework_id=new_id.strip(), name=new_name.strip(),
            levels=parse_levels(new_levels), save=do_import, replace=replace, layout=new_layout,
            sheet=new_sheet.strip() or None, columns=ColumnNames(**named), notes=notes)
    except Exception as exc:  # noqa: BLE001 - the project's errors say what to fix; others are logged, not shown
        if not isinstance(exc, EvidenceError):
            logger.exception("Importing the framework file failed")
        # every problem of the file, one a line, each fix naming this form's fields (audience "app")
        st.error(f"The framework was not imported.\n\n{markup.problem_text(exc)}", icon=":material/error:")
    else:
        counts = tables.counts_text(imported)
        named_as = f"{markup.md_text(imported.name)} ({markup.md_text(imported.id)})"
        levels_read = markup.md_text(", ".join(lv.name for lv in imported.levels) or "none")
        if path is None:
            st.success(f"Valid: {named_as} — {counts}. Levels, lowest first: {levels_read}.",
                       icon=":material/check_circle:")
        else:
            st.success(f"Imported {named_as} — {counts}. Levels, lowest first: {levels_read}. It is now in the "
                       "framework lists.", icon=":material/check_circle:")
        if notes:
            st.info("  \n".join(markup.md_text(note) for note in notes), icon=":material/info:")
