"""Reading cues from one unit: who acted, negation, hypothetical, STAR part and weight."""

from __future__ import annotations

import pytest

from evidence.domain import Actor, StarPart
from evidence.engine.cues import cue_weight, read_cues


@pytest.mark.parametrize(("text", "actor", "negated", "hypothetical"), [
    ("I rewrote the referral form.", Actor.self, False, False),
    ("We rewrote the referral form.", Actor.team, False, False),
    ("My manager rewrote the referral form.", Actor.others, False, False),
    ("My manager and I rewrote the referral form.", Actor.self, False, False),
    ("The team rewrote the referral form.", Actor.others, False, False),
    ("I have never managed a budget.", Actor.self, True, False),
    ("I would make sure everyone is heard.", Actor.self, False, True),
])
def test_cues(text: str, actor: Actor, negated: bool, hypothetical: bool) -> None:
    cues = read_cues(text)
    assert (cues.actor, cues.negated, cues.hypothetical) == (actor, negated, hypothetical)


def test_cue_weight_and_star() -> None:
    own = read_cues("I cut waiting times by 30% in three months, which meant fewer complaints.")
    assert own.star is StarPart.result and own.specificity > 0.5
    assert read_cues("I would cut waiting times.").weight < own.weight


def test_planned_units_are_hypothetical_whatever_their_wording() -> None:
    cues = read_cues("I ran the summer outreach sessions.", planned=True)
    assert cues.planned and cues.hypothetical
    assert cues.weight < read_cues("I ran the summer outreach sessions.").weight


def test_cue_weight_credits_own_action_fully_and_others_hardly() -> None:
    assert cue_weight(Actor.self, False, False, 1.0) == 1.0
    assert cue_weight(Actor.others, False, False, 1.0) < 0.5
    assert cue_weight(Actor.self, True, False, 0.0) < cue_weight(Actor.self, False, False, 0.0)


@pytest.mark.parametrize("text", [
    "I took on too much during the permit changeover and fell behind with filing the paper records.",
    "I am not yet confident analysing the figures rather than just collating them.",
    "I need to improve my report writing.",
    "I struggled to keep on top of the referrals when two colleagues were off.",
    "I avoid making decisions and leave problems for others to sort out.",  # D23
    "I often ignore other people's views when I am sure I am right.",
    "I should have asked for help sooner.",
    "I'm not comfortable presenting to large groups.",
    "My main weakness is delegating.",
    "I found it hard to stay objective with one client; we'd become more like friends and I stopped challenging her.",
    "I find it difficult to say no, so I end up doing everyone's work.",  # the next clause is still the shortfall
])
def test_self_criticism_and_development_needs(text: str) -> None:
    assert read_cues(text).self_critical


@pytest.mark.parametrize("text", [
    "I'm not great at confrontation, but I did tell the group facilitator her sessions were overrunning.",
    "i'm not great with the tech side so i asked one of the younger volunteers to help me set up the group",
    "I found it hard at first, so I asked for coaching and now I run the induction myself.",
    "I avoid jargon in letters to residents.",  # avoiding is not always a shortfall
    "When the team fell behind with filing, I set up a rota and we were clear in two weeks.",  # not the writer
    "I needed to improve the referral form, so I rewrote it with three GPs.",  # a task, in the past
    "I am confident with Word and Excel.",
    "I rewrote the referral form.",
])
def test_turnarounds_and_ordinary_evidence_are_not_self_criticism(text: str) -> None:
    assert not read_cues(text).self_critical


def test_a_heading_of_shortfalls_makes_its_units_self_criticism_unless_they_turn_around() -> None:
    assert read_cues("The filing was three weeks late in December.", shortfall=True).self_critical
    wish = "I can spot something that looks wrong, but I would like to be able to explain trends myself."
    assert read_cues(wish, shortfall=True).self_critical and not read_cues(wish).self_critical  # a wish: no turn
    assert not read_cues("The filing was late, so I set up a rota.", shortfall=True).self_critical
    cues = read_cues("I fell behind with filing.")
    assert "self-criticism" in cues.describe()
    # the weight the detectors, the calibrator and trained heads read is unchanged: credit is withheld elsewhere
    assert cues.weight == read_cues("I fell over with filing.").weight
