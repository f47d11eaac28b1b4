"""From unit suggestions to a document's assessment: evidenced level per competency, coverage of a
role's requirements, an overall match for ranking, and what the next level still needs.

A competency's confidence follows its units' calibrated scores (:func:`corroborated`): the strongest
unit counts in full and each further one half as much as the one before, so many weak sentences never
add up to certainty.
"""

from __future__ import annotations

from collections import defaultdict

from evidence.domain import (
    CompetencyEvidence,
    Coverage,
    CoverageStatus,
    Framework,
    Priority,
    Role,
    UnitAnalysis,
)

STRONG = 0.6  # a unit this sure may set the evidenced level on its own
PRIORITY_WEIGHT = {Priority.essential: 1.0, Priority.desirable: 0.5}
COUNTER_PENALTY = 0.25  # share of a requirement's credit lost when the document also shows counter-evidence
# Units of one document are not independent witnesses: the same writer, the same topic, the same misreading
# repeated. A plain noisy-or treats them as independent and made 20 sentences at 16-25 % a "100 %" competency
# (issue 15). Here the k-th strongest unit (k = 0, 1, ...) counts CORROBORATION ** k of its score. With 1/2
# all further units together add at most what one more unit as strong as the best would: the confidence
# never exceeds 1 - (1 - best) ** 2, i.e. the best unit's score plus best * (1 - best) (at most 0.25).
CORROBORATION = 0.5


def corroborated(scores: list[float]) -> float:
    """A competency's confidence from its units' calibrated scores: a noisy-or in which the k-th strongest
    unit counts ``CORROBORATION ** k`` of its score. One unit gives its own score; 0.9 and 0.7 give 0.935
    (a plain noisy-or: 0.97); twenty units of 0.2 give 0.35 (a plain noisy-or: 0.99)."""
    miss = 1.0
    for k, score in enumerate(sorted(scores, reverse=True)):
        miss *= 1.0 - score * CORROBORATION ** k
    return 1.0 - miss


def competency_evidence(framework: Framework, units: list[UnitAnalysis]) -> list[CompetencyEvidence]:
    """Per evidenced competency: the level (the highest level a strong unit shows, else the best unit's),
    the confidence (:func:`corroborated` from the supporting units' scores) and the supporting units."""
    supporting: dict[str, list[tuple[float, str | None, int]]] = defaultdict(list)
    counter: dict[str, list[int]] = defaultdict(list)
    for ua in units:
        for s in ua.suggestions:
            supporting[s.competency].append((s.score, s.level, ua.unit.index))
        for s in ua.counter_evidence:
            counter[s.competency].append(ua.unit.index)
    results = []
    for comp in framework.competencies:
        found = supporting.get(comp.id, [])
        if not found and comp.id not in counter:
            continue
        level = None
        if found:
            strong = [lv for score, lv, _ in found if score >= STRONG and lv is not None]
            best_level = max(found, key=lambda f: f[0])[1]
            if strong:
                level = max(strong, key=framework.level_index.__getitem__)
            else:
                level = best_level
        results.append(CompetencyEvidence(
            competency=comp.id, name=comp.name, level=level, score=round(corroborated([f[0] for f in found]), 3),
            units=sorted({u for _, _, u in found}), counter_units=sorted(set(counter.get(comp.id, []))),
        ))
    return sorted(results, key=lambda e: (-e.score, e.competency))


def coverage(framework: Framework, role: Role, evidence: list[CompetencyEvidence]) -> tuple[list[Coverage], float]:
    """Each requirement met, partly met or missing, and the overall match (0..1) a recruiter sorts by."""
    by_id = {e.competency: e for e in evidence}
    rows, earned, possible = [], 0.0, 0.0
    for req in role.requirements:
        found = by_id.get(req.competency)
        evidenced = found.level if found and found.units else None
        has_evidence = bool(found and found.units)
        if not has_evidence:
            status, credit = CoverageStatus.missing, 0.0
        elif req.level is None or evidenced is None:
            status, credit = CoverageStatus.met, 1.0
        else:
            got, need = framework.level_index[evidenced], framework.level_index[req.level]
            if got >= need:
                status, credit = CoverageStatus.met, 1.0
            else:
                status, credit = CoverageStatus.partly_met, (got + 1) / (need + 1)
        confidence = found.score if found is not None and has_evidence else 0.0
        if found and found.counter_units:
            credit *= 1.0 - COUNTER_PENALTY
        weight = PRIORITY_WEIGHT[req.priority]
        earned += weight * credit * (0.5 + 0.5 * confidence)
        possible += weight
        rows.append(Coverage(competency=req.competency, name=framework.competency(req.competency).name,
                             required=req.level, evidenced=evidenced, status=status, priority=req.priority,
                             score=round(confidence, 3)))
    return rows, round(earned / possible, 3) if possible else 0.0

