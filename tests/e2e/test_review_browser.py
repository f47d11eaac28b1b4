"""The Review page in a real headless Chromium on a 1366x768 laptop screen: the whole statement in view, every
suggestion decided by keyboard alone (number keys for the suggestion and the level, remappable letter keys shown on
screen), the buttons above the fold, and no key ever applied to a card the reviewer is not looking at.

The batches are written straight into the server's store (the stand-in analyses of tests.factories), so these
tests need no model."""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass

import pytest

from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import APP_PASSWORDS, FRAMEWORK, make_analysis

from .conftest import settle
from .test_app_browser import choose, sign_in

LAPTOP = {"width": 1366, "height": 768}


_STORES: dict[str, Store] = {}


def store_of(app_server) -> Store:  # noqa: ANN001 - the AppServer fixture
    """The server's store, opened once by this test process and kept open while the server runs: closing the last
    connection of this process could checkpoint and delete the WAL the server writes to (see :func:`decisions`)."""
    url = f"sqlite:///{app_server.home / 'evidence.db'}"
    if url not in _STORES:
        _STORES[url] = Store.open(url)
    return _STORES[url]


def new_batch(app_server, name: str) -> tuple[int, dict[str, int]]:  # noqa: ANN001
    """A batch of two statements; its suggested sentences by text. The two-suggestion sentence comes first."""
    framework = get_framework(FRAMEWORK)
    store = store_of(app_server)
    batch_id = store.save_batch(name, framework, FRAMEWORK, [
        make_analysis(f"{name}-1", [
            ("I grew up in Leeds & went to <b>college</b> there.", []),
            ("I mentored two new starters until they ran groups alone.",
             [("leading-supporting-developing-others", "2", 0.55), ("team-working", "3", 0.45)]),
            ("Then I moved to a larger team.", [])]),
        make_analysis(f"{name}-2", [("We built a referral network with GPs.",
                                     [("networking-relationship-building", "3", 0.52)])]),
        make_analysis(f"{name}-3", [("I chaired the weekly partners meeting.",
                                     [("networking-relationship-building", "2", 0.6)])])])
    units = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch_id)}
    store.set_priorities({units["I mentored two new starters until they ran groups alone."]: 0.9,
                          units["We built a referral network with GPs."]: 0.5,
                          units["I chaired the weekly partners meeting."]: 0.1})
    return batch_id, units


@dataclass(frozen=True)
class Decision:
    id: int
    unit_id: int
    kind: str
    competency: str | None
    level: str | None


def decisions(app_server, batch_id: int) -> list[Decision]:  # noqa: ANN001
    """The reviewer's decisions in a batch, read through a read-only SQLite connection while the server runs.

    Not through Store: opening a Store runs the store's file-mode check (os.open/os.close on the database file),
    and closing its connections can then checkpoint and delete the WAL the server is still writing to (see the
    report on store.database._owner_only); a read-only connection never does either."""
    uri = f"file:{app_server.home / 'evidence.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as con:
        rows = con.execute(
            "select d.id, d.unit_id, d.kind, d.competency, d.level from decisions d join units u on u.id = d.unit_id "
            "join documents doc on doc.id = u.document_id where doc.batch_id = ? and d.reviewer = 'reviewer' "
            "order by d.id", (batch_id,)).fetchall()
    return [Decision(*row) for row in rows]


def wait_for_decisions(app_server, batch_id: int, count: int) -> list:  # noqa: ANN001
    """The reviewer's decisions in the batch once there are ``count`` of them (fails after 15 s)."""
    deadline = time.monotonic() + 15
    while len(found := decisions(app_server, batch_id)) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(found) == count, found
    return found


def card_id(page) -> int:  # noqa: ANN001 - a Playwright page
    found = page.locator("[class*='st-key-review-card-']").first.get_attribute("class")
    return int(re.search(r"st-key-review-card-(\d+)", found).group(1))


def open_batch(page, app_server, name: str) -> None:  # noqa: ANN001
    sign_in(page, app_server.url, "reviewer", APP_PASSWORDS["reviewer"], "Review suggestions")
    choose(page, "Batch", name)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    settle(page)
    page.locator("[class*='st-key-review-card-']").first.wait_for()


def key(page, name: str) -> None:  # noqa: ANN001
    """Press a key with no field focused and wait for the page's run to end."""
    page.keyboard.press(name)
    settle(page)
    page.wait_for_timeout(200)  # the shortcut script applies keys on its next tick (40 ms)
    settle(page)


@pytest.mark.e2e
@pytest.mark.slow
def test_every_suggestion_decided_by_keyboard_alone_on_a_laptop(app_server, browser) -> None:  # noqa: ANN001
    batch_id, units = new_batch(app_server, "keyboard-laptop")
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_batch(page, app_server, "keyboard-laptop")
        # the whole statement, escaped, with the unit highlighted
        statement = page.locator(".ev-card-statement")
        text = statement.inner_text()
        assert "I grew up in Leeds & went to <b>college</b> there." in text and "Then I moved to a larger" in text
        assert statement.locator("mark").inner_text() == "I mentored two new starters until they ran groups alone."
        assert statement.locator("b").count() == 0
        # the buttons are above the fold of a 1366x768 screen (walkthrough step 47: they started at y = 948)
        for label in ("Accept (a)", "Reject (r)", "Relabel (l)", "No evidence (n)", "Skip (s)", "Flag (f)"):
            box = page.get_by_role("button", name=label).bounding_box()
            assert box is not None and box["y"] + box["height"] <= LAPTOP["height"], (label, box)
        # keys are shown on screen
        assert page.get_by_text(re.compile(r"1.9 pick the suggestion")).count() >= 1

        # 2 picks the second suggestion, a accepts it
        first = card_id(page)
        assert first == units["I mentored two new starters until they ran groups alone."]
        key(page, "2")
        assert page.locator(f".st-key-review-rank-{first} input[type=radio]").nth(1).is_checked()
        key(page, "a")
        [accepted] = wait_for_decisions(app_server, batch_id, 1)
        assert (accepted.unit_id, accepted.kind, accepted.competency) == (first, "accepted", "team-working")

        # the next card: c opens the competency box, Shift+2 picks the level, l relabels
        second = card_id(page)
        assert second != first
        page.keyboard.press("c")
        page.keyboard.type("Customer & Stakeholder")
        page.get_by_role("option", name=re.compile("Customer & Stakeholder Focus")).first.wait_for()
        page.keyboard.press("Enter")
        settle(page)
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        key(page, "Shift+Digit2")
        key(page, "l")
        relabelled = wait_for_decisions(app_server, batch_id, 2)[-1]
        assert (relabelled.unit_id, relabelled.kind, relabelled.competency) == (
            second, "relabelled", "customer-stakeholder-focus")
        assert relabelled.level == get_framework(FRAMEWORK).scale[1].id

        # keys are remapped in a small form, kept in the address (a reload keeps them) and shown on the buttons
        page.get_by_text("Keyboard keys").click()
        field = page.get_by_role("textbox", name="Accept")
        field.fill("x")
        field.press("Enter")  # Enter in a form's field submits the form with what was typed
        settle(page)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where Chromium runs

        saved = "() => location.search.includes('keys=accept%3Ax')"
        try:
            page.wait_for_function(saved, timeout=8_000)
        except PlaywrightTimeout:  # a busy machine: the submit went before the field's value (seen 1 in 4 full runs)
            page.get_by_role("button", name="Save keys").click()
            settle(page)
            page.wait_for_function(saved, timeout=15_000)
        page.get_by_role("button", name="Accept (x)").wait_for()
        page.reload()
        page.get_by_role("button", name="Accept (x)").wait_for()
        settle(page)
        third = card_id(page)
        key(page, "x")
        last = wait_for_decisions(app_server, batch_id, 3)[-1]
        assert (last.unit_id, last.kind) == (third, "accepted")
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.slow
def test_keys_pressed_while_the_next_card_loads_never_land_on_another_card(app_server, page) -> None:  # noqa: ANN001
    """Walkthrough B3: a key pressed during the spinner recorded a decision on the previous batch's card. Each key
    now carries the card it was pressed for, and is dropped when that card has left the screen."""
    batch_id, _ = new_batch(app_server, "stale-keys")
    other_id, other_units = new_batch(app_server, "stale-keys-other")
    open_batch(page, app_server, "stale-keys")
    shown = card_id(page)
    # s skips this card and starts the run that brings the next one; a, pressed straight after, was meant for
    # the card that is leaving: it must not be applied to it twice, nor to the next card the reviewer never saw
    page.keyboard.press("s")
    page.keyboard.press("a")
    settle(page)
    page.wait_for_timeout(500)
    settle(page)
    assert [(d.unit_id, d.kind) for d in decisions(app_server, batch_id)] == [(shown, "skip")]
    assert card_id(page) != shown

    # switching batch, then a key at once: never a decision in the batch that is being left
    before = len(decisions(app_server, batch_id))
    leaving = card_id(page)
    choose(page, "Batch", "stale-keys-other")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    settle(page)
    page.wait_for_timeout(500)
    settle(page)
    assert len(decisions(app_server, batch_id)) == before, "a key reached the card of the batch being left"
    assert all(d.unit_id in other_units.values() and d.unit_id != leaving for d in decisions(app_server, other_id))
    assert page.dialogs == []
