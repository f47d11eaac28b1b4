"""Test data built by hand: analyses, a small batch and a stand-in analyzer, so store, review and app tests
need no model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from evidence.domain import (
    CompetencyEvidence,
    Cues,
    Document,
    DocumentAnalysis,
    Framework,
    MatchedIndicator,
    Role,
    Suggestion,
    Unit,
    UnitAnalysis,
)

FRAMEWORK = "community-link-worker"


def make_analysis(doc_id: str, sentences: list[tuple[str, list[tuple[str, str | None, float]]]], *,
                  name: str = "", match: float | None = 0.5) -> DocumentAnalysis:
    """A DocumentAnalysis from (sentence, [(competency, level, score), ...]) pairs, offsets consistent."""
    text_parts, units, cursor = [], [], 0
    for index, (sentence, suggestions) in enumerate(sentences):
        start = cursor
        end = start + len(sentence)
        text_parts.append(sentence)
        cursor = end + 1
        units.append(UnitAnalysis(unit=Unit(index=index, text=sentence, start=start, end=end, cues=Cues()),
                                  suggestions=[_suggestion(c, lv, s) for c, lv, s in suggestions]))
    evidence: dict[str, list[int]] = {}
    for ua in units:
        for s in ua.suggestions:
            evidence.setdefault(s.competency, []).append(ua.unit.index)
    return DocumentAnalysis(
        document=Document(id=doc_id, text=" ".join(text_parts), name=name), units=units, match=match,
        competencies=[CompetencyEvidence(competency=c, name=c.replace("-", " ").title(), level=None, score=0.5,
                                         units=idx) for c, idx in evidence.items()])


def _suggestion(competency: str, level: str | None, score: float) -> Suggestion:
    return Suggestion(competency=competency, competency_name=competency.replace("-", " ").title(), level=level,
                      score=score, indicator=MatchedIndicator(id=f"{competency}.x", text=f"About {competency}"))


def small_batch() -> list[DocumentAnalysis]:
    return [
        make_analysis("A1", [("I led the team through the merger.", [("team-working", "3", 0.9)]),
                             ("I like tea.", []),
                             ("I mentored two new starters.", [("leading-supporting-developing-others", "2", 0.55),
                                                               ("team-working", "2", 0.45)])], name="Ann Example"),
        make_analysis("A2", [("We built a referral network with GPs.",
                              [("networking-relationship-building", "3", 0.52),
                               ("customer-stakeholder-focus", "2", 0.5)])], name="Bob Example"),
    ]


class FakeAnalyzer:
    """Stands in for evidence.engine.analyzer.Analyzer: every sentence evidences the first competency at level 2."""

    model_version = "fake-model"

    def __init__(self, framework: Framework) -> None:
        self.framework = framework

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None, progress: Callable[[int], None] | None = None
                ) -> Iterator[DocumentAnalysis]:
        comp = self.framework.competencies[0].id
        for doc in documents:
            sentences = [s.strip() + "." for s in doc.text.split(".") if s.strip()]
            analysis = make_analysis(doc.id, [(s, [(comp, "2", 0.6)]) for s in sentences], name=doc.name)
            yield analysis.model_copy(update={"document": doc})
            if progress:
                progress(1)

    def analyse_document(self, document: Document, *, role: Role | None = None) -> DocumentAnalysis:
        return next(iter(self.analyse([document], role=role)))
