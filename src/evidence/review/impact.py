"""The adverse-impact report of a saved batch: the scores it audits (the model's overall match and, where assessors
have marked, theirs) and the batch's stored demographics as the table :mod:`evidence.reporting.fairness` reads.

Both scores are keyed by the id each applicant was screened under (a blind batch's original id, never the
pseudonym assessors see), the id the demographics file holds.

* The model's score is each applicant's overall match as screened (:attr:`DocumentAnalysis.match`).
* The assessors' score is the same match computed from their overall marks (:func:`evidence.review.overall_marks`:
  the highest level settled or agreed per competency) instead of the model's evidence: per role requirement, met
  (credit 1) when the assessors marked the competency at or above the required level (or either has no level),
  partly met ((marked rank + 1) / (required rank + 1)) below it, missing (0) when they did not mark it; weighted by
  the requirement's priority as :func:`evidence.engine.assess.coverage` weights it, without the model's confidence.
  Disputed units count for nothing until a moderator settles them. Only applicants with at least one assessor
  decision (or settlement) get a score; the others are "not scored" in the report.

Demographics are read by admins' pages and commands only (:mod:`evidence.store.demographics`); nothing here feeds
the review queue or the model.
"""

from __future__ import annotations

import pandas as pd

from evidence.domain import Framework, Role
from evidence.engine.assess import PRIORITY_WEIGHT
from evidence.errors import InputError
from evidence.reporting.fairness import ID, ImpactSettings, adverse_impact, scores_frame
from evidence.review.moderation import overall_marks
from evidence.store import Demographics, Store

MODEL = "model"  # the report of the model's overall match
ASSESSORS = "assessors"  # the report of the assessors' overall marks


def model_scores(store: Store, batch_id: int) -> pd.DataFrame:
    """Each applicant's id (as screened) and the model's overall match (NaN without a role)."""
    return scores_frame((d.original_id or d.external_id, d.analysis.match) for d in store.documents(batch_id))


def assessor_scores(store: Store, framework: Framework, batch_id: int, role: Role) -> pd.DataFrame | None:
    """Each applicant's id and the match from the assessors' overall marks (NaN where no assessor decided any of
    their sentences); None when no assessor has decided anything in the batch."""
    items = {i.unit_id: i.document_id for i in store.suggested_units(batch_id=batch_id)}
    assessed = {items[u] for u, state in store.unit_decisions(batch_id=batch_id).items()
                if u in items and (state.opinions or state.settlement is not None)}
    if not assessed:
        return None
    rank = {lv.id: n for n, lv in enumerate(framework.scale)}
    marked: dict[int, dict[str, str | None]] = {}
    for mark in overall_marks(store, framework, batch_id):
        if mark.units:  # a disputed unit adds nothing; the settled or agreed ones of the same competency do
            marked.setdefault(mark.document_id, {})[mark.competency] = mark.level
    pairs: list[tuple[str, float | None]] = []
    for doc in store.documents(batch_id):
        applicant = doc.original_id or doc.external_id
        pairs.append((applicant, _match(role, marked.get(doc.id, {}), rank) if doc.id in assessed else None))
    return scores_frame(pairs)


def demographics_frame(demographics: Demographics, id_column: str = ID) -> pd.DataFrame:
    """The stored demographics as the table :func:`evidence.reporting.fairness.adverse_impact` reads."""
    return pd.DataFrame(demographics.table(id_column), columns=[id_column, *demographics.categories], dtype=str)


def batch_impact(store: Store, framework: Framework, batch_id: int, *,
                 settings: ImpactSettings | None = None) -> dict[str, dict]:
    """The adverse-impact reports of a batch on its stored demographics: ``{"model": report}`` and, where assessors
    have decided sentences, ``"assessors": report`` (each :func:`evidence.reporting.fairness.adverse_impact`'s).
    Raises :class:`InputError` saying what is missing (demographics, a role)."""
    info = store.batch(batch_id)
    demographics = store.demographics(batch_id)
    if demographics is None:
        raise InputError(f"batch {info.name!r} has no demographics yet: upload them on the Fairness page, or give "
                         "`evidence fairness --batch NAME --demographics FILE`")
    if info.role_id is None:
        raise InputError(f"batch {info.name!r} was screened without a role, so its applicants have no overall match "
                         "to audit; screen it again against a role")
    people = demographics_frame(demographics)
    reports = {MODEL: adverse_impact(model_scores(store, batch_id), people, measure="match",
                                     settings=settings, source="demographics")}
    human = assessor_scores(store, framework, batch_id, framework.role(info.role_id))
    if human is not None and human["score"].notna().any():
        reports[ASSESSORS] = adverse_impact(human, people, measure="assessors' overall mark", settings=settings,
                                            source="demographics")
    return reports


def _match(role: Role, levels: dict[str, str | None], rank: dict[str, int]) -> float:
    earned = possible = 0.0
    for req in role.requirements:
        weight = PRIORITY_WEIGHT[req.priority]
        possible += weight
        if req.competency not in levels:
            continue
        got = levels[req.competency]
        if req.level is None or got is None or rank[got] >= rank[req.level]:
            earned += weight
        else:
            earned += weight * (rank[got] + 1) / (rank[req.level] + 1)
    return round(earned / possible, 3) if possible else 0.0
