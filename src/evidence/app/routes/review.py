"""Review suggestions (HR reviewers): decide each suggested sentence by keyboard or mouse, with the whole statement
in view; filter and sort the queue; re-open and change your own decisions; accept many at once and undo that;
see progress per batch and per reviewer; retrain the model from the decisions (admins)."""

from __future__ import annotations

import logging

import streamlit as st

from evidence import review
from evidence.app import markup, review_support, session, shortcuts, tables, views
from evidence.config import utcnow
from evidence.domain import ZERO_SHOT
from evidence.errors import EvidenceError
from evidence.frameworks.catalogue import get_framework
from evidence.learning.registry import promoted_version
from evidence.review import training
from evidence.review.policy import as_shown
from evidence.services.auth import Permission, UserRole
from evidence.store import QueueItem

logger = logging.getLogger(__name__)
user = session.require(Permission.review)
store = session.cached_store()
# the card on screen is set again below once this run has drawn it: a click or key that reaches the server while
# this run is still loading (a spinner, a batch switch) finds no card and records nothing (walkthrough B3)
st.session_state.pop("review-on-screen", None)

# less padding above the title, so the card's buttons sit above the fold on a 1366x768 laptop (walkthrough 47)
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>")
keymap = shortcuts.KeyMap.from_param(st.query_params.get(shortcuts.KEY_PARAM))
st.title("Review suggestions")

batches = store.list_batches()
if not batches:
    st.info("Nothing to review yet: a recruiter screens a batch first (Screen applicants).", icon=":material/info:")
    st.stop()
by_id = {b.id: b for b in batches}
if "review-batch" not in st.session_state or st.session_state["review-batch"] not in by_id:
    wanted = st.query_params.get("batch", "")  # a link or bookmark names its batch: /review?batch=3
    st.session_state["review-batch"] = int(wanted) if wanted.isdigit() and int(wanted) in by_id else next(iter(by_id))
with st.sidebar:
    batch_id = st.selectbox("Batch", list(by_id), key="review-batch",
                            format_func=lambda i: f"{by_id[i].name} · {by_id[i].framework_id} · "
                                                  f"{by_id[i].documents} documents")
st.query_params["batch"] = str(batch_id)
batch = by_id[batch_id]
policy = store.batch_policy(batch.id)  # read fresh: an admin may have changed it since the list was read
reviews_needed = policy.reviewers_per_unit
with st.sidebar:
    hidden_share = f" · the model's suggestion hidden on {policy.hide_suggestions:.0%} of sentences until decided" \
        if policy.hide_suggestions else ""
    st.caption(f"Reviewers per sentence: **{reviews_needed}**{hidden_share}"
               + (" · one competency at a time (chunked)" if policy.chunked else "") + " (the batch's policy)")
    if user.role is UserRole.admin:
        with st.expander("Assessment policy (admins)", icon=":material/policy:"), st.form(f"review-policy-{batch.id}"):
            wanted_reviewers = st.number_input("Reviewers per sentence", 1, 3, value=policy.reviewers_per_unit,
                                               help="Each sentence is decided by this many reviewers independently; "
                                                    "second reviews count in the progress.")
            wanted_hidden = st.slider("Hide the model's suggestion on this share of sentences (%)", 0, 100,
                                      round(100 * policy.hide_suggestions), step=5,
                                      help="Those sentences are decided without the model's anchor; the reviewer "
                                           "sees the suggestion once they have decided.")
            wanted_chunked = st.toggle("One competency at a time (chunked review)", value=policy.chunked)
            wanted_moderator = st.text_input("Moderator besides the admins", value=policy.moderator or "",
                                             max_chars=120)
            if st.form_submit_button("Save the policy", type="primary"):
                with markup.shown_problems("Saving the batch's policy", stop=False):
                    review.set_policy(store, batch.id, by=user.name, role=user.role,
                                      reviewers_per_unit=int(wanted_reviewers), hide_suggestions=wanted_hidden / 100,
                                      chunked=wanted_chunked, moderator=wanted_moderator.strip())
                    st.rerun()
# undo reaches back only to what this reviewer decided in this batch since opening the page in this sign-in
# (walkthrough: it revoked a decision in another batch, and one from an earlier session)
review_since = st.session_state.setdefault("review-since", utcnow())
with markup.shown_problems("Opening this batch's framework"):  # a damaged stored framework: say so, stop here
    framework = get_framework(batch.framework_id)
levels = [lv.id for lv in framework.scale]
st.caption(f"Keys: {shortcuts.keys_help(keymap, levels=len(levels))}; **Esc** first to leave a field. "
           "Every decision is saved with your name and trains the next model.")

for message, ok in st.session_state.pop("review-messages", []):
    if ok:  # Markdown, escaped when queued (below): they name competencies and carry error text
        st.toast(message, icon=":material/check_circle:")
    else:
        st.error(message, icon=":material/error:")

# -- progress: every review counts, second ones too ---------------------------------------------------------

current = store.current_decisions(batch_id=batch.id)
_, sentences = store.progress(batch_id=batch.id)
progress = review_support.progress(current, sentences, reviews_needed)
st.progress(progress.share, text=progress.text())
mine, seconds = progress.by_reviewer.get(user.name, 0), progress.second_reviews.get(user.name, 0)
st.caption(f"Your decisions in this batch: **{mine}**" + (f" ({seconds} of them second reviews)" if seconds else ""))

# -- the queue: the stored order, narrowed and sorted as the reviewer chose -------------------------------

statements = session.statements(batch.id)
queue_filter = review_support.QueueFilter()
if policy.chunked:
    st.sidebar.caption("This batch is reviewed one competency at a time, applicants in your own order: the queue "
                       "cannot be filtered or sorted.")
else:
    with st.sidebar, st.expander("Filter and sort the queue", icon=":material/filter_list:"):
        # with suggestions hidden on some sentences, nothing here may sort or narrow by what the model suggested
        by_suggestion = not policy.hide_suggestions
        competency_names = {c.id: c.name for c in framework.competencies}
        queue_filter = review_support.QueueFilter(
            applicants=tuple(st.multiselect("Applicant", sorted({name for name, _ in statements.values()}),
                                            key="review-filter-applicant")),
            competencies=tuple(st.multiselect("Competency (any suggestion)", list(competency_names),
                                              format_func=competency_names.get, key="review-filter-competency")
                               if by_suggestion else ()),
            levels=tuple(st.multiselect("Level", levels, format_func=lambda lv: framework.level_names.get(lv, lv),
                                        key="review-filter-level") if by_suggestion else ()),
            **dict(zip(("min_score", "max_score"),
                       st.slider("Top score (%)", 0, 100, (0, 100), key="review-filter-score")
                       if by_suggestion else (0, 100), strict=True)),
            status=st.selectbox("Status", list(review_support.STATUSES), format_func=review_support.STATUSES.get,
                                key="review-filter-status"),
            sort=st.selectbox("Order", list(review_support.SORTS) if by_suggestion else ["learn", "applicant"],
                              format_func=review_support.SORTS.get, key="review-filter-sort"))
others = review_support.decided_by_others(current, user.name)


def arrange(items: list[QueueItem]) -> list[QueueItem]:
    return queue_filter.arrange(items, others)


def note(message: str, ok: bool = True) -> None:
    st.session_state.setdefault("review-messages", []).append((message, ok))


def act(action: review.Action, unit_id: int | None, for_batch: int) -> None:
    """Record one action on the card it was pressed for, and move on; refused when that card is no longer the
    one on screen (a key pressed while the next card was loading) or the batch changed meanwhile."""
    item: QueueItem | None = st.session_state.get("review-item")
    shown = st.session_state.get("review-on-screen")
    if for_batch != st.session_state.get("review-batch") or (
            action is not review.Action.undo and (unit_id is None or shown != unit_id or item is None
                                                  or item.unit_id != unit_id)):
        note("Nothing recorded: that key or click was for a card that was no longer on screen (the page was "
             "loading). Decide the card now shown.", False)
        return
    key = st.session_state.setdefault(f"review-key-{unit_id}", review.new_key()) if unit_id is not None else (
        st.session_state.setdefault("review-undo-key", review.new_key()))
    relabel = review.Relabel(st.session_state.get(f"review-relabel-comp-{unit_id}") or "",
                             st.session_state.get(f"review-level-{unit_id}"))
    comment = (st.session_state.get(f"review-comment-{unit_id}") or "").strip() or None
    try:
        record = review.decide(store, framework, item if action is not review.Action.undo else None,  # type: ignore[arg-type]
                               action, reviewer=user.name, key=key, relabel=relabel, batch_id=for_batch,
                               suggestion_rank=int(st.session_state.get(f"review-rank-{unit_id}") or 0),
                               since=review_since, comment=comment)
    except Exception as exc:  # noqa: BLE001 - the project's errors say what to fix; others are logged, not shown
        if not isinstance(exc, EvidenceError):
            logger.exception("Recording a review decision failed")
        note(f"Not saved: {markup.problem_text(exc)}", False)
        return
    st.session_state.pop(f"review-key-{unit_id}", None)
    st.session_state.pop("review-undo-key", None)
    if action is review.Action.undo:
        if record is not None:
            st.session_state["review-resume-unit"] = record.unit_id
    else:
        st.session_state.pop("review-reopen", None)  # a re-opened decision is changed: back to the queue
    note(markup.md_text(shortcuts.describe(record, framework)) if record else "Nothing to undo")


# a new filter or order shows its own first card at once: the card held for this reviewer is let go (a claim
# otherwise keeps the same card first until it is decided)
narrowing = (batch.id, reviews_needed, queue_filter)
if st.session_state.get("review-narrowing", narrowing) != narrowing:
    store.release_claims(reviewer=user.name)
st.session_state["review-narrowing"] = narrowing
reopened = st.session_state.get("review-reopen")
queue = session.review_queue(store, batch_id=batch.id, reviewer=user.name, reviews_needed=reviews_needed,
                             first=st.session_state.pop("review-resume-unit", None), arrange=arrange, limit=None)
item: QueueItem | None = queue[0] if queue else None
earlier = None
if reopened is not None:  # one of the reviewer's own decisions, opened from the history to change it
    item = next((as_shown(i, policy) for i in store.suggested_units(batch_id=batch.id) if i.unit_id == reopened),
                None)
    earlier = next((d for d in review.my_decisions(store, reviewer=user.name, batch_id=batch.id)
                    if d.unit_id == reopened), None)
    if item is None or earlier is None:
        st.session_state.pop("review-reopen", None)
        item = queue[0] if queue else None


def draw_card(item: QueueItem) -> None:
    uid = item.unit_id
    colours = markup.competency_colours(framework)
    top = item.suggestions[0] if item.suggestions else None
    colour = colours.get(top.competency, markup.CARD_COLOUR) if top else markup.NO_COLOUR
    applicant, text = statements.get(item.document_id, (item.document, ""))
    with st.container(border=True, key=f"review-card-{uid}"):
        if earlier is not None:
            st.info(f"Changing your decision of {earlier.decided_at:%H:%M}: "
                    f"{markup.md_text(shortcuts.decision_words(earlier, framework))}. Decide again below; the new "
                    "decision replaces it.", icon=":material/history:")
        st.markdown(f"**{markup.md_text(applicant)}** · sentence {item.index + 1} · "
                    f":gray[{views.cue_words(item.cues)}]", help=views.CUES_HELP)
        fits = text[item.start:item.end].strip() == item.text.strip()
        left, right = st.columns([3, 2])
        with left:
            st.html(markup.statement_html(text, item.start, item.end, colour) if fits else
                    markup.context_html(item.before, item.text, item.after, colour))
        with right:
            if item.suggestions:
                names = framework.level_names
                rank = st.radio(
                    "Suggestion (number keys)", list(range(len(item.suggestions))), key=f"review-rank-{uid}",
                    format_func=lambda i: (f"**{i + 1}** · {markup.md_text(item.suggestions[i].competency_name)}"
                                           + (f" · {markup.md_text(names.get(item.suggestions[i].level or '', ''))}"
                                              if item.suggestions[i].level else "")
                                           + f" · {item.suggestions[i].score:.0%}"))
                st.caption(f"Matches: {markup.md_text(item.suggestions[rank or 0].indicator.text)}")
            elif item.suggestion_hidden:
                st.caption("The model's suggestion is hidden until you decide (the batch's policy): relabel the "
                           "sentence with the competency it shows, or mark it no evidence. The toast then says what "
                           "the model had suggested.")
            else:
                st.caption("No suggestion on this sentence: relabel it or mark it no evidence.")
        buttons = st.container(horizontal=True, gap="small")
        specs = [(review.Action.accept, "primary", ":material/check:"),
                 (review.Action.reject, "secondary", ":material/close:"),
                 (review.Action.relabel, "secondary", ":material/edit:"),
                 (review.Action.no_evidence, "secondary", ":material/block:"),
                 (review.Action.skip, "secondary", ":material/skip_next:"),
                 (review.Action.flag, "secondary", ":material/flag:")]
        for action, kind, icon in specs:
            buttons.button(shortcuts.button_label(action, keymap), key=f"review-{action.value}-{uid}", type=kind,
                           icon=icon, on_click=act, args=(action, uid, batch.id),
                           disabled=action in (review.Action.accept, review.Action.reject) and not item.suggestions)
        buttons.button(shortcuts.button_label(review.Action.undo, keymap), key="review-undo", type="tertiary",
                       icon=":material/undo:", on_click=act, args=(review.Action.undo, None, batch.id))
        default = review.relabel_options(framework, item)
        comp_ids = [c.id for c in framework.competencies]
        r1, r2, r3 = st.columns([2, 3, 2])
        r1.selectbox(f"Relabel as competency ({keymap.key('competency')})",
                     comp_ids, index=comp_ids.index(default.competency), key=f"review-relabel-comp-{uid}",
                     format_func=lambda c: framework.competency(c).name)
        if levels:
            r2.radio("at level (Shift + number)", [None, *levels], horizontal=True, key=f"review-level-{uid}",
                     index=[None, *levels].index(default.level) if default.level in levels else 0,
                     format_func=lambda lv: "none" if lv is None else framework.level_names.get(lv, lv))
        r3.text_input(f"Comment (needed to flag: {keymap.key('flag')})", key=f"review-comment-{uid}", max_chars=500,
                      placeholder="Kept with your decision; moderators read it")
    st.session_state["review-item"] = item
    st.session_state["review-on-screen"] = uid


if item is None:
    if queue_filter.active:
        st.info("No sentence waiting for you matches the filter (sidebar).", icon=":material/filter_list_off:")
    else:
        st.success("All done: every suggested sentence in this batch has your decision.", icon=":material/task_alt:")
    st.button(shortcuts.button_label(review.Action.undo, keymap), key="review-undo", icon=":material/undo:",
              on_click=act, args=(review.Action.undo, None, batch.id))
else:
    draw_card(item)
    if earlier is not None and st.button("Back to the queue", key="review-back", icon=":material/arrow_back:"):
        st.session_state.pop("review-reopen", None)
        st.rerun()
    shown = len(queue)
    narrowed = " matching the filter" if queue_filter.active else ""
    st.caption(f"{shown} sentence{'s' * (shown != 1)}{narrowed} waiting for you in this batch.")

st.html(shortcuts.review_script(keymap), unsafe_allow_javascript=True)  # our own fixed script: no user text in it

# -- your decisions in this batch: open one to change it ---------------------------------------------------------

if st.toggle(f"Your decisions in this batch ({mine})", key="review-history-open",
             help="Every decision of yours in force here, newest first; open one to decide it again."):
    units = {i.unit_id: i for i in store.suggested_units(batch_id=batch.id)}
    rows = review_support.history_rows(review.my_decisions(store, reviewer=user.name, batch_id=batch.id), units,
                                       user.name, lambda d: shortcuts.decision_words(d, framework))
    if not rows:
        st.caption("None yet.")
    else:
        st.dataframe([{k: v for k, v in r.items() if k != "unit_id"} for r in rows], hide_index=True,
                     key="review-history", column_config={"Sentence": st.column_config.TextColumn(width="large")})
        labels = {r["unit_id"]: f"{r['When']} · {r['Applicant']} · {r['Sentence']} → {r['Decision']}" for r in rows}
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        chosen = c1.selectbox("Change a decision", list(labels), format_func=labels.get, key="review-history-pick")
        if c2.button("Open it", key="review-history-open-unit", icon=":material/edit_note:", width="stretch"):
            st.session_state["review-reopen"] = chosen
            st.rerun()

# -- accept many at once -----------------------------------------------------------------------------------------


def bulk_accept(items: list[QueueItem]) -> None:
    recorded: list[int] = []
    for one in items:
        try:
            record = review.decide(store, framework, one, review.Action.accept, reviewer=user.name,
                                   key=review.new_key(), batch_id=batch.id, since=review_since)
        except EvidenceError as exc:
            note(f"Stopped after {len(recorded)}: {markup.problem_text(exc)}", False)
            break
        if record is not None:
            recorded.append(record.id)
    st.session_state["review-bulk"] = {"batch": batch.id, "ids": recorded}
    st.session_state.pop("review-bulk-confirm", None)
    note(f"Accepted {len(recorded)} suggestions at once; you can undo them together below")


def bulk_undo() -> None:
    done = st.session_state.pop("review-bulk", None) or {}
    undone = 0
    for decision_id in done.get("ids", []):
        try:
            if store.undo(reviewer=user.name, key=review.new_key(), decision_id=decision_id,
                          batch_id=done.get("batch"), since=review_since) is not None:
                undone += 1
        except EvidenceError:  # already undone (or changed) on its own: nothing left to undo there
            continue
    note(f"Undid the bulk accept: {undone} decisions revoked; those sentences are back in the queue")


if st.toggle("Accept many at once", key="review-bulk-open",
             help="Accept the top suggestion of every waiting sentence (that matches the filter) scored at or above "
                  "a threshold you choose. You see them first, and can undo them together."):
    threshold = st.slider("Accept top suggestions scored at least (%)", 50, 100, 90, key="review-bulk-threshold")
    candidates = review_support.bulk_candidates(queue, threshold)
    if not candidates:
        st.caption(f"No waiting sentence{' matching the filter' if queue_filter.active else ''} has a top "
                   f"suggestion scored {threshold} % or more.")
    else:
        st.dataframe(review_support.bulk_frame(candidates, framework), hide_index=True, key="review-bulk-preview",
                     column_config={"Score": st.column_config.NumberColumn(format="%d %%"),
                                    "Sentence": st.column_config.TextColumn(width="large")})
        confirmed = st.checkbox(f"I have checked these {len(candidates)} suggestions and accept them all",
                                key="review-bulk-confirm")
        st.button(f"Accept {len(candidates)} suggestions", key="review-bulk-accept", type="primary",
                  icon=":material/done_all:", disabled=not confirmed, on_click=bulk_accept, args=(candidates,))
last_bulk = st.session_state.get("review-bulk")
if last_bulk and last_bulk.get("batch") == batch.id and last_bulk.get("ids"):
    st.button(f"Undo the bulk accept ({len(last_bulk['ids'])} decisions)", key="review-bulk-undo",
              icon=":material/undo:", on_click=bulk_undo)

# -- progress per reviewer and agreement ------------------------------------------------------------------------

with st.expander("Progress by reviewer and agreement", icon=":material/groups:"):
    st.dataframe(review_support.reviewers_frame(progress), hide_index=True, key="review-reviewers")
    agreement = store.agreement(batch_id=batch.id)
    m1, m2, m3 = st.columns(3)
    m1.metric("Reviewers accepted the model",
              "–" if agreement.model_agreement is None else f"{agreement.model_agreement:.0%}",
              help=f"Share of the {agreement.decided} decisions that accepted the suggestion as it was.")
    m2.metric("Reviewers agree with each other",
              "–" if agreement.reviewer_agreement is None else f"{agreement.reviewer_agreement:.0%}",
              help=f"On {agreement.multi_reviewed_units} sentences decided by two or more reviewers.")
    m3.metric("Relabelled / no evidence", f"{agreement.relabelled} / {agreement.no_evidence}")
    if st.toggle("Every batch's progress", key="review-every-batch"):
        every = [(b, review_support.progress(store.current_decisions(batch_id=b.id), store.progress(batch_id=b.id)[1],
                                             b.policy.reviewers_per_unit)) for b in batches]
        st.dataframe(review_support.batches_frame(every), hide_index=True, key="review-batches", column_config={
            "Done": st.column_config.ProgressColumn("Done", min_value=0, max_value=100, format="%d%%")})

# -- keys -------------------------------------------------------------------------------------------------------

with st.sidebar, st.expander("Keyboard keys", icon=":material/keyboard:"), st.form("review-keys", border=False):
    typed = {c: st.text_input(shortcuts.NAMES[c], value=keymap.key(c), max_chars=1, key=f"review-keys-{c}")
             for c in shortcuts.COMMANDS}
    c1, c2 = st.columns(2)
    save = c1.form_submit_button("Save keys", type="primary")
    reset = c2.form_submit_button("Defaults")
if save or reset:
    chosen, problems = shortcuts.checked_keys(shortcuts.DEFAULT_KEYS if reset else typed)
    if problems:
        st.sidebar.error("Keys not saved: " + "; ".join(markup.md_text(p) for p in problems), icon=":material/error:")
    else:
        param = shortcuts.KeyMap(chosen).to_param()
        if param:
            st.query_params[shortcuts.KEY_PARAM] = param  # kept in the address: a bookmark or reload keeps them
        else:
            st.query_params.pop(shortcuts.KEY_PARAM, None)
        for c in shortcuts.COMMANDS:
            st.session_state.pop(f"review-keys-{c}", None)
        st.rerun()

# -- corrections and retraining -------------------------------------------------------------------

with st.expander("Decisions and retraining", icon=":material/model_training:"):
    st.download_button("Download this framework's decisions (CSV)", store.corrections_csv(framework.id),
                       file_name=f"{framework.id}-corrections.csv", mime="text/csv", key="review-corrections",
                       icon=":material/download:",
                       on_click=session.export_recorder(store, user, f"framework:{framework.id}", "corrections_csv"))
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
            st.dataframe(tables.comparison_frame(trained), hide_index=True, key="review-comparison",
                         column_config={"What was measured": st.column_config.TextColumn(width="large")})
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
