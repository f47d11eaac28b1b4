"""The domain: pure pydantic types with no I/O, which every other layer speaks.

- :mod:`~evidence.domain.framework`: a competency framework (level scale, competencies, indicators, roles);
- :mod:`~evidence.domain.analysis`: documents, units and cues, suggestions, evidence and coverage;
- :mod:`~evidence.domain.corrections`: reviewer decisions, the record training learns from.
"""

from evidence.domain.analysis import (
    ZERO_SHOT,
    Actor,
    CompetencyEvidence,
    Coverage,
    CoverageStatus,
    Cues,
    Document,
    DocumentAnalysis,
    LevelGap,
    MatchedIndicator,
    StarPart,
    Suggestion,
    Unit,
    UnitAnalysis,
)
from evidence.domain.corrections import Correction, DecisionKind
from evidence.domain.framework import (
    ID_PATTERN,
    NONE_LABEL,
    Competency,
    Criterion,
    Framework,
    Group,
    Indicator,
    IndicatorKind,
    Level,
    Polarity,
    Priority,
    Requirement,
    Role,
    Theme,
    slugify,
)

__all__ = [
    "ID_PATTERN", "NONE_LABEL", "ZERO_SHOT", "Actor", "Competency", "CompetencyEvidence", "Correction", "Coverage",
    "CoverageStatus", "Criterion", "Cues", "DecisionKind", "Document", "DocumentAnalysis", "Framework", "Group",
    "Indicator", "IndicatorKind", "Level", "LevelGap", "MatchedIndicator", "Polarity", "Priority", "Requirement",
    "Role", "StarPart", "Suggestion", "Theme", "Unit", "UnitAnalysis", "slugify",
]
