"""The web app's pages (streamlit.testing AppTest): sign-in, access, screening, review, My evidence, frameworks.

The analyzer is replaced by :class:`tests.factories.FakeAnalyzer`, so these tests need no model; the
browser tests in tests/e2e run the real one.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from evidence.app import markup, session
from evidence.app.serve import app_path
from evidence.domain import Document, DocumentAnalysis, Role
from evidence.errors import FrameworkError
from evidence.frameworks import catalogue
from evidence.frameworks.catalogue import get_framework, store_imported
from evidence.services import auth
from tests.app.conftest import store_for
from tests.factories import (
    APP_PASSWORDS,
    FRAMEWORK,
    FakeAnalyzer,
    add_app_users,
    make_analysis,
    small_batch,
    tiny_framework,
)

APP = str(app_path())
APP_DIR = app_path().parent
TIMEOUT = 60
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def home(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_app_users(monkeypatch)
    return app_home



def signed_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_input(key="sign-in-name").input(name)
    at.text_input(key="sign-in-password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    if "user" in at.session_state:  # AppTest stays on the sign-in page's script: open the first page as a browser does
        first = session.pages_for(auth.User(name, auth.UserRole(at.session_state["user"]["role"])))[0]
        at.switch_page(f"routes/{first.file}").run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):  # noqa: ANN201 - a streamlit.testing Button
    return next(b for b in at.button if b.label == label)


def all_html(at: AppTest) -> str:
    """The page's HTML elements, less the app's own sign-in cookie writer (session.write_cookie): under AppTest the
    browser never presents the cookie, so the writer is on every run."""
    own = f'<script>document.cookie = "{session.SIGN_IN_COOKIE}='
    return "\n".join(str(h.proto.body) for h in at.get("html") if not str(h.proto.body).startswith(own))


# -- sign-in and access --------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password(home: Path) -> None:
    at = signed_in("admin", "not-the-password")
    assert "do not match" in at.error[0].value
    assert "user" not in at.session_state


def test_sign_in_opens_the_pages_of_the_users_role(home: Path) -> None:
    at = signed_in("recruiter", APP_PASSWORDS["recruiter"])
    assert at.session_state["user"] == {"name": "recruiter", "role": "recruiter"}
    assert at.title[0].value == "Screen applicants"
    assert [p.title for p in session.pages_for(auth.User("recruiter", auth.UserRole.recruiter))] == [
        "Screen applicants", "My evidence", "Frameworks"]
    assert [p.title for p in session.pages_for(auth.User("r", auth.UserRole.reviewer))] == [
        "Review suggestions", "My evidence", "Frameworks"]
    assert len(session.pages_for(auth.User("a", auth.UserRole.admin))) == 4


@pytest.mark.parametrize("page, role", [("routes/review.py", "recruiter"), ("routes/screen.py", "reviewer")])
def test_a_page_refuses_a_role_that_may_not_see_it(home: Path, page: str, role: str) -> None:
    at = signed_in(role, APP_PASSWORDS[role])
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in their menu: no route to it
        at.switch_page(page)
    anonymous = AppTest.from_file(str(APP_DIR / page), default_timeout=TIMEOUT).run()
    assert "Please sign in" in anonymous.warning[0].value


# -- screen --------------------------------------------------------------------------------------


def test_screening_a_tiny_batch_saves_and_ranks_it(home: Path) -> None:
    at = signed_in("recruiter", APP_PASSWORDS["recruiter"])
    csv = ("ref,applicant,statement\n"
           "C1,Jo Bloggs,I led the team. Jo Bloggs can be reached on 07700 900123.\n"
           f"C2,Sam Smith,I built a network. {SCRIPT}\n"
           "C3,Ann Other,I improved the service.\n").encode()
    at.file_uploader(key="screen-upload").set_value(("batch.csv", csv, "text/csv"))
    at.run()
    assert at.selectbox(key="screen-id-col").value == "ref"
    assert at.selectbox(key="screen-text-col").value == "statement"
    assert at.selectbox(key="screen-name-col").value == "applicant"
    run = button(at, "Screen 3 statements")
    run.click()
    at.run()
    assert not at.exception, at.exception
    with store_for(home) as store:
        [batch] = store.list_batches()
        assert (batch.documents, batch.blind, batch.created_by, batch.model_version) == (3, True, "recruiter",
                                                                                        "fake-model")
        docs = {d.original_id: d for d in store.documents(batch.id)}  # by the id before the pseudonym
    assert "Jo Bloggs" in docs["C1"].text and "Jo Bloggs" not in docs["C1"].shown_text
    assert docs["C1"].name == "Jo Bloggs" and docs["C1"].analysis.document.name == ""
    assert docs["C1"].external_id.startswith("Applicant ")
    shown = all_html(at) + " ".join(at.selectbox(key=f"screen-applicant-{batch.id}").options)
    assert "Jo Bloggs" not in shown and "07700" not in shown
    assert "[phone]" in docs["C1"].shown_text
    shortlist = at.dataframe[0].value
    assert sorted(shortlist["Applicant"]) == ["Applicant 01", "Applicant 02", "Applicant 03"]
    assert "Name" not in shortlist.columns
    labels = [d.label for d in at.get("download_button")]
    assert "Shortlist and evidence (XLSX)" in labels and "Evidence (CSV)" in labels


def test_after_screening_the_selector_the_page_and_the_export_name_the_new_batch(home: Path) -> None:
    """The walkthrough's wrong-batch bug: the page showed the new batch while its selector kept the old one, so
    the next click (or an export) went back to the old batch."""
    at = signed_in("recruiter", APP_PASSWORDS["recruiter"])
    ids = []
    for name, rows in (("first", "A1,I led the team.\n"), ("second", "B1,I built a network.\nB2,I coached staff.\n")):
        at.file_uploader(key="screen-upload").set_value((f"{name}.csv", f"ref,statement\n{rows}".encode(), "text/csv"))
        at.run()
        at.text_input(key="screen-batch-name").input(name).run()
        next(b for b in at.button if b.key == "screen-run").click().run()
        assert not at.exception, at.exception
        with store_for(home) as store:
            ids.append(store.find_batch(name).id)
        assert at.selectbox(key="screen-open-batch").value == ids[-1]
    at.run()  # the next click anywhere
    assert at.selectbox(key="screen-open-batch").value == ids[1]
    assert [len(frame.value) for frame in at.dataframe][:1] == [2]  # the shortlist is the second batch's
    with store_for(home) as store:
        assert {d.original_id for d in store.documents(ids[1])} == {"B1", "B2"}


def test_a_statement_with_a_script_shows_as_text(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("unsafe", get_framework(FRAMEWORK), FRAMEWORK, [make_analysis(
            "X1", [(f"I led the team {SCRIPT}.", [("team-working", "3", 0.8)]), ("<img src=x onerror=alert(1)>", [])],
            name="<b>Bold</b>")])
    at = signed_in("admin", APP_PASSWORDS["admin"])
    html = all_html(at)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html and "<img" not in html and "<b>Bold" not in html


def test_opening_another_applicant_and_exports(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("named", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
    at = signed_in("admin", APP_PASSWORDS["admin"])
    assert list(at.dataframe[0].value["Name"]) == ["Ann Example", "Bob Example"]
    at.selectbox(key="screen-applicant-1").select_index(1).run()
    assert "We built a referral network with GPs." in all_html(at)


# -- review --------------------------------------------------------------------------------------


def test_review_actions_append_decisions_named_after_the_reviewer(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
    at = signed_in("reviewer", APP_PASSWORDS["reviewer"])
    assert at.title[0].value == "Review suggestions"
    assert "We built a referral network with GPs." in all_html(at)
    button(at, "Accept (a)").click()
    at.run()
    assert "I mentored two new starters." in all_html(at)
    at.selectbox(key=next(k for k in _keys(at) if k.startswith("review-relabel-comp-"))).set_value("team-working")
    at.radio(key=next(r.key for r in at.radio if r.key and r.key.startswith("review-level-"))).set_value("4")
    at.run()
    button(at, "Relabel (l)").click()
    at.run()
    button(at, "No evidence (n)").click()
    at.run()
    assert any("every suggested sentence" in s.value for s in at.success)
    button(at, "Undo (u)").click()
    at.run()
    assert not at.exception, at.exception
    with store_for(home) as store:
        log = store.decision_log()
        assert [(d.reviewer, d.kind) for d in log] == [("reviewer", "accepted"), ("reviewer", "relabelled"),
                                                       ("reviewer", "no_evidence"), ("reviewer", "undo")]
        assert (log[1].competency, log[1].level) == ("team-working", "4")
        assert store.progress() == (2, 3)
    assert "I led the team through the merger." in all_html(at)  # back in the queue after the undo


def _keys(at: AppTest) -> list[str]:
    return [w.key for w in at.selectbox if w.key]


def worse_by_cross_validation() -> object:
    """A comparison as learning makes it: 24 decisions, 5-fold cross-validation, the new version worse."""
    from evidence.evaluation.metrics import Metrics
    from evidence.learning.compare import Comparison, Method

    def measured(top1: float) -> Metrics:
        return Metrics(framework=FRAMEWORK, units=24, evidence_units=24, none_units=0, top1=top1, top3=None,
                       macro_f1=0.0, abstention_precision=None, abstention_recall=None, level_units=0,
                       level_exact=None, level_within_one=None, level_mae=None, ece=None, rp5=None, mrr=None,
                       unit_accuracy=top1, counter_units=0, counter_recall=None, counter_precision=None)

    return Comparison(new_metrics=measured(0.29), current_metrics=measured(0.71), current_version="v-old",
                      method=Method.cross_validation, units=24, folds=5, top1_units=24, difference=-0.42,
                      interval=(-0.62, -0.21))


def test_a_worse_model_goes_live_only_when_confirmed_and_can_be_rolled_back(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(home) as store:
        store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
    promoted: list[dict] = []
    monkeypatch.setattr("evidence.learning.registry.promote", lambda *args, **kwargs: promoted.append(kwargs))
    monkeypatch.setattr("evidence.learning.registry.rollback", lambda framework_id, *, by: "zero-shot")
    at = AppTest.from_file(str(APP_DIR / "routes" / "review.py"), default_timeout=TIMEOUT)
    admin = auth.User("admin", auth.UserRole.admin)
    monkeypatch.setattr(session, "require", lambda permission: admin)
    at.session_state["review-trained"] = SimpleNamespace(  # what "Retrain now" left: 24 decisions, worse
        version="v-new", better=False, current_version="v-old", new_metrics={"top1": 0.29},
        current_metrics={"top1": 0.71}, comparison=worse_by_cross_validation())
    at.run()
    shown = [m.value.replace("\\", "") for m in at.markdown]  # as rendered: markup.md_text escapes punctuation
    assert any("New version v-new, against the model in use (v-old). Checked by 5-fold cross-validation on 24 "
               "decisions: top suggestion right 29% of the time vs 71% for the model in use, difference -42 points, "
               "95% interval -62 to -21. The new version is worse" in m for m in shown), shown
    promote = next(b for b in at.button if b.key == "review-promote")
    assert promote.disabled and not promoted  # one click is not enough
    at.checkbox(key="review-force-confirm").check().run()
    at.text_input(key="review-force-reason").input("checked the eight sentences by hand").run()
    next(b for b in at.button if b.key == "review-promote").click().run()
    assert not at.exception, at.exception
    [entry] = promoted
    assert entry["by"] == "admin" and entry["forced"] is True
    assert entry["reason"].startswith("promoted by hand from the Review page: checked the eight sentences by hand "
                                      "(not credibly better: checked by 5-fold cross-validation on 24")
    next(b for b in at.button if b.key == "review-rollback").click().run()  # the shipped model is in use
    assert any("Rolled back" in s.value and "zero" in s.value for s in at.success)


def test_a_review_card_needs_no_model_and_follows_the_stored_order(home: Path, monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    """Issue 16: the first card took 13-30 s while the page loaded the model to order the queue. The order is
    stored at screening; the page shows the highest priority first, and its card is claimed for the reviewer."""
    def no_model(framework, model="promoted"):  # noqa: ANN001, ANN202 - stands in for load_analyzer
        raise AssertionError("the review page loaded a model")

    with store_for(home) as store:
        batch_id = store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, small_batch())
        items = {i.text: i.unit_id for i in store.suggested_units(batch_id=batch_id)}
        store.set_priorities({items["I mentored two new starters."]: 0.9,
                              items["We built a referral network with GPs."]: 0.1})
    monkeypatch.setattr(session, "load_analyzer", no_model)
    session._cached_analyzer.clear()
    at = signed_in("reviewer", APP_PASSWORDS["reviewer"])
    assert not at.exception, at.exception
    card = all_html(at)
    assert "I mentored two new starters." in card and "We built a referral network with GPs." not in card
    with store_for(home) as store:
        assert [c.unit_id for c in store.claims()] == [items["I mentored two new starters."]]


def test_review_page_without_batches_explains_what_to_do(home: Path) -> None:
    at = signed_in("reviewer", APP_PASSWORDS["reviewer"])
    assert "Nothing to review yet" in at.info[0].value


# -- my evidence and frameworks -------------------------------------------------------------------


def test_my_evidence_shows_levels_and_downloads(home: Path) -> None:
    at = signed_in("reviewer", APP_PASSWORDS["reviewer"])
    at.switch_page("routes/my_evidence.py").run()
    at.text_area(key="mine-text").input("I led a team of five. I trained new staff.").run()
    button(at, "Show my evidence").click()
    at.run()
    assert not at.exception, at.exception
    framework = get_framework(at.selectbox(key="mine-framework").value)
    assert at.metric[0].value.endswith(f"of {len(framework.competencies)}")
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Download (Markdown)", "Download (PDF)"]


def test_my_evidence_runs_on_the_first_click_and_marks_stale_results(home: Path, monkeypatch: pytest.MonkeyPatch
                                                                      ) -> None:
    """Walkthrough B5 (the button, disabled until the text area lost focus, swallowed the first click), B6 (results
    stayed on screen unmarked after the role changed) and B7 (the target-level column was scrolled out of view)."""
    at = page_as(monkeypatch, "my_evidence.py", "reviewer")
    assert not button(at, "Show my evidence").disabled  # nothing typed yet: a click says what to do
    button(at, "Show my evidence").click()
    at.run()
    assert "Paste your narrative" in at.warning[0].value and "mine-analysis" not in at.session_state
    at.text_area(key="mine-text").input("I led a team of five. I trained new staff.")
    button(at, "Show my evidence").click()  # the text and the click in one run, as a paste then a click gives
    at.run()
    assert not at.exception, at.exception
    assert "mine-analysis" in at.session_state and not [w for w in at.warning if "earlier text" in w.value]
    at.text_area(key="mine-text").input("I led a team of six.").run()
    assert any("earlier text" in w.value for w in at.warning)
    button(at, "Show my evidence").click()
    at.run()
    assert not [w for w in at.warning if "earlier text" in w.value]
    at.radio(key="mine-compare").set_value("My own target levels").run()
    assert any("earlier text or comparison" in w.value for w in at.warning)


def test_admins_import_frameworks_and_see_clear_errors(home: Path) -> None:
    at = signed_in("admin", APP_PASSWORDS["admin"])
    at.switch_page("routes/frameworks.py").run()
    assert at.title[0].value == "Frameworks"
    at.file_uploader(key="fw-upload").set_value(("broken.csv", b"name,text\na,b\n", "text/csv"))
    at.run()
    button(at, "Import").click()
    at.run()
    assert "not imported" in at.error[0].value and "broken.csv" in plain(at.error[0].value)
    table = b"competency,indicator,level\nListening,Listens well,1\nListening,Summarises back,2\n"
    at.file_uploader(key="fw-upload").set_value(("my-skills.csv", table, "text/csv"))
    at.run()
    button(at, "Import").click()
    at.run()
    assert "Imported" in at.success[0].value
    assert get_framework("my-skills").competencies[0].name == "Listening"


def test_only_admins_may_import(home: Path) -> None:
    at = signed_in("reviewer", APP_PASSWORDS["reviewer"])
    at.switch_page("routes/frameworks.py").run()
    assert any("Only admins" in i.value for i in at.info)
    assert not at.get("file_uploader")


# -- user text shown as text, problems without tracebacks (reliability review, D14 and D22) --------------

HOSTILE = "[PHISHMARK](http://127.0.0.1:8629/md-link) ![](http://127.0.0.1:8629/md-img.png) :red[REDMARK] **BOLD**"


def plain(markdown: str) -> str:
    """The text a reader sees in an escaped Markdown string (backslash escapes and word joiners removed)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(markup.WORD_JOINER, "")


def page_as(monkeypatch: pytest.MonkeyPatch, page: str, role: str) -> AppTest:
    """``routes/<page>`` opened by a signed-in user of ``role`` (signing in is tested above, not again here)."""
    user = auth.User(role, auth.UserRole(role))
    monkeypatch.setattr(session, "require", lambda permission: user)
    return AppTest.from_file(str(APP_DIR / "routes" / page), default_timeout=TIMEOUT).run()


def assert_inert(markdown: str) -> None:
    """No link, image, emphasis or Streamlit directive survives in a Markdown string that shows ``HOSTILE``."""
    assert "](" not in markdown and ":red[" not in markdown and "**BOLD" not in markdown
    assert HOSTILE in plain(markdown)


def test_review_card_shows_a_hostile_document_id_as_text(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store_for(home) as store:
        store.save_batch("b", get_framework(FRAMEWORK), FRAMEWORK, [make_analysis(
            HOSTILE, [("I led the team.", [("team-working", "3", 0.8)])], name=HOSTILE)])
    at = page_as(monkeypatch, "review.py", "reviewer")
    assert not at.exception, at.exception
    [card] = [m.value for m in at.markdown if "sentence 1" in m.value]
    assert_inert(card)


def test_my_evidence_shows_a_hostile_file_name_as_text(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page_as(monkeypatch, "my_evidence.py", "reviewer")
    at.file_uploader(key="mine-upload").set_value((f"{HOSTILE}.txt", b"I led a team of five.", "text/plain"))
    at.run()
    assert not at.exception, at.exception
    [caption] = [c.value for c in at.caption if "uploaded file" in c.value]
    assert_inert(caption)


def test_my_evidence_logs_an_unexpected_failure_and_shows_a_generic_message(
        home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    class Broken(FakeAnalyzer):
        def analyse_document(self, document: Document, *, role: Role | None = None) -> DocumentAnalysis:
            raise ValueError("/srv/evidence/secret/path.py: 0 units into a LogisticRegression")

    monkeypatch.setattr(session, "load_analyzer", lambda framework, model="promoted": Broken(framework))
    session._cached_analyzer.clear()
    at = page_as(monkeypatch, "my_evidence.py", "reviewer")
    at.text_area(key="mine-text").input("N/A").run()
    with caplog.at_level(logging.ERROR):
        button(at, "Show my evidence").click()
        at.run()
    assert not at.exception, at.exception
    assert markup.GENERIC_PROBLEM in at.error[0].value
    assert "secret" not in " ".join(e.value for e in at.error)
    assert any("secret/path.py" in r.exc_text for r in caplog.records if r.exc_text)  # the details: server log


def test_frameworks_page_shows_an_admins_hostile_text_as_text(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    framework = tiny_framework()
    framework = framework.model_copy(update={
        "id": "hostile", "name": HOSTILE, "description": f"{HOSTILE}\n\n[click me](javascript:alert(1))",
        "roles": [framework.roles[0].model_copy(update={"name": HOSTILE})]})
    store_imported(framework)
    at = page_as(monkeypatch, "frameworks.py", "admin")
    at.selectbox(key="fw-select").set_value("hostile").run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown if "PHISHMARK" in m.value]
    assert len(shown) == 2  # the description and the role's heading
    for markdown in shown:
        assert_inert(markdown)
    assert "javascript" in shown[0] and "](javascript" not in shown[0]


@pytest.mark.parametrize("error, shown, hidden", [
    (RuntimeError("/srv/evidence/frameworks/x.json: KeyError 'id'"), markup.GENERIC_PROBLEM, "/srv"),
    (FrameworkError("no competencies", source="bad-id.json", fix="re-import it with an id like my-framework"),
     "re-import it with an id like my-framework", "Traceback"),
])
def test_frameworks_page_says_what_went_wrong_without_a_traceback(
        home: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, shown: str, hidden: str) -> None:
    def broken(framework_id: str) -> None:
        raise error

    monkeypatch.setattr(catalogue, "get_framework", broken)
    at = page_as(monkeypatch, "frameworks.py", "admin")
    assert not at.exception, at.exception
    assert shown in plain(at.error[0].value) and hidden not in at.error[0].value
