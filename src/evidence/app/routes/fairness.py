"""Fairness (admins only): upload a batch's self-declared demographics (kept apart from the statements, never shown
to assessors nor read by the model) and read the adverse-impact report by New York City Local Law 144's method, for
the model's overall match and, where assessors have marked, for their overall marks."""

from __future__ import annotations

import json

import streamlit as st

from evidence.app import assessment_views, markup, session, uploads
from evidence.domain import slugify
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.reporting.export import to_csv
from evidence.reporting.fairness import check_demographics, impact_markdown
from evidence.review.impact import ASSESSORS, MODEL, batch_impact
from evidence.services.auth import Permission
from evidence.services.screening import read_upload_table
from evidence.store import AuditAction

TITLES = {MODEL: "The model's overall match", ASSESSORS: "The assessors' overall marks"}

user = session.require(Permission.assess)
store = session.cached_store()

st.title("Fairness")
st.caption("Adverse impact on self-declared groups (New York City Local Law 144's method for scores). "
           "Demographics are seen by admins only: never by assessors, never by the model.")
batches = [b for b in store.list_batches() if b.role_id]
if not batches:
    st.info("No batch screened against a role yet: only those have an overall match to audit.", icon=":material/info:")
    st.stop()
by_id = {b.id: b for b in batches}
batch_id = st.selectbox("Batch", list(by_id), key="fairness-batch",
                        format_func=lambda i: f"{by_id[i].name} · {by_id[i].documents} applicants")
batch = by_id[batch_id]
framework = get_framework(batch.framework_id)
flash = st.session_state.pop("fairness-flash", None)
if flash:
    st.success(markup.md_text(flash), icon=":material/check_circle:")

# -- the demographics ---------------------------------------------------------------------------------------------

stored = store.demographics(batch_id)
with st.expander("Demographics" + (f": {stored.applicants} applicants, {len(stored.categories)} categories"
                                   if stored else ": none uploaded yet"), expanded=stored is None,
                 icon=":material/upload_file:"):
    st.caption("A CSV/XLSX table: one row per applicant, an id column holding the ids the statements were screened "
               "under (not the pseudonyms), and one column per category (sex, ethnicity, ...). Leave a cell blank "
               "where the applicant did not declare. A new upload replaces the old one.")
    if stored:
        st.markdown(f"Categories: {markup.md_text(', '.join(stored.categories))}. Uploaded by "
                    f"{markup.md_text(stored.uploaded_by)} on {stored.uploaded_at:%d %b %Y %H:%M}.")
    upload = st.file_uploader("Demographics table", type=list(uploads.UPLOAD_TABLES), key=f"fairness-upload-{batch_id}")
    if upload is not None:
        with markup.shown_problems("Reading the demographics", stop=False):
            frame = read_upload_table(upload.name, upload.getvalue())
            columns = [str(c) for c in frame.columns]
            guess = next((c for c in columns if c.strip().lower() in ("id", "applicant", "applicant id", "ref")),
                         columns[0])
            id_column = st.selectbox("Id column", columns, index=columns.index(guess), key=f"fairness-id-{batch_id}")
            if st.button("Save demographics", type="primary", key=f"fairness-save-{batch_id}", icon=":material/save:"):
                categories = check_demographics(frame, id_column=id_column, source=upload.name)
                cells = frame.fillna("").astype(str)
                values = {str(row[id_column]).strip(): [str(row[c]) for c in categories] for _, row in cells.iterrows()}
                store.save_demographics(batch_id, categories=categories, values=values, by=user.name)
                ids = {d.original_id or d.external_id for d in store.documents(batch_id)}
                matched = len(ids & set(values))
                st.session_state["fairness-flash"] = (f"Saved the demographics of {len(values)} applicants; "
                                                      f"{matched} of them match an applicant of {batch.name}.")
                st.rerun()
    if stored and st.button("Delete these demographics", key=f"fairness-delete-{batch_id}", icon=":material/delete:"):
        store.delete_demographics(batch_id, by=user.name)
        st.session_state["fairness-flash"] = "Deleted the batch's demographics."
        st.rerun()

# -- the reports --------------------------------------------------------------------------------------------------

if stored is None:
    st.info("Upload the batch's demographics to see the report.", icon=":material/info:")
    st.stop()
try:
    reports = batch_impact(store, framework, batch_id)
except EvidenceError as exc:
    st.error(f"The report cannot be made.\n\n{markup.problem_text(exc)}", icon=":material/error:")
    st.stop()
if ASSESSORS not in reports:
    st.caption("No assessor has marked a sentence of this batch yet: only the model's match is audited.")


def _exported(what: str) -> None:
    """A download is an export: the audit trail records who took what (EU AI Act Art. 12)."""
    store.audit(actor=user.name, action=AuditAction.export, subject=f"batch:{batch_id}",
                payload={"export": f"adverse_impact_{what}"})


for kind, report in reports.items():
    st.subheader(TITLES[kind])
    counts = report["applicants"]
    flagged = [g for c in report["categories"] for g in c["groups"] if g["flagged"]]
    flagged += [g for g in report["intersectional"]["groups"] if g["flagged"]]
    m1, m2, m3 = st.columns(3)
    m1.metric("Median of all applicants scored", f"{report['median']:.0%}")
    m2.metric("Applicants audited", counts["audited"], help="Scored and in the demographics table")
    m3.metric("Groups flagged (impact ratio under 0.8)", len(flagged))
    st.dataframe(assessment_views.impact_frame(report), hide_index=True, key=f"impact-{kind}-{batch_id}")
    with st.expander("How to read this"):
        st.markdown(markup.md_text(report["method"]))
        st.caption("A flag is a prompt to look into the sift, not proof of unfairness: with small groups one "
                   "applicant moves a rate a long way.")
    slug = f"{slugify(batch.name)}-adverse-impact-{kind}"
    row = st.container(horizontal=True)
    row.download_button("Report (Markdown)", impact_markdown(report, title=f"Adverse impact: {batch.name}, "
                                                                            f"{TITLES[kind].lower()}"),
                        file_name=f"{slug}.md", mime="text/markdown", icon=":material/download:",
                        key=f"dl-impact-md-{kind}", on_click=_exported, args=(kind,))
    row.download_button("Report (JSON)", json.dumps(report, indent=1, ensure_ascii=False), file_name=f"{slug}.json",
                        mime="application/json", icon=":material/download:", key=f"dl-impact-json-{kind}",
                        on_click=_exported, args=(kind,))
    row.download_button("Groups (CSV)", to_csv(assessment_views.impact_frame(report)), file_name=f"{slug}.csv",
                        mime="text/csv", icon=":material/download:", key=f"dl-impact-csv-{kind}",
                        on_click=_exported, args=(kind,))
