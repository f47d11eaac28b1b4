"""Sign in: user name and password from the users file (offline), or single sign-on when configured."""

from __future__ import annotations

import streamlit as st

from evidence.app import session
from evidence.services.auth import AuthError, authenticate, demo_credentials_valid

left, middle, right = st.columns([1, 1.4, 1])
with middle:
    st.title("evidence")
    st.caption("Find the competency evidence in supporting statements and appraisal narratives.")
    with st.form("sign-in", border=True):
        st.subheader("Sign in")
        name = st.text_input("User name", key="sign-in-name", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign-in-password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
    if submitted:
        try:
            user = authenticate(name, password)
        except AuthError as exc:
            st.error(str(exc))
            user = None
        else:
            if user is None:
                st.error("That user name and password do not match. Check them, or ask an admin to run "
                         "`evidence users add NAME --role ROLE`.")
        if user is not None:
            session.set_user(user)
            st.rerun()
    if session.oidc_configured() and st.button("Sign in with single sign-on", width="stretch"):
        st.login()
    try:
        demo = demo_credentials_valid()
    except AuthError:
        demo = {}
    if demo:
        st.info("Demo accounts (change them before real use):  \n"
                + "  \n".join(f"**{n}** / `{p}` ({r.value})" for n, (r, p) in demo.items()),
                icon=":material/key:")
