"""Screen applicants (recruiters): upload a batch, rank it against a role, open each applicant's evidence."""

from __future__ import annotations

import time

import streamlit as st

from evidence.app import markup, session, tables, uploads, views
from evidence.domain import slugify
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.io.documents import documents_from_table
from evidence.reporting.export import export_tables, shortlist_frame, to_csv, to_xlsx
from evidence.reporting.render import analysis_to_markdown
from evidence.services.auth import Permission
from evidence.services.screening import (
    SAMPLE_FRAMEWORK,
    default_batch_name,
    identifying_columns,
    read_upload_table,
    read_uploads,
    screen,
)

user = session.require(Permission.screen)
store = session.cached_store()

st.title("Screen applicants")
st.caption("Rank supporting statements against a role profile and see the evidence for each requirement.")

batches = store.list_batches()

# -- a new batch ---------------------------------------------------------------------------------

# open while statements are uploaded: the upload's rerun folded the form away, hiding its Screen button
with st.expander("Screen a new batch", expanded=not batches or bool(st.session_state.get("screen-upload")),
                 icon=":material/upload_file:"):
    choices = views.framework_choices()
    col_fw, col_role = st.columns(2)
    ids = list(choices)
    framework_id = col_fw.selectbox("Framework", ids, format_func=choices.get, key="screen-framework",
                                    index=ids.index(SAMPLE_FRAMEWORK) if SAMPLE_FRAMEWORK in ids else 0)
    framework = get_framework(framework_id)
    roles = {r.id: r.name for r in framework.roles}
    role_id = col_role.selectbox("Role profile", [None, *roles], key="screen-role",
                                 index=1 if roles else 0,
                                 format_func=lambda r: "No role (evidence only)" if r is None else roles[r])
    statement_uploads = st.file_uploader(
        "Statements: one CSV/XLSX table (a row per applicant) or several .docx/.pdf/.txt files",
        type=[*uploads.UPLOAD_TABLES, *uploads.UPLOAD_FILES], accept_multiple_files=True, key="screen-upload")
    documents, problems = [], []
    # Blind redaction also reads the table's other name and e-mail columns (by original id).
    extra_names: dict[str, list[str]] = {}
    extra_hints: dict[str, list[str]] = {}
    if statement_uploads:
        table_uploads = [u for u in statement_uploads if uploads.is_table(u.name)]
        with markup.shown_problems("Reading the upload", stop=False):
            if table_uploads:
                if len(statement_uploads) > 1:
                    raise EvidenceError("upload one table on its own, or several statement files without a table")
                table_upload = table_uploads[0]
                frame = read_upload_table(table_upload.name, table_upload.getvalue())
                guess_id, guess_text, guess_name = uploads.guess_columns(frame)
                columns = list(frame.columns)
                c1, c2, c3 = st.columns(3)
                id_col = c1.selectbox("Id column", columns, index=columns.index(guess_id), key="screen-id-col")
                text_col = c2.selectbox("Statement column", columns, index=columns.index(guess_text),
                                        key="screen-text-col")
                name_col = c3.selectbox("Name column (optional)", [None, *columns], key="screen-name-col",
                                        index=[None, *columns].index(guess_name),
                                        format_func=lambda c: "none" if c is None else c)
                documents, problems = documents_from_table(frame, id_column=id_col, text_column=text_col,
                                                           name_column=name_col, source=table_upload.name)
                extra_names, extra_hints = identifying_columns(frame, id_column=id_col, text_column=text_col,
                                                               name_column=name_col)
            else:
                documents, problems = read_uploads((u.name, u.getvalue()) for u in statement_uploads)
        for problem in problems:
            st.warning(markup.md_text(str(problem)), icon=":material/warning:")
        if problems and documents:
            st.caption(f"{len(documents)} statement{'s' * (len(documents) != 1)} ready to screen; "
                       f"{len(problems)} left out (see above).")
    c1, c2 = st.columns([1, 2])
    blind = c1.toggle("Blind review", value=True, key="screen-blind",
                      help="Remove names, e-mail addresses, phone numbers, postcodes and links before anyone "
                           "reads or analyses the statements, and show each applicant under a pseudonym "
                           "(\"Applicant 07\"). The originals are kept in the store. A name the statement "
                           "never introduces (a referee's, a colleague's) can remain: report anything "
                           "identifying you see.")
    suggested_name = default_batch_name([u.name for u in statement_uploads] or ["batch"], blind=blind)
    batch_name = c2.text_input("Batch name", key="screen-batch-name", placeholder=suggested_name,
                               help="Leave empty to use the name shown")
    if st.button(f"Screen {len(documents)} statement{'s' * (len(documents) != 1)}", type="primary",
                 disabled=not documents, key="screen-run", icon=":material/play_arrow:"):
        bar = st.progress(0.0, text=f"Reading {len(documents)} statements: loading the language model…")
        analyzer = session.cached_analyzer(framework)
        bar.progress(0.0, text=f"Analysing {len(documents)} statements…")
        started = time.monotonic()

        def advance(done: int, total: int) -> None:
            left = (time.monotonic() - started) / done * (total - done)
            bar.progress(done / total, text=f"Analysed {done} of {total} statements"
                                            + (f" · about {max(1, round(left))} s left" if done < total else ""))

        with markup.shown_problems("Screening the batch", stop=False):
            batch_id = screen(store, analyzer, documents, role=framework.role(role_id) if role_id else None,
                              name=batch_name.strip() or suggested_name, blind=blind, user=user.name,
                              names=extra_names, hints=extra_hints, progress=advance)
            # the Batch selector's own state names the new batch (the selector is drawn below, after this), so
            # the page, the selector and every export agree on it (walkthrough: the selector kept the old one)
            st.session_state["screen-open-batch"] = batch_id
            st.rerun()

# -- a saved batch -------------------------------------------------------------------------------

batches = store.list_batches()
if not batches:
    st.info("No batches yet. Upload statements above to screen your first batch.", icon=":material/info:")
    st.stop()
by_id = {b.id: b for b in batches}
if st.session_state.get("screen-open-batch") not in by_id:  # first visit, or the batch is gone: the newest
    st.session_state["screen-open-batch"] = next(iter(by_id))
batch_id = st.selectbox(
    "Batch", list(by_id), key="screen-open-batch",
    format_func=lambda i: f"{by_id[i].name} · {by_id[i].documents} applicants · "
                          f"{by_id[i].created_at:%d %b %Y %H:%M}{' · blind' if by_id[i].blind else ''}")
batch = by_id[batch_id]
framework = get_framework(batch.framework_id)
role = framework.role(batch.role_id) if batch.role_id else None
documents = store.documents(batch.id)
analyses = [d.analysis for d in documents]
show_names = not batch.blind

st.markdown(f":blue-badge[{len(documents)} applicants] "
            f":violet-badge[role: {markup.md_text(role.name) if role else 'none'}] "
            f":gray-badge[{markup.md_text(framework.name)}] "
            + (":green-badge[blind review: names and contact details removed]" if batch.blind else
               ":orange-badge[named review]")
            + f" :gray-badge[screened by {markup.md_text(batch.created_by or 'unknown')}]")

st.subheader("Ranked shortlist")
shortlist, widths = tables.shortlist_view(shortlist_frame(analyses, show_names=show_names))
st.dataframe(tables.style_statuses(shortlist), hide_index=True, key="screen-shortlist", column_config={
    column: (st.column_config.ProgressColumn("Overall match", min_value=0, max_value=100, format="%d%%",
                                             width=widths[column]) if column == "Match %" else
             st.column_config.Column(width=widths[column], help=f"{column}: whether the statement evidences the "
                                                                "level the role requires"
                                     if column not in tables.FIXED_WIDTHS else None))
    for column in shortlist.columns})
exports = export_tables(analyses, show_names=show_names)
downloads = st.container(horizontal=True)
slug = slugify(batch.name)
subject = f"batch:{batch.id}"
downloads.download_button("Shortlist and evidence (XLSX)", to_xlsx(exports), file_name=f"{slug}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", key="dl-xlsx",
                          on_click=session.export_recorder(store, user, subject, "shortlist_and_evidence_xlsx"))
downloads.download_button("Shortlist (CSV)", to_csv(exports["Shortlist"]), file_name=f"{slug}-shortlist.csv",
                          mime="text/csv", icon=":material/download:", key="dl-shortlist-csv",
                          on_click=session.export_recorder(store, user, subject, "shortlist_csv"))
downloads.download_button("Evidence (CSV)", to_csv(exports["Evidence"]), file_name=f"{slug}-evidence.csv",
                          mime="text/csv", icon=":material/download:", key="dl-evidence-csv",
                          on_click=session.export_recorder(store, user, subject, "evidence_csv"))

# -- one applicant -------------------------------------------------------------------------------

st.subheader("Applicant")
ranked = sorted(documents, key=lambda d: -(d.analysis.match or 0.0))
by_doc = {d.id: d for d in ranked}
order = list(by_doc)
doc_id = st.selectbox("Open an applicant", order, key=f"screen-applicant-{batch.id}",
                      format_func=lambda i: f"{order.index(i) + 1}. "
                                            f"{views.shown_document_name(by_doc[i], blind=batch.blind)}"
                                            f" — {(by_doc[i].analysis.match or 0):.0%} match")
doc = by_doc[doc_id]
analysis = doc.analysis
colours = markup.competency_colours(framework)
left, right = st.columns([7, 6], gap="large")
with left:
    st.markdown(f"#### {markup.md_text(views.shown_document_name(doc, blind=batch.blind))}")
    legend = markup.legend_html(framework, colours, markup.top_competencies(analysis.units))
    if legend:
        st.html(legend)
    st.html(markup.highlight_html(doc.shown_text, analysis.units, colours, level_names=framework.level_names))
    st.caption("Highlighted sentences evidence the competency named beside them; hover for the matching "
               "indicator. A wavy red underline marks counter-evidence.")
with right:
    if analysis.match is not None:
        st.metric("Overall match", f"{analysis.match:.0%}")
    if analysis.coverage:
        st.markdown("**Role requirements**")
        st.dataframe(tables.style_statuses(tables.coverage_frame(analysis, framework)), hide_index=True,
                     key=f"coverage-{doc.id}")
    evidence = tables.evidence_frame(analysis, framework)
    if not evidence.empty:
        st.markdown("**Evidence found**")
        st.dataframe(evidence, hide_index=True, key=f"evidence-{doc.id}", column_config={
            "Confidence %": st.column_config.ProgressColumn("Confidence", min_value=0, max_value=100, format="%d%%")})
    else:
        st.info("No competency evidence was found in this statement.")
    st.download_button("This applicant's report (Markdown)", analysis_to_markdown(analysis, framework),
                       file_name=f"{slugify(doc.external_id)}.md", mime="text/markdown", icon=":material/description:",
                       key=f"dl-md-{doc.id}",
                       on_click=session.export_recorder(store, user, f"document:{doc.id}", "applicant_report_md"))
