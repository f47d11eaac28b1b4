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
