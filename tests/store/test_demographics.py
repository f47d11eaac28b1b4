"""Demographics in the store: a round trip on each backend, replacement, the checks, and the migration's table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from evidence.store import AuditAction, Store, StoreError
from evidence.store.migrations import alembic_config


def test_demographics_round_trip_in_column_order_with_blanks(store: Store, batch_id: int) -> None:
    assert store.demographics(batch_id) is None
    saved = store.save_demographics(batch_id, categories=["sex", "ethnicity"],
                                    values={"C1": ["female", ""], " C2 ": ["male", "asian"], "C3": ["", ""]},
                                    by="admin")
    read = store.demographics(batch_id)
    assert read is not None
    assert read.categories == ("sex", "ethnicity")
    assert read.values == {"C1": ("female", ""), "C2": ("male", "asian"), "C3": ("", "")}
    assert read.uploaded_by == "admin" and read.applicants == 3
    assert read.uploaded_at.tzinfo is not None and saved.values == read.values
    assert read.table() == [{"id": "C1", "sex": "female", "ethnicity": ""},
                            {"id": "C2", "sex": "male", "ethnicity": "asian"},
                            {"id": "C3", "sex": "", "ethnicity": ""}]


def test_a_new_upload_replaces_the_old_and_other_batches_keep_theirs(store: Store, batch_id: int,
                                                                      save_small) -> None:  # noqa: ANN001
    other = save_small(store)
    store.save_demographics(other, categories=["age band"], values={"X": ["40-49"]}, by="admin")
    store.save_demographics(batch_id, categories=["sex", "ethnicity"], values={"C1": ["female", "white"]}, by="a")
    store.save_demographics(batch_id, categories=["disability"], values={"C9": ["yes"], "C8": [""]}, by="b")
    read = store.demographics(batch_id)
    assert read is not None and read.categories == ("disability",)
    assert read.values == {"C9": ("yes",), "C8": ("",)} and read.uploaded_by == "b"
    assert store.demographics(other).values == {"X": ("40-49",)}  # type: ignore[union-attr]
    assert store.delete_demographics(batch_id, by="admin") == 2
    assert store.demographics(batch_id) is None and store.demographics(other) is not None
    trail = [(r.actor, r.subject, r.payload) for r in store.audit_records(action=AuditAction.demographics)]
    assert trail == [("admin", f"batch:{other}", {"uploaded": 1, "categories": ["age band"]}),
                     ("a", f"batch:{batch_id}", {"uploaded": 1, "categories": ["sex", "ethnicity"]}),
                     ("b", f"batch:{batch_id}", {"uploaded": 2, "categories": ["disability"]}),
                     ("admin", f"batch:{batch_id}", {"removed": 2})]  # counts and category names, never values


def test_every_problem_is_reported_and_nothing_saved(store: Store, batch_id: int) -> None:
    with pytest.raises(StoreError) as caught:
        store.save_demographics(batch_id, categories=["sex", "sex", ""],
                                values={"": ["a", "b", "c"], "C1": ["x"], "C2": ["y" * 301, "", ""]}, by="admin")
    message = str(caught.value)
    for expected in ("named twice: sex", "needs a name", "1 to 300 characters", "has 1 values for 3",
                     "over 300 characters"):
        assert expected in message
    assert store.demographics(batch_id) is None
    with pytest.raises(StoreError, match="no batch with id 999"):
        store.save_demographics(999, categories=["sex"], values={"C1": ["f"]}, by="admin")


def test_the_table_stands_apart_from_the_statements(store: Store) -> None:
    columns = {c["name"] for c in inspect(store.engine).get_columns("demographics")}
    assert columns == {"id", "batch_id", "applicant_id", "position", "category", "value", "uploaded_by",
                       "uploaded_at"}
    for table in ("documents", "units", "suggestions", "decisions"):  # nothing about a person's groups there
        assert not {"category", "value"} & {c["name"] for c in inspect(store.engine).get_columns(table)}


def test_downgrading_past_0006_drops_the_table(store: Store) -> None:
    config = alembic_config(store.url)
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    assert "demographics" not in inspect(store.engine).get_table_names()
    store.upgrade("head")
    assert "demographics" in inspect(store.engine).get_table_names()


def test_only_the_admins_audit_reads_demographics() -> None:
    """Never read by the model nor shown to assessors: besides the store, only the adverse-impact report (the review
    layer's impact module, the admins' Fairness page and `evidence fairness`) touches the table or its reader."""
    package = Path(__file__).resolve().parents[2] / "src" / "evidence"
    readers = re.compile(r"\.demographics\(|DemographicRow|demographics_frame|review\.impact\b|import impact\b")
    found = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if readers.search(p.read_text()))
    assert found == ["app/routes/fairness.py", "cli/fairness.py", "review/impact.py", "store/demographics.py"]
