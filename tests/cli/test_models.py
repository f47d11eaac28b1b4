"""`evidence models` (evidence.cli.models): list, show, promote and roll back a framework's model versions."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from evidence.cli import app

FRAMEWORK = "community-link-worker"
runner = CliRunner()


def test_list_marks_the_promoted_version(fresh_home: Path) -> None:
    listed = json.loads(runner.invoke(app, ["models", "list", "-f", FRAMEWORK, "--format", "json"]).stdout)
    text = runner.invoke(app, ["models", "list", "-f", FRAMEWORK]).stdout.splitlines()
    assert text[0] == f"promoted: {listed['promoted']}"
    marked = [line.split()[1] for line in text[1:] if line.startswith("*")]
    assert marked == [v["version"] for v in listed["versions"] if v["promoted"]]
    assert len(text) == 1 + len(listed["versions"])


def test_promote_by_hand_then_roll_back(fresh_home: Path) -> None:
    before = json.loads(runner.invoke(app, ["models", "list", "-f", FRAMEWORK, "--format", "json"]).stdout)
    promoted = runner.invoke(app, ["models", "promote", "zero-shot", "-f", FRAMEWORK])
    assert promoted.exit_code == 0 and promoted.stdout == f"{FRAMEWORK}: now using zero-shot\n"
    rolled = runner.invoke(app, ["models", "rollback", "-f", FRAMEWORK])
    assert rolled.exit_code == 0 and rolled.stdout == f"{FRAMEWORK}: rolled back to {before['promoted']}\n"


def test_an_unknown_version_exits_2(fresh_home: Path) -> None:
    for command in (["models", "show", "v-nope", "-f", FRAMEWORK], ["models", "promote", "v-nope", "-f", FRAMEWORK]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: no model version 'v-nope' for framework '{FRAMEWORK}'")


def test_show_prints_a_versions_manifest(fresh_home: Path) -> None:
    listed = json.loads(runner.invoke(app, ["models", "list", "-f", FRAMEWORK, "--format", "json"]).stdout)
    for version in listed["versions"][:1]:
        shown = json.loads(runner.invoke(app, ["models", "show", version["version"], "-f", FRAMEWORK]).stdout)
        assert shown["version"] == version["version"] and "metrics" in shown


def test_a_path_for_a_version_or_framework_exits_2(fresh_home: Path) -> None:
    for command in (["models", "promote", "../../../tmp/evil", "-f", FRAMEWORK],
                    ["models", "show", "../../x", "-f", FRAMEWORK],
                    ["models", "list", "-f", "../../../.."], ["models", "rollback", "-f", "../x"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and "is not a valid id" in result.stderr, (command, result.output)
    assert not (fresh_home / "models").exists() or not list((fresh_home / "models").rglob("promotions.jsonl"))


def test_list_shows_a_damaged_version_and_survives_a_torn_log(fresh_home: Path) -> None:
    folder = fresh_home / "models" / FRAMEWORK
    (folder / "20990101-000000-dead").mkdir(parents=True)
    (folder / "20990101-000000-dead" / "manifest.json").write_text('{"version": "2099', encoding="utf-8")
    (folder / "promotions.jsonl").write_text('{"version": "zero-shot", "action": "promote"}\n{"version": "20',
                                             encoding="utf-8")
    result = runner.invoke(app, ["models", "list", "-f", FRAMEWORK])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("promoted: zero-shot\n")
    assert "20990101-000000-dead  damaged: " in result.stdout


def test_card_of_the_version_in_use_and_of_zero_shot(fresh_home: Path) -> None:
    listed = json.loads(runner.invoke(app, ["models", "list", "-f", FRAMEWORK, "--format", "json"]).stdout)
    result = runner.invoke(app, ["models", "card", "--framework", FRAMEWORK, "--format", "json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["model_version"] == listed["promoted"] and card["framework"]["id"] == FRAMEWORK
    assert card["metrics"] and all(isinstance(m["units"], int) and m["units"] > 0 for m in card["metrics"].values())
    assert isinstance(card["limitations"], list) and card["limitations"]
    zero = json.loads(runner.invoke(app, ["models", "card", "-f", FRAMEWORK, "--version", "zero-shot",
                                          "--format", "json"]).stdout)
    assert zero["model_version"] == "zero-shot" and zero["metrics"]["top1"]["units"] > 0


def test_card_in_markdown_and_an_unknown_version_exits_2(fresh_home: Path) -> None:
    result = runner.invoke(app, ["models", "card", "-f", FRAMEWORK, "--version", "zero-shot", "--format", "md"])
    assert result.exit_code == 0 and result.stdout.startswith("# Model card: ")
    assert "## Must not be used for" in result.stdout and "## Limitations" in result.stdout
    missing = runner.invoke(app, ["models", "card", "-f", FRAMEWORK, "--version", "20990101-000000-beef"])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no model version '20990101-000000-beef'")
