"""The app's Streamlit state (evidence.app.session): cached analyzers, page access, single sign-on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evidence.app import session
from evidence.domain import Framework
from evidence.frameworks.catalogue import get_framework
from evidence.services.auth import Permission, User, UserRole
from tests.factories import FRAMEWORK, FakeAnalyzer


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The (framework, model) of every analyzer the session loads, with the version in use set by ``version``."""
    calls: list[tuple[str, str]] = []

    def load(framework, model="promoted"):  # noqa: ANN001, ANN202 - stands in for services.analyzers.load_analyzer
        calls.append((framework.id, model))
        return FakeAnalyzer(framework)

    monkeypatch.setattr(session, "load_analyzer", load)
    session._cached_analyzer.clear()
    yield calls
    session._cached_analyzer.clear()


def test_an_analyzer_is_loaded_once_per_framework_and_model_version(loads: list, monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:
    framework = get_framework(FRAMEWORK)
    monkeypatch.setattr(session, "promoted_version", lambda framework_id: "v1")
    first = session.cached_analyzer(framework)
    assert session.cached_analyzer(framework) is first and loads == [(FRAMEWORK, "v1")]
    monkeypatch.setattr(session, "promoted_version", lambda framework_id: "v2")  # a promotion, no restart
    assert session.cached_analyzer(framework) is not first and loads == [(FRAMEWORK, "v1"), (FRAMEWORK, "v2")]
    edited = Framework.model_validate({**framework.model_dump(), "name": "Edited"})  # new content, same id
    session.cached_analyzer(edited)
    assert len(loads) == 3


def test_each_role_sees_its_pages() -> None:
    assert session.pages_for(None) == []
    admin = session.pages_for(User("a", UserRole.admin))
    assert [p.permission for p in admin] == [Permission.screen, Permission.review, Permission.my_evidence,
                                             Permission.browse_frameworks]
    assert [p.file for p in session.pages_for(User("r", UserRole.reviewer))] == ["review.py", "my_evidence.py",
                                                                                  "frameworks.py"]


def test_single_sign_on_is_off_without_secrets() -> None:
    assert session.oidc_configured() is False


def test_pdf_reports_are_cached() -> None:
    first = session.cached_pdf_report("# Title\n\nText.", title="T")
    assert first.startswith(b"%PDF") and session.cached_pdf_report("# Title\n\nText.", title="T") == first
