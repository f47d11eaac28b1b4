"""Agreement between assessors: Cohen's kappa per pair, Fleiss' kappa for three or more, Krippendorff's alpha
(ordinal) for levels, each with the number of units it rests on.

Input is a list of :class:`Rating` (a unit, an assessor, the label they gave: a competency id or ``none``, and
the level where they gave one); nothing here reads the store. The statistics are the libraries' own:
scikit-learn's ``cohen_kappa_score``, statsmodels' ``fleiss_kappa`` and the ``krippendorff`` package, so the
figures match what a statistician would compute from the same table.

Kappa is undefined when both assessors used a single label throughout (no variation to agree beyond chance):
such a pair is reported with ``kappa`` None and its raw agreement, never as 0 or 1.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

NONE = "none"  # the label of a unit an assessor said evidences nothing
MIN_UNITS = 2  # fewer units in common than this and a pair's agreement is not reported (nothing to compare)


@dataclass(frozen=True)
class Rating:
    """One assessor's current decision on one unit: the competency it evidences (``none`` for nothing) and,
    where given, the level's rank on the framework's scale (0 = lowest)."""

    unit: Hashable
    assessor: str
    label: str
    level_rank: int | None = None


@dataclass(frozen=True)
class PairAgreement:
    assessors: tuple[str, str]
    units: int
    observed: float  # share of the common units with the same label
    kappa: float | None


@dataclass(frozen=True)
class GroupAgreement:
    assessors: tuple[str, ...]
    units: int
    value: float | None


@dataclass
class AgreementReport:
    """Agreement on which competency (per pair, and Fleiss' kappa where three or more rated the same units), on
    levels (Krippendorff's alpha, ordinal), per competency (kappa on "evidences it or not" per pair, averaged)
    and per assessor (mean kappa with the others), each with the units it rests on."""

    pairs: list[PairAgreement] = field(default_factory=list)
    fleiss: GroupAgreement | None = None
    levels: GroupAgreement | None = None
    by_competency: dict[str, GroupAgreement] = field(default_factory=dict)
    by_assessor: dict[str, GroupAgreement] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two assessors' labels on the same units; None when it is undefined (one label only)."""
    from sklearn.metrics import cohen_kappa_score

    if len(first) != len(second):
        raise ValueError(f"two assessors' labels must cover the same units: {len(first)} against {len(second)}")
    if len(set(first) | set(second)) < 2:
        return None
    value = float(cohen_kappa_score(list(first), list(second)))
    return None if math.isnan(value) else value


def fleiss_kappa(labels: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' kappa of units each labelled by the same number of assessors (one row per unit)."""
    from statsmodels.stats.inter_rater import aggregate_raters
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    if not labels:
        return None
    categories = sorted({label for row in labels for label in row})
    if len(categories) < 2:
        return None
    codes = np.array([[categories.index(label) for label in row] for row in labels])
    table, _ = aggregate_raters(codes, n_cat=len(categories))
    value = float(statsmodels_fleiss(table, method="fleiss"))
    return None if math.isnan(value) else value


def ordinal_alpha(ranks: Sequence[Sequence[int | None]]) -> float | None:
    """Krippendorff's alpha (ordinal) of level ranks: one row per assessor, one column per unit, None where an
    assessor gave no level for that unit."""
    import krippendorff

    data = np.array([[np.nan if r is None else float(r) for r in row] for row in ranks], dtype=float)
    if data.size == 0 or len({v for v in data[~np.isnan(data)]}) < 2:
        return None
    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal"))
    return None if math.isnan(value) else value


def agreement(ratings: Iterable[Rating]) -> AgreementReport:
    """The agreement of every assessor with every other on the units they both rated (see :class:`AgreementReport`)."""
    by_unit: dict[Hashable, dict[str, Rating]] = defaultdict(dict)
    for rating in ratings:
        by_unit[rating.unit][rating.assessor] = rating  # the later rating of an assessor stands
    assessors = sorted({a for unit in by_unit.values() for a in unit})
    report = AgreementReport()
    for a, b in itertools.combinations(assessors, 2):
        common = [unit for unit in by_unit.values() if a in unit and b in unit]
        if len(common) < MIN_UNITS:
            continue
        first, second = [u[a].label for u in common], [u[b].label for u in common]
        observed = sum(x == y for x, y in zip(first, second, strict=True)) / len(common)
        report.pairs.append(PairAgreement((a, b), len(common), round(observed, 4), _rounded(cohen_kappa(first,
                                                                                                         second))))
    report.fleiss = _fleiss(by_unit, assessors)
    report.levels = _levels(by_unit, assessors)
    report.by_competency = _by_competency(by_unit, assessors)
    for assessor in assessors:
        mine = [p for p in report.pairs if assessor in p.assessors and p.kappa is not None]
        if mine:
            report.by_assessor[assessor] = GroupAgreement(
                tuple(sorted({x for p in mine for x in p.assessors} - {assessor})),
                sum(p.units for p in mine), _rounded(float(np.mean([p.kappa for p in mine]))))
    return report


def _fleiss(by_unit: dict[Hashable, dict[str, Rating]], assessors: list[str]) -> GroupAgreement | None:
    """Fleiss' kappa over the units rated by three or more assessors, taking the largest group of assessors
    that rated the same units (Fleiss' kappa needs the same number of ratings per unit)."""
    best: GroupAgreement | None = None
    for size in range(len(assessors), 2, -1):
        for group in itertools.combinations(assessors, size):
            rows = [[unit[a].label for a in group] for unit in by_unit.values() if all(a in unit for a in group)]
            if len(rows) >= MIN_UNITS and (best is None or len(rows) > best.units):
                best = GroupAgreement(group, len(rows), _rounded(fleiss_kappa(rows)))
        if best is not None:
            return best
    return None


def _levels(by_unit: dict[Hashable, dict[str, Rating]], assessors: list[str]) -> GroupAgreement | None:
    """Krippendorff's alpha over the levels given where two or more assessors chose the same competency."""
    columns = []
    for unit in by_unit.values():
        labels = [r.label for r in unit.values() if r.level_rank is not None and r.label != NONE]
        if not labels:
            continue
        label = max(set(labels), key=labels.count)  # levels compare only within the same competency
        ranks = [unit[a].level_rank if a in unit and unit[a].label == label else None for a in assessors]
        if sum(r is not None for r in ranks) >= 2:
            columns.append(ranks)
    if len(columns) < MIN_UNITS:
        return None
    rows = [list(row) for row in zip(*columns, strict=True)]
    return GroupAgreement(tuple(assessors), len(columns), _rounded(ordinal_alpha(rows)))


def _by_competency(by_unit: dict[Hashable, dict[str, Rating]], assessors: list[str]) -> dict[str, GroupAgreement]:
    """Per competency: Cohen's kappa on "evidences it or not", averaged over the pairs where it is defined."""
    competencies = sorted({r.label for unit in by_unit.values() for r in unit.values()} - {NONE})
    found = {}
    for competency in competencies:
        kappas, units = [], 0
        for a, b in itertools.combinations(assessors, 2):
            common = [unit for unit in by_unit.values() if a in unit and b in unit]
            if len(common) < MIN_UNITS:
                continue
            kappa = cohen_kappa([str(u[a].label == competency) for u in common],
                                [str(u[b].label == competency) for u in common])
            if kappa is not None:
                kappas.append(kappa)
                units = max(units, len(common))
        if kappas:
            found[competency] = GroupAgreement(tuple(assessors), units, _rounded(float(np.mean(kappas))))
    return found


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
