"""Sign in (user name and password from the users file, or single sign-on), and the password change it may require.

A sign-in with a demo account or a common password opens no page: this script then shows the change form
until the user has chosen a password that meets the policy (evidence.services.auth.password_problem).
"""

from __future__ import annotations

import streamlit as st

from evidence.app import session
from evidence.services.auth import MAX_PASSWORD, MIN_PASSWORD, AuthError, Throttled, User, change_password, sign_in
from evidence.services.demo import demo_accounts

NAME_CHARS = 120  # evidence.services.auth.USERNAME allows no longer


def _sign_in_form() -> None:
    with st.form("sign-in", border=True):
        st.subheader("Sign in")
        name = st.text_input("User name", key="sign-in-name", autocomplete="username", max_chars=NAME_CHARS)
        password = st.text_input("Password", type="password", key="sign-in-password", max_chars=MAX_PASSWORD,
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
    if submitted:
        try:
            done = sign_in(name, password, client=session.client_address())
        except Throttled as exc:
            st.error(f"Too many failed sign-ins: wait {max(1, round(exc.retry_after))} seconds and try again, "
                     "or ask an admin to reset your password.")
            done = None
        except AuthError as exc:
            st.error(str(exc))
            done = None
        else:
            if done is None:
                st.error("That user name and password do not match. Check them, or ask an admin to run "
                         "`evidence users add NAME --role ROLE`.")
        if done is not None:
            session.set_user(done.user, must_change=done.must_change, weak_password=done.weak_password)
            st.rerun()
    if session.oidc_configured() and st.button("Sign in with single sign-on", width="stretch"):
        st.login()
    try:
        demo = demo_accounts()
    except AuthError:
        demo = {}
    if demo:  # only accounts `evidence demo` made whose published password has not been changed yet
        st.info("Demo accounts (you will be asked to change the password when you sign in):  \n"
                + "  \n".join(f"**{n}** / `{p}` ({r.value})" for n, (r, p) in demo.items()),
                icon=":material/key:")


def _change_form(user: User) -> None:
    st.subheader("Choose a new password")
    st.info(f"**{user.name}**, you signed in with a demo or commonly used password. Choose a new one before "
            f"going on: at least {MIN_PASSWORD} characters (three or four unrelated words work well), not a "
            "common password and not your user name.", icon=":material/key:")
    with st.form("change-password", border=True):
        current = st.text_input("Current password", type="password", key="change-current", max_chars=MAX_PASSWORD,
                                autocomplete="current-password")
        new = st.text_input("New password", type="password", key="change-new", max_chars=MAX_PASSWORD,
                            autocomplete="new-password")
        again = st.text_input("New password again", type="password", key="change-again", max_chars=MAX_PASSWORD,
                              autocomplete="new-password")
        submitted = st.form_submit_button("Change password", type="primary", width="stretch")
    if submitted:
        if new != again:
            st.error("The two new passwords differ: type the same new password twice.")
        else:
            try:
                change_password(user.name, current, new)
            except AuthError as exc:
                st.error(str(exc))
            else:
                session.set_user(user)  # a new token, now without the pending change
                st.rerun()
    if session.password_change_optional() and st.button("Not now", key="change-later"):
        session.set_user(user, weak_password=True)
        st.rerun()
    if st.button("Sign out", key="change-sign-out"):
        session.sign_out()
        st.rerun()


left, middle, right = st.columns([1, 1.4, 1])
with middle:
    st.title("evidence")
    st.caption("Find the competency evidence in supporting statements and appraisal narratives.")
    pending = session.password_change_pending()
    if pending is not None:
        _change_form(pending)
    else:
        _sign_in_form()
