"""The web app in a real headless Chromium: sign in, screen, review with the keyboard, restart, check the store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.config import PACKAGE_DATA_DIR
from evidence.store import AuditAction, Store
from tests.factories import APP_PASSWORDS

from .conftest import settle

SLOW = 180_000  # the first screening loads the language model
BATCH = ("id,name,text\n"
         'C1,Jo Bloggs,"I led a team of six support workers through a service redesign. I set up weekly check-ins '
         'and coached two new starters until they could run groups on their own. You can reach Jo Bloggs on '
         '07700 900123 or jo.bloggs@example.com."\n'
         'C2,Sam Smith,"I built links with GP practices, the foodbank and the local carers centre, and I meet each '
         "of them every month. <script>alert('x')</script> When a partner raised a complaint I listened, agreed a "
         'plan and followed it up within a week."\n'
         'C3,Ann Other,"I want to help people. I am a people person and a hard worker."\n')


def wait_for_heading(page, name: str, timeout: int = 30_000) -> None:  # noqa: ANN001 - a Playwright Page
    """Wait for a heading, failing at once with the app's traceback if the page raised instead."""
    page.locator(f"h1:has-text('{name}'), h2:has-text('{name}'), h3:has-text('{name}'), "
                 "[data-testid=stException]").first.wait_for(timeout=timeout)
    error = page.get_by_test_id("stException")
    if error.count():
        raise AssertionError(f"the page raised: {error.first.inner_text()[:3000]}")
    page.get_by_role("heading", name=name).first.wait_for(timeout=timeout)


def sign_in(page, url: str, name: str, password: str, landing: str) -> None:  # noqa: ANN001 - a Playwright Page
    page.goto(url)
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_for_heading(page, landing)
    settle(page)


def sign_out(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()


def choose(page, label: str, option: str) -> None:  # noqa: ANN001
    """Pick an option of a Streamlit selectbox with the keyboard: focus, type, Enter."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.wait_for()
    page.keyboard.press("Enter")


def decided(page) -> int:  # noqa: ANN001
    text = page.get_by_text(re.compile(r"\d+ of \d+ suggested sentences decided")).inner_text()
    return int(text.split()[0])


def press(page, key: str, before: int) -> None:  # noqa: ANN001
    """Leave any field with Esc, press a shortcut and wait until the decision count moves."""
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    settle(page)
    page.keyboard.press(key)
    page.wait_for_function(
        "([before]) => { const m = document.body.innerText.match(/(\\d+) of \\d+ suggested sentences decided/);"
        " return m && Number(m[1]) !== before; }", arg=[before], timeout=30_000)
    settle(page)


@pytest.mark.e2e
@pytest.mark.slow
def test_screen_review_with_the_keyboard_and_survive_a_restart(  # noqa: ANN001 - fixtures from conftest
        app_server, page, screenshot, tmp_path: Path) -> None:
    url = app_server.url
    page.goto(url)
    page.get_by_role("heading", name="Sign in").wait_for()
    screenshot(page, "01-sign-in")

    # a recruiter screens three statements, blind
    sign_in(page, url, "recruiter", APP_PASSWORDS["recruiter"], "Screen applicants")
    batch_file = tmp_path / "three-applicants.csv"
    batch_file.write_text(BATCH, encoding="utf-8")
    page.locator("input[type=file]").first.set_input_files(str(batch_file))
    run = page.get_by_role("button", name="Screen 3 statements")
    run.wait_for()
    run.click()
    wait_for_heading(page, "Ranked shortlist", timeout=SLOW)
    page.get_by_text("blind review: names and contact details removed").wait_for()
    # the shortlist shows every requirement column without scrolling sideways at 1600 px (walkthrough step 15)
    page.set_viewport_size({"width": 1600, "height": 1000})
    settle(page)
    page.wait_for_timeout(1000)
    scroller = page.get_by_test_id("stDataFrame").first.locator(".dvn-scroller").first  # the shortlist
    widths = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"the shortlist scrolls sideways at 1600 px: {widths}"
    page.set_viewport_size({"width": 1400, "height": 1600})
    with Store.open(f"sqlite:///{app_server.home / 'evidence.db'}") as store:
        [batch] = store.list_batches()
        assert batch.documents == 3 and batch.blind and batch.created_by == "recruiter"
        statements = {d.original_id: d for d in store.documents(batch.id)}  # by the id before the pseudonym
    assert "Jo Bloggs" in statements["C1"].text and "Jo Bloggs" not in statements["C1"].shown_text
    screenshot(page, "02-screen-shortlist")
    with page.expect_download() as download:  # a download is an export, and the audit trail records it
        page.get_by_role("button", name="Shortlist (CSV)").click()
    assert download.value.suggested_filename.endswith("-shortlist.csv")
    settle(page)
    with Store.open(f"sqlite:///{app_server.home / 'evidence.db'}") as store:
        exports = [(r.actor, r.subject, r.payload) for r in store.audit_records(action=AuditAction.export)]
    assert exports == [("recruiter", f"batch:{batch.id}", {"export": "shortlist_csv"})]

    # the statement with a script shows it as text, and nothing runs
    choose(page, "Open an applicant", statements["C2"].external_id)  # blind: the page shows "Applicant NN"
    statement = page.locator(".ev-statement")
    statement.get_by_text("alert('x')", exact=False).wait_for()
    shown = statement.evaluate("el => { const c = el.cloneNode(true); "
                               "c.querySelectorAll('sup').forEach(s => s.remove()); return c.textContent; }")
    assert "<script>alert('x')</script>" in shown  # literal text (the badges of highlights removed)
    assert statement.locator("script").count() == 0 and page.dialogs == []
    assert statement.locator("mark").count() >= 1
    screenshot(page, "03-screen-applicant")
    sign_out(page)

    # a reviewer accepts one suggestion, rejects the next, undoes that and relabels it: all with the keyboard
    sign_in(page, url, "reviewer", APP_PASSWORDS["reviewer"], "Review suggestions")
    screenshot(page, "04-review-card")
    before = decided(page)
    press(page, "a", before)
    page.get_by_text(re.compile("^Accepted ")).first.wait_for()
    press(page, "r", before + 1)  # "r" is also Streamlit's rerun key: the page's shortcut must win
    page.get_by_text(re.compile("^Rejected ")).first.wait_for()
    press(page, "u", before + 2)
    page.get_by_text(re.compile("^Undid your last decision")).first.wait_for()
    assert decided(page) == before + 1
    choose(page, "Relabel as competency", "Customer & Stakeholder Focus")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    settle(page)
    page.keyboard.press("Shift+Digit3")  # Shift + a number key picks the level
    settle(page)
    page.wait_for_timeout(300)
    press(page, "l", before + 1)
    page.get_by_text("Relabelled as Customer & Stakeholder Focus at Level 3").first.wait_for()
    assert decided(page) == before + 2
    assert page.dialogs == []
    screenshot(page, "05-review-after-relabel")

    # the server restarts; the decisions are in the store and on the page
    app_server.restart()
    with Store.open(f"sqlite:///{app_server.home / 'evidence.db'}") as store:
        log = store.decision_log()
    assert [(d.reviewer, d.kind) for d in log] == [("reviewer", "accepted"), ("reviewer", "rejected"),
                                                   ("reviewer", "undo"), ("reviewer", "relabelled")]
    assert log[2].revokes == log[1].id and log[3].unit_id == log[1].unit_id
    assert (log[3].competency, log[3].level) == ("customer-stakeholder-focus", "3")
    with Store.open(f"sqlite:///{app_server.home / 'evidence.db'}") as store:
        assert [c.decision.value for c in store.corrections("community-link-worker")] == ["accepted", "relabelled"]
    sign_in(page, url, "reviewer", APP_PASSWORDS["reviewer"], "Review suggestions")
    assert decided(page) == before + 2
    assert page.get_by_text(re.compile(r"Your decisions in this batch: 2\b")).count() == 1


@pytest.mark.e2e
@pytest.mark.slow
def test_my_evidence_and_frameworks_pages(app_server, page, screenshot) -> None:  # noqa: ANN001
    sign_in(page, app_server.url, "admin", APP_PASSWORDS["admin"], "Screen applicants")
    page.get_by_role("link", name="My evidence").click()
    page.get_by_role("heading", name="My evidence").wait_for()
    narrative = (PACKAGE_DATA_DIR / "samples" / "appraisal-narrative.md").read_text(encoding="utf-8")
    page.get_by_role("textbox", name="…or paste it here").fill(narrative)
    page.get_by_role("heading", name="My evidence").click()  # leave the text area so Streamlit takes the text
    page.get_by_role("button", name="Show my evidence").click()
    wait_for_heading(page, "By competency", timeout=SLOW)
    page.locator("canvas, svg").first.wait_for()
    page.get_by_role("button", name="Download (PDF)").wait_for()
    screenshot(page, "06-my-evidence")

    page.get_by_role("link", name="Frameworks").click()
    page.get_by_role("heading", name="Frameworks").wait_for()
    page.get_by_role("heading", name="Import a framework").wait_for()
    screenshot(page, "07-frameworks")


@pytest.mark.e2e
@pytest.mark.slow
def test_a_reload_keeps_the_user_signed_in_and_links_lead_to_their_page(app_server, page) -> None:  # noqa: ANN001
    """Issue 16: a reload signed you out, and /review showed "Page not found"; nothing is fetched from outside
    (the favicon came from fonts.gstatic.com)."""
    url = app_server.url
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("http://localhost", "ws://localhost", "data:", "blob:")) else None)
    page.goto(f"{url}/frameworks")  # a link into the app, signed out: the sign-in form, then that page
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_role("textbox", name="User name").fill("reviewer")
    page.get_by_role("textbox", name="Password").fill(APP_PASSWORDS["reviewer"])
    page.get_by_role("button", name="Sign in").click()
    wait_for_heading(page, "Frameworks")
    assert page.url.rstrip("/").endswith("/frameworks")
    page.wait_for_function("() => document.cookie.includes('evidence_sign_in=')")  # written as the page lands
    page.reload()
    wait_for_heading(page, "Frameworks")
    page.get_by_role("button", name="Sign out").wait_for()  # the sidebar draws after the page's heading
    page.goto(f"{url}/my_evidence")  # a new page load with the same browser: still signed in
    wait_for_heading(page, "My evidence")

    sign_out(page)
    page.reload()  # signed out stays signed out: the cookie was dropped and its token ended
    page.get_by_role("heading", name="Sign in").wait_for()
    settle(page)
    assert page.get_by_role("button", name="Sign out").count() == 0
    assert outside == []
