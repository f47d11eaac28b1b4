"""The evidence web app: `streamlit run app.py` (or `evidence demo`).

A thin shell: it signs people in, then offers only the pages their role may use. Each page lives in
``pages/`` and calls the library (:mod:`evidence.app_support`, :mod:`evidence.review`,
:mod:`evidence.store`); none holds business logic.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from evidence import app_support as ui

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="evidence · competency evidence", page_icon=":material/fact_check:", layout="wide")

user = ui.current_user()
if user is None:
    navigation = st.navigation([st.Page(HERE / "pages" / "sign_in.py", title="Sign in", icon=":material/login:")],
                               position="hidden")
else:
    pages = [st.Page(HERE / "pages" / spec.file, title=spec.title, icon=spec.icon, default=i == 0)
             for i, spec in enumerate(ui.pages_for(user))]
    with st.sidebar:
        st.markdown(f"**{user.name}**  \n:gray[signed in as {user.role.value}]")
        if st.button("Sign out", icon=":material/logout:", key="sign-out"):
            ui.sign_out()
            st.rerun()
    navigation = st.navigation(pages)
navigation.run()
