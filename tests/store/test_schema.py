"""The schema: the migrations create exactly the ORM tables, and the decision log is append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from evidence.store import Store, StoreError
from evidence.store.migrations import alembic_config
from evidence.store.schema import Base, DecisionRow


def test_open_creates_the_schema_at_head_matching_the_models(store: Store) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
    tables = set(inspect(store.engine).get_table_names())
    assert {"frameworks", "batches", "documents", "units", "suggestions", "decisions"} <= tables


def test_the_decision_log_is_append_only(store: Store, units: dict[str, int]) -> None:
    record = store.record_decision(unit_id=units["I led the team through the merger."], reviewer="ann",
                                   kind="accepted", key="k")
    with Session(store.engine) as session:
        row = session.get(DecisionRow, record.id)
        assert row is not None
        row.kind = "rejected"
        with pytest.raises(StoreError, match="append-only"):
            session.flush()
        session.rollback()
        with pytest.raises(StoreError, match="append-only"):
            session.delete(session.get(DecisionRow, record.id))
            session.flush()
    for statement in ("update decisions set kind = 'rejected'", "delete from decisions"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert store.decision_log()[0].kind == "accepted"
