"""Assessment as assessors work (evidence.review.policy, .moderation, .agreement): the batch's policy (assessors per
unit, hidden suggestions, chunked review), skip and flag, moderation with settlements that training then uses,
overall marks, agreement, and the audit records of promotions, rollbacks and sign-ins."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence import review
from evidence.domain import Framework
from evidence.evaluation.agreement import Rating, agreement
from evidence.review import Action, Relabel, ReviewError
from evidence.review.policy import applicant_order, chunked_order, suggestion_hidden
from evidence.store import QueueItem, Store

LEAD, MENTOR, NETWORK = ("I led the team through the merger.", "I mentored two new starters.",
                         "We built a referral network with GPs.")


@pytest.fixture
def batch_id(store: Store) -> int:
    return store.list_batches()[0].id


def _card(store: Store, batch_id: int, reviewer: str, text: str) -> QueueItem:
    return next(i for i in review.review_queue(store, batch_id=batch_id, reviewer=reviewer) if i.text == text)


def test_only_an_admin_sets_the_policy_and_it_is_validated(store: Store, batch_id: int) -> None:
    with pytest.raises(ReviewError, match="only an admin"):
        review.set_policy(store, batch_id, by="rita", role="reviewer", reviewers_per_unit=2)
    policy = review.set_policy(store, batch_id, by="ada", role="admin", reviewers_per_unit=3, hide_suggestions=0.25,
                               chunked=True, moderator="mo")
    assert (policy.reviewers_per_unit, policy.hide_suggestions, policy.chunked, policy.moderator) == (3, 0.25, True,
                                                                                                      "mo")
    assert store.batch(batch_id).policy == policy
    for bad in ({"reviewers_per_unit": 4}, {"reviewers_per_unit": 0}, {"hide_suggestions": 1.5}):
        with pytest.raises(Exception, match="must be"):
            review.set_policy(store, batch_id, by="ada", role="admin", **bad)  # type: ignore[arg-type]
    assert review.set_policy(store, batch_id, by="ada", role="admin", moderator="").moderator is None


def test_each_unit_goes_to_the_policys_number_of_assessors_and_no_more(store: Store, batch_id: int,
                                                                        framework: Framework) -> None:
    store.set_batch_policy(batch_id, by="ada", reviewers_per_unit=2)
    for reviewer in ("ann", "bob"):
        while (card := review.next_unit(store, reviewer=reviewer, batch_id=batch_id, reviews_needed=1)) is not None:
            review.decide(store, framework, card, Action.no_evidence, reviewer=reviewer, key=review.new_key())
    assert review.next_unit(store, reviewer="cat", batch_id=batch_id) is None  # each unit had its two
    decided = store.unit_decisions(batch_id=batch_id)
    assert len(decided) == 3 and all({d.reviewer for d in u.opinions} == {"ann", "bob"} for u in decided.values())
    assert [d.reviewer for d in review.my_decisions(store, reviewer="ann", batch_id=batch_id)] == ["ann"] * 3


def test_hidden_suggestions_are_chosen_per_unit_and_cannot_be_accepted(store: Store, batch_id: int,
                                                                        framework: Framework) -> None:
    assert [suggestion_hidden(1, u, 0.5) for u in range(1, 9)] == [suggestion_hidden(1, u, 0.5) for u in range(1, 9)]
    share = sum(suggestion_hidden(7, u, 0.3) for u in range(2000)) / 2000
    assert share == pytest.approx(0.3, abs=0.04)
    assert not any(suggestion_hidden(7, u, 0.0) for u in range(50)) and all(suggestion_hidden(7, u, 1.0)
                                                                           for u in range(50))
    store.set_batch_policy(batch_id, by="ada", hide_suggestions=1.0)
    card = review.next_unit(store, reviewer="ann", batch_id=batch_id)
    assert card is not None and card.suggestion_hidden and card.suggestions == []
    with pytest.raises(ReviewError, match="hidden until you decide"):
        review.decide(store, framework, card, Action.accept, reviewer="ann", key=review.new_key())
    record = review.decide(store, framework, card, Action.relabel, reviewer="ann", key=review.new_key(),
                           relabel=Relabel("team-working", "2"))
    assert record is not None and record.suggestion_hidden and record.suggested_competency is not None  # to reveal


def test_chunked_review_goes_one_competency_at_a_time_in_each_assessors_own_order(store: Store,
                                                                                   batch_id: int) -> None:
    store.set_batch_policy(batch_id, by="ada", chunked=True)
    items = store.review_queue(batch_id=batch_id)
    ordered = chunked_order("ann", batch_id)(items)
    competencies = [i.suggestions[0].competency for i in ordered]
    assert competencies == sorted(competencies)  # one competency after another
    assert [i.text for i in review.review_queue(store, batch_id=batch_id, reviewer="ann")] == [i.text for i in ordered]
    docs = list(range(1, 41))
    assert applicant_order("ann", batch_id, docs) == applicant_order("ann", batch_id, docs)  # stable per assessor
    assert applicant_order("ann", batch_id, docs) != applicant_order("bob", batch_id, docs)
    assert sorted(applicant_order("bob", batch_id, docs)) == docs


def test_skip_moves_on_without_counting_and_flag_goes_to_moderation(store: Store, batch_id: int,
                                                                     framework: Framework) -> None:
    first = review.next_unit(store, reviewer="ann", batch_id=batch_id, order=list)
    assert first is not None
    skip = review.decide(store, framework, first, Action.skip, reviewer="ann", key=review.new_key())
    assert skip is not None and skip.kind == "skip"
    queue = review.review_queue(store, batch_id=batch_id, reviewer="ann", order=list)
    assert queue[-1].unit_id == first.unit_id and len(queue) == 3  # at the end, still waiting
    assert store.unit_decisions(batch_id=batch_id) == {}  # a skip is no review
    with pytest.raises(ReviewError, match="comment"):
        review.decide(store, framework, queue[0], Action.flag, reviewer="ann", key=review.new_key())
    flag = review.decide(store, framework, queue[0], Action.flag, reviewer="ann", key=review.new_key(),
                         comment="two applicants' words mixed?")
    assert flag is not None and flag.kind == "flag" and flag.comment == "two applicants' words mixed?"
    assert queue[0].unit_id not in {i.unit_id for i in review.review_queue(store, batch_id=batch_id, reviewer="ann")}
    assert queue[0].unit_id in {i.unit_id for i in review.review_queue(store, batch_id=batch_id, reviewer="bob")}
    waiting = review.moderation_queue(store, batch_id)
    assert [(m.item.unit_id, m.reasons, [f.comment for f in m.flags]) for m in waiting] == [
        (queue[0].unit_id, ("flagged",), ["two applicants' words mixed?"])]


def test_disagreements_are_moderated_and_the_settlement_is_the_label(store: Store, batch_id: int,
                                                                     framework: Framework) -> None:
    store.set_batch_policy(batch_id, by="ada", reviewers_per_unit=2, moderator="mo")
    lead, mentor = _card(store, batch_id, "ann", LEAD), _card(store, batch_id, "ann", MENTOR)
    for reviewer, action in (("ann", Action.accept), ("bob", Action.reject)):  # accepted against rejected
        review.decide(store, framework, lead, action, reviewer=reviewer, key=review.new_key())
    for reviewer in ("ann", "bob"):  # the same label: no moderation
        review.decide(store, framework, mentor, Action.accept, reviewer=reviewer, key=review.new_key())
    waiting = review.moderation_queue(store, batch_id)
    assert [(m.item.text, m.reasons, sorted(d.kind for d in m.opinions)) for m in waiting] == [
        (LEAD, ("disagreement",), ["accepted", "rejected"])]
    assert review.may_moderate(store, batch_id, user="mo", role="reviewer")
    assert review.may_moderate(store, batch_id, user="ada", role="admin")
    with pytest.raises(ReviewError, match="may not settle"):
        review.settle(store, framework, waiting[0].item, Action.reject, moderator="cat", role="reviewer",
                      key=review.new_key())
    settled = review.settle(store, framework, waiting[0].item, Action.relabel, moderator="mo", role="reviewer",
                            key=review.new_key(), relabel=Relabel("team-working", "2"), comment="a team, not a lead")
    assert (settled.kind, settled.settled_kind, settled.competency, settled.level) == ("moderation", "relabelled",
                                                                                      "team-working", "2")
    assert review.moderation_queue(store, batch_id) == []
    labels = {(c.text, c.reviewer, c.decision.value, c.level) for c in store.corrections(framework.id)}
    assert (LEAD, "mo", "relabelled", "2") in labels and not any(t == LEAD and r != "mo" for t, r, _, _ in labels)
    log = [(d.reviewer, d.kind) for d in store.decision_log(batch_id=batch_id) if d.unit_id == lead.unit_id]
    assert log == [("ann", "accepted"), ("bob", "rejected"), ("mo", "moderation")]  # every opinion kept
    assert lead.unit_id not in {i.unit_id for i in review.review_queue(store, batch_id=batch_id, reviewer="cat")}


def test_overall_marks_per_applicant_and_competency_beside_the_models(store: Store, batch_id: int,
                                                                     framework: Framework) -> None:
    store.set_batch_policy(batch_id, by="ada", reviewers_per_unit=2)
    lead, mentor = _card(store, batch_id, "ann", LEAD), _card(store, batch_id, "ann", MENTOR)
    network = _card(store, batch_id, "ann", NETWORK)
    for reviewer in ("ann", "bob"):
        review.decide(store, framework, lead, Action.accept, reviewer=reviewer, key=review.new_key())
    review.decide(store, framework, mentor, Action.accept, reviewer="ann", key=review.new_key())
    review.decide(store, framework, mentor, Action.relabel, reviewer="bob", key=review.new_key(),
                  relabel=Relabel("team-working", "1"))
    review.decide(store, framework, network, Action.accept, reviewer="ann", key=review.new_key())
    review.decide(store, framework, network, Action.no_evidence, reviewer="bob", key=review.new_key())
    moderation = {m.item.unit_id: m for m in review.moderation_queue(store, batch_id)}
    review.settle(store, framework, moderation[network.unit_id].item, Action.accept, moderator="ada", role="admin",
                  key=review.new_key())
    marks = {(m.document, m.competency): m for m in review.overall_marks(store, framework, batch_id)}
    team = marks[("A1", "team-working")]
    assert (team.level, team.units, team.disputed_units, team.status) == ("3", 1, 1, "disputed")
    assert (team.model_level, team.model_units) == ("3", 1)
    assert marks[("A1", "leading-supporting-developing-others")].status == "disputed"
    net = marks[("A2", "networking-relationship-building")]
    assert (net.level, net.status, net.model_level) == ("3", "settled", "3")


def test_batch_agreement_is_the_evaluation_modules_on_current_opinions(store: Store, batch_id: int,
                                                                       framework: Framework) -> None:
    store.set_batch_policy(batch_id, by="ada", reviewers_per_unit=2)
    cards = {t: _card(store, batch_id, "ann", t) for t in (LEAD, MENTOR, NETWORK)}
    plan = {"ann": [(LEAD, Action.accept, None), (MENTOR, Action.accept, None), (NETWORK, Action.no_evidence, None)],
            "bob": [(LEAD, Action.accept, None), (MENTOR, Action.relabel, Relabel("team-working", "2")),
                    (NETWORK, Action.reject, None)]}
    for reviewer, steps in plan.items():
        for text, action, relabel in steps:
            review.decide(store, framework, cards[text], action, reviewer=reviewer, key=review.new_key(),
                          relabel=relabel)
    result = review.batch_agreement(store, framework, batch_id)
    expected = agreement([Rating(cards[LEAD].unit_id, a, "team-working", 2) for a in ("ann", "bob")]
                         + [Rating(cards[MENTOR].unit_id, "ann", "leading-supporting-developing-others", 1),
                            Rating(cards[MENTOR].unit_id, "bob", "team-working", 1)]
                         + [Rating(cards[NETWORK].unit_id, a, "none") for a in ("ann", "bob")])
    assert result.assessors_report == expected
    pair = result.assessors_report.pairs[0]
    assert (pair.assessors, pair.units, pair.observed) == (("ann", "bob"), 3, pytest.approx(2 / 3, abs=1e-4))
    assert result.units == 3 and result.model_shown.decisions == 6
    assert result.model_shown.agreement == pytest.approx(3 / 6)  # ann twice, bob once name the model's competency
    assert "Cohen's kappa" in review.agreement_markdown(result)


def test_promotions_rollbacks_and_sign_ins_are_audited(store: Store, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    from evidence.learning import registry
    from evidence.review.training import audit_promotion
    from evidence.services.auth import add_user, sign_in

    audit_promotion("community-link-worker", "v2", by="ada", forced=True, reason="by hand", store=store)
    monkeypatch.setattr(registry, "promoted_version", lambda framework_id: "v2")
    monkeypatch.setattr(registry, "rollback", lambda framework_id, by="": "v1")
    assert review.roll_back("community-link-worker", "ada", store=store) == "v1"
    users = tmp_path / "users.json"
    add_user("ada", "a long enough passphrase 42", "admin", path=users)
    assert sign_in("ada", "wrong password entirely 42", path=users, store=store) is None  # a failure: not recorded
    assert sign_in("ada", "a long enough passphrase 42", client="10.0.0.1", path=users, store=store) is not None
    records = [(r.action, r.actor, r.subject, r.payload) for r in store.audit_records() if r.action != "screening"]
    assert records == [
        ("forced_promotion", "ada", "framework:community-link-worker", {"version": "v2", "reason": "by hand"}),
        ("rollback", "ada", "framework:community-link-worker", {"version": "v1", "reason": "", "from": "v2"}),
        ("sign_in", "ada", "user:ada", {"role": "admin", "client": "10.0.0.1", "method": "password"})]
    assert store.verify_audit().intact
