"""What the pages show as plain data (evidence.app.views): competency views, target roles, names and hints."""

from __future__ import annotations

from evidence.app import views
from evidence.domain import Coverage, CoverageStatus
from evidence.frameworks.catalogue import get_framework
from tests.factories import FRAMEWORK, FakeAnalyzer, make_analysis


def test_targets_become_a_role() -> None:
    framework = get_framework(FRAMEWORK)
    assert views.targets_role(framework, {"team-working": None}) is None
    role = views.targets_role(framework, {"team-working": "3", "customer-stakeholder-focus": None})
    assert [(r.competency, r.level) for r in role.requirements] == [("team-working", "3")]
    chosen = ["3"] + [None] * (len(framework.competencies) - 1)
    assert views.target_levels(framework, chosen) == {c.id: ("3" if i == 0 else None)
                                                      for i, c in enumerate(framework.competencies)}


def test_competency_views_list_evidence_then_unmet_targets() -> None:
    framework = get_framework(FRAMEWORK)
    first, last = framework.competencies[0], framework.competencies[-1]
    analysis = FakeAnalyzer(framework).analyse_document(make_analysis("m", [("I led.", [])]).document)
    missing = Coverage(competency=last.id, name=last.name, required="2", evidenced=None,
                       status=CoverageStatus.missing)
    analysis = analysis.model_copy(update={"coverage": [missing]})
    shown = views.competency_views(analysis, framework)
    assert [v.id for v in shown] == [first.id, last.id]
    assert shown[0].sentences == [("I led.", f"About {first.id}", 0.6)]
    assert shown[1].level is None and shown[1].target == "2" and shown[1].needs
    assert all(i.level == "2" for i in shown[1].needs) and len(shown[1].needs) <= views.NEEDS_EXAMPLES
    names = framework.level_names
    assert shown[1].title(names) == f"{last.name} — no level evidenced · target {names['2']}"
    assert names["2"] in shown[1].needs_heading(names)


def test_a_narrative_can_name_its_framework() -> None:
    assert views.hinted_framework("<!-- framework: admin-job-family -->\nI led.", ["x", "admin-job-family"]) == (
        "admin-job-family")
    assert views.hinted_framework("<!-- framework: unknown -->", ["x"]) is None
    assert views.hinted_framework("", ["x"]) is None
    choices = views.framework_choices()
    assert choices[FRAMEWORK].endswith(f"({FRAMEWORK})")


def test_the_needs_heading_escapes_an_admins_level_name() -> None:
    """Level names come from imported frameworks: a Markdown link in one is shown as text (D14)."""
    view = views.CompetencyView(id="c", name="C", level=None, score=0.0, next_level="4")
    heading = view.needs_heading({"4": "[Level 4](http://e.vil)"})
    assert heading.startswith("**What \\[Level 4\\]") and "](" not in heading


def test_cues_are_said_in_words_an_assessor_uses() -> None:
    """Walkthrough: the review card showed "actor I, specificity 0.1, task"."""
    from evidence.domain import Cues
    from evidence.domain.analysis import Actor, StarPart

    assert views.cue_words(Cues(actor=Actor.self, specificity=0.1, star=StarPart.task)) == \
        "the writer's own action, general, describes the task"
    assert views.cue_words(Cues(actor=Actor.team, specificity=0.7, star=StarPart.result, hypothetical=True)) == \
        "a team's action (\"we\"), what the writer would do, specific, gives a result"
    assert "actor" not in views.cue_words(Cues()) and "specificity" not in views.cue_words(Cues())
