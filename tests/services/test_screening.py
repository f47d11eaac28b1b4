"""Screening a batch into the store (evidence.services.screening), with the stand-in analyzer: blind batches under
pseudonyms with nothing identifying on any reviewer surface, and uploads where one bad file stops nothing."""

from __future__ import annotations

import html
import io
import logging
import random
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from evidence.domain import DecisionKind, Document
from evidence.errors import InputError
from evidence.frameworks.catalogue import get_framework
from evidence.io.documents import documents_from_table
from evidence.reporting.export import export_tables, shortlist_frame, to_csv, to_xlsx
from evidence.reporting.render import analysis_to_markdown
from evidence.services import screening
from evidence.store import Identity, Store
from tests.factories import FRAMEWORK, FakeAnalyzer, name_traces


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'evidence.db'}") as opened:
        yield opened


def _documents() -> list[Document]:
    return [Document(id="C1", text="I led the team. Call Jo Bloggs on 07700 900123.", name="Jo Bloggs",
                     source="batch.csv:2"),
            Document(id="Priya_Mahajan_statement", text="I built a network with GPs. Priya did it.",
                     source="Priya_Mahajan_statement.docx")]


def test_blinding_redacts_and_hides_the_id_name_and_source_behind_a_pseudonym() -> None:
    batch = screening.blind_documents(_documents(), rng=random.Random(1))
    assert sorted(d.id for d in batch.documents) == ["Applicant 01", "Applicant 02"]
    for doc in batch.documents:
        assert (doc.name, doc.source) == ("", "")
        assert not name_traces("Jo Bloggs", doc.text) and not name_traces("Priya Mahajan", doc.text)
        assert "07700" not in doc.text
    originals = {batch.identities[p].id: text for p, text in batch.originals.items()}
    assert originals == {d.id: d.text for d in _documents()}
    identity = next(i for i in batch.identities.values() if i.id == "C1")
    assert identity == Identity(id="C1", source="batch.csv:2", name="Jo Bloggs")


def test_pseudonyms_are_distinct_shuffled_and_numbered_to_sort() -> None:
    names = screening.pseudonyms(120, rng=random.Random(3))
    assert len(set(names)) == 120 and names != sorted(names)
    assert sorted(names)[:2] == ["Applicant 001", "Applicant 002"]
    assert screening.pseudonyms(3, rng=random.Random(0)) == screening.pseudonyms(3, rng=random.Random(0))
    assert all(len(n) == len("Applicant 07") for n in screening.pseudonyms(9))


def test_screening_saves_the_batch_with_progress(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    seen: list[tuple[int, int]] = []
    batch_id = screening.screen(store, FakeAnalyzer(framework), _documents(), role=framework.roles[0], name="b",
                                blind=True, user="recruiter", progress=lambda done, total: seen.append((done, total)))
    [batch] = store.list_batches()
    assert (batch.id, batch.documents, batch.blind, batch.created_by, batch.role_id) == (
        batch_id, 2, True, "recruiter", framework.roles[0].id)
    assert seen == [(1, 2), (2, 2)]
    docs = store.documents(batch_id)
    assert sorted(d.external_id for d in docs) == ["Applicant 01", "Applicant 02"]
    jo = next(d for d in docs if d.original_id == "C1")  # who the pseudonym is stays with the original text
    assert (jo.name, jo.source) == ("Jo Bloggs", "batch.csv:2") and "Jo Bloggs" in jo.text
    assert not name_traces("Jo Bloggs", jo.shown_text) and jo.analysis.document.name == ""
    with pytest.raises(InputError, match="no statements"):
        screening.screen(store, FakeAnalyzer(framework), [], role=None, name="empty")


@pytest.mark.slow
def test_screening_stores_the_review_order_with_the_real_model(store: Store) -> None:
    """Each suggested unit gets its active-learning priority when the batch is screened, so the review page needs
    no model for its first card (issue 16)."""
    from evidence.services.analyzers import load_analyzer

    framework = get_framework(FRAMEWORK)
    batch_id = screening.screen(store, load_analyzer(framework), _documents(), role=None, name="ordered")
    items = store.suggested_units(batch_id=batch_id)
    assert items and all(item.priority is not None for item in items)
    assert len({item.priority for item in items}) > 1 or len(items) == 1


def test_a_named_batch_keeps_its_ids_and_names(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    batch_id = screening.screen(store, FakeAnalyzer(framework), _documents(), role=None, name="named")
    docs = {d.external_id: d for d in store.documents(batch_id)}
    assert set(docs) == {"C1", "Priya_Mahajan_statement"} and docs["C1"].name == "Jo Bloggs"


def test_the_sample_batch_is_screened_once(store: Store) -> None:
    frameworks: list[str] = []

    def factory(framework):  # noqa: ANN001, ANN202 - an analyzer factory
        frameworks.append(framework.id)
        return FakeAnalyzer(framework)

    batch_id, created = screening.ensure_sample_batch(store, factory)
    assert created and frameworks == [screening.SAMPLE_FRAMEWORK]
    assert screening.ensure_sample_batch(store, factory) == (batch_id, False) and len(frameworks) == 1
    [batch] = store.list_batches()
    assert batch.name == screening.SAMPLE_BATCH_NAME and batch.documents == 24 and batch.blind
    for doc in store.documents(batch_id):  # each applicant's name, kept in the identity record, is not shown
        name = doc.name
        assert doc.external_id.startswith("Applicant ") and not name_traces(name, doc.shown_text), name


def test_a_default_batch_name_says_what_was_uploaded_but_never_a_file_name_when_blind() -> None:
    assert screening.default_batch_name(["applications.csv"]).startswith("applications 20")
    assert screening.default_batch_name(["a.txt", "b.txt"]).startswith("2 files ")
    blind = screening.default_batch_name(["Priya_Mahajan_statement.docx"], blind=True)
    assert blind.startswith("blind batch 20") and not name_traces("Priya Mahajan", blind)
    assert screening.default_batch_name(["jo-bloggs.txt", "b.txt"], blind=True).startswith("blind batch of 2 files")


# -- every reviewer surface of a blind batch (reliability review, D15) -------------------------------------------

NFD_ZOE = unicodedata.normalize("NFD", "Zoë Brontë")
TABLE = pd.DataFrame([  # the name column's header is one guess_columns does not know; an e-mail column too
    {"ref": "Mahajan_P", "Applicant Name": "Mahajan, Priya", "E-mail": "",
     "statement": "Priya Mahajan here. The Mahajan family farm taught me. I led the team."},
    {"ref": "C2", "Applicant Name": "Siobhán Ó Súilleabháin", "E-mail": "",
     "statement": "Siobhan O Suilleabhain led the group. Siobhan trained volunteers."},
    {"ref": "C3", "Applicant Name": "", "E-mail": "jo.bloggs@example.com",
     "statement": "Jo ran the drop-in. Ask Bloggs about it."},
    {"ref": "zoe.bronte", "Applicant Name": "", "E-mail": "", "statement": f"{NFD_ZOE} ran the club. It grew."},
    {"ref": "C5", "Applicant Name": "Sean O'Brien", "E-mail": "",
     "statement": "As O’Brien’s team lead I ran it. OBrien is on the rota."},
    {"ref": "C6", "Applicant Name": "", "E-mail": "",
     "statement": "Hi, I'm Tomasz Nowak, and I ran groups. Tomasz's team grew.\n\nKind regards,\nTomasz Nowak"},
    {"ref": "C7", "Applicant Name": "Marie-Claire Dunlop-Haddow", "E-mail": "",
     "statement": "Dunlop Haddow is my surname. Marie Claire is what they call me."},
])
FILES = [("Jo_Bloggs_statement.txt", b"Jo did the work and Bloggs is proud of it. I led the team."),
         ("priya-mahajan.txt", b"PRIYA MAHAJAN\nI set up the pantry.\nSee linkedin.com/in/priya-mahajan-1234"),
         ("Ann_Other.pdf", b"%PDF-1.4 this is not a PDF at all")]
NAMES = ["Priya Mahajan", "Siobhan Suilleabhain", "Jo Bloggs", "Zoe Bronte", "Sean O'Brien", "Tomasz Nowak",
         "Marie-Claire Dunlop-Haddow"]


def _surfaces(store: Store, batch_id: int) -> dict[str, str]:
    """Everything a reviewer of the batch can see or download, as text."""
    framework = get_framework(FRAMEWORK)
    docs = store.documents(batch_id)
    analyses = [d.analysis for d in docs]
    tables = export_tables(analyses, show_names=False)
    with zipfile.ZipFile(io.BytesIO(to_xlsx(tables))) as workbook:
        xlsx = " ".join(html.unescape(workbook.read(n).decode("utf-8")) for n in workbook.namelist())
    queue = store.review_queue(batch_id=batch_id)
    for n, item in enumerate(queue):
        store.record_decision(unit_id=item.unit_id, reviewer="rev", kind=DecisionKind.accepted,
                              key=f"{batch_id}-{n}")
    return {
        "batch name": store.batch(batch_id).name,
        "ids": " ".join(d.external_id for d in docs),
        "shown text": " ".join(d.shown_text for d in docs),
        "analysis JSON": " ".join(a.model_dump_json() for a in analyses),
        "shortlist": shortlist_frame(analyses, show_names=False).to_csv(),
        "CSV exports": " ".join(to_csv(t).decode("utf-8-sig") for t in tables.values()),
        "XLSX": xlsx,
        "Markdown reports": " ".join(analysis_to_markdown(a, framework) for a in analyses),
        "review queue": " ".join(f"{i.document} {i.before} {i.text} {i.after}" for i in queue),
        "corrections CSV": store.corrections_csv(FRAMEWORK, batch_id=batch_id),
    }


def test_no_reviewer_surface_of_a_blind_batch_carries_a_name(store: Store) -> None:
    framework = get_framework(FRAMEWORK)
    table_docs, table_problems = documents_from_table(TABLE, id_column="ref", text_column="statement",
                                                      name_column=None, source="batch.csv")
    names, hints = screening.identifying_columns(TABLE, id_column="ref", text_column="statement", name_column=None)
    file_docs, file_problems = screening.read_uploads(FILES)
    assert not table_problems and [str(p).split(":")[0] for p in file_problems] == ["Ann_Other.pdf"]
    batches = [
        screening.screen(store, FakeAnalyzer(framework), table_docs, role=framework.roles[0], blind=True,
                         name=screening.default_batch_name(["batch.csv"], blind=True), names=names, hints=hints),
        screening.screen(store, FakeAnalyzer(framework), file_docs, role=framework.roles[0], blind=True,
                         name=screening.default_batch_name([f for f, _ in FILES], blind=True)),
    ]
    for batch_id in batches:
        for surface, text in _surfaces(store, batch_id).items():
            for name in NAMES:
                assert not name_traces(name, text), (surface, name, name_traces(name, text))
            for trace in ("example.com", "linkedin", "Mahajan_P", "zoe.bronte", "_statement"):
                assert trace not in text, (surface, trace)
    identities = {(d.original_id, d.source) for b in batches for d in store.documents(b)}  # kept, never shown
    assert "Mahajan_P" in {original for original, _ in identities}
    assert "Jo_Bloggs_statement.txt" in {source for _, source in identities}


# -- uploads: one bad file stops nothing (reliability review, D03 on the Screen page) -----------------------------


def test_a_file_whose_reader_fails_unexpectedly_is_reported_and_the_rest_kept(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    real = screening.documents_from_files

    def flaky(files: list[tuple[str, bytes]]) -> tuple[list[Document], list[InputError]]:
        if files[0][0] == "boom.docx":
            raise RecursionError("maximum recursion depth exceeded in /srv/secret/reader.py")
        return real(files)

    monkeypatch.setattr(screening, "documents_from_files", flaky)
    with caplog.at_level(logging.ERROR):
        docs, problems = screening.read_uploads([("a.txt", b"I led the team."), ("boom.docx", b"PK"),
                                                 ("b.txt", b"I ran groups.")])
    assert [d.id for d in docs] == ["a", "b"]
    [problem] = problems
    assert str(problem).startswith("boom.docx: ") and "secret" not in str(problem)
    assert any("boom.docx" in r.getMessage() and r.exc_info for r in caplog.records)  # details: the server log


def test_unreadable_empty_and_same_named_files_are_each_reported() -> None:
    docs, problems = screening.read_uploads([("a.txt", b"I led the team."), ("broken.pdf", b"%PDF-1.4 junk"),
                                             ("empty.txt", b"   "), ("a.md", b"I ran groups."),
                                             ("ok.txt", b"I trained volunteers.")])
    assert [d.id for d in docs] == ["a", "ok"]
    assert [str(p).split(":")[0] for p in problems] == ["broken.pdf", "empty.txt", "a.md"]
    assert "same id 'a'" in str(problems[2])


def test_table_rows_without_text_are_reported_and_the_rest_kept() -> None:
    frame = pd.DataFrame({"id": ["A1", "A2", "A3"], "text": ["I led the team.", "  ", "I ran groups."]})
    docs, problems = documents_from_table(frame, id_column="id", text_column="text", source="batch.csv")
    assert [d.id for d in docs] == ["A1", "A3"] and "batch.csv:3 (A2)" in str(problems[0])


def test_an_unreadable_table_is_an_input_error_naming_the_upload(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match=r"^batch\.xlsx: "):
        screening.read_upload_table("batch.xlsx", b"PK\x03\x04 not a workbook")

    def broken(data: bytes, *, filename: str) -> pd.DataFrame:
        raise KeyError("sheet1.xml")

    monkeypatch.setattr(screening, "read_frame", broken)
    with pytest.raises(InputError, match=r"^batch\.csv: the table could not be read") as raised:
        screening.read_upload_table("batch.csv", b"id,text\n")
    assert "sheet1" not in str(raised.value)


def test_identifying_columns_skip_cells_that_are_text_not_names() -> None:
    frame = pd.DataFrame({"id": ["A1"], "text": ["I led."], "First name": ["Jo"], "Surname": ["Bloggs"],
                          "email": ["jo@x.org"], "Candidate statement 2": ["I also ran a very long programme here."]})
    names, hints = screening.identifying_columns(frame, id_column="id", text_column="text", name_column=None)
    assert names == {"A1": ["Jo", "Bloggs"]} and hints == {"A1": ["jo@x.org"]}
