"""The Review page (streamlit.testing AppTest) as issue 16 asks for it: the whole statement in view, every suggestion
decidable, nothing recorded on a card no longer on screen, a history to re-open, filter and sort, bulk accept with
an undo, progress that counts second reviews, remappable keys, plain-word model figures."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from evidence.app import review_support, session, shortcuts, tables
from evidence.app.serve import app_path
from evidence.frameworks.catalogue import get_framework
from evidence.services import auth
from tests.app.conftest import store_for
from tests.factories import FRAMEWORK, make_analysis, small_batch

TIMEOUT = 60
REVIEW = str(app_path().parent / "routes" / "review.py")


def review_page(monkeypatch: pytest.MonkeyPatch, name: str = "reviewer", role: str = "reviewer") -> AppTest:
    user = auth.User(name, auth.UserRole(role))
    monkeypatch.setattr(session, "require", lambda permission: user)
    return AppTest.from_file(REVIEW, default_timeout=TIMEOUT).run()


def html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def click(at: AppTest, key_prefix: str) -> AppTest:
    next(b for b in at.button if b.key and b.key.startswith(key_prefix)).click()
    return at.run()


def keyed(widgets, prefix: str):  # noqa: ANN001, ANN201 - streamlit.testing widget sequences
    return next(w for w in widgets if w.key and w.key.startswith(prefix))


def card_text(at: AppTest) -> str:
    """The highlighted sentence of the card on screen."""
    found = re.search(r"<mark[^>]*>(.*?)</mark>", html(at))
    assert found, html(at)
    return found.group(1)


@pytest.fixture
def batch(app_home: Path) -> int:
    with store_for(app_home) as store:
        return store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, small_batch())


def test_the_card_shows_the_whole_statement_escaped_with_the_unit_highlighted(
        app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(app_home) as store:
        store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, [make_analysis("X1", [
            ("I <b>grew</b> up in Leeds & Hull.", []),
            ("I led the team through the merger.", [("team-working", "3", 0.8)]),
            ("<script>alert(1)</script> Then I moved on.", [])])])
    at = review_page(monkeypatch)
    assert not at.exception, at.exception
    shown = html(at)
    # the whole statement, not one sentence either side: every sentence, escaped, the unit highlighted
    assert "I &lt;b&gt;grew&lt;/b&gt; up in Leeds &amp; Hull." in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Then I moved on." in shown
    assert "<b>" not in shown and "<script>alert" not in shown
    assert card_text(at) == "I led the team through the merger."
    assert 'class="ev-card-statement"' in shown and "overflow-y:auto" in shown


def test_number_keys_pick_the_suggestion_and_the_level(batch: int, app_home: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(app_home) as store:
        items = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch)}
        store.set_priorities({items["I mentored two new starters."]: 0.9})
    at = review_page(monkeypatch)
    uid = items["I mentored two new starters."]
    rank = at.radio(key=f"review-rank-{uid}")
    assert [o.split(" · ")[0] for o in rank.options] == ["**1**", "**2**"]  # the number key is on screen
    rank.set_value(1).run()  # what pressing 2 does (the script clicks the second option)
    click(at, f"review-accept-{uid}")
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        [accepted] = store.decision_log()
    assert (accepted.unit_id, accepted.kind, accepted.competency, accepted.level) == (
        uid, "accepted", "team-working", "2")  # the second suggestion, not the top one
    # relabel the next card at a level picked from the level choices (Shift+number in the browser)
    comp = keyed(at.selectbox, "review-relabel-comp-")
    comp.set_value("customer-stakeholder-focus")
    keyed(at.radio, "review-level-").set_value("4")
    at.run()
    click(at, "review-relabel-")
    with store_for(app_home) as store:
        relabelled = store.decision_log()[-1]
    assert (relabelled.kind, relabelled.competency, relabelled.level) == ("relabelled", "customer-stakeholder-focus",
                                                                          "4")


def test_a_click_for_a_card_no_longer_on_screen_records_nothing(app_home: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Walkthrough B3: a key pressed while the next batch loaded recorded a decision on the previous batch's card.
    The batch changes and the old card's Accept arrives in the same run: nothing is recorded."""
    with store_for(app_home) as store:
        first = store.save_batch("first", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
        second = store.save_batch("second", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
    at = review_page(monkeypatch)
    shown_batch = at.sidebar.selectbox(key="review-batch").value
    other = second if shown_batch == first else first
    old_accept = keyed(at.button, "review-accept-")
    at.sidebar.selectbox(key="review-batch").set_value(other)
    old_accept.click()
    at.run()
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        assert store.decision_log() == []
    assert any("Nothing recorded" in e.value for e in at.error)
    # the card now on screen is decided normally
    click(at, "review-accept-")
    with store_for(app_home) as store:
        [decision] = store.decision_log()
        assert decision.unit_id in {i.unit_id for i in store.suggested_units(batch_id=other)}


def test_the_page_refuses_a_card_id_that_is_not_the_one_on_screen(batch: int, app_home: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    uid = at.session_state["review-on-screen"]
    at.session_state["review-on-screen"] = uid + 1000  # another card was drawn since this button was
    click(at, f"review-accept-{uid}")
    with store_for(app_home) as store:
        assert store.decision_log() == []


def test_your_decisions_can_be_opened_and_changed(batch: int, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    first = card_text(at)
    click(at, "review-accept-")
    at.toggle(key="review-history-open").set_value(True).run()
    history = at.dataframe[0].value
    assert list(history["Sentence"]) == [first] and list(history["Decision"])[0].startswith("Accepted ")
    click(at, "review-history-open-unit")
    assert card_text(at) == first and any("Changing your decision" in i.value for i in at.info)
    click(at, "review-no_evidence-")
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        assert [d.kind for d in store.decision_log()] == ["accepted", "no_evidence"]
        [current] = store.current_decisions(batch_id=batch)
    assert current.kind == "no_evidence"
    assert card_text(at) != first  # back to the queue


def test_the_queue_filters_and_sorts(batch: int, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    at.sidebar.multiselect(key="review-filter-applicant").set_value(["A2"]).run()
    assert card_text(at) == "We built a referral network with GPs."
    at.sidebar.multiselect(key="review-filter-applicant").set_value([]).run()
    at.sidebar.selectbox(key="review-filter-sort").set_value("score-high").run()
    assert card_text(at) == "I led the team through the merger."  # 90 %, the highest
    at.sidebar.selectbox(key="review-filter-sort").set_value("score-low").run()
    assert card_text(at) == "We built a referral network with GPs."  # 52 %, the lowest
    at.sidebar.selectbox(key="review-filter-sort").set_value("learn").run()
    at.sidebar.multiselect(key="review-filter-competency").set_value(["team-working"]).run()
    assert card_text(at) in {"I led the team through the merger.", "I mentored two new starters."}
    at.sidebar.multiselect(key="review-filter-level").set_value(["2"]).run()
    assert card_text(at) == "I mentored two new starters."  # team working at level 2: its second suggestion
    at.sidebar.multiselect(key="review-filter-competency").set_value([]).run()
    at.sidebar.multiselect(key="review-filter-level").set_value([]).run()
    at.sidebar.slider(key="review-filter-score").set_value((60, 100)).run()
    assert card_text(at) == "I led the team through the merger."
    at.sidebar.slider(key="review-filter-score").set_value((0, 100)).run()
    at.sidebar.selectbox(key="review-filter-status").set_value("second").run()
    assert any("matches the filter" in i.value for i in at.info)  # nobody else has decided anything yet


def test_waiting_for_a_second_review_and_progress_that_counts_it(batch: int, app_home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Walkthrough B9: second reviews never moved the progress bar."""
    with store_for(app_home) as store:
        items = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch)}
        store.record_decision(unit_id=items["I mentored two new starters."], reviewer="admin", kind="accepted",
                              key="admin-1")
        store.set_batch_policy(batch, by="admin", reviewers_per_unit=2)  # the batch's policy, not a page input
    at = review_page(monkeypatch)
    assert "Reviewers per sentence: **2**" in " ".join(c.value for c in at.sidebar.caption)
    assert not [n for n in at.number_input if n.key == "review-needed"]  # no per-session input any more
    assert at.get("progress")[0].proto.text.startswith("1 of 6 reviews done · 0 of 3 suggested sentences decided")
    at.sidebar.selectbox(key="review-filter-status").set_value("second").run()
    assert card_text(at) == "I mentored two new starters."
    click(at, "review-accept-")
    assert at.get("progress")[0].proto.text.startswith("2 of 6 reviews done · 1 of 3 suggested sentences decided")
    assert "(1 of them second reviews)" in " ".join(c.value for c in at.caption)
    frame = at.dataframe[-1].value
    assert dict(zip(frame["Reviewer"], frame["Of which second reviews"], strict=True)) == {"admin": 0, "reviewer": 1}


def test_bulk_accept_needs_a_confirmation_and_undoes_as_one(batch: int, app_home: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    at.toggle(key="review-bulk-open").set_value(True).run()
    at.slider(key="review-bulk-threshold").set_value(52).run()
    preview = at.dataframe[0].value
    assert sorted(preview["Score"]) == [52, 55, 90]
    accept = next(b for b in at.button if b.key == "review-bulk-accept")
    assert accept.label == "Accept 3 suggestions" and accept.disabled  # one click is not enough
    at.checkbox(key="review-bulk-confirm").check().run()
    click(at, "review-bulk-accept")
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        assert sorted(d.kind for d in store.current_decisions(batch_id=batch)) == ["accepted"] * 3
    assert any("All done" in s.value for s in at.success)
    click(at, "review-bulk-undo")
    with store_for(app_home) as store:
        assert store.current_decisions(batch_id=batch) == []
        assert [d.kind for d in store.decision_log()].count("undo") == 3
    assert not any(b.key == "review-bulk-undo" for b in at.button)


def test_keys_are_remapped_kept_in_the_address_and_shown(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    at.sidebar.text_input(key="review-keys-accept").input("x")
    next(b for b in at.button if b.label == "Save keys").click()
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["keys"] == "accept:x"
    assert keyed(at.button, "review-accept-").label == "Accept (x)"
    assert "**x** accept" in at.caption[0].value
    script = next(h for h in html(at).split("\n<script>") if "const keys" in h)
    assert json.loads(re.search(r"const keys = (\{.*?\});", script).group(1))["x"] == "accept"
    at.sidebar.text_input(key="review-keys-reject").input("x")  # the same key twice: refused, with the reason
    next(b for b in at.button if b.label == "Save keys").click()
    at.run()
    assert "both use" in at.sidebar.error[0].value and at.query_params["keys"] == "accept:x"


def test_a_new_models_figures_are_in_plain_words() -> None:
    from tests.app.test_pages import worse_by_cross_validation

    comparison = worse_by_cross_validation()
    frame = tables.comparison_frame(SimpleNamespace(new_metrics=comparison.new_metrics,
                                                    current_metrics=comparison.current_metrics))
    text = frame.to_string()
    assert "top1" not in text and "ece" not in text and "unit_accuracy" not in text
    first = frame.iloc[0]
    assert first["What was measured"].startswith("right first time") and "on 24 held-out sentences" in \
        first["What was measured"]
    assert (first["New version"], first["Model in use"]) == ("29 %", "71 %")


def test_progress_counts_each_review_up_to_the_number_needed() -> None:
    from datetime import UTC, datetime

    from evidence.store import DecisionRecord

    def d(i: int, unit: int, who: str) -> DecisionRecord:
        return DecisionRecord(id=i, key=str(i), unit_id=unit, reviewer=who, kind="accepted",
                              decided_at=datetime.now(UTC))

    decisions = [d(1, 10, "ann"), d(2, 10, "bob"), d(3, 11, "bob"), d(4, 10, "cy")]
    two = review_support.progress(decisions, 4, 2)
    assert (two.reviews_done, two.reviews_needed, two.complete, two.started) == (3, 8, 1, 2)
    assert two.second_reviews == {"bob": 1, "cy": 1} and two.by_reviewer == {"ann": 1, "bob": 2, "cy": 1}
    one = review_support.progress(decisions, 4, 1)
    assert one.text() == "2 of 4 suggested sentences decided" and one.share == 0.5
    assert shortcuts.KeyMap.from_param("accept:a,reject:a").keys == shortcuts.DEFAULT_KEYS  # a clash: defaults


def test_skip_and_flag_with_a_comment(batch: int, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch)
    skipped = card_text(at)
    click(at, "review-skip-")
    assert card_text(at) != skipped  # skipped for now: another card
    flagged = card_text(at)
    click(at, "review-flag-")  # no comment yet: refused with the reason
    assert any("comment" in e.value for e in at.error) and card_text(at) == flagged
    keyed(at.text_input, "review-comment-").input("Is a merger team work or change management?")
    at.run()
    click(at, "review-flag-")
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        log = store.decision_log()
    assert [d.kind for d in log] == ["skip", "flag"]
    assert log[1].comment == "Is a merger team work or change management?"


def test_a_hidden_suggestion_shows_only_after_deciding(batch: int, app_home: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(app_home) as store:
        store.set_batch_policy(batch, by="admin", hide_suggestions=1.0)
    at = review_page(monkeypatch)
    uid = at.session_state["review-on-screen"]
    assert not [r for r in at.radio if r.key == f"review-rank-{uid}"]  # no suggestions on the card
    assert keyed(at.button, "review-accept-").disabled and keyed(at.button, "review-reject-").disabled
    assert any("hidden until you decide" in c.value for c in at.caption)
    assert "Score" not in " ".join(c.label for c in at.sidebar.slider)  # nothing sorts by the hidden scores
    click(at, "review-no_evidence-")
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        [decision] = store.decision_log()
    assert decision.suggestion_hidden and decision.kind == "no_evidence"


def test_admins_set_the_batch_policy_on_the_page(batch: int, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = review_page(monkeypatch, "admin", "admin")
    at.sidebar.number_input[0].set_value(2)
    next(b for b in at.button if b.label == "Save the policy").click()
    at.run()
    assert not at.exception, at.exception
    with store_for(app_home) as store:
        assert store.batch_policy(batch).reviewers_per_unit == 2
    assert "Reviewers per sentence: **2**" in " ".join(c.value for c in at.sidebar.caption)
    reviewer = review_page(monkeypatch)
    assert not [b for b in reviewer.button if b.label == "Save the policy"]


def test_every_batchs_progress_counts_second_reviews(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(app_home) as store:
        one = store.save_batch("one", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
        store.save_batch("two", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
        store.set_batch_policy(one, by="admin", reviewers_per_unit=2)
        unit = store.suggested_units(batch_id=one)[0].unit_id
        for who in ("ann", "bob"):
            store.record_decision(unit_id=unit, reviewer=who, kind="no_evidence", key=f"k-{who}")
    at = review_page(monkeypatch)
    at.toggle(key="review-every-batch").set_value(True).run()
    frame = next(d.value for d in at.dataframe if "Reviews done" in d.value.columns)
    rows = {r["Batch"]: r for r in frame.to_dict("records")}
    assert (rows["one"]["Reviews done"], rows["one"]["Sentences decided"], rows["one"]["Done"]) == ("2 of 6",
                                                                                                    "1 of 3", 33)
    assert (rows["two"]["Reviews done"], rows["two"]["Done"]) == ("0 of 3", 0)
