"""`evidence frameworks` (evidence.cli.frameworks): the list/show/import/export contract other tools rely on."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from evidence.cli import app

runner = CliRunner()

EXPECTED_COUNTS = {  # competencies, indicators (issue 2's counts, and every indicator of the seeds)
    "units-of-competence": (11, 53), "community-link-worker": (7, 190), "councils": (11, 535),
    "admin-job-family": (12, 244), "axelos-skills": (57, 603),
}


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_frameworks_list_json() -> None:
    result = invoke("frameworks", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    ids = {f["id"] for f in json.loads(result.stdout)}
    assert set(EXPECTED_COUNTS) <= ids


def test_frameworks_show_json_has_the_contract_shape() -> None:
    for fid, (n_comp, n_ind) in EXPECTED_COUNTS.items():
        result = invoke("frameworks", "show", fid, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert {"id", "name", "levels", "competencies", "roles"} <= set(data)
        assert len(data["competencies"]) == n_comp
        indicators = [i for c in data["competencies"] for i in c["indicators"]]
        assert len(indicators) == n_ind
        assert all({"id", "text", "level", "theme", "polarity"} <= set(i) for i in indicators)
        assert all({"id", "name", "group", "indicators"} <= set(c) for c in data["competencies"])
        for role in data["roles"]:
            assert all({"competency", "level", "priority"} <= set(r) for r in role["requirements"])


def test_frameworks_show_text_and_unknown_id() -> None:
    assert "Team Working" in invoke("frameworks", "show", "community-link-worker").stdout
    result = invoke("frameworks", "show", "nope")
    assert result.exit_code == 2 and "no framework with id 'nope'" in result.output


def test_import_export_validate(fresh_home: Path, tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    table.write_text("competency,level,indicator\nListening,1,Listens\nListening,2,Creates space\n", encoding="utf-8")
    assert invoke("frameworks", "validate", str(table)).exit_code == 0
    result = invoke("frameworks", "import", str(table), "--id", "mine", "--name", "Mine")
    assert result.exit_code == 0, result.output
    assert (fresh_home / "frameworks" / "mine.json").exists()
    listed = json.loads(invoke("frameworks", "list", "--format", "json").stdout)
    assert {"id": "mine", "origin": "imported"}.items() <= next(f for f in listed if f["id"] == "mine").items()
    case = json.loads(invoke("frameworks", "export", "mine", "--format", "case").stdout)
    assert len(case["CFItems"]) == 3  # one competency, two indicators
    assert "Creates space" in invoke("frameworks", "export", "mine", "--format", "csv").stdout


def test_bad_import_exits_2_and_keeps_what_was_saved(fresh_home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("competency,indicator\nA,does a\n", encoding="utf-8")
    assert invoke("frameworks", "import", str(good), "--id", "keep").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("competency,indicator\nA,\n", encoding="utf-8")
    result = invoke("frameworks", "import", str(bad), "--id", "keep", "--replace")
    assert result.exit_code == 2 and "indicator cell is empty" in result.output
    assert "does a" in invoke("frameworks", "show", "keep").stdout


def test_validate_and_import_report_the_counts(fresh_home: Path, tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    table.write_text("competency,level,indicator\nListening,1,Listens\nListening,2,Creates space\nPlanning,2,Plans\n",
                     encoding="utf-8")
    checked = invoke("frameworks", "validate", str(table), "--levels", "1, 2,")
    assert checked.stdout == "ok: mine: 2 competencies, 3 indicators, 2 levels, 0 roles\n"
    imported = invoke("frameworks", "import", str(table), "--id", "counted")
    assert imported.stdout.startswith("imported counted (2 competencies, 3 indicators) to ")


def test_export_writes_the_file_it_is_given(fresh_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "clw.csv"
    result = invoke("frameworks", "export", "community-link-worker", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert f"wrote {out}" in result.stderr and "Team Working" in out.read_text(encoding="utf-8")


def test_an_id_that_escapes_or_is_not_an_id_exits_2_and_writes_nothing(fresh_home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("id: good\nname: Good\ncompetencies:\n- id: a\n  name: A\n  indicators:\n  - id: a1\n"
                    "    text: Does a\n", encoding="utf-8")
    users = fresh_home / "users.json"
    users.write_text('{"users": {}}', encoding="utf-8")
    for bad in ("../users", "../../escaped", "Bad Id"):
        result = invoke("frameworks", "import", str(good), "--id", bad)
        assert result.exit_code == 2 and f"framework id {bad!r} is not a valid id" in result.stderr, result.output
    assert users.read_text(encoding="utf-8") == '{"users": {}}'
    assert not (fresh_home.parent / "escaped.json").exists() and not (fresh_home / "frameworks").exists()


def test_list_leaves_out_a_broken_stored_framework(fresh_home: Path) -> None:
    folder = fresh_home / "frameworks"
    folder.mkdir()
    (folder / "Bad Id.json").write_text('{"id": "Bad Id", "name": "x", "competencies": []}', encoding="utf-8")
    (folder / "torn.json").write_text('{"id": "to', encoding="utf-8")
    result = invoke("frameworks", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert set(EXPECTED_COUNTS) <= {f["id"] for f in json.loads(result.stdout)}
    assert invoke("frameworks", "show", "community-link-worker").exit_code == 0


def test_validate_refuses_an_alias_bomb_fast(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("id: b\nname: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", encoding="utf-8")
    started = time.perf_counter()
    result = invoke("frameworks", "validate", str(bomb))
    assert result.exit_code == 2 and "YAML aliases (*a) are not accepted" in result.stderr
    assert time.perf_counter() - started < 1


# -- frameworks as HR teams hold them (issue 14) --------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "frameworks-examples"


def _example_framework() -> list[tuple[str, str]]:
    from scripts.make_framework_examples import FRAMEWORK

    return [(name, text) for _, name, _, by_level, negative in FRAMEWORK for text in [*sum(by_level, []), *negative]]


def test_each_worked_example_imports_with_only_an_id_and_a_name(fresh_home: Path) -> None:
    from scripts.make_framework_examples import FRAMEWORK, GRID_CSV_LEVELS, LEVELS

    for n, example in enumerate(sorted(EXAMPLES.iterdir())):
        result = invoke("frameworks", "import", str(example), "--id", f"example-{n}", "--name", f"Example {n}")
        assert result.exit_code == 0, (example.name, result.output)
        shown = json.loads(invoke("frameworks", "show", f"example-{n}", "--format", "json").stdout)
        assert [lv["name"] for lv in shown["levels"]] == (GRID_CSV_LEVELS if "semicolon" in example.name else LEVELS)
        assert [c["name"] for c in shown["competencies"]] == [name for _, name, *_ in FRAMEWORK]
        found = {(c["name"], i["text"]) for c in shown["competencies"] for i in c["indicators"]}
        wanted = set(_example_framework())
        if example.suffix == ".json":  # a CASE rubric lists what a level looks like: the positive indicators
            wanted -= {(name, text) for _, name, _, _, negative in FRAMEWORK for text in negative}
        assert found == wanted, example.name
        assert len(found) == sum(len(c["indicators"]) for c in shown["competencies"])  # nothing read twice


def test_table_options_on_the_command_line(fresh_home: Path, tmp_path: Path) -> None:
    table = tmp_path / "odd.csv"
    table.write_text("Title of our framework\nArea,What good looks like,Step\nPlanning,Plans own work,1\n",
                     encoding="utf-8")
    result = invoke("frameworks", "validate", str(table), "--competency-column", "area", "--indicator-column",
                    "What good looks like", "--level-column", "Step")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: odd: 1 competencies, 1 indicators, 1 levels, 0 roles\n"
    assert "note: the header is row 2" in result.stderr and "note: layout: long; levels, lowest first: Level 1" in (
        result.stderr)
    wrong = invoke("frameworks", "validate", str(table), "--competency-column", "area", "--layout", "grid")
    assert wrong.exit_code == 0 and "layout: grid" in wrong.stderr  # every other column is a level of the grid
    book = EXAMPLES / "grid-two-sheets.xlsx"
    assert "no competency column" in invoke("frameworks", "validate", str(book), "--sheet", "1").stderr
    assert invoke("frameworks", "validate", str(book), "--sheet", "Framework").exit_code == 0


def test_every_problem_is_listed_and_nothing_is_stored(fresh_home: Path, tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("Competency,Indicator,Level,Polarity\n,a,1,\nA,,1,\nA,b,9,\nA,c,1,maybe\n", encoding="utf-8")
    result = invoke("frameworks", "import", str(table), "--id", "bad", "--levels", "1,2")
    assert result.exit_code == 2 and "4 problems" in result.stderr
    assert result.stderr.count("\n  row ") == 4 and "add it with --levels" in result.stderr
    assert not (fresh_home / "frameworks" / "bad.json").exists()
