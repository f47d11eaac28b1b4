"""What the Assessment, Moderation and Fairness pages show, as plain values: their menu entries and who sees them,
agreement in the plain words HR reads, the overall marks beside the model's, a moderation entry's opinions, and
the adverse-impact report's rows. The pages (``routes/assessment.py``, ``routes/moderation.py``,
``routes/fairness.py``) draw these; nothing here draws.
"""

from __future__ import annotations

import pandas as pd

from evidence import review
from evidence.app.session import PageSpec
from evidence.domain import DecisionKind, Framework
from evidence.review.agreement import BatchAgreement
from evidence.services.auth import Permission, User
from evidence.store import BatchInfo, DecisionRecord, ModerationItem, Store

# Landis & Koch (1977), the bands HR reports of kappa usually quote: (upper bound, word); under 0 is "poor"
KAPPA_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"), (1.0, "almost perfect"))
KAPPA_POOR = "poor (worse than chance)"
# Krippendorff (2004, p. 241): rely on data with alpha >= 0.800; 0.667 is the lowest for tentative conclusions
ALPHA_RELIABLE = 0.800
ALPHA_TENTATIVE = 0.667


# admins' pages; Moderation also opens for a batch's named moderator (see pages_for)
ASSESSMENT = PageSpec("assessment.py", "Assessment", ":material/groups:", Permission.assess)
MODERATION = PageSpec("moderation.py", "Moderation", ":material/gavel:", Permission.assess)
FAIRNESS = PageSpec("fairness.py", "Fairness", ":material/balance:", Permission.assess)
PAGES = (ASSESSMENT, MODERATION, FAIRNESS)


def is_admin(user: User | None) -> bool:
    return user is not None and user.can(Permission.assess)


def moderated_batches(store: Store, user: User) -> list[BatchInfo]:
    """The batches ``user`` settles: every batch for an admin, else those whose policy names them moderator
    (:func:`evidence.review.may_moderate`'s rule, read from the batch list's policies in one query: the menu asks on
    every page run; :func:`evidence.review.settle` checks it again)."""
    batches = store.list_batches()
    if is_admin(user):
        return batches
    return [b for b in batches if b.policy.moderator is not None and b.policy.moderator == user.name.strip()]


def pages_for(user: User | None, store: Store) -> list[PageSpec]:
    """This module's pages ``user`` may open: all three for an admin, Moderation for a batch's named moderator,
    none for anyone else (demographics and agreement are admins' only)."""
    if user is None:
        return []
    if is_admin(user):
        return list(PAGES)
    return [MODERATION] if moderated_batches(store, user) else []


# -- agreement in plain words ----------------------------------------------------------------------------------


def kappa_words(value: float | None) -> str:
    """A kappa as a word from Landis & Koch's bands."""
    if value is None:
        return "cannot be measured yet (every answer was the same)"
    if value < 0:
        return KAPPA_POOR
    for upper, word in KAPPA_BANDS:
        if value <= upper:
            return word
    return KAPPA_BANDS[-1][1]


def alpha_words(value: float | None) -> str:
    if value is None:
        return "cannot be measured yet"
    if value >= ALPHA_RELIABLE:
        return "reliable"
    if value >= ALPHA_TENTATIVE:
        return "good enough for tentative conclusions only"
    return "too low to rely on"


def _sentences(n: int) -> str:
    return f"{n} sentence{'s' * (n != 1)}"


def _names(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def agreement_sentences(result: BatchAgreement) -> list[str]:
    """The batch's agreement as sentences for HR, each with the number of sentences it rests on."""
    r = result.assessors_report
    lines = [f"Agreement between {a} and {b} on {_sentences(p.units)}: {kappa_words(p.kappa)} "
             f"(kappa {_figure(p.kappa)}; they chose the same {p.observed:.0%} of the time)."
             for p in r.pairs for a, b in [p.assessors]]
    if r.fleiss is not None:
        lines.append(f"Agreement among {_names(r.fleiss.assessors)} on the {_sentences(r.fleiss.units)} each of them "
                     f"decided: {kappa_words(r.fleiss.value)} (Fleiss' kappa {_figure(r.fleiss.value)}).")
    if r.levels is not None:
        lines.append(f"Agreement on levels between {_names(r.levels.assessors)} on {_sentences(r.levels.units)}: "
                     f"{alpha_words(r.levels.value)} (Krippendorff's alpha {_figure(r.levels.value)}).")
    shown, hidden = result.model_shown, result.model_hidden
    if shown.decisions:
        lines.append(f"With the model's suggestion on screen, assessors chose its competency in "
                     f"{shown.agreement:.0%} of {shown.decisions} decisions.")
    if hidden.decisions:
        lines.append(f"With it hidden until they decided, in {hidden.agreement:.0%} of {hidden.decisions} decisions "
                     "(a gap between the two suggests assessors lean on the model).")
    return lines + list(result.notes)


def agreement_frames(result: BatchAgreement, framework: Framework) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per competency and per assessor: the kappa, its word, and the sentences it rests on."""
    names = {c.id: c.name for c in framework.competencies}
    r = result.assessors_report
    competencies = pd.DataFrame([{"Competency": names.get(c, c), "Sentences": g.units, "Kappa": _figure(g.value),
                                  "Agreement": kappa_words(g.value)} for c, g in r.by_competency.items()],
                                columns=["Competency", "Sentences", "Kappa", "Agreement"])
    assessors = pd.DataFrame([{"Assessor": a, "Sentences": g.units, "Kappa with the others": _figure(g.value),
                               "Agreement": kappa_words(g.value)} for a, g in r.by_assessor.items()],
                             columns=["Assessor", "Sentences", "Kappa with the others", "Agreement"])
    return competencies, assessors


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# -- overall marks ------------------------------------------------------------------------------------------------

STATUS_WORDS = {"agreed": "agreed", "settled": "settled by a moderator", "disputed": "disputed: waiting for moderation"}


def marks_frame(marks: list[review.OverallMark], framework: Framework) -> pd.DataFrame:
    """Per applicant and competency: the assessors' overall mark beside the model's."""
    names = {c.id: c.name for c in framework.competencies}
    return pd.DataFrame([{"Applicant": m.document, "Competency": names.get(m.competency, m.competency),
                          "Assessors' level": _level(framework, m.level, m.units),
                          "Sentences marked": m.units, "Disputed": m.disputed_units,
                          "Status": STATUS_WORDS.get(m.status, m.status),
                          "Model's level": _level(framework, m.model_level, m.model_units),
                          "Model's sentences": m.model_units} for m in marks],
                        columns=["Applicant", "Competency", "Assessors' level", "Sentences marked", "Disputed",
                                 "Status", "Model's level", "Model's sentences"])


def _level(framework: Framework, level: str | None, units: int) -> str:
    if not units:
        return "not found"
    return framework.level_name(level, default="evidenced (no level)")


# -- moderation ---------------------------------------------------------------------------------------------------

KIND_WORDS = {DecisionKind.accepted.value: "accepted the model's suggestion",
              DecisionKind.rejected.value: "rejected the model's suggestion",
              DecisionKind.relabelled.value: "relabelled it", DecisionKind.no_evidence.value: "found no evidence"}
REASON_WORDS = {"disagreement": "assessors disagree", "flagged": "flagged by an assessor"}


def label_text(framework: Framework, competency: str | None, level: str | None) -> str:
    if not competency:
        return "no competency"
    try:
        name = framework.competency(competency).name
    except KeyError:
        name = competency
    return f"{name}, {framework.level_name(level)}" if level else name


def opinion_text(framework: Framework, d: DecisionRecord) -> str:
    """One assessor's opinion: who, what they decided, and the label it gives the sentence."""
    what = KIND_WORDS.get(d.kind, d.kind)
    if d.kind in (DecisionKind.accepted.value, DecisionKind.relabelled.value):
        what += f": {label_text(framework, d.competency, d.level)}"
    if d.suggestion_hidden:
        what += " (decided with the suggestion hidden)"
    return what


def opinions_frame(framework: Framework, entry: ModerationItem) -> pd.DataFrame:
    """Every assessor's current opinion and flag on the sentence, with their comments."""
    rows = [{"Assessor": d.reviewer, "Decision": opinion_text(framework, d), "Comment": d.comment or "",
             "When": f"{d.decided_at:%d %b %Y %H:%M}"} for d in entry.opinions]
    rows += [{"Assessor": d.reviewer, "Decision": "flagged it for moderation", "Comment": d.comment or "",
              "When": f"{d.decided_at:%d %b %Y %H:%M}"} for d in entry.flags]
    return pd.DataFrame(rows, columns=["Assessor", "Decision", "Comment", "When"])


def entry_title(entry: ModerationItem, number: int) -> str:
    reasons = " and ".join(REASON_WORDS.get(r, r) for r in entry.reasons)
    return f"{number}. {entry.item.document} · sentence {entry.item.index + 1} · {reasons}"


# -- adverse impact -----------------------------------------------------------------------------------------------


def impact_frame(report: dict) -> pd.DataFrame:
    """One row per group (the categories', then their intersections') as the page's table shows them."""
    settings = report["settings"]
    flagged = f"flagged: under {settings['flag_below']:g}"
    excluded = f"excluded: under {settings['min_share']:.0%} of applicants"
    rows = []
    entries = [(c["category"], g) for c in report["categories"] for g in c["groups"]]
    entries += [(" x ".join(g["categories"]), g) for g in report["intersectional"]["groups"]]
    for category, g in entries:
        rows.append({"Category": category,
                     "Group": " x ".join(g["group"]) if isinstance(g["group"], list) else g["group"],
                     "Applicants": g["n"], "Scoring rate": f"{g['scoring_rate']:.0%}",
                     "Impact ratio": "-" if g["impact_ratio"] is None else f"{g['impact_ratio']:.2f}",
                     "Flag": flagged if g["flagged"] else (excluded if g["excluded"] else "")})
    return pd.DataFrame(rows, columns=["Category", "Group", "Applicants", "Scoring rate", "Impact ratio", "Flag"])
