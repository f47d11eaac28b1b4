"""What the pages show, as plain data: My evidence's per-competency views, an appraisee's target role, and the
names and choices the pages display."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from evidence.app.markup import md_text
from evidence.domain import Cues, DocumentAnalysis, Framework, MatchedIndicator, Priority, Requirement, Role
from evidence.frameworks.catalogue import list_frameworks
from evidence.store import StoredDocument

NEEDS_EXAMPLES = 4  # indicators shown for a targeted competency with no evidence yet: enough to act on
# A narrative may name its framework in a comment, as the shipped sample does: <!-- framework: admin-job-family -->
FRAMEWORK_HINT = re.compile(r"<!--\s*framework:\s*([\w.-]+)\s*-->")
TARGETS_ROLE_ID = "my-targets"


@dataclass
class CompetencyView:
    """What My evidence shows for one competency."""

    id: str
    name: str
    level: str | None
    score: float
    sentences: list[tuple[str, str, float]] = field(default_factory=list)  # (sentence, indicator, score)
    counter: list[str] = field(default_factory=list)
    next_level: str | None = None
    needs: list[MatchedIndicator] = field(default_factory=list)
    target: str | None = None

    def title(self, level_names: dict[str, str]) -> str:
        """"Team working — Level 3 · target Level 4": the name, the level evidenced and the target, if any
        (plain text: framework names are an admin's text, so a Markdown label needs :func:`md_text`)."""
        shown = level_names.get(self.level, self.level) if self.level else "no level evidenced"
        target = f" · target {level_names.get(self.target, self.target)}" if self.target else ""
        return f"{self.name} — {shown}{target}"

    def needs_heading(self, level_names: dict[str, str]) -> str:
        """"**What Level 4 still needs**, for example:" (Markdown; the level's name is escaped)."""
        aim = md_text(level_names.get(self.next_level, self.next_level)) if self.next_level else "it"
        return f"**What {aim} still needs**, for example:"


def competency_views(analysis: DocumentAnalysis, framework: Framework) -> list[CompetencyView]:
    """Evidenced competencies first (strongest first), then the targeted ones with no evidence yet."""
    units = {ua.unit.index: ua for ua in analysis.units}
    targets = {c.competency: c.required for c in analysis.coverage}
    views = []
    for e in analysis.competencies:
        sentences = []
        for i in e.units:
            s = next((s for s in units[i].suggestions if s.competency == e.competency), None)
            if s is not None:
                sentences.append((units[i].unit.text, s.indicator.text, s.score))
        views.append(CompetencyView(
            id=e.competency, name=e.name, level=e.level, score=e.score, sentences=sentences,
            counter=[units[i].unit.text for i in e.counter_units],
            next_level=e.gap.next_level if e.gap else None, needs=list(e.gap.indicators) if e.gap else [],
            target=targets.get(e.competency)))
    shown = {v.id for v in views}
    for cid, required in targets.items():
        if cid not in shown:
            views.append(_unevidenced_view(framework, cid, required))
    return views


def _unevidenced_view(framework: Framework, competency_id: str, required: str | None) -> CompetencyView:
    comp = framework.competency(competency_id)
    levels = [lv.id for lv in framework.scale]
    aim = required or (levels[0] if levels else None)
    examples = [MatchedIndicator(id=i.id, text=i.text, level=i.level) for i in comp.indicators
                if i.polarity.value == "positive" and (aim is None or i.level == aim)][:NEEDS_EXAMPLES]
    return CompetencyView(id=comp.id, name=comp.name, level=None, score=0.0, next_level=aim, needs=examples,
                          target=required)


def targets_role(framework: Framework, targets: dict[str, str | None]) -> Role | None:
    """A role made of an appraisee's own target level per competency (None when no target is set).

    Competencies without a target level are left out, so coverage reports only what was aimed at.
    """
    requirements = [Requirement(competency=cid, level=level, priority=Priority.essential)
                    for cid, level in targets.items() if level]
    return Role(id=TARGETS_ROLE_ID, name="My target levels", requirements=requirements) if requirements else None


def target_levels(framework: Framework, chosen: Iterable[object]) -> dict[str, str | None]:
    """The targets table's column (one cell per competency, in order; empty for no target) as a mapping."""
    return {c.id: (str(v) if v else None) for c, v in zip(framework.competencies, chosen, strict=True)}


def framework_choices() -> dict[str, str]:
    """Every framework id -> "Name (id)", built-in first."""
    return {str(s["id"]): f"{s['name']} ({s['id']})" for s in list_frameworks()}


def hinted_framework(text: str, choices: Iterable[str]) -> str | None:
    """The framework a narrative names in a ``<!-- framework: id -->`` comment, when it is one of ``choices``."""
    found = FRAMEWORK_HINT.search(text or "")
    return found.group(1) if found and found.group(1) in set(choices) else None


def shown_document_name(doc: StoredDocument, *, blind: bool) -> str:
    """An applicant as the screen shows them: the id only in blind review, else "id — name"."""
    return doc.external_id if blind or not doc.name else f"{doc.external_id} — {doc.name}"


def narrative_inputs(text: str, framework: Framework, role: Role | None) -> tuple[str, str, tuple[str, ...]]:
    """What a My evidence result depends on: the text, the framework (its content) and the role or targets it
    was compared against. A result whose inputs differ from the page's now is out of date."""
    requirements = tuple(f"{r.competency}={r.level}" for r in role.requirements) if role else ()
    return text, framework.content_hash, requirements


# What an assessor reads in a sentence's cues, in words; the engine's names ("actor I", "specificity 0.1") are
# its own (walkthrough: "jargon for HR users").
ACTOR_WORDS = {"I": "the writer's own action", "we": "a team's action (\"we\")", "others": "someone else's action"}
STAR_WORDS = {"situation": "sets the scene", "task": "describes the task", "action": "says what was done",
              "result": "gives a result"}
SPECIFIC_FROM, VAGUE_BELOW = 0.5, 0.2  # specificity: numbers, outcomes and named things (engine/cues.py)
CUES_HELP = ("What the sentence reads as. The writer's own action counts most, a team's less, someone else's least. "
             "Specific sentences (numbers, names, outcomes) weigh more than general ones. What the writer would do, "
             "plans and self-criticism are never counted as evidence.")


def cue_words(cues: Cues) -> str:
    """A sentence's cues as an assessor would say them: "the writer's own action, specific, gives a result"."""
    words = [ACTOR_WORDS[cues.actor.value]] if cues.actor.value in ACTOR_WORDS else []
    if cues.negated:
        words.append("says what was not done")
    if cues.planned:
        words.append("a plan, not yet done")
    elif cues.hypothetical:
        words.append("what the writer would do")
    if getattr(cues, "self_critical", False):
        words.append("self-criticism or a development need")
    if cues.specificity >= SPECIFIC_FROM:
        words.append("specific")
    elif cues.specificity < VAGUE_BELOW:
        words.append("general")
    if cues.star.value in STAR_WORDS:
        words.append(STAR_WORDS[cues.star.value])
    return ", ".join(words)
