"""`evidence fairness` (evidence.cli.fairness): the adverse impact report end to end, from an `analyse` JSON file
or a saved batch, in JSON, Markdown and CSV, and its errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evidence.cli import app
from evidence.frameworks.catalogue import get_framework
from evidence.store import Identity, Store
from tests.factories import make_analysis

runner = CliRunner()

# Eight applicants; the median of their matches is (0.4 + 0.5) / 2 = 0.45. Above it: A5..A8.
MATCHES = {"A1": 0.1, "A2": 0.2, "A3": 0.3, "A4": 0.4, "A5": 0.5, "A6": 0.6, "A7": 0.7, "A8": 0.8}
# female A1 A2 A3 A5 -> 1 of 4 above: 0.25; male A4 A6 A7 A8 -> 3 of 4: 0.75; ratio 1/3, flagged.
# group: A1..A4 "x" (0 above), A5..A8 "y" (4 above); A8 did not declare a group, "ghost" is not an applicant.
DEMOGRAPHICS = """applicant,sex,group
A1,female,x
A2,female,x
A3,female,x
A4,male,x
A5,female,y
A6,male,y
A7,male,y
A8,male,
ghost,female,y
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    results = tmp_path / "results.json"
    results.write_text(json.dumps({
        "framework": "community-link-worker", "role": "community-link-worker", "model_version": "zero-shot",
        "documents": [{"id": i, "source": f"row {n}", "match": m, "units": [], "competencies": [], "coverage": []}
                      for n, (i, m) in enumerate(MATCHES.items(), start=2)],
        "errors": []}), encoding="utf-8")
    demographics = tmp_path / "demographics.csv"
    demographics.write_text(DEMOGRAPHICS, encoding="utf-8")
    return results, demographics


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["fairness", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_json_report_of_an_analyse_file(files: tuple[Path, Path]) -> None:
    results, demographics = files
    code, out, err = invoke(results, "--demographics", demographics, "--id-column", "applicant")
    assert code == 0, err
    report = json.loads(out)
    assert report["measure"] == "match" and report["median"] == pytest.approx(0.45)
    [sex, group] = report["categories"]
    rates = {g["group"]: (g["n"], g["scoring_rate"], g["impact_ratio"], g["flagged"]) for g in sex["groups"]}
    assert rates == {"female": (4, 0.25, pytest.approx(1 / 3), True), "male": (4, 0.75, 1.0, False)}
    assert group["not_declared"] == 1 and {g["group"]: g["n"] for g in group["groups"]} == {"x": 4, "y": 3}
    # male x y: A6 A7, both above (1.0); female x y: A5 (1.0); the x groups: 0 -> flagged
    inter = {tuple(g["group"]): (g["n"], g["impact_ratio"], g["flagged"]) for g in report["intersectional"]["groups"]}
    assert inter == {("female", "x"): (3, 0.0, True), ("female", "y"): (1, 1.0, False),
                     ("male", "x"): (1, 0.0, True), ("male", "y"): (2, 1.0, False)}
    assert report["unmatched_ids"]["demographics_without_results"] == 1
    assert "ghost" not in out  # ids are counted, never named


def test_markdown_and_csv_for_people(files: tuple[Path, Path], tmp_path: Path) -> None:
    results, demographics = files
    code, out, _ = invoke(results, "--demographics", demographics, "--id-column", "applicant", "--format", "md")
    assert code == 0 and out.startswith("# Adverse impact report")
    assert "| female | 4 | 25% | 0.33 | **flagged** |" in out and "Not declared: 1 applicant." in out
    assert "1 id of the demographics file not in the results" in out
    target = tmp_path / "report.csv"
    code, out, err = invoke(results, "--demographics", demographics, "--id-column", "applicant", "--format", "csv",
                            "-o", target)
    assert code == 0 and out == "" and f"wrote {target}" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["category"], r["group"], r["flagged"]) for r in rows[:2]] == [("sex", "female", "True"),
                                                                             ("sex", "male", "False")]
    assert len(rows) == 2 + 2 + 4


def test_json_lines_from_analyse_are_read_too(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, demographics = files
    lines = tmp_path / "results.jsonl"
    lines.write_text("".join(json.dumps({"id": i, "match": m}) + "\n" for i, m in MATCHES.items())
                     + json.dumps({"error": "row 9: empty"}) + "\n", encoding="utf-8")
    code, out, err = invoke(lines, "--demographics", demographics, "--id-column", "applicant")
    assert code == 0, err
    assert json.loads(out)["applicants"]["scored"] == 8


def test_a_saved_batch_blind_or_not_is_audited_by_its_applicants_ids(fresh_home: Path, tmp_path: Path) -> None:
    framework = get_framework("community-link-worker")
    with Store.open() as store:
        analyses = [make_analysis(f"P-{i}", [("I led the team.", [])], match=m) for i, m in MATCHES.items()]
        store.save_batch("spring sift", framework, "community-link-worker", analyses,
                         originals={a.document.id: "original text" for a in analyses},
                         identities={f"P-{i}": Identity(id=i) for i in MATCHES})
    demographics = tmp_path / "people.csv"
    demographics.write_text(DEMOGRAPHICS.replace("applicant,", "id,"), encoding="utf-8")
    code, out, err = invoke("--batch", "spring sift", "--demographics", demographics)
    assert code == 0, err
    report = json.loads(out)
    assert report["applicants"]["audited"] == 8 and report["source"] == "batch 'spring sift'"
    assert report["categories"][0]["groups"][0]["scoring_rate"] == 0.25
    code, _, err = invoke("--batch", "autumn", "--demographics", demographics)
    assert code == 2 and "no saved batch named 'autumn'; the batches are: spring sift" in err


def test_every_problem_is_reported_at_once_and_exits_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    results, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("id,sex\nA1,f\nA1,m\n,f\n", encoding="utf-8")
    code, out, err = invoke(results, "--demographics", bad)
    assert code == 2 and out == ""
    assert "cannot be used as demographics" in err and "without an id (rows 4)" in err and "repeat an id" in err
    code, _, err = invoke(results, "--demographics", bad, "--batch", "x")
    assert code == 2 and "not both and not neither" in err
    code, _, err = invoke("--demographics", bad)
    assert code == 2 and "not both and not neither" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"documents": [', encoding="utf-8")
    code, _, err = invoke(broken, "--demographics", bad)
    assert code == 2 and "not JSON" in err
    code, _, err = invoke(tmp_path / "missing.json", "--demographics", bad)
    assert code == 2 and "cannot read the file" in err


def test_results_without_a_role_say_how_to_get_a_match(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, demographics = files
    results = tmp_path / "no-role.json"
    results.write_text(json.dumps({"framework": "x", "role": None, "documents": [{"id": "A1", "match": None}]}),
                       encoding="utf-8")
    code, _, err = invoke(results, "--demographics", demographics, "--id-column", "applicant")
    assert code == 2 and "--role ROLE" in err


def test_problems_in_both_files_are_reported_together(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"documents": [{"id": "A1", "match": "high"}]}), encoding="utf-8")
    demographics = tmp_path / "people.csv"
    demographics.write_text("name,sex\nA1,f\n", encoding="utf-8")
    code, _, err = invoke(results, "--demographics", demographics)
    assert code == 2 and "is not a number" in err and "no 'id' column" in err


# -- a saved batch's stored demographics and its assessors' overall marks (issue 17) ------------------------------


def _stored_batch() -> int:
    """The eight applicants, blind, each with one sentence the model read as team working at level 3, and the
    demographics stored for the batch (as the Fairness page saves them)."""
    from evidence import review

    framework = get_framework("community-link-worker")
    people = list(csv.reader(io.StringIO(DEMOGRAPHICS)))
    with Store.open() as store:
        analyses = [make_analysis(f"P-{i}", [("I led the team.", [("team-working", "3", 0.8)])], match=m)
                    for i, m in MATCHES.items()]
        batch_id = store.save_batch("spring sift", framework, "community-link-worker", analyses,
                                    originals={a.document.id: "original text" for a in analyses},
                                    identities={f"P-{i}": Identity(id=i) for i in MATCHES})
        store.save_demographics(batch_id, categories=people[0][1:], values={r[0]: r[1:] for r in people[1:]},
                                by="admin")
        # the assessor agrees for A1..A4 and finds nothing for A5..A8: the opposite of the model's ranking
        for item in store.suggested_units(batch_id=batch_id):
            agree = item.document.removeprefix("P-") in {"A1", "A2", "A3", "A4"}
            review.decide(store, framework, item, review.Action.accept if agree else review.Action.no_evidence,
                          reviewer="ann", key=review.new_key())
    return batch_id


def test_a_saved_batch_uses_its_stored_demographics(fresh_home: Path) -> None:
    _stored_batch()
    code, out, err = invoke("--batch", "spring sift")
    assert code == 0, err
    report = json.loads(out)
    assert report["measure"] == "match" and report["applicants"]["audited"] == 9 - 1  # "ghost" is no applicant
    sex = {g["group"]: g for g in report["categories"][0]["groups"]}
    assert sex["female"]["scoring_rate"] == 0.25 and sex["male"]["scoring_rate"] == 0.75
    assert sex["female"]["flagged"] and report["categories"][1]["not_declared"] == 1
    assert report["intersectional"]["groups"]


def test_the_assessors_overall_marks_are_audited_with_measure_assessors(fresh_home: Path) -> None:
    _stored_batch()
    code, out, err = invoke("--batch", "spring sift", "--measure", "assessors")
    assert code == 0, err
    report = json.loads(out)
    # A1..A4 meet one of the role's seven essential requirements (1/7), A5..A8 none: median 1/14
    assert report["measure"] == "assessors' overall mark" and report["median"] == pytest.approx(1 / 14, abs=1e-3)
    sex = {g["group"]: g for g in report["categories"][0]["groups"]}
    assert sex["female"]["scoring_rate"] == 0.75 and sex["male"]["scoring_rate"] == 0.25
    assert sex["male"]["flagged"] and sex["male"]["impact_ratio"] == pytest.approx(1 / 3)


def test_stored_demographics_missing_or_measure_without_a_batch_say_what_to_give(fresh_home: Path,
                                                                                  files: tuple[Path, Path]) -> None:
    framework = get_framework("community-link-worker")
    with Store.open() as store:
        store.save_batch("autumn", framework, "community-link-worker",
                         [make_analysis(f"A{i}", [("I led the team.", [])], match=0.1 * i) for i in range(1, 4)])
    code, _, err = invoke("--batch", "autumn")
    assert code == 2 and "has no stored demographics" in err and "Fairness" in err
    code, _, err = invoke("--batch", "autumn", "--measure", "assessors")
    assert code == 2 and "no assessor has decided" in err
    results, demographics = files
    code, _, err = invoke(results)
    assert code == 2 and "give --demographics FILE" in err
    code, _, err = invoke(results, "--demographics", demographics, "--measure", "assessors")
    assert code == 2 and "--batch NAME instead of RESULTS" in err
