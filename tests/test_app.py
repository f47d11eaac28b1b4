"""The web app's pages (streamlit.testing AppTest) and the helpers they call.

The analyzer is replaced by :class:`test_store.FakeAnalyzer`, so these tests need no model; the
browser tests in tests/e2e run the real one.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from evidence import app_support as ui
from evidence import auth
from evidence.errors import FrameworkError, InputError
from evidence.frameworks.catalogue import get_framework
from evidence.store import Store
from tests.factories import FRAMEWORK, FakeAnalyzer, make_analysis, small_batch

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TIMEOUT = 60
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(ui, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    ui._cached_analyzer.clear()
    auth.ensure_demo_users()
    yield tmp_path
    ui._cached_analyzer.clear()


def store_for(home: Path) -> Store:
    return Store.open(f"sqlite:///{home / 'evidence.db'}")


def signed_in(name: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_input(key="sign-in-name").input(name)
    at.text_input(key="sign-in-password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    if "user" in at.session_state:  # AppTest stays on the sign-in page's script: open the first page as a browser does
        first = ui.pages_for(auth.User(name, auth.Role(at.session_state["user"]["role"])))[0]
        at.switch_page(f"pages/{first.file}").run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):  # noqa: ANN201 - a streamlit.testing Button
    return next(b for b in at.button if b.label == label)


def all_html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


# -- sign-in and access --------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password(home: Path) -> None:
    at = signed_in("admin", "not-the-password")
    assert "do not match" in at.error[0].value
    assert "user" not in at.session_state


def test_sign_in_opens_the_pages_of_the_users_role(home: Path) -> None:
    at = signed_in("recruiter", "recruiter-demo")
    assert at.session_state["user"] == {"name": "recruiter", "role": "recruiter"}
    assert at.title[0].value == "Screen applicants"
    assert [p.title for p in ui.pages_for(auth.User("recruiter", auth.Role.recruiter))] == [
        "Screen applicants", "My evidence", "Frameworks"]
    assert [p.title for p in ui.pages_for(auth.User("r", auth.Role.reviewer))] == [
        "Review suggestions", "My evidence", "Frameworks"]
    assert len(ui.pages_for(auth.User("a", auth.Role.admin))) == 4


@pytest.mark.parametrize("page, role", [("pages/review.py", "recruiter"), ("pages/screen.py", "reviewer")])
def test_a_page_refuses_a_role_that_may_not_see_it(home: Path, page: str, role: str) -> None:
    at = AppTest.from_file(str(REPO / page), default_timeout=TIMEOUT)
    at.session_state["user"] = {"name": "someone", "role": role}
    at.run()
    assert "cannot use this page" in at.error[0].value
    anonymous = AppTest.from_file(str(REPO / page), default_timeout=TIMEOUT).run()
    assert "Please sign in" in anonymous.warning[0].value


# -- screen --------------------------------------------------------------------------------------


def test_screening_a_tiny_batch_saves_and_ranks_it(home: Path) -> None:
    at = signed_in("recruiter", "recruiter-demo")
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
        docs = {d.external_id: d for d in store.documents(batch.id)}
    assert "Jo Bloggs" in docs["C1"].text and "Jo Bloggs" not in docs["C1"].shown_text
    assert docs["C1"].name == "Jo Bloggs" and docs["C1"].analysis.document.name == ""
    shown = all_html(at) + " ".join(at.selectbox(key=f"screen-applicant-{batch.id}").options)
    assert "Jo Bloggs" not in shown and "07700" not in shown
    assert "[phone]" in docs["C1"].shown_text
    shortlist = at.dataframe[0].value
    assert list(shortlist["Applicant"]) == ["C1", "C2", "C3"] and "Name" not in shortlist.columns
    labels = [d.label for d in at.get("download_button")]
    assert "Shortlist and evidence (XLSX)" in labels and "Evidence (CSV)" in labels


def test_a_statement_with_a_script_shows_as_text(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("unsafe", FRAMEWORK, FRAMEWORK, [make_analysis(
            "X1", [(f"I led the team {SCRIPT}.", [("team-working", "3", 0.8)]), ("<img src=x onerror=alert(1)>", [])],
            name="<b>Bold</b>")])
    at = signed_in("admin", "admin-demo")
    html = all_html(at)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html and "<img" not in html and "<b>Bold" not in html


def test_opening_another_applicant_and_exports(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("named", FRAMEWORK, FRAMEWORK, small_batch())
    at = signed_in("admin", "admin-demo")
    assert list(at.dataframe[0].value["Name"]) == ["Ann Example", "Bob Example"]
    at.selectbox(key="screen-applicant-1").select_index(1).run()
    assert "We built a referral network with GPs." in all_html(at)


# -- review --------------------------------------------------------------------------------------


def test_review_actions_append_decisions_named_after_the_reviewer(home: Path) -> None:
    with store_for(home) as store:
        store.save_batch("b", FRAMEWORK, FRAMEWORK, small_batch())
    at = signed_in("reviewer", "reviewer-demo")
    assert at.title[0].value == "Review suggestions"
    assert "We built a referral network with GPs." in all_html(at)
    button(at, "Accept (a)").click()
    at.run()
    assert "I mentored two new starters." in all_html(at)
    at.selectbox(key=next(k for k in _keys(at) if k.startswith("review-relabel-comp-"))).set_value("team-working")
    at.selectbox(key=next(k for k in _keys(at) if k.startswith("review-relabel-level-"))).set_value("4")
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


def test_review_page_without_batches_explains_what_to_do(home: Path) -> None:
    at = signed_in("reviewer", "reviewer-demo")
    assert "Nothing to review yet" in at.info[0].value


# -- my evidence and frameworks -------------------------------------------------------------------


def test_my_evidence_shows_levels_and_downloads(home: Path) -> None:
    at = signed_in("reviewer", "reviewer-demo")
    at.switch_page("pages/my_evidence.py").run()
    at.text_area(key="mine-text").input("I led a team of five. I trained new staff.").run()
    button(at, "Show my evidence").click()
    at.run()
    assert not at.exception, at.exception
    framework = get_framework(at.selectbox(key="mine-framework").value)
    assert at.metric[0].value.endswith(f"of {len(framework.competencies)}")
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Download (Markdown)", "Download (PDF)"]


def test_admins_import_frameworks_and_see_clear_errors(home: Path) -> None:
    at = signed_in("admin", "admin-demo")
    at.switch_page("pages/frameworks.py").run()
    assert at.title[0].value == "Frameworks"
    at.file_uploader(key="fw-upload").set_value(("broken.csv", b"name,text\na,b\n", "text/csv"))
    at.run()
    button(at, "Import").click()
    at.run()
    assert "not imported" in at.error[0].value and "broken.csv" in at.error[0].value
    table = b"competency,indicator,level\nListening,Listens well,1\nListening,Summarises back,2\n"
    at.file_uploader(key="fw-upload").set_value(("my-skills.csv", table, "text/csv"))
    at.run()
    button(at, "Import").click()
    at.run()
    assert "Imported" in at.success[0].value
    assert get_framework("my-skills").competencies[0].name == "Listening"


def test_only_admins_may_import(home: Path) -> None:
    at = signed_in("reviewer", "reviewer-demo")
    at.switch_page("pages/frameworks.py").run()
    assert any("Only admins" in i.value for i in at.info)
    assert not at.get("file_uploader")


# -- helpers -------------------------------------------------------------------------------------


def test_highlighting_escapes_everything_and_keeps_offsets() -> None:
    analysis = make_analysis("X", [(f"A <b>bold</b> claim {SCRIPT}.", [("team-working", "3", 0.8)]),
                                   ("Plain & simple.", [])])
    out = ui.highlight_html(analysis.document.text, analysis.units, {"team-working": "#ffe08a"},
                            level_names={"3": "Level 3"})
    assert "<script" not in out and "<b>" not in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out and "Plain &amp; simple." in out
    assert out.count("<mark") == 1 and "Team Working · Level 3" in out


def test_highlighting_ignores_offsets_that_do_not_fit() -> None:
    analysis = make_analysis("X", [("Short.", [("team-working", "3", 0.8)])])
    out = ui.highlight_html("Sh", analysis.units, {})
    assert "<mark" not in out and "Sh" in out


def test_context_html_escapes_neighbours() -> None:
    out = ui.context_html("<i>before</i>", "x < y", SCRIPT)
    assert "&lt;i&gt;" in out and "x &lt; y" in out and "<script" not in out


def test_reading_uploaded_tables_and_choosing_columns() -> None:
    frame = ui.read_upload_table("b.csv", b"Applicant ID,Name,Supporting statement\n1,A,long text here\n1,B,x\n2,C,\n")
    assert ui.guess_columns(frame) == ("Applicant ID", "Supporting statement", "Name")
    docs, problems = ui.documents_from_frame(frame, "Applicant ID", "Supporting statement", "Name")
    assert [d.id for d in docs] == ["1"] and len(problems) == 2
    with pytest.raises(InputError, match="UTF-8"):
        ui.read_upload_table("b.csv", "id,text\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="no column"):
        ui.documents_from_frame(frame, "id", "text")


def test_uploaded_files_become_documents() -> None:
    docs, problems = ui.documents_from_files([("a.txt", b"I led a team."), ("b.txt", b"   "), ("c.exe", b"x")])
    assert [d.id for d in docs] == ["a"] and len(problems) == 2 and "b.txt" in problems[0]


def test_exports_are_readable_workbooks_and_csv() -> None:
    tables = ui.export_tables(small_batch())
    workbook = openpyxl.load_workbook(io.BytesIO(ui.to_xlsx(tables)))
    assert workbook.sheetnames == ["Shortlist", "Coverage", "Evidence"]
    assert [c.value for c in workbook["Shortlist"][1]][:3] == ["Rank", "Applicant", "Name"]
    csv = ui.to_csv(tables["Evidence"]).decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(csv))["competency"].tolist()[0] == "team-working"


def test_blind_shortlists_leave_names_out() -> None:
    assert "Name" not in ui.shortlist_frame(small_batch(), show_names=False).columns


def test_pdf_report_is_a_pdf() -> None:
    data = ui.pdf_report("# Title\n\n- a sentence that is long enough " * 40)
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_targets_become_a_role_and_levels_are_charted() -> None:
    framework = get_framework(FRAMEWORK)
    assert ui.targets_role(framework, {"team-working": None}) is None
    role = ui.targets_role(framework, {"team-working": "3", "customer-stakeholder-focus": None})
    assert [(r.competency, r.level) for r in role.requirements] == [("team-working", "3")]
    analysis = FakeAnalyzer(framework).analyse_document(make_analysis("m", [("I led.", [])]).document)
    frame = ui.level_frame(analysis, framework)
    assert len(frame) == len(framework.competencies) and set(frame.columns) >= {"competency", "evidenced_rank"}
    ui.level_chart(frame, framework).to_dict()
    ui.heatmap_chart(ui.heatmap_frame(analysis, framework)).to_dict()


def test_importing_names_the_uploaded_file_in_errors() -> None:
    with pytest.raises(FrameworkError) as caught:
        ui.import_uploaded_framework("mine.csv", b"name\nx\n")
    assert "mine.csv" in str(caught.value) and "/tmp" not in str(caught.value)


def test_the_demo_command_prepares_once(home: Path) -> None:
    from evidence.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "screened now" in first.output and "admin-demo" in first.output
    second = runner.invoke(app, ["demo", "--no-serve"])
    assert "already there" in second.output
    with store_for(home) as store:
        [batch] = store.list_batches()
        assert batch.name == ui.SAMPLE_BATCH_NAME and batch.documents == 24 and batch.blind
        assert store.review_queue(batch_id=batch.id)
    command = ui.serve_command(8600)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"] and command[4].endswith("app.py")
    assert {"--server.headless=true", "--server.port=8600", "--server.address=localhost"} <= set(command)
