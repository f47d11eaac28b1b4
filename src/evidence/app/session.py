"""The app's Streamlit state, and the only module with Streamlit caches and session state: the store and analyzers
opened once per server, the review queue's active-learning scores, the signed-in user (password or single sign-on),
page access and the page registry."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from evidence import review
from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.learning.registry import promoted_version
from evidence.reporting.pdf import pdf_report
from evidence.services.analyzers import load_analyzer
from evidence.services.auth import Permission, User, UserRole, user_role
from evidence.store import QueueItem, Store, default_url

ANALYZERS_KEPT = 4  # analyzers held per server: each holds a framework's index (a few MB); four cover a session
ACTIVE_LEARNING_REFRESH = 25  # recompute active-learning scores after this many more decisions
REVIEW_QUEUE_LIMIT = 25  # cards fetched per page run: the page shows one, and says "25+" when more wait
PDFS_KEPT = 8  # My evidence PDFs kept per server, so re-running the page does not redraw the same report


# -- shared resources ----------------------------------------------------------------------------


@st.cache_resource(show_spinner="Opening the store…")
def _cached_store(url: str) -> Store:
    return Store.open(url)


def cached_store() -> Store:
    """The store for the current EVIDENCE_DATABASE_URL / EVIDENCE_HOME, opened once per server."""
    return _cached_store(default_url())


@st.cache_resource(show_spinner="Loading the language model and indexing the framework (first time only)…",
                   max_entries=ANALYZERS_KEPT)
def _cached_analyzer(framework_id: str, content_hash: str, model_version: str, _framework: Framework) -> Analyzer:
    return load_analyzer(_framework, model_version)


def cached_analyzer(framework: Framework) -> Analyzer:
    """The analyzer for this framework's content and the model version in use, loaded once per server.

    The model takes a few seconds to load. Keying on the promoted version means a promotion (from the
    review page or the CLI) takes effect on the next page run, without restarting the server.
    """
    return _cached_analyzer(framework.id, framework.content_hash, promoted_version(framework.id), framework)


@st.cache_data(show_spinner=False, max_entries=PDFS_KEPT)
def cached_pdf_report(markdown_text: str, *, title: str) -> bytes:
    """:func:`evidence.reporting.pdf.pdf_report`, drawn once per report text."""
    return pdf_report(markdown_text, title=title)


@st.cache_data(show_spinner="Ordering the queue by what the model would learn most from…", max_entries=16)
def _active_learning_scores(batch_id: int, model_key: str, bucket: int, _store: Store, _analyzer: Analyzer,
                            framework_id: str) -> dict[int, float]:
    items = _store.suggested_units(batch_id=batch_id)
    return review.priority_scores(_analyzer, items, review.labelled_counts(_store, framework_id),
                                  review.labelled_texts(_store, framework_id))


def review_queue(store: Store, framework: Framework, *, batch_id: int, reviewer: str, reviews_needed: int,
                 limit: int = REVIEW_QUEUE_LIMIT) -> list[QueueItem]:
    """The review queue in active-learning order (the least certain first where there is no score yet).

    Scores are computed once per batch and model version and refreshed every
    :data:`ACTIVE_LEARNING_REFRESH` decisions, so a reviewer's next card comes without delay.
    """
    queue = review.review_queue(store, batch_id=batch_id, reviewer=reviewer, reviews_needed=reviews_needed)
    if not queue:
        return []
    analyzer = cached_analyzer(framework)
    decided, _ = store.progress(batch_id=batch_id)
    scores = _active_learning_scores(batch_id, f"{framework.id}:{analyzer.model_version}",
                                     decided // ACTIVE_LEARNING_REFRESH, store, analyzer, framework.id)
    return review.order_by_scores(queue, scores)[:limit]


# -- the signed-in user --------------------------------------------------------------------------


def current_user() -> User | None:
    """The signed-in :class:`~evidence.services.auth.User`, or None."""
    found = st.session_state.get("user")
    if isinstance(found, dict):
        return User(found["name"], UserRole(found["role"]))
    return _sso_user()


def oidc_configured() -> bool:
    """Whether Streamlit's st.login (OIDC) is configured: an [auth] section in .streamlit/secrets.toml."""
    try:
        return hasattr(st, "login") and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file, or streamlit without secrets support
        return False


def _sso_user() -> User | None:
    """A user signed in through st.login whose e-mail the users file gives a role."""
    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
    except Exception:  # noqa: BLE001 - st.user without an identity provider
        return None
    role = user_role(email) if email else None
    if role is None:
        return None
    user = User(email, role)
    set_user(user)
    return user


def set_user(user: User) -> None:
    """Remember ``user`` as signed in for this browser session."""
    st.session_state["user"] = {"name": user.name, "role": user.role.value}


def sign_out() -> None:
    """Forget everything this browser session held, the user included."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def require(permission: Permission) -> User:
    """The signed-in user when they have ``permission``; otherwise explain and stop the page."""
    user = current_user()
    if user is None:
        st.warning("Please sign in to see this page.")
        st.stop()
    if not user.can(permission):
        st.error(f"Your role ({user.role.value}) cannot use this page. Ask an admin for access.")
        st.stop()
    return user


# -- pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    """A page in the menu: its script under ``pages/``, title, icon and the permission that opens it."""

    file: str
    title: str
    icon: str
    permission: Permission


PAGES = (
    PageSpec("screen.py", "Screen applicants", ":material/group_search:", Permission.screen),
    PageSpec("review.py", "Review suggestions", ":material/fact_check:", Permission.review),
    PageSpec("my_evidence.py", "My evidence", ":material/insights:", Permission.my_evidence),
    PageSpec("frameworks.py", "Frameworks", ":material/account_tree:", Permission.browse_frameworks),
)
SIGN_IN_PAGE = "sign_in.py"


def pages_for(user: User | None) -> list[PageSpec]:
    """The pages a user's role may open, in menu order."""
    return [p for p in PAGES if user is not None and user.can(p.permission)]
