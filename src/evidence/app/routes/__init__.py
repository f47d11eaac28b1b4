"""The app's pages: Streamlit scripts that ``main.py`` runs through ``st.navigation``, never imported."""
