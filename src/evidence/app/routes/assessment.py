"""Assessment (admins): per batch, the assessment policy (assessors per sentence, hidden suggestions, chunked
review, a named moderator), agreement between assessors in plain words, and each applicant's overall marks beside
the model's."""

from __future__ import annotations

import streamlit as st

from evidence import review
from evidence.app import assessment_views, markup, session
from evidence.domain import slugify
from evidence.frameworks.catalogue import get_framework
from evidence.reporting.export import to_csv
from evidence.services.auth import Permission, load_users
from evidence.store import AuditAction
from evidence.store.batches import MAX_REVIEWERS

user = session.require(Permission.assess)
store = session.cached_store()

st.title("Assessment")
st.caption("How each batch is marked: by how many assessors, blind to each other, and how far they agree.")

batches = store.list_batches()
if not batches:
    st.info("No batches yet. Screen a batch first (Screen applicants).", icon=":material/info:")
    st.stop()
by_id = {b.id: b for b in batches}
batch_id = st.selectbox("Batch", list(by_id), key="assess-batch",
                        format_func=lambda i: f"{by_id[i].name} · {by_id[i].documents} applicants")
batch = store.batch(batch_id)
framework = get_framework(batch.framework_id)
policy = batch.policy


def _exported(what: str) -> None:
    """A download is an export: the audit trail records who took what (EU AI Act Art. 12)."""
    store.audit(actor=user.name, action=AuditAction.export, subject=f"batch:{batch_id}", payload={"export": what})


# -- the policy ---------------------------------------------------------------------------------------------------

st.subheader("Policy")
with markup.shown_problems("Reading the users", stop=False):
    people = sorted(load_users())
moderators = [""] + sorted({*people, *([policy.moderator] if policy.moderator else [])})
with st.form(f"policy-{batch_id}"):
    c1, c2 = st.columns(2)
    reviewers = c1.radio("Assessors per sentence", list(range(1, MAX_REVIEWERS + 1)), horizontal=True,
                         index=policy.reviewers_per_unit - 1, key=f"policy-reviewers-{batch_id}",
                         help="Each sentence is marked by this many assessors, independently: none sees another's "
                              "decision. Two or three give agreement figures and a moderation queue.")
    hidden = c2.slider("Sentences with the model's suggestion hidden until decided (%)", 0, 100,
                       round(policy.hide_suggestions * 100), step=5, key=f"policy-hidden-{batch_id}",
                       help="For this share of sentences assessors decide before they see the model's suggestion, "
                            "so agreement with the model is measured without anchoring on it.")
    c3, c4 = st.columns(2)
    chunked = c3.toggle("Chunked review: one competency across all applicants at a time", value=policy.chunked,
                        key=f"policy-chunked-{batch_id}",
                        help="Applicants come in a random order for each assessor, against halo effects.")
    moderator = c4.selectbox("Moderator (besides admins)", moderators, index=moderators.index(policy.moderator or ""),
                             key=f"policy-moderator-{batch_id}", format_func=lambda n: n or "admins only")
    saved = st.form_submit_button("Save policy", type="primary", icon=":material/save:")
if saved:
    with markup.shown_problems("Saving the policy", stop=False):
        review.set_policy(store, batch_id, by=user.name, role=user.role, reviewers_per_unit=int(reviewers),
                          hide_suggestions=hidden / 100, chunked=chunked, moderator=moderator)
        st.session_state["assess-saved"] = batch_id
        st.rerun()
if st.session_state.pop("assess-saved", None) == batch_id:
    st.success("Policy saved; it applies to every assessor's next sentence.", icon=":material/check_circle:")
policy = store.batch_policy(batch_id)
st.markdown(f":blue-badge[{policy.reviewers_per_unit} assessor{'s' * (policy.reviewers_per_unit != 1)} a sentence] "
            f":violet-badge[{policy.hide_suggestions:.0%} of suggestions hidden until decided] "
            + (":green-badge[chunked review]" if policy.chunked else ":gray-badge[applicant by applicant]")
            + f" :orange-badge[moderator: {markup.md_text(policy.moderator or 'admins only')}]")

# -- agreement ----------------------------------------------------------------------------------------------------

st.subheader("Agreement between assessors")
with markup.shown_problems("Measuring agreement"):
    result = review.batch_agreement(store, framework, batch_id)
st.caption(f"Assessors: {markup.md_text(', '.join(result.assessors) or 'none yet')} · sentences decided by two or "
           f"more: {result.units}. Kappa: 1 is full agreement, 0 no better than chance (Landis & Koch's words).")
for line in assessment_views.agreement_sentences(result):
    st.markdown(f"- {markup.md_text(line)}")
by_competency, by_assessor = assessment_views.agreement_frames(result, framework)
if not by_competency.empty or not by_assessor.empty:
    c1, c2 = st.columns(2)
    c1.markdown("**Per competency**")
    c1.dataframe(by_competency, hide_index=True, key=f"agree-competency-{batch_id}")
    c2.markdown("**Per assessor**")
    c2.dataframe(by_assessor, hide_index=True, key=f"agree-assessor-{batch_id}")
st.download_button("Agreement report (Markdown)", review.agreement_markdown(result),
                   file_name=f"{slugify(batch.name)}-agreement.md", mime="text/markdown", icon=":material/download:",
                   key=f"dl-agreement-{batch_id}", on_click=_exported, args=("agreement",))

# -- overall marks ------------------------------------------------------------------------------------------------

st.subheader("Overall marks")
st.caption("Per applicant and competency: the highest level the assessors agreed on or a moderator settled, beside "
           "the model's. Disputed sentences count once a moderator settles them (Moderation).")
with markup.shown_problems("Reading the marks"):
    marks = review.overall_marks(store, framework, batch_id)
frame = assessment_views.marks_frame(marks, framework)
if frame.empty:
    st.info("No assessor has marked a sentence of this batch yet.", icon=":material/info:")
else:
    st.dataframe(frame, hide_index=True, key=f"marks-{batch_id}")


if not frame.empty:
    st.download_button("Overall marks (CSV)", to_csv(frame), file_name=f"{slugify(batch.name)}-marks.csv",
                       mime="text/csv", icon=":material/download:", key=f"dl-marks-{batch_id}",
                       on_click=_exported, args=("overall_marks",))
