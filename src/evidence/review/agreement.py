"""Agreement in a batch: between assessors (Cohen's kappa per pair, Fleiss' kappa for three, Krippendorff's alpha
on levels, per competency and per assessor: :mod:`evidence.evaluation.agreement`) and between assessors and the
model, split by whether the assessor saw the suggestion (the batch's hidden-suggestion policy measures it without
anchoring).

The API a page or the CLI uses::

    batch_agreement(store, framework, batch_id)   # -> BatchAgreement (.as_dict() for JSON)
    agreement_markdown(result)                    # -> str

Ratings are the assessors' current opinions (a settlement is the moderator's, not an assessor's, so it is left
out). A unit's label is the competency accepted or relabelled, or ``none`` for rejected and no evidence; its level
rank is the level's place on the framework's scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.domain import DecisionKind, Framework
from evidence.evaluation.agreement import NONE, AgreementReport, GroupAgreement, Rating, agreement
from evidence.store import DecisionRecord, Store


@dataclass(frozen=True)
class ModelAgreement:
    """Assessors against the model's top suggestion: the share of decisions naming the same competency (``none``
    where the model suggested one and the assessor found none), over ``decisions``."""

    decisions: int
    agreement: float | None


@dataclass
class BatchAgreement:
    batch_id: int
    assessors: list[str]
    units: int  # units with two or more assessors' opinions
    assessors_report: AgreementReport
    model_shown: ModelAgreement  # decisions made with the suggestion on the card
    model_hidden: ModelAgreement  # decisions made before the suggestion was shown (the policy's share)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"batch_id": self.batch_id, "assessors": self.assessors, "multi_assessed_units": self.units,
                **self.assessors_report.as_dict(),
                "model": {"suggestion_shown": vars(self.model_shown), "suggestion_hidden": vars(self.model_hidden)},
                "notes": self.notes}


def ratings(decisions: list[DecisionRecord], framework: Framework) -> list[Rating]:
    """The assessors' current opinions as :class:`Rating` values for :func:`evidence.evaluation.agreement.agreement`."""
    rank = {lv.id: n for n, lv in enumerate(framework.scale)}
    found = []
    for d in decisions:
        label = _competency(d)
        found.append(Rating(unit=d.unit_id, assessor=d.reviewer, label=label or NONE,
                            level_rank=rank.get(d.level) if label and d.level is not None else None))
    return found


def batch_agreement(store: Store, framework: Framework, batch_id: int) -> BatchAgreement:
    """Agreement between the batch's assessors, and with the model (see the module docstring)."""
    decisions = store.current_decisions(batch_id=batch_id)
    by_unit: dict[int, set[str]] = {}
    for d in decisions:
        by_unit.setdefault(d.unit_id, set()).add(d.reviewer)
    report = agreement(ratings(decisions, framework))
    notes = []
    if not report.pairs:
        notes.append("no two assessors decided two or more of the same units: nothing to compare yet (set "
                     "`evidence batches policy NAME --reviewers 2` so each unit goes to two assessors)")
    return BatchAgreement(batch_id=batch_id, assessors=sorted({d.reviewer for d in decisions}),
                          units=sum(len(r) >= 2 for r in by_unit.values()), assessors_report=report,
                          model_shown=_with_model([d for d in decisions if not d.suggestion_hidden]),
                          model_hidden=_with_model([d for d in decisions if d.suggestion_hidden]), notes=notes)


def agreement_markdown(result: BatchAgreement) -> str:
    """The agreement as a Markdown report: every figure with the number of units it rests on."""
    r = result.assessors_report
    lines = [f"# Agreement, batch {result.batch_id}", "",
             f"Assessors: {', '.join(result.assessors) or 'none'}; units decided by two or more: {result.units}.", "",
             "## Between assessors (which competency)", "", "| Assessors | Units | Observed | Cohen's kappa |",
             "|---|---|---|---|"]
    lines += [f"| {a} / {b} | {p.units} | {p.observed:.0%} | {_figure(p.kappa)} |" for p in r.pairs
              for a, b in [p.assessors]] or ["| - | 0 | - | - |"]
    lines += ["", "| Measure | Assessors | Units | Value |", "|---|---|---|---|"]
    lines.append(_group_row("Fleiss' kappa (three or more)", r.fleiss))
    lines.append(_group_row("Krippendorff's alpha, levels (ordinal)", r.levels))
    lines += ["", "## Per competency (Cohen's kappa on evidences it or not, mean over pairs)", "",
              "| Competency | Units | Kappa |", "|---|---|---|"]
    lines += [f"| {c} | {g.units} | {_figure(g.value)} |" for c, g in r.by_competency.items()] or ["| - | 0 | - |"]
    lines += ["", "## Per assessor (mean Cohen's kappa with the others)", "", "| Assessor | Units | Kappa |",
              "|---|---|---|"]
    lines += [f"| {a} | {g.units} | {_figure(g.value)} |" for a, g in r.by_assessor.items()] or ["| - | 0 | - |"]
    lines += ["", "## Assessors and the model (same competency as its top suggestion)", "",
              "| Suggestion | Decisions | Agreement |", "|---|---|---|",
              f"| shown on the card | {result.model_shown.decisions} | {_share(result.model_shown.agreement)} |",
              f"| hidden until decided | {result.model_hidden.decisions} | {_share(result.model_hidden.agreement)} |"]
    if result.notes:
        lines += ["", *[f"Note: {n}" for n in result.notes]]
    return "\n".join(lines) + "\n"


def _competency(d: DecisionRecord) -> str | None:
    kind = d.settled_kind or d.kind
    return d.competency if kind in (DecisionKind.accepted.value, DecisionKind.relabelled.value) else None


def _with_model(decisions: list[DecisionRecord]) -> ModelAgreement:
    compared = [d for d in decisions if d.suggested_competency is not None]
    if not compared:
        return ModelAgreement(decisions=0, agreement=None)
    same = sum(_competency(d) == d.suggested_competency for d in compared)
    return ModelAgreement(decisions=len(compared), agreement=round(same / len(compared), 4))


def _group_row(name: str, group: GroupAgreement | None) -> str:
    if group is None:
        return f"| {name} | - | 0 | - |"
    return f"| {name} | {', '.join(group.assessors)} | {group.units} | {_figure(group.value)} |"


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
