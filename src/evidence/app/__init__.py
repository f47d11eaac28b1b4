"""The Streamlit web app (`streamlit run src/evidence/app/main.py`, or `evidence demo`): the only package that
imports streamlit.

``main.py`` signs people in and offers the pages (``routes/``) their role may use. The pages lay out widgets
and call the helpers here, which are plain Python tested without a browser: :mod:`~evidence.app.session`
(the only module with Streamlit caches and session state), :mod:`~evidence.app.tables`,
:mod:`~evidence.app.markup`, :mod:`~evidence.app.charts`, :mod:`~evidence.app.views`,
:mod:`~evidence.app.uploads`, :mod:`~evidence.app.shortcuts` and :mod:`~evidence.app.serve`.
"""
