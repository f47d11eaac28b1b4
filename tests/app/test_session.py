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


# -- sign-ins: a token per sign-in, bound to the browser -----------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_every_sign_in_gets_a_new_token_that_sign_out_ends() -> None:
    sign_ins = session.SignIns(clock=Clock())
    user = User("alex", UserRole.admin)
    first = sign_ins.start(user, "browser", must_change=False)
    second = sign_ins.start(user, "browser", must_change=False)
    assert first != second and len(first) >= 40
    assert sign_ins.check(first, "browser").name == "alex"
    sign_ins.end(first)
    assert sign_ins.check(first, "browser") is None and sign_ins.check(second, "browser") is not None


def test_a_token_presented_by_another_browser_is_ended() -> None:
    sign_ins = session.SignIns(clock=Clock())
    token = sign_ins.start(User("alex", UserRole.admin), "browser-a", must_change=False)
    assert sign_ins.check(token, "intruder") is None
    assert sign_ins.check(token, "browser-a") is None  # ended for good, not only refused once


def test_an_idle_or_old_sign_in_expires() -> None:
    clock = Clock()
    sign_ins = session.SignIns(clock=clock)
    token = sign_ins.start(User("alex", UserRole.admin), "b", must_change=False)
    for _ in range(14):  # used every 55 minutes: never idle, but past the working day
        clock.now += session.SIGN_IN_IDLE_SECONDS - 300
        alive = sign_ins.check(token, "b") is not None
    assert not alive
    idle = sign_ins.start(User("sam", UserRole.reviewer), "b", must_change=False)
    clock.now += session.SIGN_IN_IDLE_SECONDS
    assert sign_ins.check(idle, "b") is None
