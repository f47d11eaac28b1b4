"""Agreement between assessors (evidence.evaluation.agreement), checked against hand-worked and published examples."""

from __future__ import annotations

import pytest

from evidence.evaluation.agreement import Rating, agreement, cohen_kappa, fleiss_kappa, ordinal_alpha

# Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories -> 0.210
FLEISS_COUNTS = [(0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0), (2, 2, 8, 1, 1),
                 (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2), (6, 5, 2, 1, 0), (0, 2, 2, 3, 7)]
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the 4 observers x 12 units example:
# nominal .743, ordinal .815, interval .849
KRIPPENDORFF = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
                [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
                [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
                [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]


def test_cohen_kappa_by_hand() -> None:
    # 50 units: both yes 20, first yes second no 5, first no second yes 10, both no 15
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    # observed 35/50 = 0.70; by chance 0.5 * 0.6 + 0.5 * 0.4 = 0.50; kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    assert cohen_kappa(first, second) == pytest.approx(0.40)
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None  # one label throughout: kappa is undefined, not 1
    with pytest.raises(ValueError, match="same units"):
        cohen_kappa(["a"], ["a", "b"])


def test_fleiss_kappa_on_the_published_example() -> None:
    rows = [[str(category) for category, n in enumerate(counts) for _ in range(n)] for counts in FLEISS_COUNTS]
    assert fleiss_kappa(rows) == pytest.approx(0.210, abs=0.0005)


def test_krippendorff_ordinal_alpha_on_the_published_example() -> None:
    ranks = [[None if v is None else v - 1 for v in row] for row in KRIPPENDORFF]
    assert ordinal_alpha(ranks) == pytest.approx(0.815, abs=0.0005)
    assert ordinal_alpha([[0, 1, 2], [0, 1, 2]]) == pytest.approx(1.0)


def test_a_report_names_each_pair_the_trio_levels_competencies_and_assessors() -> None:
    labels = {"ann": ["lead", "lead", "comm", "none", "comm", "lead"],
              "bob": ["lead", "comm", "comm", "none", "comm", "lead"],
              "cat": ["lead", "lead", "comm", "comm", "none", "lead"]}
    levels = {"ann": [1, 2, 0, None, 1, 2], "bob": [1, None, 0, None, 2, 2], "cat": [2, 2, 0, 1, None, 2]}
    ratings = [Rating(unit, name, label, levels[name][unit]) for name, row in labels.items()
               for unit, label in enumerate(row)]
    report = agreement(ratings)
    assert [(p.assessors, p.units) for p in report.pairs] == [(("ann", "bob"), 6), (("ann", "cat"), 6),
                                                             (("bob", "cat"), 6)]
    ann_bob = report.pairs[0]
    assert ann_bob.observed == pytest.approx(5 / 6, abs=1e-4)
    assert ann_bob.kappa == pytest.approx(cohen_kappa(labels["ann"], labels["bob"]), abs=1e-4)
    assert report.fleiss is not None and report.fleiss.assessors == ("ann", "bob", "cat") and report.fleiss.units == 6
    by_unit = [list(t) for t in zip(*labels.values(), strict=True)]
    assert report.fleiss.value == pytest.approx(fleiss_kappa(by_unit), abs=1e-4)
    assert report.levels is not None and report.levels.units >= 2 and report.levels.value is not None
    assert set(report.by_competency) == {"lead", "comm"}
    assert set(report.by_assessor) == {"ann", "bob", "cat"} and report.by_assessor["ann"].units == 12
    assert report.as_dict()["pairs"][0]["assessors"] == ("ann", "bob")


def test_a_single_assessor_gives_an_empty_report() -> None:
    report = agreement([Rating(1, "ann", "lead"), Rating(2, "ann", "none")])
    assert report.pairs == [] and report.fleiss is None and report.levels is None and report.by_assessor == {}
