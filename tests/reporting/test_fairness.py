"""Adverse impact (evidence.reporting.fairness): Local Law 144's method for scores on hand-worked examples."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evidence.errors import InputError
from evidence.reporting.fairness import (
    ImpactSettings,
    adverse_impact,
    impact_markdown,
    impact_rows,
    scores_frame,
    scores_from_results,
)

# Ten applicants scored 0.1 ... 1.0: the median is 0.55, so the five scored 0.6 and above are "above".
SCORES = scores_frame([(f"a{i}", i / 10) for i in range(1, 11)])
# female: a1 a2 a3 a6 a7 -> two above (0.6, 0.7): 2/5 = 0.4; male: a4 a5 a8 a9 a10 -> three above: 3/5 = 0.6
# ethnicity: asian a1 a4 a6 a9 (2 above: a6, a9) -> 0.5; white a2 a3 a5 a7 a8 a10 (3 above) -> 0.5
DEMOGRAPHICS = pd.DataFrame({
    "id": [f"a{i}" for i in range(1, 11)],
    "sex": ["female", "female", "female", "male", "male", "female", "female", "male", "male", "male"],
    "ethnicity": ["asian", "white", "white", "asian", "white", "asian", "white", "white", "asian", "white"],
})


def groups(report: dict, category: str) -> dict:
    [entry] = [c for c in report["categories"] if c["category"] == category]
    return {g["group"]: g for g in entry["groups"]}


def test_scoring_rates_and_impact_ratios_of_a_worked_example() -> None:
    report = adverse_impact(SCORES, DEMOGRAPHICS)
    assert report["measure"] == "match" and report["median"] == pytest.approx(0.55)
    sex = groups(report, "sex")
    assert (sex["female"]["n"], sex["female"]["scoring_rate"]) == (5, pytest.approx(0.4))
    assert sex["male"]["scoring_rate"] == pytest.approx(0.6) and sex["male"]["impact_ratio"] == pytest.approx(1.0)
    assert sex["female"]["impact_ratio"] == pytest.approx(0.4 / 0.6)
    assert sex["female"]["flagged"] and not sex["male"]["flagged"]
    assert not any(g["excluded"] for g in sex.values())
    ethnicity = groups(report, "ethnicity")
    assert ethnicity["asian"]["scoring_rate"] == ethnicity["white"]["scoring_rate"] == pytest.approx(0.5)
    assert not any(g["flagged"] for g in ethnicity.values())


def test_the_json_has_the_contract_fields() -> None:
    report = adverse_impact(SCORES, DEMOGRAPHICS)
    assert {"measure", "median", "categories", "intersectional"} <= set(report)
    fields = {"group", "n", "scoring_rate", "impact_ratio", "flagged", "excluded"}
    for category in report["categories"]:
        assert {"category", "groups"} <= set(category)
        assert all(fields <= set(g) for g in category["groups"])
    assert report["intersectional"]["groups"] and all(
        fields <= set(g) and isinstance(g["group"], list) for g in report["intersectional"]["groups"])


def test_intersections_of_two_categories() -> None:
    report = adverse_impact(SCORES, DEMOGRAPHICS)
    by_group = {tuple(g["group"]): g for g in report["intersectional"]["groups"]}
    # female-asian a1 a6 (a6 above) 1/2; female-white a2 a3 a7 (a7) 1/3; male-asian a4 a9 (a9) 1/2;
    # male-white a5 a8 a10 (a8 a10) 2/3: the highest, so 1/3 / 2/3 = 0.5 and 1/2 / 2/3 = 0.75
    assert set(by_group) == {("female", "asian"), ("female", "white"), ("male", "asian"), ("male", "white")}
    assert [by_group[k]["n"] for k in sorted(by_group)] == [2, 3, 2, 3]
    assert by_group[("male", "white")]["impact_ratio"] == pytest.approx(1.0)
    assert by_group[("female", "white")]["scoring_rate"] == pytest.approx(1 / 3)
    assert by_group[("female", "white")]["impact_ratio"] == pytest.approx(0.5)
    assert by_group[("female", "asian")]["impact_ratio"] == pytest.approx(0.75)
    assert all(by_group[k]["flagged"] for k in by_group if k != ("male", "white"))
    assert all(g["categories"] == ["sex", "ethnicity"] for g in by_group.values())


def test_a_score_equal_to_the_median_is_not_above_it() -> None:
    # median of 0.2, 0.5, 0.5, 0.5, 0.7 is 0.5: only 0.7 is above it
    scores = scores_frame([("a", 0.5), ("b", 0.5), ("c", 0.5), ("d", 0.7), ("e", 0.2)])
    demographics = pd.DataFrame({"id": list("abcde"), "sex": ["f", "f", "f", "m", "m"]})
    report = adverse_impact(scores, demographics)
    sex = groups(report, "sex")
    assert report["median"] == 0.5
    assert sex["f"]["scoring_rate"] == 0.0 and sex["m"]["scoring_rate"] == 0.5
    assert sex["f"]["impact_ratio"] == 0.0 and sex["f"]["flagged"]


def test_the_median_of_an_even_count_lies_between_the_middle_two() -> None:
    scores = scores_frame([("a", 0.1), ("b", 0.2), ("c", 0.3), ("d", 0.4)])
    report = adverse_impact(scores, pd.DataFrame({"id": list("abcd"), "sex": ["f", "m", "f", "m"]}))
    assert report["median"] == pytest.approx(0.25)
    assert groups(report, "sex")["f"]["scoring_rate"] == 0.5 == groups(report, "sex")["m"]["scoring_rate"]


def test_a_ratio_of_exactly_four_fifths_is_not_flagged() -> None:
    # 20 applicants scored 1..20: the median is 10.5, p11..p20 are above. x: 2 above, 3 below -> 0.4;
    # y: 5 above, 5 below -> 0.5, so x's ratio is 0.4 / 0.5 = 0.8 exactly; w: 2 and 2 -> 0.5; z: p20 alone -> 1.0
    ids = [f"p{i}" for i in range(1, 21)]
    scores = scores_frame([(i, float(n)) for n, i in enumerate(ids, start=1)])
    below, above = ids[:10], ids[10:]
    sex = {**dict.fromkeys(below[:3] + above[:2], "x"), **dict.fromkeys(below[3:8] + above[2:7], "y"),
           **dict.fromkeys(below[8:] + above[7:9], "w"), above[9]: "z"}
    report = adverse_impact(scores, pd.DataFrame({"id": ids, "sex": [sex[i] for i in ids]}),
                            settings=ImpactSettings(min_share=0.1))  # z: 1 of 20 = 5 %, excluded at 10 %
    rates = groups(report, "sex")
    assert rates["x"]["scoring_rate"] == 0.4 and rates["y"]["scoring_rate"] == 0.5
    assert rates["x"]["impact_ratio"] == pytest.approx(0.8) and not rates["x"]["flagged"]
    assert rates["z"]["excluded"] and rates["z"]["scoring_rate"] == 1.0  # the highest rate, but not the comparison
    assert rates["y"]["impact_ratio"] == 1.0 and rates["z"]["impact_ratio"] == 2.0 and not rates["z"]["flagged"]
    tighter = adverse_impact(scores, pd.DataFrame({"id": ids, "sex": [sex[i] for i in ids]}),
                             settings=ImpactSettings(flag_below=0.81, min_share=0.1))
    assert groups(tighter, "sex")["x"]["flagged"]


def test_groups_under_two_percent_are_excluded_listed_and_never_the_comparison() -> None:
    # 100 applicants scored 1..100 (median 50.5). "other": one applicant scored 100, 1 % of those audited
    scores = scores_frame([(f"p{i}", float(i)) for i in range(1, 101)])
    sex = ["f" if i % 2 else "m" for i in range(1, 100)] + ["other"]
    report = adverse_impact(scores, pd.DataFrame({"id": [f"p{i}" for i in range(1, 101)], "sex": sex}))
    rates = groups(report, "sex")
    assert rates["other"]["excluded"] and not rates["other"]["flagged"]
    assert [c["excluded_groups"] for c in report["categories"]] == [["other"]]
    # f: odd 1..99 (50), above 50.5: 51..99 odd = 25 -> 0.5; m: even 2..98 (49), above: 52..98 = 24 -> 24/49
    assert rates["f"]["scoring_rate"] == 0.5 and rates["f"]["impact_ratio"] == 1.0
    assert rates["m"]["impact_ratio"] == pytest.approx((24 / 49) / 0.5)
    assert not rates["m"]["flagged"]  # 0.98: with "other" (rate 1.0) as the comparison it would be 0.49


def test_blanks_are_not_declared_and_counted() -> None:
    demographics = DEMOGRAPHICS.copy()
    demographics.loc[0, "sex"] = ""  # a1 (0.1, below)
    demographics.loc[5, "ethnicity"] = ""  # a6 (0.6, above)
    report = adverse_impact(SCORES, demographics)
    [sex, ethnicity] = report["categories"]
    assert sex["not_declared"] == 1 and ethnicity["not_declared"] == 1
    assert groups(report, "sex")["female"]["n"] == 4 and groups(report, "sex")["female"]["scoring_rate"] == 0.5
    assert groups(report, "ethnicity")["asian"]["n"] == 3
    assert report["intersectional"]["pairs"][0]["not_declared"] == 2
    assert sum(g["n"] for g in report["intersectional"]["groups"]) == 8


def test_ids_in_one_file_only_are_counted_and_the_median_is_of_all_applicants() -> None:
    scores = scores_frame([*[(f"a{i}", i / 10) for i in range(1, 11)], ("unscored", None)])
    demographics = pd.concat([DEMOGRAPHICS.iloc[2:], pd.DataFrame({"id": ["ghost", "unscored"], "sex": ["f", "m"],
                                                                   "ethnicity": ["x", "y"]})])
    report = adverse_impact(scores, demographics)
    assert report["median"] == pytest.approx(0.55)  # a1 and a2 have no demographics but are applicants
    assert report["unmatched_ids"] == {"results_without_demographics": 2, "demographics_without_results": 1,
                                       "demographics_without_score": 1}
    assert report["applicants"] == {"results": 11, "scored": 10, "audited": 8, "not_scored": 1}
    assert groups(report, "sex")["female"]["n"] == 3  # a3 a6 a7


def test_every_problem_with_the_demographics_is_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        adverse_impact(SCORES, pd.DataFrame({"ID": ["a1"], "Unnamed: 1": ["f"]}), source="people.csv")
    message = str(caught.value)
    assert message.startswith("people.csv: cannot be used as demographics")
    assert "no 'id' column (the columns are: 'ID', 'Unnamed: 1')" in message
    assert "1 column without a name" in message
    with pytest.raises(InputError) as caught:
        adverse_impact(SCORES, pd.DataFrame({"id": ["a1", "", "a2", "a2"]}))
    message = str(caught.value)
    assert "no category column" in message and "1 row without an id (rows 3)" in message
    assert "2 rows repeat an id used by another row (rows 4, 5)" in message


def test_no_shared_id_is_an_error_naming_the_id_column() -> None:
    with pytest.raises(InputError, match="--id-column"):
        adverse_impact(SCORES, pd.DataFrame({"id": ["x", "y"], "sex": ["f", "m"]}))


def test_results_json_is_read_and_its_problems_listed() -> None:
    frame = scores_from_results({"documents": [{"id": "a", "match": 0.5}, {"id": 7, "match": None}]})
    assert list(frame["id"]) == ["a", "7"] and frame["score"].iloc[0] == 0.5 and math.isnan(frame["score"].iloc[1])
    with pytest.raises(InputError) as caught:
        scores_from_results({"documents": [{"match": 0.5}, {"id": "a", "match": "high"}, {"id": "b", "match": 0.1},
                                           {"id": "b", "match": 0.2}]}, source="r.json")
    message = str(caught.value)
    assert "1 document without an id (documents 1)" in message and "is not a number (documents 2)" in message
    assert "1 id used by more than one document (b)" in message
    with pytest.raises(InputError, match="--role"):
        scores_from_results({"documents": [{"id": "a", "match": None}]})
    with pytest.raises(InputError, match="documents"):
        scores_from_results({"framework": "x"})


def test_a_category_called_score_or_id_does_not_clash() -> None:
    demographics = DEMOGRAPHICS.rename(columns={"sex": "score", "ethnicity": "above"})
    report = adverse_impact(SCORES, demographics)
    assert [c["category"] for c in report["categories"]] == ["score", "above"]
    assert groups(report, "score")["female"]["scoring_rate"] == pytest.approx(0.4)


def test_rows_and_markdown_for_people() -> None:
    demographics = DEMOGRAPHICS.copy()
    demographics.loc[0, "sex"] = "=cmd|x"
    report = adverse_impact(SCORES, demographics)
    rows = impact_rows(report)
    assert len(rows) == sum(len(c["groups"]) for c in report["categories"]) + len(report["intersectional"]["groups"])
    assert {"'=cmd|x", "'=cmd|x x asian"} <= {r["group"] for r in rows}
    text = impact_markdown(report)
    assert "## sex" in text and "## Intersections" in text and "### sex x ethnicity" in text
    assert "=cmd\\|x" in text and "**flagged**" in text and "strictly above" in text


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="flag_below"):
        ImpactSettings(flag_below=0)
    with pytest.raises(ValueError, match="min_share"):
        ImpactSettings(min_share=1.5)
