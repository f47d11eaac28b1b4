"""The sign-in page (streamlit.testing AppTest): back-off, demo accounts and their forced password change,
and a sign-in that another browser cannot take over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from evidence.app import session
from evidence.app.serve import app_path
from evidence.services import auth, demo, throttle
from tests.factories import FakeAnalyzer, add_app_users, cheap_hashing

APP = str(app_path())
TIMEOUT = 60


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(session, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    cheap_hashing(monkeypatch)
    yield tmp_path / "home"
    auth.THROTTLE.reset()


def sign_in(name: str, password: str, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="sign-in-name").input(name)
    at.text_input(key="sign-in-password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def info_text(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_the_app_creates_no_users(home: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception and at.text_input(key="sign-in-name") is not None
    assert not (home / "users.json").exists() and "Demo accounts" not in info_text(at)


def test_a_demo_password_must_be_changed_before_any_page(home: Path) -> None:
    demo.create_demo_users()
    first = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "admin-demo" in info_text(first) and "recruiter-demo" in info_text(first)
    at = sign_in("admin", "admin-demo", first)
    assert [s.value for s in at.subheader] == ["Choose a new password"]
    assert at.session_state["user"]["name"] == "admin"
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no page has a route meanwhile
        at.switch_page("routes/screen.py")
    at.switch_page("routes/sign_in.py").run()
    at.text_input(key="change-current").input("admin-demo")
    at.text_input(key="change-new").input("1qaz2wsx3edc4rfv")
    at.text_input(key="change-again").input("1qaz2wsx3edc4rfv")
    click(at, "Change password")
    assert "one of the 30,000 most common passwords" in at.error[0].value
    at.text_input(key="change-current").input("admin-demo")
    at.text_input(key="change-new").input("the admin's own passphrase")
    at.text_input(key="change-again").input("the admin's own passphrase")
    click(at, "Change password")
    assert not at.exception, at.exception
    at.switch_page("routes/screen.py").run()
    assert at.title[0].value == "Screen applicants"
    again = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # the banner no longer lists admin
    assert "admin-demo" not in info_text(again) and "reviewer-demo" in info_text(again)
    later = sign_in("admin", "the admin's own passphrase")
    assert not [h for h in later.subheader if h.value.startswith("Choose")]
    assert [t.value for t in later.title] == ["Screen applicants"]


def test_repeated_wrong_passwords_are_throttled(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passwords = add_app_users(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for _ in range(throttle.FREE_USER_FAILURES):
        sign_in("recruiter", "not the password", at)
        assert "do not match" in at.error[0].value
    sign_in("recruiter", passwords["recruiter"], at)  # the fourth attempt waits, right password or not
    assert "Too many failed sign-ins: wait 1 seconds" in at.error[0].value
    assert "user" not in at.session_state


def test_a_sign_in_taken_over_by_another_browser_is_ended(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passwords = add_app_users(monkeypatch)
    monkeypatch.setattr(session, "_client_binding", lambda: "browser-a")
    at = sign_in("admin", passwords["admin"])
    token = at.session_state[session.TOKEN_KEY]
    at.switch_page("routes/screen.py").run()
    assert at.title[0].value == "Screen applicants"
    # A client that presents this session's id without browser A's cookie (D20)
    monkeypatch.setattr(session, "_client_binding", lambda: "no-cookie")
    at.run()  # the page's address now leads to the sign-in form
    assert at.text_input(key="sign-in-name") is not None and "user" not in at.session_state
    assert not [t for t in at.title if t.value == "Screen applicants"]
    monkeypatch.setattr(session, "_client_binding", lambda: "browser-a")
    assert session.SIGN_INS.check(token, "browser-a") is None  # browser A signs in again


def test_each_sign_in_rotates_the_token(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passwords = add_app_users(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[session.TOKEN_KEY] = "planted-before-sign-in"  # whatever the session held before
    at.session_state["user"] = {"name": "reviewer", "role": "admin"}
    at.run()
    assert "user" not in at.session_state  # a user without a live token is no one
    sign_in("reviewer", passwords["reviewer"], at)
    first = at.session_state[session.TOKEN_KEY]
    assert first != "planted-before-sign-in" and at.session_state["user"] == {"name": "reviewer", "role": "reviewer"}
    again = sign_in("reviewer", passwords["reviewer"])
    assert again.session_state[session.TOKEN_KEY] != first
