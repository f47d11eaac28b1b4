"""Review keyboard shortcuts and wording (evidence.app.shortcuts)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from evidence.app import shortcuts
from evidence.frameworks.catalogue import get_framework
from evidence.review import Action
from evidence.store import DecisionRecord
from tests.factories import FRAMEWORK


def test_every_action_has_a_key_and_a_label_that_names_it() -> None:
    assert set(shortcuts.SHORTCUTS) == set(shortcuts.LABELS) == set(Action)
    assert len(set(shortcuts.SHORTCUTS.values())) == len(Action)
    assert shortcuts.button_label(Action.accept) == "Accept (a)"
    assert shortcuts.keys_help().startswith("**a** accept · **r** reject")


def test_the_script_maps_each_key_to_its_button() -> None:
    script = shortcuts.review_script()
    mapping = json.loads(re.search(r"const keys = (\{.*?\});", script).group(1))
    assert mapping == {key: shortcuts.button_label(action) for action, key in shortcuts.SHORTCUTS.items()}
    assert '"x": "Go"' in shortcuts.shortcut_script({"X": "Go"})  # keys are matched in lower case


def _record(kind: str, **fields: object) -> DecisionRecord:
    return DecisionRecord(id=1, key="k", unit_id=7, reviewer="r", kind=kind, decided_at=datetime.now(UTC), **fields)


def test_toasts_say_what_was_recorded() -> None:
    framework = get_framework(FRAMEWORK)
    name = framework.competency("team-working").name
    assert shortcuts.describe(_record("accepted", competency="team-working", level="3"), framework) == (
        f"Accepted {name} at Level 3")  # the level's name, as the framework writes it
    assert shortcuts.describe(_record("rejected", suggested_competency="team-working"), framework) == f"Rejected {name}"
    assert shortcuts.describe(_record("relabelled", competency="unknown"), framework) == "Relabelled as unknown"
    assert shortcuts.describe(_record("no_evidence")) == "Marked as no evidence"
    undo = shortcuts.describe(_record("undo", suggested_competency="team-working"), framework)
    assert undo == f"Undid your last decision ({name}); that sentence is back in the queue"  # no store unit id
    assert "unit" not in shortcuts.describe(_record("undo"))
