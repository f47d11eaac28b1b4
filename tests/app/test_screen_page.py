"""The Screen page (streamlit.testing AppTest, stand-in analyzer): a bad upload is reported by name and the rest
screened (reliability review D03), a blind batch shows no name anywhere (D15), and ids, names and file names
show as text, never as Markdown (D14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evidence.app import markup, session
from evidence.app.serve import app_path
from evidence.frameworks.catalogue import get_framework
from evidence.services import auth, screening
from tests.app.conftest import store_for
from tests.factories import FRAMEWORK, make_analysis, name_traces

PAGE = str(app_path().parent / "routes" / "screen.py")
TIMEOUT = 60
HOSTILE = "[PHISHMARK](http://127.0.0.1:8629/md-link) ![](http://127.0.0.1:8629/md-img.png) :red[REDMARK] **BOLD**"


@pytest.fixture
def home(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    user = auth.User("recruiter", auth.UserRole.recruiter)
    monkeypatch.setattr(session, "require", lambda permission: user)  # signing in is tested in test_pages
    return app_home



def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="screen-upload").set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception, at.exception
    return at


def run_screening(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """The text a reader sees in an escaped Markdown string (backslash escapes and word joiners removed)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(markup.WORD_JOINER, "")


def everything_shown(at: AppTest) -> str:
    """Every text the page shows: Markdown, captions, alerts, headings, HTML, select boxes, tables."""
    texts = [e.value for kind in ("markdown", "caption", "warning", "error", "info", "title", "subheader")
             for e in getattr(at, kind)]
    texts += [str(h.proto.body) for h in at.get("html")]
    texts += [o for box in at.selectbox for o in box.options]
    texts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(plain(t) for t in texts)


FILES = [("Jo_Bloggs_statement.txt", b"Jo did the work and Bloggs is proud of it. I led the team."),
         ("Broken_Upload.pdf", b"%PDF-1.4 this is not a PDF"),
         ("priya-mahajan.txt", b"PRIYA MAHAJAN\nI set up the pantry. Call Priya on 07700 900123.")]


def test_a_bad_file_is_reported_by_name_and_the_rest_are_screened_blind(home: Path) -> None:
    at = upload(open_page(), *FILES)
    [warning] = at.warning
    assert plain(warning.value).startswith("Broken_Upload.pdf: ") and "Traceback" not in warning.value
    assert at.toggle(key="screen-blind").value
    run_screening(at, "Screen 2 statements")
    with store_for(home) as store:
        [batch] = store.list_batches()
        docs = store.documents(batch.id)
    assert batch.blind and batch.documents == 2
    assert batch.name.startswith("blind batch of 3 files") and "Bloggs" not in batch.name
    assert sorted(d.external_id for d in docs) == ["Applicant 01", "Applicant 02"]
    shown = everything_shown(at)
    assert "Applicant 0" in shown
    for trace in ("Jo Bloggs", "Priya Mahajan"):
        assert not name_traces(trace, shown), name_traces(trace, shown)
    assert "_statement" not in shown and "priya-mahajan" not in shown and "07700" not in shown


def test_an_unusual_name_column_and_a_row_without_text(home: Path) -> None:
    table = ("ref,Applicant Name,statement\n"
             "C1,\"Mahajan, Priya\",Priya Mahajan led the team. The Mahajan family farm taught me.\n"
             "C2,Sam Smith,\n"
             "C3,Siobhán Ó Súilleabháin,Siobhan O Suilleabhain ran groups.\n").encode()
    at = upload(open_page(), ("batch.csv", table))
    [warning] = at.warning
    assert "batch.csv:3 (C2)" in plain(warning.value)
    assert at.text_input(key="screen-batch-name").proto.placeholder.startswith("blind batch 20")
    at.toggle(key="screen-blind").set_value(False).run()  # a named batch may say which file it came from
    assert at.text_input(key="screen-batch-name").proto.placeholder.startswith("batch 20")
    at.toggle(key="screen-blind").set_value(True).run()
    run_screening(at, "Screen 2 statements")
    shown = everything_shown(at)
    for name in ("Priya Mahajan", "Siobhan Suilleabhain"):
        assert not name_traces(name, shown), name_traces(name, shown)
    assert "C1" not in shown.split() and "Applicant 0" in shown


def test_an_unreadable_table_is_an_error_naming_it_without_a_traceback(home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, *, filename: str) -> None:
        raise RecursionError("/srv/evidence/secret.py: too deep")

    monkeypatch.setattr(screening, "read_frame", broken)
    at = upload(open_page(), ("applications.xlsx", b"PK\x03\x04"))
    [error] = at.error
    assert "applications.xlsx: the table could not be read" in plain(error.value) and "secret" not in error.value
    assert not any(b.label.startswith("Screen ") and not b.disabled for b in at.button)


def test_hostile_ids_names_and_file_names_show_as_text(home: Path) -> None:
    framework = get_framework(FRAMEWORK)
    with store_for(home) as store:  # a named batch, so the page shows "id — name"
        store.save_batch("named", framework, framework.roles[0].id, [make_analysis(
            HOSTILE, [("I led the team.", [("team-working", "3", 0.8)])], name=HOSTILE)], names={HOSTILE: HOSTILE})
    at = upload(open_page(), (f"{HOSTILE}.pdf", b"not a pdf"))
    headings = [m.value for m in at.markdown if "PHISHMARK" in m.value]
    assert headings and [w.value for w in at.warning if "PHISHMARK" in w.value]
    for markdown in [*headings, *(w.value for w in at.warning)]:
        assert "](" not in markdown and ":red[" not in markdown and "**BOLD" not in markdown, markdown
        assert HOSTILE in plain(markdown)
