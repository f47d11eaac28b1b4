"""TrainingSettings hold the measured defaults and refuse values that make no sense."""

from __future__ import annotations

import pytest

from evidence.learning.settings import DEFAULTS, TrainingSettings


def test_defaults_are_the_measured_values() -> None:
    assert (DEFAULTS.lexical_weight, DEFAULTS.embedding_c, DEFAULTS.trust_half_way) == (0.7, 16.0, 150)
    assert DEFAULTS.level_blends == (0.0, 0.25, 0.5, 0.75, 1.0)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("lexical_weight", 1.5, "lexical_weight must lie in"),
    ("embedding_c", 0.0, "embedding_c must be positive"),
    ("trust_half_way", 0, "trust_half_way must be at least 1"),
    ("fine_tune_min_units", -1, "fine_tune_min_units must not be negative"),
    ("redundant_from", 1.0, "redundant_from must be below 1"),
    ("level_blends", (0.0, 2.0), "level_blends must be weights"),
    ("first_trust", 1.2, "first_trust must lie in"),
    ("first_trust_units", -1, "first_trust_units must not be negative"),
])
def test_nonsense_is_refused(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TrainingSettings(**{field: value})
