"""The evidence web app: `streamlit run src/evidence/app/main.py` (or `evidence demo`).

A thin shell: it signs people in (and makes an admin signed in with a demo or common password choose a new one
first), then offers only the pages their role may use. Each page lives in ``routes/`` beside this file and calls
the library and the helpers in :mod:`evidence.app`; none holds business logic. The folder is not ``pages/``:
Streamlit takes that name for its older multipage mode and ran ``/review`` straight from its script, past this
shell (a link to a page showed a bare "Please sign in" and no menu).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from evidence.app import assessment_views, markup, session

PAGES_DIR = Path(__file__).resolve().parent / "routes"

# the icon is a packaged file: a Material icon name made the browser fetch an SVG from fonts.gstatic.com on every
# page, which fails offline (walkthrough step 46)
FAVICON = Path(__file__).resolve().with_name("favicon.png")
st.set_page_config(page_title="evidence · competency evidence", page_icon=str(FAVICON), layout="wide")

user = session.current_user()
if user is None:  # signing in, or changing a demo or common password: no other page until that is done
    title = "Sign in" if session.password_change_pending() is None else "Change password"
    # every page's address shows the sign-in form, so a link or bookmark (/review) leads there after signing in
    navigation = st.navigation(
        [st.Page(PAGES_DIR / session.SIGN_IN_PAGE, title=title, icon=":material/login:", default=True)]
        + [st.Page(PAGES_DIR / session.SIGN_IN_PAGE, title=title, url_path=spec.url_path) for spec in session.PAGES]
        + [st.Page(PAGES_DIR / session.SIGN_IN_PAGE, title=title, url_path=spec.url_path)
           for spec in assessment_views.PAGES],  # Assessment, Moderation, Fairness: admins' (and moderators')
        position="hidden")
else:
    pages = [st.Page(PAGES_DIR / spec.file, title=spec.title, icon=spec.icon, default=i == 0)
             for i, spec in enumerate(session.pages_for(user))]
    pages += [st.Page(PAGES_DIR / spec.file, title=spec.title, icon=spec.icon)
              for spec in assessment_views.pages_for(user, session.cached_store())]
    with st.sidebar:
        st.markdown(f"**{markup.md_text(user.name)}**  \n:gray[signed in as {user.role.value}]")
        if session.weak_password():
            st.warning("You signed in with a published demo password: anyone can sign in as you. Choose your own.",
                       icon=":material/key:")
            if st.button("Change password", icon=":material/password:", key="change-password"):
                session.ask_password_change()
                st.rerun()
        if st.button("Sign out", icon=":material/logout:", key="sign-out"):
            session.sign_out()
            st.rerun()
    navigation = st.navigation(pages)
session.write_cookie()
navigation.run()
