"""Moderation (admins, and a batch's named moderator): the sentences whose assessors disagree or that one flagged,
with every assessor's opinion and comment; the moderator settles each by accepting or rejecting the model's
suggestion, relabelling it, or marking it no evidence, with a comment. The settled label is what training and the
overall marks use; every opinion stays in the decision log and the audit trail."""

from __future__ import annotations

import streamlit as st

from evidence import review
from evidence.app import assessment_views, markup, session
from evidence.frameworks.catalogue import get_framework

ACTIONS = {review.Action.accept: "Accept the model's suggestion", review.Action.reject: "Reject the model's suggestion",
           review.Action.relabel: "Relabel", review.Action.no_evidence: "No evidence"}
FLASH = "moderation-flash"

user = session.current_user()
if user is None:
    st.warning("Please sign in to see this page.")
    st.stop()
store = session.cached_store()
batches = assessment_views.moderated_batches(store, user)
if not batches:
    st.error("Only an admin or a batch's named moderator settles disagreements. Ask an admin to name you moderator "
             "of a batch (Assessment page).")
    st.stop()

st.title("Moderation")
st.caption("Sentences whose assessors disagree, or that an assessor flagged. Your settlement is the sentence's label "
           "for training and reports; every assessor's opinion stays on record.")
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(markup.md_text(flash), icon=":material/check_circle:")

by_id = {b.id: b for b in batches}
batch_id = st.selectbox("Batch", list(by_id), key="moderation-batch",
                        format_func=lambda i: f"{by_id[i].name} · {by_id[i].documents} applicants")
batch = by_id[batch_id]
framework = get_framework(batch.framework_id)
with markup.shown_problems("Reading the moderation queue"):
    queue = review.moderation_queue(store, batch_id)
if not queue:
    st.info("Nothing waits for moderation in this batch.", icon=":material/task_alt:")
    st.stop()
st.markdown(f":orange-badge[{len(queue)} sentence{'s' * (len(queue) != 1)} waiting]")

by_unit = {entry.item.unit_id: entry for entry in queue}
order = list(by_unit)
unit_id = st.selectbox("Sentence", order, key=f"moderation-unit-{batch_id}",
                       format_func=lambda u: assessment_views.entry_title(by_unit[u], order.index(u) + 1))
entry = by_unit[unit_id]
item = entry.item

st.html(markup.context_html(item.before, item.text, item.after))
if item.suggestions:
    top = item.suggestions[0]
    suggested = assessment_views.label_text(framework, top.competency, top.level)
    st.markdown(f"**The model suggested:** {markup.md_text(suggested)} ({top.score:.0%})")
else:
    st.markdown("**The model suggested:** nothing for this sentence")
st.markdown("**The assessors' opinions**")
st.dataframe(assessment_views.opinions_frame(framework, entry), hide_index=True, key=f"moderation-opinions-{unit_id}",
             column_config={"Comment": st.column_config.TextColumn(width="large")})

st.markdown("**Your settlement**")
choices = [a for a in ACTIONS if item.suggestions or a not in (review.Action.accept, review.Action.reject)]
action = st.radio("Settle as", choices, format_func=ACTIONS.get, horizontal=True, key=f"moderation-action-{unit_id}")
competency = level = None
if action is review.Action.relabel:
    start = review.relabel_options(framework, item)
    ids = [c.id for c in framework.competencies]
    c1, c2 = st.columns(2)
    competency = c1.selectbox("Competency", ids, index=ids.index(start.competency) if start.competency in ids else 0,
                              format_func=lambda c: framework.competency(c).name,
                              key=f"moderation-competency-{unit_id}")
    levels = [None, *(lv.id for lv in framework.scale)]
    level = c2.selectbox("Level", levels, index=levels.index(start.level) if start.level in levels else 0,
                         format_func=lambda lv: "no level" if lv is None else framework.level_name(lv),
                         key=f"moderation-level-{unit_id}")
comment = st.text_area("Comment (kept with the settlement, for the record)", key=f"moderation-comment-{unit_id}")
if st.button("Settle", type="primary", icon=":material/gavel:", key=f"moderation-settle-{unit_id}"):
    with markup.shown_problems("Settling the sentence", stop=False):
        review.settle(store, framework, item, action, moderator=user.name, role=user.role, key=review.new_key(),
                      relabel=review.Relabel(competency, level) if competency else None,
                      comment=comment.strip() or None)
        what = (assessment_views.label_text(framework, competency, level) if action is review.Action.relabel
                else ACTIONS[action].lower())
        st.session_state[FLASH] = f"Settled sentence {item.index + 1} of {item.document}: {what}."
        st.rerun()
