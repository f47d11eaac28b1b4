"""Issue 17 in a real headless Chromium: a disagreement between two assessors settled by an admin on the Moderation
page (the settled label is then what training reads: Store.corrections), demographics uploaded on the admins'
Fairness page, and none of them reaching any page of a reviewer's menu.

The batches and the assessors' decisions are written straight into the server's store through the review API (the
stand-in analyses of tests.factories), so these tests need no model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence import review
from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import APP_PASSWORDS, FRAMEWORK, make_analysis

from .conftest import settle
from .test_app_browser import choose, sign_in, sign_out, wait_for_heading

MENTORED = "I mentored two new starters until they ran groups alone."
# self-declared values no statement, page or name contains: any of them in a reviewer's page is a leak
DEMOGRAPHICS = {"P1": ("Zorblaxian", "Vexmoor"), "P2": ("Quentarese", "Plimthic"), "P3": ("Zorblaxian", "")}
CATEGORIES = ("Heritage Qwfp", "Identity Jxkv")

_STORES: dict[str, Store] = {}


def store_of(app_server) -> Store:  # noqa: ANN001 - the AppServer fixture
    """The server's store, opened once by this test process and kept open while the server runs (closing the last
    connection of this process could checkpoint and delete the WAL the server writes to: tests/e2e/
    test_review_browser.py)."""
    url = f"sqlite:///{app_server.home / 'evidence.db'}"
    if url not in _STORES:
        _STORES[url] = Store.open(url)
    return _STORES[url]


def disputed_batch(app_server, name: str) -> tuple[int, int]:  # noqa: ANN001
    """A blind batch of three applicants screened against the role, whose first sentence two assessors label
    differently (ann accepts the model's suggestion, reviewer relabels it); returns the batch and that unit."""
    framework = get_framework(FRAMEWORK)
    store = store_of(app_server)
    analyses = [make_analysis(f"{name}-1", [(MENTORED, [("leading-supporting-developing-others", "2", 0.55)])],
                              match=0.7),
                make_analysis(f"{name}-2", [("We built a referral network with GPs.",
                                             [("networking-relationship-building", "3", 0.52)])], match=0.4),
                make_analysis(f"{name}-3", [("I chaired the weekly partners meeting.",
                                             [("networking-relationship-building", "2", 0.6)])], match=0.2)]
    batch_id = store.save_batch(name, framework, FRAMEWORK, analyses, created_by="recruiter",
                                originals={a.document.id: a.document.text for a in analyses})
    items = {i.text: i for i in store.suggested_units(batch_id=batch_id)}
    review.set_policy(store, batch_id, by="admin", role="admin", reviewers_per_unit=2)
    review.decide(store, framework, items[MENTORED], review.Action.accept, reviewer="ann", key=review.new_key(),
                  comment="clearly developing others")
    review.decide(store, framework, items[MENTORED], review.Action.relabel, reviewer="reviewer", key=review.new_key(),
                  relabel=review.Relabel("team-working", "2"), comment="reads as team work to me")
    return batch_id, items[MENTORED].unit_id


def page_text(page) -> str:  # noqa: ANN001 - a Playwright Page
    """Everything the browser holds for the page: its HTML (grids' accessible cells included) and its visible text."""
    settle(page)
    page.wait_for_timeout(1000)  # data grids draw after the script finishes
    return page.content() + "\n" + page.inner_text("body")


@pytest.mark.e2e
@pytest.mark.slow
def test_an_admin_settles_a_disagreement_in_the_browser(app_server, page, screenshot) -> None:  # noqa: ANN001
    batch_id, unit_id = disputed_batch(app_server, "moderated-sift")
    assert [e.item.unit_id for e in review.moderation_queue(store_of(app_server), batch_id)] == [unit_id]

    sign_in(page, app_server.url, "admin", APP_PASSWORDS["admin"], "Screen applicants")
    page.get_by_role("link", name="Moderation").click()
    wait_for_heading(page, "Moderation")
    choose(page, "Batch", "moderated-sift")
    page.keyboard.press("Escape")
    settle(page)
    page.get_by_text("1 sentence waiting").wait_for()
    text = page_text(page)
    for shown in ("clearly developing others", "reads as team work to me", "ann", MENTORED):
        assert shown in text, shown  # every opinion, with its comment, and the sentence itself
    screenshot(page, "20-moderation-queue")

    page.get_by_text("Relabel", exact=True).click()
    settle(page)
    choose(page, "Competency", "Customer & Stakeholder Focus")
    page.keyboard.press("Escape")
    settle(page)
    choose(page, "Level", "Level 3")
    page.keyboard.press("Escape")
    settle(page)
    page.get_by_role("textbox", name=re.compile("^Comment")).fill("the example is about the people served")
    page.get_by_role("button", name="Settle").click()
    settle(page)
    page.get_by_text(re.compile("^Settled sentence 1 of moderated-sift-1")).wait_for()
    page.get_by_text("Nothing waits for moderation in this batch.").wait_for()
    screenshot(page, "21-moderation-settled")

    store = store_of(app_server)
    [label] = store.corrections(FRAMEWORK, batch_id=batch_id)
    assert (label.text, label.competency, label.level, label.reviewer) == (
        MENTORED, "customer-stakeholder-focus", "3", "admin")
    state = store.unit_decisions(batch_id=batch_id)[unit_id]
    assert state.settlement is not None and state.settlement.comment == "the example is about the people served"
    assert {d.reviewer for d in state.opinions} == {"ann", "reviewer"}  # every opinion stays on record
    assert any(r.action == "moderation" and r.actor == "admin" and r.subject == f"unit:{unit_id}"
               for r in store.audit_records(action="moderation"))
    assert page.dialogs == []


@pytest.mark.e2e
@pytest.mark.slow
def test_demographics_reach_the_admins_fairness_page_and_no_page_of_a_reviewer(  # noqa: ANN001
        app_server, page, screenshot, tmp_path: Path) -> None:
    batch_id, _ = disputed_batch(app_server, "audited-sift")
    upload = tmp_path / "demographics.csv"
    upload.write_text("id," + ",".join(CATEGORIES) + "\n"
                      + "".join(f"audited-sift-{i[1]},{a},{b}\n" for i, (a, b) in DEMOGRAPHICS.items()),
                      encoding="utf-8")

    # an admin uploads them on the Fairness page and reads the report: the values are on that page
    sign_in(page, app_server.url, "admin", APP_PASSWORDS["admin"], "Screen applicants")
    page.get_by_role("link", name="Fairness").click()
    wait_for_heading(page, "Fairness")
    choose(page, "Batch", "audited-sift")
    page.keyboard.press("Escape")
    settle(page)
    page.locator("input[type=file]").first.set_input_files(str(upload))
    settle(page)
    page.get_by_role("button", name="Save demographics").click()
    settle(page)
    page.get_by_text(re.compile("^Saved the demographics of 3 applicants; 3 of them match")).wait_for()
    wait_for_heading(page, "overall match")
    stored = store_of(app_server).demographics(batch_id)
    assert stored is not None and stored.categories == CATEGORIES and stored.uploaded_by == "admin"
    admin_text = page_text(page)
    assert "Zorblaxian" in admin_text and "Quentarese" in admin_text  # the check below can see a value
    screenshot(page, "22-fairness-report")
    sign_out(page)

    # a reviewer (named moderator of the batch, so Moderation is in their menu too) opens every page of their menu
    review.set_policy(store_of(app_server), batch_id, by="admin", role="admin", moderator="reviewer")
    sign_in(page, app_server.url, "reviewer", APP_PASSWORDS["reviewer"], "Review suggestions")
    links = page.locator("[data-testid=stSidebarNav] a")
    titles = [links.nth(i).inner_text().strip().splitlines()[-1] for i in range(links.count())]  # less the icon
    assert "Moderation" in titles and "Fairness" not in titles and "Assessment" not in titles
    values = {v for row in DEMOGRAPHICS.values() for v in row if v} | set(CATEGORIES)
    for title in titles:
        page.get_by_role("link", name=title).click()
        wait_for_heading(page, "Review suggestions" if title.startswith("Review") else title)
        if title in ("Review suggestions", "Moderation"):  # the batch whose demographics were uploaded
            choose(page, "Batch", "audited-sift")
            page.keyboard.press("Escape")
            settle(page)
        text = page_text(page)
        assert not [v for v in values if v in text], (title, [v for v in values if v in text])
    for path in ("fairness", "assessment"):  # nor by typing the admins' addresses
        page.goto(f"{app_server.url}/{path}")
        settle(page)
        text = page_text(page)
        assert not [v for v in values if v in text], (path, [v for v in values if v in text])
    assert page.dialogs == []
