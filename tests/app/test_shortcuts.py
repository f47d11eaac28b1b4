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
    assert len(set(shortcuts.DEFAULT_KEYS.values())) == len(shortcuts.COMMANDS)
    assert shortcuts.button_label(Action.accept) == "Accept (a)"
    assert shortcuts.button_label(Action.skip) == "Skip (s)" and shortcuts.button_label(Action.flag) == "Flag (f)"
    assert shortcuts.keys_help(levels=4).startswith("**1**–**9** pick the suggestion · **Shift+1**–**Shift+4** pick")
    assert "**a** accept · **r** reject" in shortcuts.keys_help()


def test_the_script_maps_each_key_to_its_command_on_the_card_on_screen() -> None:
    keymap = shortcuts.KeyMap({**shortcuts.DEFAULT_KEYS, "accept": "x"})
    script = shortcuts.review_script(keymap)
    mapping = json.loads(re.search(r"const keys = (\{.*?\});", script).group(1))
    assert mapping == {key: command for command, key in keymap.keys.items()} and mapping["x"] == "accept"
    # the key travels with the card it was pressed for: buttons are found by the card's unit id, never by label
    assert '".st-key-review-" + cmd.name + "-" + card + " button"' in script
    assert "next.card !== card" in script  # a key queued during a run is dropped when the card changed


def test_keys_round_trip_through_the_address_and_bad_ones_are_refused() -> None:
    keymap = shortcuts.KeyMap({**shortcuts.DEFAULT_KEYS, "accept": "x", "skip": "k"})
    assert keymap.to_param() == "accept:x,skip:k"
    assert shortcuts.KeyMap.from_param(keymap.to_param()) == keymap
    assert shortcuts.KeyMap.from_param("nonsense,,accept:") == shortcuts.KeyMap()
    _, problems = shortcuts.checked_keys({**shortcuts.DEFAULT_KEYS, "accept": "1", "reject": "ab", "skip": "a"})
    assert any("taken" in p for p in problems) and any("one key" in p for p in problems)
    assert shortcuts.checked_keys({**shortcuts.DEFAULT_KEYS, "skip": "A"}) == (
        {**shortcuts.DEFAULT_KEYS, "skip": "a"}, ["Skip and Accept both use 'a': give each its own key"])


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
    assert shortcuts.describe(_record("flag")) == "Flagged for a moderator"
    assert shortcuts.describe(_record("relabelled", competency="team-working", suggestion_hidden=True,
                                      suggested_competency="team-working"), framework).endswith(
        f"; the model had suggested {name}")
    undo = shortcuts.describe(_record("undo", suggested_competency="team-working"), framework)
    assert undo == f"Undid your last decision ({name}); that sentence is back in the queue"  # no store unit id
    assert "unit" not in shortcuts.describe(_record("undo"))
