"""The app's Streamlit state, and the only module with Streamlit caches and session state: the store and analyzers
opened once per server, the review queue's active-learning scores, the signed-in user (password or single sign-on,
held as a server-side token bound to the browser: see "the signed-in user" below), page access and the page
registry."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

import streamlit as st

from evidence import review
from evidence.domain import Framework
from evidence.engine.analyzer import Analyzer
from evidence.learning.registry import promoted_version
from evidence.reporting.pdf import pdf_report
from evidence.services.analyzers import load_analyzer
from evidence.services.auth import Permission, User, UserRole, user_role
from evidence.store import AuditAction, QueueItem, QueueOrder, Store, default_url, shared_store

logger = logging.getLogger(__name__)

ANALYZERS_KEPT = 4  # analyzers held per server: each holds a framework's index (a few MB); four cover a session
REVIEW_QUEUE_LIMIT = 25  # cards fetched per page run: the page shows one, and says "25+" when more wait
PDFS_KEPT = 8  # My evidence PDFs kept per server, so re-running the page does not redraw the same report


# -- shared resources ----------------------------------------------------------------------------


@st.cache_resource(show_spinner="Opening the store…")
def _cached_store(url: str) -> Store:
    # the process's one store, shared with the sign-in and promotion audit (evidence.store.shared_store): a second
    # Store.open of the same SQLite file in this process dropped this store's file locks (store.database._owner_only
    # opens and closes the file), so another process closing its store deleted the WAL this server still wrote to,
    # and every decision after that was lost at the next restart (tests/e2e, 2026-12-08)
    return shared_store(url)


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


def review_queue(store: Store, *, batch_id: int, reviewer: str, reviews_needed: int,
                 limit: int | None = REVIEW_QUEUE_LIMIT, first: int | None = None,
                 arrange: QueueOrder | None = None) -> list[QueueItem]:
    """The reviewer's queue in the order stored when the batch was screened (active learning; the least certain
    first for a batch without one), its first card claimed for them so no other reviewer is handed it.

    Nothing here loads a model: the order was computed at screening (services.screening.order_for_review), where
    the walkthrough's reviewer waited 13-30 s for the page to load the model and score the queue. ``first``: a unit
    to show first when it is waiting (the sentence an undo just put back). ``arrange``: the reviewer's filter and
    sort, applied after the stored order (it may leave sentences out). ``limit`` None: the whole queue."""
    order = review.stored_order_from(first)
    if arrange is not None:
        order = _then(order, arrange)
    card = review.next_unit(store, reviewer=reviewer, batch_id=batch_id, reviews_needed=reviews_needed, order=order)
    if card is None:
        return []
    rest = review.review_queue(store, batch_id=batch_id, reviewer=reviewer, reviews_needed=reviews_needed,
                               order=order, limit=limit)
    queue = [card, *(item for item in rest if item.unit_id != card.unit_id)]
    return queue[:limit] if limit else queue


def _then(first: QueueOrder, second: QueueOrder) -> QueueOrder:
    return lambda items: second(first(items))


@st.cache_data(show_spinner=False, max_entries=8)
def _statements(url: str, batch_id: int) -> dict[int, tuple[str, str]]:
    # a batch's statements never change once screened
    return {d.id: (d.external_id, d.shown_text) for d in _cached_store(url).documents(batch_id)}


def statements(batch_id: int) -> dict[int, tuple[str, str]]:
    """A batch's statements as reviewers see them, by document id: (applicant id, text), a blind batch's under
    its pseudonym and redacted; read once per server, so a review card shows its whole statement at once."""
    return _statements(default_url(), batch_id)


# -- the signed-in user --------------------------------------------------------------------------
#
# Streamlit gives each browser tab a session id when its websocket connects and offers no way to
# change it; a client that presents a live session id when it connects is attached to that session
# (Streamlit checks only st.login's identity). So the sign-in is not the session id: it is a random
# token (SignIns) made at every sign-in, ended at sign-out, idle after SIGN_IN_IDLE_SECONDS, and bound
# to the browser's XSRF cookie as seen at sign-in. A client that takes over the session id without
# that cookie fails the check on its first rerun and is signed out. With server.enableXsrfProtection
# off there is no such cookie and only the token's expiry and sign-out apply; serve over TLS either way.

#
# A reload opens a new Streamlit session, so the token is also kept in a cookie (SIGN_IN_COOKIE, SameSite=Strict,
# Secure over TLS, expiring with the sign-in): a new session that presents a live token from the browser it was
# bound to is signed in again. Sign-out ends the token on the server, so a copied cookie is worth nothing after
# it, and from another browser it fails the binding check at once.

SIGN_IN_IDLE_SECONDS = 3600  # a sign-in unused for an hour ends; a reviewer's every click renews it
SIGN_IN_MAX_SECONDS = 12 * 3600  # and none outlives a working day
TOKEN_KEY = "sign_in_token"
XSRF_COOKIE = "_streamlit_xsrf"  # set by Streamlit on the page load that opens the websocket
SIGN_IN_COOKIE = "evidence_sign_in"
COOKIE_KEY = "sign_in_cookie"  # session state: the cookie to write (a token) or clear ("") on the next run
OPTIONAL_CHANGE_KEY = "password_change_optional"  # session state: the user asked to change a weak password


@dataclass
class Grant:
    """One live sign-in: who, bound to which browser, whether the password must change first, and whether it
    is a demo or common one (``weak``: the app asks for a change)."""

    name: str
    role: UserRole
    binding: str
    must_change: bool
    started: float
    seen: float
    weak: bool = False


class SignIns:
    """The live sign-ins of this server by token (thread-safe; the app's module stays imported across reruns)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}

    def _live(self, grant: Grant, now: float) -> bool:
        return now - grant.seen < SIGN_IN_IDLE_SECONDS and now - grant.started < SIGN_IN_MAX_SECONDS

    def start(self, user: User, binding: str, *, must_change: bool, weak: bool = False) -> str:
        now, token = self._clock(), secrets.token_urlsafe(32)
        with self._lock:
            self._grants = {t: g for t, g in self._grants.items() if self._live(g, now)}
            self._grants[token] = Grant(user.name, user.role, binding, must_change, now, now, weak)
        return token

    def check(self, token: str, binding: str) -> Grant | None:
        """The live grant for ``token`` presented by the browser ``binding`` (which renews it), else None."""
        now = self._clock()
        with self._lock:
            grant = self._grants.get(token)
            if grant is None or not self._live(grant, now) or not hmac.compare_digest(grant.binding, binding):
                self._grants.pop(token, None)
                return None
            grant.seen = now
            return grant

    def end(self, token: str) -> None:
        with self._lock:
            self._grants.pop(token, None)


SIGN_INS = SignIns()


def _client_binding() -> str:
    """A digest of the browser's XSRF token as this connection presented it ('' without one)."""
    raw = _cookie(XSRF_COOKIE)
    value = raw.encode()
    if raw:
        try:  # the cookie's mask changes on every page load; the token inside it does not
            from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

            value = decode_xsrf_token_string(raw)[0] or value
        except ImportError:  # another Streamlit server: the raw cookie still binds the connection
            pass
    return hashlib.sha256(value).hexdigest()


def client_address() -> str | None:
    """The client's IP address for sign-in back-off (None on localhost)."""
    with suppress(Exception):
        address = st.context.ip_address
        return address if isinstance(address, str) else None
    return None


def _cookie(name: str) -> str:
    """A cookie of the browser as this connection presented it ('' without one)."""
    with suppress(Exception):  # outside a script run, or a Streamlit without st.context.cookies
        found = st.context.cookies.get(name)
        return found if isinstance(found, str) else ""  # (streamlit.testing has a stand-in client here)
    return ""


def _resume() -> Grant | None:
    """The sign-in this browser's cookie carries, taken up by this new session (after a reload or a new tab)."""
    token = _cookie(SIGN_IN_COOKIE)
    grant = SIGN_INS.check(token, _client_binding()) if token else None
    if grant is None:
        if token:  # expired or signed out: nothing to resume, and nothing to keep in the browser
            st.session_state[COOKIE_KEY] = ""
        return None
    st.session_state[TOKEN_KEY] = token
    st.session_state["user"] = {"name": grant.name, "role": grant.role.value}
    return grant


def _grant() -> Grant | None:
    """This session's live sign-in; a stale, revoked or taken-over one is ended here."""
    found, token = st.session_state.get("user"), st.session_state.get(TOKEN_KEY)
    if found is None and token is None:
        return _resume()
    grant = SIGN_INS.check(token, _client_binding()) if isinstance(token, str) else None
    if grant is None or not isinstance(found, dict) or found.get("name") != grant.name:
        logger.warning("ended a sign-in that had expired, was signed out, or came from another browser (%r)",
                       found.get("name") if isinstance(found, dict) else None)
        sign_out()
        return None
    return grant


def current_user() -> User | None:
    """The signed-in :class:`~evidence.services.auth.User` (None until a required password change is done)."""
    grant = _grant()
    if grant is None:
        return _sso_user() if TOKEN_KEY not in st.session_state else None
    return None if grant.must_change else User(grant.name, grant.role)


def password_change_pending() -> User | None:
    """The user signed in with a demo or common password, who must choose a new one before any page."""
    grant = _grant()
    return User(grant.name, grant.role) if grant is not None and grant.must_change else None


def weak_password() -> bool:
    """Whether the signed-in user signed in with a demo or common password (the sidebar asks for a change)."""
    grant = _grant()
    return grant is not None and grant.weak


def ask_password_change() -> None:
    """Show the change form now, for a user who chose to change a demo or common password."""
    grant = _grant()
    if grant is not None:
        set_user(User(grant.name, grant.role), must_change=True, weak_password=True)
        st.session_state[OPTIONAL_CHANGE_KEY] = True


def password_change_optional() -> bool:
    """Whether the change form on show was asked for by the user (who may go back), not required at sign-in."""
    return bool(st.session_state.get(OPTIONAL_CHANGE_KEY))


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


def set_user(user: User, *, must_change: bool = False, weak_password: bool = False) -> None:
    """Sign ``user`` in for this browser session with a new token; nothing from before carries over."""
    sign_out()
    token = SIGN_INS.start(user, _client_binding(), must_change=must_change, weak=weak_password)
    st.session_state[TOKEN_KEY] = token
    st.session_state["user"] = {"name": user.name, "role": user.role.value}
    st.session_state[COOKIE_KEY] = token


def sign_out() -> None:
    """End this session's sign-in, forget everything it held, and have the browser drop its cookie."""
    token = st.session_state.get(TOKEN_KEY)
    if isinstance(token, str):
        SIGN_INS.end(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_KEY] = ""


def write_cookie() -> None:
    """Write (after a sign-in) or clear (after a sign-out) the browser's sign-in cookie, once; every page run
    calls it. The script runs in the page itself (st.html), so the cookie is the app's own."""
    value = st.session_state.pop(COOKIE_KEY, None)
    token = st.session_state.get(TOKEN_KEY)
    if value is None and isinstance(token, str) and _cookie(SIGN_IN_COOKIE) != token:
        value = token  # written again on each run until the browser presents it: a script can be cut short
    if value is None:
        return
    age = SIGN_IN_MAX_SECONDS if value else 0
    st.html(f"""<script>document.cookie = "{SIGN_IN_COOKIE}={value}; path=/; max-age={age}; SameSite=Strict"
            + (location.protocol === "https:" ? "; Secure" : "");</script>""", unsafe_allow_javascript=True)


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
    """A page in the menu: its script under ``routes/``, title, icon and the permission that opens it."""

    file: str
    title: str
    icon: str
    permission: Permission

    @property
    def url_path(self) -> str:
        """The page's address under the app (``/review``), as Streamlit derives it from the file name."""
        return self.file.removesuffix(".py")


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


def export_recorder(store: Store, user: User, subject: str, what: str) -> Callable[[], None]:
    """A download button's ``on_click``: a download is an export, which the audit trail records (AI Act Art. 12)."""
    return lambda: store.audit(actor=user.name, action=AuditAction.export, subject=subject, payload={"export": what})
