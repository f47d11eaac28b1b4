"""What the Review page works out, as plain data (no Streamlit): progress that counts second reviews, per batch
and per reviewer; the queue's filter and sort; a reviewer's own decisions in a batch; the suggestions a bulk
accept would take."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from evidence.domain import Framework
from evidence.store import BatchInfo, DecisionRecord, QueueItem

SNIPPET_CHARS = 90  # a sentence in the history table: about one line at 1366 px


# -- progress --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A batch's review progress when each sentence needs ``needed`` reviewers.

    ``reviews_done`` counts every reviewer's decision up to ``needed`` per sentence, so a second review moves it
    (walkthrough B9: the bar counted sentences decided by anyone, and second reviews never moved it)."""

    sentences: int  # sentences with suggestions
    needed: int  # reviewers wanted per sentence
    reviews_done: int
    complete: int  # sentences with all the reviews they need
    started: int  # sentences with at least one review
    by_reviewer: dict[str, int] = field(default_factory=dict)  # current decisions per reviewer
    second_reviews: dict[str, int] = field(default_factory=dict)  # ... of which on a sentence someone decided first

    @property
    def reviews_needed(self) -> int:
        return self.sentences * self.needed

    @property
    def share(self) -> float:
        return self.reviews_done / self.reviews_needed if self.reviews_needed else 1.0

    def text(self) -> str:
        """"12 of 40 reviews done · 10 of 20 suggested sentences decided" (the page's progress line)."""
        reviews = (f"{self.reviews_done} of {self.reviews_needed} reviews done · " if self.needed > 1 else "")
        return f"{reviews}{self.complete} of {self.sentences} suggested sentences decided"


def progress(decisions: Iterable[DecisionRecord], sentences: int, needed: int) -> Progress:
    """:class:`Progress` from a batch's current decisions (:meth:`Store.current_decisions`, one per reviewer and
    sentence) and its number of sentences with suggestions."""
    needed = max(1, needed)
    by_unit: dict[int, list[DecisionRecord]] = defaultdict(list)
    for d in decisions:
        by_unit[d.unit_id].append(d)
    by_reviewer: dict[str, int] = defaultdict(int)
    second: dict[str, int] = defaultdict(int)
    for unit in by_unit.values():
        first = min(d.id for d in unit)
        for d in unit:
            by_reviewer[d.reviewer] += 1
            if d.id != first:
                second[d.reviewer] += 1
    return Progress(sentences=sentences, needed=needed,
                    reviews_done=sum(min(len(u), needed) for u in by_unit.values()),
                    complete=sum(len(u) >= needed for u in by_unit.values()), started=len(by_unit),
                    by_reviewer=dict(by_reviewer), second_reviews=dict(second))


def reviewers_frame(p: Progress) -> pd.DataFrame:
    """Per reviewer: decisions in force in this batch, and how many of them were second reviews."""
    return pd.DataFrame([{"Reviewer": name, "Decisions": count,
                          "Of which second reviews": p.second_reviews.get(name, 0)}
                         for name, count in sorted(p.by_reviewer.items(), key=lambda kv: -kv[1])],
                        columns=["Reviewer", "Decisions", "Of which second reviews"])


def batches_frame(every: Sequence[tuple[BatchInfo, Progress]]) -> pd.DataFrame:
    """Per batch: reviewers per sentence, reviews done (second ones counted), sentences fully decided, % done."""
    return pd.DataFrame([{"Batch": b.name, "Reviewers per sentence": p.needed,
                          "Reviews done": f"{p.reviews_done} of {p.reviews_needed}",
                          "Sentences decided": f"{p.complete} of {p.sentences}", "Done": round(100 * p.share)}
                         for b, p in every],
                        columns=["Batch", "Reviewers per sentence", "Reviews done", "Sentences decided", "Done"])


# -- filter and sort -------------------------------------------------------------------------------

SORTS = {"learn": "What the model would learn most from first", "score-high": "Highest score first",
         "score-low": "Lowest score first", "applicant": "By applicant, in statement order",
         "competency": "By suggested competency"}
STATUSES = {"any": "Any", "first": "Waiting for a first review", "second": "Waiting for a second review"}


@dataclass(frozen=True)
class QueueFilter:
    """What a reviewer narrowed the queue to, and its order. Empty tuples and None mean "any"."""

    applicants: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()  # any suggestion of the sentence names one of these
    levels: tuple[str, ...] = ()  # ... at one of these levels
    min_score: int = 0  # the top suggestion's score, in %
    max_score: int = 100
    status: str = "any"
    sort: str = "learn"

    @property
    def active(self) -> bool:
        return self != QueueFilter(sort=self.sort)

    def keeps(self, item: QueueItem, decided_by_others: set[int]) -> bool:
        top = round(100 * max((s.score for s in item.suggestions), default=0.0))
        if self.applicants and item.document not in self.applicants:
            return False
        matching = [s for s in item.suggestions if (not self.competencies or s.competency in self.competencies)
                    and (not self.levels or s.level in self.levels)]
        if (self.competencies or self.levels) and not matching:
            return False
        if not self.min_score <= top <= self.max_score:
            return False
        if self.status == "first" and item.unit_id in decided_by_others:
            return False
        return not (self.status == "second" and item.unit_id not in decided_by_others)

    def arrange(self, items: list[QueueItem], decided_by_others: set[int]) -> list[QueueItem]:
        """``items`` (in the stored order) narrowed and sorted."""
        kept = [i for i in items if self.keeps(i, decided_by_others)]
        top = {i.unit_id: max((s.score for s in i.suggestions), default=0.0) for i in kept}
        if self.sort == "score-high":
            return sorted(kept, key=lambda i: -top[i.unit_id])
        if self.sort == "score-low":
            return sorted(kept, key=lambda i: top[i.unit_id])
        if self.sort == "applicant":
            return sorted(kept, key=lambda i: (i.document, i.index))
        if self.sort == "competency":
            return sorted(kept, key=lambda i: (i.suggestions[0].competency_name or i.suggestions[0].competency
                                               if i.suggestions else "~", -top[i.unit_id]))
        return kept


def then(first: Callable[[list[QueueItem]], list[QueueItem]],
         second: Callable[[list[QueueItem]], list[QueueItem]]) -> Callable[[list[QueueItem]], list[QueueItem]]:
    """Two queue orders one after the other (the stored order, then the reviewer's filter and sort)."""
    return lambda items: second(first(items))


# -- a reviewer's own decisions --------------------------------------------------------------------


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def history_rows(decisions: Sequence[DecisionRecord], units: dict[int, QueueItem], reviewer: str,
                 describe: Callable[[DecisionRecord], str]) -> list[dict[str, object]]:
    """The reviewer's decisions in force in a batch, newest first: when, applicant, sentence, decision.

    ``decisions``: :meth:`Store.current_decisions` of the batch; ``units``: its sentences by unit id."""
    mine = sorted((d for d in decisions if d.reviewer == reviewer and d.unit_id in units), key=lambda d: -d.id)
    return [{"unit_id": d.unit_id, "When": d.decided_at.strftime("%H:%M:%S"), "Applicant": units[d.unit_id].document,
             "Sentence": snippet(units[d.unit_id].text), "Decision": describe(d)} for d in mine]


def decided_by_others(decisions: Iterable[DecisionRecord], reviewer: str) -> set[int]:
    """Sentences another reviewer has a decision in force on."""
    return {d.unit_id for d in decisions if d.reviewer != reviewer}


# -- bulk accept -----------------------------------------------------------------------------------


def bulk_candidates(items: Iterable[QueueItem], threshold: int) -> list[QueueItem]:
    """The waiting sentences whose top suggestion scores at least ``threshold`` %."""
    return [i for i in items if i.suggestions and round(100 * i.suggestions[0].score) >= threshold]


def bulk_frame(items: Sequence[QueueItem], framework: Framework) -> pd.DataFrame:
    """What a bulk accept would record, one row per sentence: applicant, sentence, competency, level, score."""
    names = framework.level_names
    return pd.DataFrame([{"Applicant": i.document, "Sentence": snippet(i.text),
                          "Competency": i.suggestions[0].competency_name or i.suggestions[0].competency,
                          "Level": names.get(i.suggestions[0].level or "", i.suggestions[0].level or "-"),
                          "Score": round(100 * i.suggestions[0].score)} for i in items],
                        columns=["Applicant", "Sentence", "Competency", "Level", "Score"])
