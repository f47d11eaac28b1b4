"""Reviewer actions: an action on a card (accept, reject, relabel, no evidence, skip, flag, undo) becomes one
appended decision.

Each action is checked against the framework first (a relabel must name a competency and level the framework
has), so the rule lives here and not in each client. The API a page uses::

    decide(store, framework, item, Action.relabel, reviewer=name, key=new_key(), relabel=Relabel("c1", "2"),
           comment="optional note")              # -> DecisionRecord
    decide(store, framework, item, Action.skip, reviewer=name, key=new_key())            # pass for now
    decide(store, framework, item, Action.flag, reviewer=name, key=new_key(), comment="why")  # to moderation
    my_decisions(store, reviewer=name, batch_id=b)  # this assessor's own decisions in force, never another's

* **skip**: the card goes to the end of this assessor's queue and counts as no review (others still get it);
* **flag** (a ``comment`` is required): the unit goes to the moderation queue (:mod:`evidence.review.moderation`)
  and leaves this assessor's queue; it counts as no review;
* every action may carry a ``comment`` (stored with the decision, shown to moderators);
* a card whose suggestion the batch's policy hides (``item.suggestion_hidden``) cannot be accepted or rejected:
  the assessor relabels it, marks it no evidence, skips or flags it; the decision returned names the model's
  suggestion (``suggested_competency``, ``suggested_level``) for the page to reveal afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from evidence.domain import DecisionKind, Framework
from evidence.errors import EvidenceError
from evidence.store import FLAG, SKIP, DecisionRecord, QueueItem, Store


class Action(str, Enum):
    """What a reviewer can do to a card (the app maps each to a keyboard shortcut: evidence.app.shortcuts)."""

    accept = "accept"
    reject = "reject"
    relabel = "relabel"
    no_evidence = "no_evidence"
    skip = "skip"
    flag = "flag"
    undo = "undo"


KINDS: dict[Action, DecisionKind] = {Action.accept: DecisionKind.accepted, Action.reject: DecisionKind.rejected,
                                     Action.relabel: DecisionKind.relabelled,
                                     Action.no_evidence: DecisionKind.no_evidence}


class ReviewError(EvidenceError):
    """A reviewer action that cannot be recorded as asked."""


@dataclass(frozen=True)
class Relabel:
    competency: str
    level: str | None = None


def new_key() -> str:
    """A fresh idempotency key for one decision."""
    return uuid.uuid4().hex


def decide(store: Store, framework: Framework, item: QueueItem, action: Action | str, *, reviewer: str, key: str,
           suggestion_rank: int = 0, relabel: Relabel | None = None, batch_id: int | None = None,
           since: datetime | None = None, comment: str | None = None) -> DecisionRecord | None:
    """Record one reviewer action on a card; returns the decision (None for an undo with nothing to undo).

    An undo revokes the reviewer's latest decision in ``batch_id`` made since ``since`` (the review page passes
    the batch on screen and when this sign-in began), never one in another batch or an earlier session.
    ``comment``: the assessor's note, required for a flag."""
    action = Action(action)
    if action is Action.undo:
        record = store.undo(reviewer=reviewer, key=key, batch_id=batch_id, since=since)
        if record is not None:  # the undone sentence comes back next, not the card held before the undo
            store.release_claims(reviewer=reviewer)
        return record
    if item.framework_id != framework.id:
        raise ReviewError(f"this unit was screened against {item.framework_id!r}, not {framework.id!r}")
    if action in (Action.skip, Action.flag):
        if action is Action.flag and not (comment or "").strip():
            raise ReviewError("say in a comment what the moderator should look at, then flag the sentence")
        return store.record_decision(unit_id=item.unit_id, reviewer=reviewer, kind=SKIP if action is Action.skip
                                     else FLAG, key=key, comment=comment, suggestion_hidden=item.suggestion_hidden)
    if action in (Action.accept, Action.reject) and item.suggestion_hidden:
        raise ReviewError("the model's suggestion is hidden until you decide: relabel this sentence with the "
                          "competency it evidences, or mark it no evidence")
    competency: str | None = None
    level: str | None = None
    if action is Action.relabel:
        if relabel is None or not relabel.competency:
            raise ReviewError("choose the competency (and level) this unit evidences, then relabel")
        competency, level = _check_label(framework, relabel)
    if action in (Action.accept, Action.reject) and not item.suggestions:
        raise ReviewError("this unit has no suggestion to accept or reject; relabel it or mark it no evidence")
    if not 0 <= suggestion_rank < max(len(item.suggestions), 1):
        raise ReviewError(f"no suggestion number {suggestion_rank + 1} on this unit")
    return store.record_decision(unit_id=item.unit_id, reviewer=reviewer, kind=KINDS[action], key=key,
                                 competency=competency, level=level, suggestion_rank=suggestion_rank,
                                 comment=comment, suggestion_hidden=item.suggestion_hidden)


def my_decisions(store: Store, *, reviewer: str, batch_id: int | None = None) -> list[DecisionRecord]:
    """``reviewer``'s own decisions in force (opinions, not undone) in ``batch_id``: what a page may show an assessor
    of the work done. Other assessors' decisions are never returned here (blind double marking)."""
    return store.current_decisions(batch_id=batch_id, reviewer=reviewer.strip())


def _check_label(framework: Framework, relabel: Relabel) -> tuple[str, str | None]:
    try:
        framework.competency(relabel.competency)
    except KeyError:
        raise ReviewError(f"{relabel.competency!r} is not a competency of {framework.name}") from None
    levels = [lv.id for lv in framework.scale]
    if relabel.level is not None and relabel.level not in levels:
        raise ReviewError(f"level {relabel.level!r} is not on {framework.name}'s scale {levels}")
    return relabel.competency, relabel.level


def relabel_options(framework: Framework, item: QueueItem) -> Relabel:
    """The relabel a reviewer most likely wants: the runner-up suggestion, else the top one."""
    pick = item.suggestions[1] if len(item.suggestions) > 1 else (item.suggestions[0] if item.suggestions else None)
    if pick is None:
        first = framework.competencies[0]
        return Relabel(first.id, None)
    return Relabel(pick.competency, pick.level)
