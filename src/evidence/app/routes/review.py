"""Review suggestions (HR reviewers): accept, reject, relabel or dismiss suggested tags, one card at a time."""

from __future__ import annotations

import logging

import streamlit as st

from evidence import review
from evidence.app import markup, session, shortcuts, tables, views
from evidence.config import utcnow
from evidence.domain import ZERO_SHOT
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import promoted_version
from evidence.review import training
from evidence.services.auth import Permission
from evidence.store import QueueItem

logger = logging.getLogger(__name__)
user = session.require(Permission.review)
store = session.cached_store()

st.title("Review suggestions")
st.caption("Check what the model suggested for each sentence. Every decision is saved with your name and "
           f"trains the next model. Keys: {shortcuts.keys_help()} (**Esc** first to leave a field).")

batches = store.list_batches()
if not batches:
    st.info("Nothing to review yet: a recruiter screens a batch first (Screen applicants).", icon=":material/info:")
    st.stop()
by_id = {b.id: b for b in batches}
c1, c2 = st.columns([3, 1])
batch_id = c1.selectbox("Batch", list(by_id), key="review-batch",
                        format_func=lambda i: f"{by_id[i].name} · {by_id[i].framework_id} · "
                                              f"{by_id[i].documents} documents")
reviews_needed = c2.number_input("Reviewers per sentence", min_value=1, max_value=3, value=1, key="review-needed",
                                 help="Ask for more than one reviewer per sentence to measure agreement.")
batch = by_id[batch_id]
# undo reaches back only to what this reviewer decided in this batch since opening the page in this sign-in
# (walkthrough: it revoked a decision in another batch, and one from an earlier session)
review_since = st.session_state.setdefault("review-since", utcnow())
with markup.shown_problems("Opening this batch's framework"):  # a damaged stored framework: say so, stop here
    framework = get_framework(batch.framework_id)

for message, ok in st.session_state.pop("review-messages", []):
    if ok:  # Markdown, escaped when queued (below): they name competencies and carry error text
        st.toast(message, icon=":material/check_circle:")
    else:
        st.error(message, icon=":material/error:")

# -- progress and agreement ----------------------------------------------------------------------

decided, total = store.progress(batch_id=batch.id)
agreement = store.agreement(batch_id=batch.id)
st.progress(decided / total if total else 1.0, text=f"{decided} of {total} suggested sentences decided")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Your decisions", agreement.by_reviewer.get(user.name, 0))
m2.metric("Reviewers accepted the model",
          "–" if agreement.model_agreement is None else f"{agreement.model_agreement:.0%}",
          help="Share of decisions that accepted the suggestion as it was.")
m3.metric("Reviewers agree with each other",
          "–" if agreement.reviewer_agreement is None else f"{agreement.reviewer_agreement:.0%}",
          help=f"On {agreement.multi_reviewed_units} sentences decided by two or more reviewers.")
m4.metric("Relabelled / no evidence", f"{agreement.relabelled} / {agreement.no_evidence}")

# -- the card ------------------------------------------------------------------------------------


def act(action: review.Action, item: QueueItem | None, key: str, rank: int = 0,
        relabel: review.Relabel | None = None) -> None:
    """Record one action and move to the next card."""
    try:
        record = review.decide(store, framework, item, action, reviewer=user.name, key=key,
                               suggestion_rank=rank, relabel=relabel, batch_id=batch.id, since=review_since)
    except Exception as exc:  # noqa: BLE001 - the project's errors say what to fix; others are logged, not shown
        if not isinstance(exc, EvidenceError):
            logger.exception("Recording a review decision failed")
        st.session_state.setdefault("review-messages", []).append((f"Not saved: {markup.problem_text(exc)}", False))
        return
    if item is not None:
        st.session_state.pop(f"review-key-{item.unit_id}", None)
    if record is not None and action is review.Action.undo:
        st.session_state["review-resume-unit"] = record.unit_id
    st.session_state.pop("review-undo-key", None)
    message = markup.md_text(shortcuts.describe(record, framework)) if record else "Nothing to undo"
    st.session_state.setdefault("review-messages", []).append((message, True))


queue = session.review_queue(store, batch_id=batch.id, reviewer=user.name,
                             first=st.session_state.pop("review-resume-unit", None),
                             reviews_needed=int(reviews_needed))
undo_key = st.session_state.setdefault("review-undo-key", review.new_key())
if not queue:
    st.success("All done: every suggested sentence in this batch has your decision.", icon=":material/task_alt:")
    st.button(shortcuts.button_label(review.Action.undo), key="review-undo-empty", icon=":material/undo:",
              on_click=act, args=(review.Action.undo, None, undo_key))
else:
    item = queue[0]
    key = st.session_state.setdefault(f"review-key-{item.unit_id}", review.new_key())
    colours = markup.competency_colours(framework)
    top = item.suggestions[0] if item.suggestions else None
    with st.container(border=True, key="review-card"):
        st.markdown(f"**Document {markup.md_text(item.document)}** · sentence {item.index + 1} · "
                    f":gray[{views.cue_words(item.cues)}]", help=views.CUES_HELP)
        st.html(markup.context_html(item.before, item.text, item.after,
                                  colours.get(top.competency, markup.CARD_COLOUR) if top else markup.NO_COLOUR))
        level_names = framework.level_names
        st.dataframe(tables.suggestions_frame(item, framework), hide_index=True,
                     key=f"review-suggestions-{item.unit_id}", column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "Score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%d%%"),
            "Matched indicator": st.column_config.TextColumn(width="large")})
        rank = 0
        if len(item.suggestions) > 1:
            rank = st.radio("Deciding on suggestion", list(range(len(item.suggestions))), horizontal=True,
                            key=f"review-rank-{item.unit_id}",
                            format_func=lambda i: f"{i + 1}. {markup.md_text(item.suggestions[i].competency_name)}")
        default = review.relabel_options(framework, item)
        comp_ids = [c.id for c in framework.competencies]
        levels = [lv.id for lv in framework.scale]
        r1, r2 = st.columns([3, 1])
        relabel_comp = r1.selectbox("Relabel as competency", comp_ids, index=comp_ids.index(default.competency),
                                    key=f"review-relabel-comp-{item.unit_id}",
                                    format_func=lambda c: framework.competency(c).name)
        relabel_level = r2.selectbox("at level", [None, *levels], key=f"review-relabel-level-{item.unit_id}",
                                     index=[None, *levels].index(default.level) if default.level in levels else 0,
                                     format_func=lambda lv: "no level" if lv is None else level_names.get(lv, lv),
                                     disabled=not levels)
        buttons = st.columns(5)
        specs = [(review.Action.accept, "primary", ":material/check:", {"rank": rank}),
                 (review.Action.reject, "secondary", ":material/close:", {"rank": rank}),
                 (review.Action.relabel, "secondary", ":material/edit:",
                  {"relabel": review.Relabel(relabel_comp, relabel_level)}),
                 (review.Action.no_evidence, "secondary", ":material/block:", {}),
                 (review.Action.undo, "tertiary", ":material/undo:", {})]
        for column, (action, kind, icon, extra) in zip(buttons, specs, strict=True):
            column.button(shortcuts.button_label(action), key=f"review-{action.value}",
                          type=kind, icon=icon, width="stretch", on_click=act,
                          args=(action, item, undo_key if action is review.Action.undo else key), kwargs=extra)
    more = "+" if len(queue) == session.REVIEW_QUEUE_LIMIT else ""
    st.caption(f"{len(queue)}{more} sentences waiting for you in this batch; those the model would learn "
               "most from come first.")

st.html(shortcuts.review_script(), unsafe_allow_javascript=True)  # our own fixed script: no user text in it

# -- corrections and retraining -------------------------------------------------------------------

with st.expander("Decisions and retraining", icon=":material/model_training:"):
    st.download_button("Download this framework's decisions (CSV)", store.corrections_csv(framework.id),
                       file_name=f"{framework.id}-corrections.csv", mime="text/csv", key="review-corrections",
                       icon=":material/download:")
    st.markdown("**Retrain from decisions**")
    if not user.can(Permission.retrain):
        st.info("Ask an admin to retrain the model from these decisions.", icon=":material/info:")
    else:
        if st.button("Retrain now", key="review-retrain", icon=":material/model_training:"):
            with st.spinner("Training a new model version from the decisions and checking it against the model "
                            "in use (with fewer than 250 decisions, five times over, each time on decisions it "
                            "did not learn from; from 50 decisions on this fine-tunes the language model too: "
                            "several minutes)…"):
                with markup.shown_problems("Retraining", stop=False):
                    st.session_state["review-trained"] = review.retrain(store, framework.id)
        trained = st.session_state.get("review-trained")
        if trained is not None:
            # which comparison, on how many decisions, and how sure: plain words first, the figures below
            st.markdown(f"New version {markup.md_text(trained.version)}, against the model in use "
                        f"({markup.md_text(trained.current_version)}). "
                        f"{markup.md_text(training.comparison_text(trained))}")
            st.dataframe(review.training_comparison(trained), hide_index=True)
            confirmed, reason = trained.better, ""
            if not trained.better:  # a model not credibly better goes live only on purpose, and the log says why
                confirmed = st.checkbox("I have read the figures and want this version in use although it is not "
                                        "credibly better", key="review-force-confirm")
                reason = st.text_input("Why (recorded in the promotion log)", key="review-force-reason",
                                       max_chars=300, disabled=not confirmed)
            label = "Promote it" if trained.better else "Promote it anyway (recorded as forced)"
            if st.button(label, key="review-promote", icon=":material/publish:", disabled=not confirmed):
                with markup.shown_problems("Promoting the new version", stop=False):
                    review.promote_trained(trained, framework.id, user.name, confirmed=confirmed, reason=reason)
                    st.session_state.pop("review-trained")
                    st.success(f"{markup.md_text(trained.version)} is now in use for {markup.md_text(framework.name)}.")
        in_use = promoted_version(framework.id)
        st.markdown(f"**Model in use:** {markup.md_text(in_use)}")
        if in_use != ZERO_SHOT and st.button("Roll back to the previous model", key="review-rollback",
                                             icon=":material/undo:"):
            with markup.shown_problems("Rolling back", stop=False):
                now = review.roll_back(framework.id, user.name)
                st.success(f"Rolled back: {markup.md_text(now)} is in use for {markup.md_text(framework.name)}.")
