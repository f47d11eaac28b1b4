"""Estimating the level a unit evidences for a competency, and what the next level still needs.

Three signals, all from the framework itself and the unit's wording:

* **nearest indicators**: the competency's own levelled indicators, weighted by similarity to the
  unit (a soft k-nearest-neighbour vote over the scale); once reviewers have levelled units, those
  units (:class:`LevelExemplars`) join the vote beside the indicators;
* **seniority**: a ridge regression fitted on *all* the framework's levelled indicator texts
  (their levels are labelled data), which learns what higher-level wording looks like in general;
* **scope cues**: words of scope, autonomy and complexity ("across the organisation", "led",
  "strategy" up; "assisted", "under supervision", "routine" down).

They are blended on the scale's rank axis (mid-points included), and the estimate is snapped
to the nearest defined level, or to a mid-point when it lies clearly between two (the councils'
A, C, E, G).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.linear_model import Ridge

from evidence.domain import LevelGap, MatchedIndicator
from evidence.engine.embed import IndicatorIndex

SCOPE_UP = re.compile(
    r"\b(?:led|lead|leading|strateg\w*|organi[sz]ation[- ]wide|across the (?:organi[sz]ation|council|service|"
    r"partnership|sector|region|county)|cross[- ](?:boundary|organi[sz]ational|team|functional)|director\w*|"
    r"board|executive|senior|head of|policy|policies|transform\w*|culture|champion\w*|mentor\w*|coach\w*|"
    r"supervis(?:ed|ing|e)|manag(?:ed|ing) (?:a|the|my)? ?team|line[- ]manag\w*|budget\w*|commission\w*|"
    r"designed|established|set up|introduced|initiated|pioneer\w*|national|multi[- ]agency|complex|"
    r"programme|portfolio|framework|accountab\w*|delegat\w*|influenc\w*|negotiat\w*)\b", re.IGNORECASE)
SCOPE_DOWN = re.compile(
    r"\b(?:assist\w*|help(?:ed|ing)? (?:my|the|a|out)|under (?:close )?supervision|was shown|shadow\w*|"
    r"routine|basic|simple|straightforward|follow(?:ed|ing)? (?:the )?(?:instructions|procedures?|guidance)|"
    r"as instructed|when asked|trainee|volunteer\w*|learn(?:ed|ing|t)|my own (?:work|tasks|caseload)|"
    r"filing|photocop\w*|answer(?:ed|ing) the (?:phone|telephone))\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # asked once per suggested competency of the same unit
def scope_score(text: str) -> float:
    """-1..1: how strongly the wording signals wider scope and autonomy (+) or narrow, supervised work (-)."""
    up, down = len(SCOPE_UP.findall(text)), len(SCOPE_DOWN.findall(text))
    return float(np.tanh(0.6 * (up - down)))


@dataclass
class LevelSettings:
    """Blend of the three signals; fitted on the development gold set (see `bench/tune_zero_shot.py`)."""

    knn_weight: float = 0.6
    temperature: float = 0.05
    top_k: int = 5
    scope_steps: float = 0.5
    midpoint_band: float = 0.25  # how close to a mid-point's rank an estimate must fall to be placed there

    def __post_init__(self) -> None:
        if not 0.0 <= self.knn_weight <= 1.0:
            raise ValueError(f"knn_weight must lie in [0, 1], got {self.knn_weight}")
        if self.temperature <= 0 or self.top_k < 1:
            raise ValueError("temperature must be > 0 and top_k >= 1")


@dataclass
class LevelExemplars:
    """Labelled units as extra voters in the nearest-indicator vote: one row per (unit, competency, level).

    A reviewer's levelled unit is worth as much as an indicator of the framework, and it is written the
    way the next statements will be, not in the framework's wording (``bench/head_cv.py``, 5-fold on the
    dev gold split: pooled exact level 0.480 with the indicators alone, 0.526 with the units beside them).
    """

    vectors: np.ndarray  # rows x dim, the packaged encoder's normalised vectors
    competencies: np.ndarray  # rows: competency index into framework.competencies
    ranks: np.ndarray  # rows: level rank on the framework's scale

    def __post_init__(self) -> None:
        if not len(self.vectors) == len(self.competencies) == len(self.ranks):
            raise ValueError(f"LevelExemplars needs one competency and rank per vector, got {len(self.vectors)} "
                             f"vectors, {len(self.competencies)} competencies and {len(self.ranks)} ranks")

    def votes(self, competency: int, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(similarities to ``vector``, ranks) of the exemplars of one competency."""
        rows = np.flatnonzero(self.competencies == competency)
        return self.vectors[rows] @ vector, self.ranks[rows]


@dataclass
class LevelEstimate:
    level: str
    rank: float  # the blended estimate on the scale's rank axis
    indicator: int | None  # index (into framework.indicators) of the closest indicator at that level


class LevelEstimator:
    """Per-framework level estimation over an :class:`IndicatorIndex`."""

    def __init__(self, index: IndicatorIndex, settings: LevelSettings | None = None) -> None:
        self.settings = settings or LevelSettings()
        fw = index.framework
        self.levels = [lv.id for lv in fw.levels]
        self.defined = [i for i, lv in enumerate(fw.levels) if not lv.midpoint]
        self.midpoints = [i for i, lv in enumerate(fw.levels) if lv.midpoint]
        self.indicator_rank = np.array([fw.level_index[ind.level] if ind.level else -1 for _, ind in fw.indicators])
        levelled = (self.indicator_rank >= 0) & index.positive
        self.by_competency = [np.flatnonzero(levelled & (index.owner == c)) for c in range(len(fw.competencies))]
        self.seniority: Ridge | None = None
        if len(self.levels) > 1 and levelled.sum() >= 4:
            span = max(self.defined) - min(self.defined) or 1
            self.seniority = Ridge(alpha=1.0).fit(index.indicator_vectors[levelled],
                                                  (self.indicator_rank[levelled] - min(self.defined)) / span)
            self._span, self._low = span, min(self.defined)

    @property
    def has_levels(self) -> bool:
        return bool(self.defined)

    def seniority_ranks(self, unit_vectors: np.ndarray) -> np.ndarray:
        """The ridge's rank estimate for each unit (NaN when the framework cannot train one)."""
        if self.seniority is None:
            return np.full(len(unit_vectors), np.nan)
        return self.seniority.predict(unit_vectors) * self._span + self._low

    def estimate(self, competency: int, similarities: np.ndarray, seniority_rank: float,
                 text: str, *, extra_votes: tuple[np.ndarray, np.ndarray] | None = None) -> LevelEstimate | None:
        """The level one unit evidences for one competency. ``similarities``: the unit's row over all
        indicators; ``extra_votes``: (similarities, ranks) of labelled units that vote beside the
        competency's indicators (:meth:`LevelExemplars.votes`)."""
        if not self.has_levels:
            return None
        s = self.settings
        members = self.by_competency[competency]
        sims, ranks = similarities[members], self.indicator_rank[members]
        if extra_votes is not None:
            sims, ranks = np.concatenate([sims, extra_votes[0]]), np.concatenate([ranks, extra_votes[1]])
        estimates, weights = [], []
        nearest = int(members[np.argmax(similarities[members])]) if len(members) else None
        if len(sims):
            top = np.argsort(-sims)[: s.top_k]
            w = np.exp((sims[top] - sims[top].max()) / s.temperature)
            estimates.append(float((w * ranks[top]).sum() / w.sum()))
            weights.append(s.knn_weight)
        if not np.isnan(seniority_rank):
            estimates.append(float(seniority_rank))
            weights.append(1.0 - s.knn_weight if estimates[:-1] else 1.0)
        if not estimates:
            return None
        rank = float(np.average(estimates, weights=weights)) + s.scope_steps * scope_score(text)
        return self.at_rank(competency, rank, similarities, fallback=nearest)

    def at_rank(self, competency: int, rank: float, similarities: np.ndarray,
                fallback: int | None = None) -> LevelEstimate:
        """The level for a rank estimate, explained by the unit's closest indicator at that level."""
        chosen = self.snap(rank)
        members = self.by_competency[competency]
        at_level = members[self.indicator_rank[members] == chosen] if len(members) else members
        nearest = int(at_level[np.argmax(similarities[at_level])]) if len(at_level) else fallback
        return LevelEstimate(level=self.levels[chosen], rank=rank, indicator=nearest)

    def snap(self, rank: float) -> int:
        """The nearest defined level, or a mid-point when the estimate lies within its band."""
        for mid in self.midpoints:
            if abs(rank - mid) <= self.settings.midpoint_band:
                return mid
        return min(self.defined, key=lambda d: (abs(d - rank), d))

    def next_level_gap(self, index: IndicatorIndex, competency: int, level: str | None,
                       document_similarities: np.ndarray, *, limit: int = 3) -> LevelGap | None:
        """The closest indicators of the next defined level up that the document does not yet evidence.

        ``document_similarities``: for each indicator, its best similarity to any unit of the document.
        """
        if not self.has_levels:
            return None
        current = self.levels.index(level) if level is not None else -1
        higher = [d for d in self.defined if d > current]
        members = self.by_competency[competency]
        for target in higher:
            candidates = members[self.indicator_rank[members] == target]
            if not len(candidates):
                continue
            order = candidates[np.argsort(-document_similarities[candidates])][:limit]
            pairs = index.framework.indicators
            return LevelGap(next_level=self.levels[target], indicators=[
                MatchedIndicator(id=pairs[i][1].id, text=pairs[i][1].text, level=pairs[i][1].level,
                                 similarity=round(float(document_similarities[i]), 3)) for i in order])
        return None
