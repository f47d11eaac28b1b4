"""Moderation and overall marks: who settles disagreements, the settlement itself, and per applicant and competency
the assessors' overall mark beside the model's.

The API a page uses::

    may_moderate(store, batch_id, user=name, role=role)          # -> bool: an admin, or the batch's moderator
    moderation_queue(store, batch_id)                             # -> list[ModerationItem]
    settle(store, framework, entry.item, Action.relabel, moderator=name, role=role, key=new_key(),
           relabel=Relabel("c1", "2"), comment="why")             # -> DecisionRecord (kind "moderation")
    overall_marks(store, framework, batch_id)                     # -> list[OverallMark]

A :class:`~evidence.store.ModerationItem` is a unit whose assessors disagree (another competency or level, or
accepted against rejected) or that one flagged, with every current opinion and flag (comments included), and the
card (``item``: the text, its neighbours and the model's suggestions). A settlement is an entry of kind
``"moderation"`` in the decision log (:meth:`Store.settle`): its label is what training
(:meth:`Store.corrections`) and the overall marks use from then on, and every opinion stays in the log and the
audit trail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from evidence.domain import DecisionKind, Framework
from evidence.review.actions import KINDS, Action, Relabel, ReviewError, _check_label
from evidence.services.auth import UserRole
from evidence.store import DecisionRecord, ModerationItem, QueueItem, Store

SETTLED = "settled"
AGREED = "agreed"
DISPUTED = "disputed"  # assessors disagree and nobody has settled it yet


@dataclass(frozen=True)
class OverallMark:
    """Per applicant (document) and competency: the assessors' overall mark and the model's.

    ``level`` is the highest level marked for the competency across the document's settled or agreed units (None
    where none carries a level); ``status`` is "settled" when a moderator settled one of them, "disputed" when some
    unit naming the competency is still in dispute, else "agreed". ``model_level`` is the highest level of the
    model's top suggestions for the competency in the document (None where the model suggested it without a level
    or not at all; ``model_units`` counts those units)."""

    document_id: int
    document: str  # the external id: a blind batch's pseudonym
    competency: str
    level: str | None
    units: int  # settled or agreed units of the document labelled with the competency
    disputed_units: int
    status: str
    model_level: str | None
    model_units: int


def may_moderate(store: Store, batch_id: int, *, user: str, role: UserRole | str | None) -> bool:
    """Whether ``user`` settles this batch's disagreements: an admin, or the moderator the batch's policy names."""
    if _is_admin(role):
        return True
    moderator = store.batch_policy(batch_id).moderator
    return moderator is not None and moderator == user.strip()


def moderation_queue(store: Store, batch_id: int) -> list[ModerationItem]:
    """The batch's units waiting for a moderator, in document order (:meth:`Store.moderation_queue`)."""
    return store.moderation_queue(batch_id=batch_id)


def settle(store: Store, framework: Framework, item: QueueItem, action: Action | str, *, moderator: str,
           role: UserRole | str | None, key: str, relabel: Relabel | None = None,
           comment: str | None = None) -> DecisionRecord:
    """Settle a unit as ``moderator`` (an admin, or the batch's named moderator): accept or reject the model's top
    suggestion, relabel it, or mark it no evidence. Returns the settlement; a later one replaces it."""
    if not may_moderate(store, item.batch_id, user=moderator, role=role):
        raise ReviewError(f"{moderator!r} may not settle this batch's sentences: an admin or the batch's named "
                          "moderator settles them (`evidence batches policy NAME --moderator USER`)")
    if item.framework_id != framework.id:
        raise ReviewError(f"this unit was screened against {item.framework_id!r}, not {framework.id!r}")
    action = Action(action)
    if action not in KINDS:
        raise ReviewError(f"a settlement accepts, rejects, relabels or marks no evidence, not {action.value!r}")
    competency: str | None = None
    level: str | None = None
    if action is Action.relabel:
        if relabel is None or not relabel.competency:
            raise ReviewError("choose the competency (and level) this unit evidences, then settle")
        competency, level = _check_label(framework, relabel)
    return store.settle(unit_id=item.unit_id, moderator=moderator, kind=KINDS[action], key=key,
                        competency=competency, level=level, comment=comment)


def overall_marks(store: Store, framework: Framework, batch_id: int) -> list[OverallMark]:
    """Per applicant and competency, the assessors' overall mark beside the model's (see :class:`OverallMark`), in
    document order then the framework's competency order."""
    rank = {lv.id: n for n, lv in enumerate(framework.scale)}
    items = {i.unit_id: i for i in store.suggested_units(batch_id=batch_id)}
    marked: dict[tuple[int, str], list[str | None]] = defaultdict(list)
    disputed: dict[tuple[int, str], int] = defaultdict(int)
    settled: set[tuple[int, str]] = set()
    for unit_id, state in store.unit_decisions(batch_id=batch_id).items():
        item = items.get(unit_id)
        if item is None:
            continue
        if state.settlement is not None:
            label = _label(state.settlement)
            if label is not None:
                marked[(item.document_id, label[0])].append(label[1])
                settled.add((item.document_id, label[0]))
            continue
        labels = {_label(d) for d in state.opinions}
        if len(labels) == 1:
            (label,) = labels
            if label is not None:
                marked[(item.document_id, label[0])].append(label[1])
        else:
            for competency in {lbl[0] for lbl in labels if lbl is not None}:
                disputed[(item.document_id, competency)] += 1
    model: dict[tuple[int, str], list[str | None]] = defaultdict(list)
    documents: dict[int, str] = {}
    for item in items.values():
        documents[item.document_id] = item.document
        if item.suggestions:
            top = item.suggestions[0]
            model[(item.document_id, top.competency)].append(top.level)
    order = {c.id: n for n, c in enumerate(framework.competencies)}
    keys = sorted(set(marked) | set(disputed), key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return [OverallMark(document_id=doc, document=documents.get(doc, ""), competency=competency,
                        level=_highest(marked.get((doc, competency), []), rank), units=len(marked.get((doc, competency),
                                                                                                   [])),
                        disputed_units=disputed.get((doc, competency), 0),
                        status=DISPUTED if disputed.get((doc, competency)) else
                        SETTLED if (doc, competency) in settled else AGREED,
                        model_level=_highest(model.get((doc, competency), []), rank),
                        model_units=len(model.get((doc, competency), [])))
            for doc, competency in keys]


def _label(d: DecisionRecord) -> tuple[str, str | None] | None:
    """The (competency, level) a decision says the unit evidences; None for rejected or no evidence."""
    kind = d.settled_kind or d.kind
    if kind in (DecisionKind.accepted.value, DecisionKind.relabelled.value) and d.competency:
        return d.competency, d.level
    return None


def _highest(levels: list[str | None], rank: dict[str, int]) -> str | None:
    ranked = [lv for lv in levels if lv is not None and lv in rank]
    return max(ranked, key=lambda lv: rank[lv]) if ranked else None


def _is_admin(role: UserRole | str | None) -> bool:
    try:
        return role is not None and UserRole(role) is UserRole.admin
    except ValueError:
        return False
