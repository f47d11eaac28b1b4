"""Offline sign-in: a users file with salted password hashes, its password policy, sign-in back-off, and roles.

Users live in ``$EVIDENCE_HOME/users.json`` (``users.yaml`` is read too when it is the one present)::

    {"users": {"alex": {"role": "reviewer", "algorithm": "scrypt", "salt": "...", "hash": "...",
                        "n": 131072, "r": 8, "p": 1, "created_at": "..."}}}

Passwords are hashed with ``hashlib.scrypt`` at OWASP's Password Storage Cheat Sheet parameters
(N=2^17, r=8, p=1: 128 MiB, 0.6 s a hash on our 2-core machine; PBKDF2-SHA256 at 600,000 iterations
where Python lacks scrypt), salted, compared in constant time. Older records (N=2^14) still verify and
are re-hashed at the next successful sign-in. The file is changed under a lock (``users.json.lock``) and
replaced atomically by a fresh 0600 file, whatever the umask or a stale ``users.json.tmp``.

Password policy (:func:`password_problem`, after NIST SP 800-63B-4 3.1.1.2 for a single factor): at
least :data:`MIN_PASSWORD` characters; not one of zxcvbn's 30,000 common passwords nor a demo password;
not the user name with a few characters added; not only spaces; :data:`MIN_DISTINCT` different characters.
Back-off (:class:`Throttle`, in this process): after :data:`FREE_USER_FAILURES` failures for a user name
or :data:`FREE_CLIENT_FAILURES` from a client address, attempts wait 1 s, 2, 4, ... up to
:data:`MAX_DELAY_SECONDS`, refused unchecked meanwhile; a success resets the user name's count.

Roles: **recruiter** (screen batches, seeing statements; My evidence; frameworks), **reviewer** (review
suggested tags; My evidence; frameworks), **admin** (everything, with imports and retraining). A
:class:`UserRole` is what a signed-in person may do; a framework's job profile is :class:`evidence.domain.Role`.

Demo accounts (:data:`DEMO_USERS`) are created only by ``evidence demo`` (:mod:`evidence.services.demo`),
marked ``demo``; the admin's also ``must_change``. An admin signing in with a demo or common password chooses a
new one before any page opens; a recruiter or reviewer is asked to (see :class:`SignIn`).

Single sign-on through Streamlit's ``st.login`` (OIDC) is possible where ``.streamlit/secrets.toml``
has an ``[auth]`` section (the web app checks for it: :func:`evidence.app.session.oidc_configured`);
a signed-in identity still needs an entry in the users file (by e-mail) to get a role.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from filelock import FileLock, Timeout

from evidence.config import data_home, utcnow
from evidence.errors import EvidenceError
from evidence.services.throttle import THROTTLE, Throttle

if TYPE_CHECKING:
    from evidence.store import Store

logger = logging.getLogger(__name__)

USERS_FILE = "users.json"
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,119}$")
MIN_PASSWORD = 15  # NIST SP 800-63B-4 3.1.1.2: 15 characters where the password is the only factor
MAX_PASSWORD = 1024  # accepted and hashed; longer is refused before hashing (no passphrase comes near)
MIN_DISTINCT = 5  # different characters: refuses "aaaaaaaaaaaaaaa" and "abababababababab"
SCRYPT = {"n": 2**17, "r": 8, "p": 1}  # OWASP Password Storage Cheat Sheet (2025): N=2^17, r=8, p=1
SCRYPT_MAX_N = 2**20  # a record asking for more (1 GiB) is refused rather than computed
PBKDF2_ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256
LOCK_SECONDS = 30  # waiting for another `users add`: each holds the lock for one hash (~0.6 s)
FILE_MODE = 0o600



class AuthError(EvidenceError):
    """A users file or user that cannot be used as asked."""


class Throttled(AuthError):
    """A sign-in refused unchecked because of earlier failures; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed sign-ins for this user name or from this address; wait "
                         f"{max(1, round(retry_after))} s and try again, or ask an admin to reset the password")


class UserRole(str, Enum):
    """What a signed-in user may do (see :data:`PERMISSIONS`)."""

    recruiter = "recruiter"
    reviewer = "reviewer"
    admin = "admin"


class Permission(str, Enum):
    screen = "screen"  # upload and screen batches; read applicants' statements
    review = "review"  # review suggested tags; read the units of statements
    my_evidence = "my_evidence"
    browse_frameworks = "browse_frameworks"
    import_frameworks = "import_frameworks"
    retrain = "retrain"
    assess = "assess"  # set batches' assessment policy; read agreement, overall marks, demographics, adverse impact


PERMISSIONS: dict[UserRole, frozenset[Permission]] = {
    UserRole.recruiter: frozenset({Permission.screen, Permission.my_evidence, Permission.browse_frameworks}),
    UserRole.reviewer: frozenset({Permission.review, Permission.my_evidence, Permission.browse_frameworks}),
    UserRole.admin: frozenset(Permission),
}

DEMO_USERS: dict[str, tuple[UserRole, str]] = {
    "admin": (UserRole.admin, "admin-demo"),
    "recruiter": (UserRole.recruiter, "recruiter-demo"),
    "reviewer": (UserRole.reviewer, "reviewer-demo"),
}


@dataclass(frozen=True)
class User:
    """A signed-in person: a user name (an e-mail for single sign-on) and their role."""

    name: str
    role: UserRole

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in. ``must_change``: an admin with a demo or published password, who changes it before
    any page opens (an admin's account imports frameworks and puts models in use). ``weak_password``: a demo or
    published password of any role; the app asks a recruiter or reviewer to change it, without barring the way
    (a demo's recruiter and reviewer walk the app as its users would)."""

    user: User
    must_change: bool
    weak_password: bool = False


def can(role: UserRole | str | None, permission: Permission) -> bool:
    """Whether a role has a permission (no role has none)."""
    return role is not None and permission in PERMISSIONS[UserRole(role)]


def users_path() -> Path:
    """The users file in the data directory: users.json, or users.yaml/.yml when only that exists."""
    home = data_home()
    for name in (USERS_FILE, "users.yaml", "users.yml"):
        if (home / name).exists():
            return home / name
    return home / USERS_FILE


# -- hashing -------------------------------------------------------------------------------------


def _scrypt_maxmem(n: int, r: int, p: int) -> int:
    return 128 * r * (n + p + 2) + 2**20  # what OpenSSL allocates for (n, r, p), and a margin


def hash_password(password: str) -> dict[str, object]:
    """A new salted hash record for ``password``."""
    salt = secrets.token_bytes(16)
    if hasattr(hashlib, "scrypt"):
        n, r, p = SCRYPT["n"], SCRYPT["r"], SCRYPT["p"]
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_scrypt_maxmem(n, r, p),
                                dklen=32)
        return {"algorithm": "scrypt", "salt": salt.hex(), "hash": digest.hex(), "n": n, "r": r, "p": p}
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, PBKDF2_ITERATIONS)
    return {"algorithm": "pbkdf2_sha256", "salt": salt.hex(), "hash": digest.hex(), "iterations": PBKDF2_ITERATIONS}


def verify_password(password: str, record: dict[str, object]) -> bool:
    """Whether ``password`` matches a stored hash record (constant-time comparison)."""
    try:
        salt = bytes.fromhex(str(record["salt"]))
        expected = bytes.fromhex(str(record["hash"]))
        if record.get("algorithm") == "scrypt":
            n, r, p = (int(str(record[key])) for key in ("n", "r", "p"))
            if n > SCRYPT_MAX_N:
                return False
            digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                                    maxmem=_scrypt_maxmem(n, r, p), dklen=len(expected))
        elif record.get("algorithm") == "pbkdf2_sha256":
            digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, int(str(record["iterations"])),
                                         dklen=len(expected))
        else:
            return False
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


def needs_rehash(record: dict[str, object]) -> bool:
    """Whether a record was made with weaker parameters than :func:`hash_password` uses now."""
    if not hasattr(hashlib, "scrypt"):
        return record.get("algorithm") != "pbkdf2_sha256" or int(str(record.get("iterations", 0))) < PBKDF2_ITERATIONS
    if record.get("algorithm") != "scrypt":
        return True
    try:
        return any(int(str(record[key])) < SCRYPT[key] for key in ("n", "r", "p"))
    except (KeyError, ValueError):
        return True


# -- the password policy -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (lower case) that zxcvbn ships, and the published demo passwords."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # 0.06 s and 3 MB: only when a password is checked

    return frozenset(FREQUENCY_LISTS["passwords"]) | {password for _, password in DEMO_USERS.values()}


def _published(password: str) -> bool:
    """A password anyone could guess first: a demo or common password, or nothing but spaces."""
    common = common_passwords()
    return not password.strip() or password.lower() in common or password.strip().lower() in common


def password_problem(password: str, name: str = "") -> str | None:
    """What is wrong with ``password`` as a new password for ``name`` (None when it is fine)."""
    if not password.strip():
        return "the password is only spaces; choose a passphrase of a few words"
    if len(password) < MIN_PASSWORD:
        return (f"the password is too short ({len(password)} characters); use at least {MIN_PASSWORD}, "
                "for example three or four unrelated words")
    if len(password) > MAX_PASSWORD:
        return f"the password is too long ({len(password)} characters); use at most {MAX_PASSWORD}"
    if _published(password):
        return "the password is a demo password or one of the 30,000 most common passwords; choose another"
    lowered, user = password.lower(), name.strip().lower()
    if len(user) >= 3 and user in lowered and len(lowered.replace(user, "")) < MIN_PASSWORD:  # "a" is no name
        return "the password is mostly the user name; choose one that does not contain it"
    if len(set(password)) < MIN_DISTINCT:
        return f"the password repeats too few characters; use at least {MIN_DISTINCT} different ones"
    return None


def check_password(password: str, name: str = "") -> None:
    """Raise :class:`AuthError` saying what to change when ``password`` fails the policy."""
    if problem := password_problem(password, name):
        raise AuthError(problem)


# -- the users file ------------------------------------------------------------------------------


def _tighten(path: Path) -> None:
    """Make a file of ours that others may read owner-only (files made by earlier versions)."""
    with suppress(OSError):
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == getattr(os, "geteuid", lambda: -1)():
            path.chmod(FILE_MODE)
            logger.warning("%s was readable by other users; made it owner-only (0600)", path)


def load_users(path: Path | None = None) -> dict[str, dict[str, object]]:
    """The users file's records by user name ({} when there is no file yet)."""
    path = path or users_path()
    if not path.exists():
        return {}
    _tighten(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise AuthError(f"{path}: cannot read the users file ({exc}); fix it or move it away and run "
                        "`evidence users add NAME --role ROLE` to start a new one") from exc
    users = (data or {}).get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise AuthError(f"{path}: expected a mapping 'users' of name -> record; "
                        "see `evidence users add --help`")
    return users


def save_users(users: dict[str, dict[str, object]], path: Path | None = None) -> Path:
    """Write the users file atomically (a new 0600 file renamed over the old one); hold :func:`users_lock`."""
    path = path or users_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.suffix in (".yaml", ".yml"):
        text = yaml.safe_dump({"users": users}, sort_keys=True)
    else:
        text = json.dumps({"users": users}, indent=1, sort_keys=True)
    # mkstemp creates a fresh file with mode 0600 whatever the umask, never reusing a stale .tmp
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return path


@contextmanager
def users_lock(path: Path | None = None) -> Iterator[Path]:
    """Hold the users file's lock (``<file>.lock``, 0600) for a read-modify-write; yields the file."""
    path = path or users_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = FileLock(path.with_name(path.name + ".lock"), timeout=LOCK_SECONDS, mode=FILE_MODE)
    try:
        with lock:
            yield path
    except Timeout as exc:
        raise AuthError(f"{path}: another `evidence users` command has held the users file for {LOCK_SECONDS} s; "
                        f"wait for it to finish, or remove {lock.lock_file} if no such command runs") from exc


def _update_user(name: str, path: Path | None, change: Callable[[dict[str, object] | None], dict[str, object]]
                 ) -> None:
    """Replace ``name``'s record by ``change(old record)`` under the lock, re-reading the file first."""
    with users_lock(path) as locked:
        users = load_users(locked)
        users[name] = change(users.get(name))
        save_users(users, locked)


def add_user(name: str, password: str, role: UserRole | str, *, replace: bool = False,
             path: Path | None = None) -> User:
    """Add (or with ``replace``, update) a user with a freshly salted hash of a password that meets the policy."""
    name = name.strip()
    if not USERNAME.match(name):
        raise AuthError(f"user name {name!r} is not allowed; use letters, digits and . _ @ + - (up to 120)")
    if role not in set(UserRole) | {r.value for r in UserRole}:
        raise AuthError(f"unknown role {role!r}; choose one of {', '.join(r.value for r in UserRole)}")
    check_password(password, name)
    return _save_user(name, password, UserRole(role), replace=replace, path=path)


def _save_user(name: str, password: str, role: UserRole, *, replace: bool, path: Path | None) -> User:
    record = {"role": role.value, **hash_password(password), "created_at": utcnow().isoformat()}

    def change(old: dict[str, object] | None) -> dict[str, object]:
        if old is not None and not replace:
            raise AuthError(f"user {name!r} already exists; pass --replace to change their role or password")
        return record

    _update_user(name, path, change)
    logger.info("user %s saved with role %s", name, role.value)
    return User(name, role)


def _user_for(name: str, password: str, record: dict[str, object] | None) -> User | None:
    if record is None or len(password) > MAX_PASSWORD:
        verify_password(password[:MAX_PASSWORD], {"algorithm": "scrypt", "salt": "00", "hash": "00", **SCRYPT})
        return None  # the same time as a wrong password, so user names cannot be told apart by timing
    if not verify_password(password, record):
        return None
    try:
        return User(name, UserRole(str(record.get("role"))))
    except ValueError:
        logger.warning("user %s has an unknown role %r in the users file", name, record.get("role"))
        return None


def authenticate(name: str, password: str, *, path: Path | None = None) -> User | None:
    """The user when the name and password match the users file, else None (no back-off: see :func:`sign_in`)."""
    return _user_for(name.strip(), password, load_users(path).get(name.strip()))


def sign_in(name: str, password: str, *, client: str | None = None, throttle: Throttle | None = None,
            path: Path | None = None, store: Store | None = None) -> SignIn | None:
    """Check a sign-in with back-off per user name and per ``client`` address; None when it does not match.

    Raises :class:`Throttled` without checking the password while a back-off runs. A record hashed with
    weaker parameters is re-hashed with the current ones. A successful sign-in is recorded in the audit trail of
    ``store`` (default: the shared store of ``EVIDENCE_DATABASE_URL``) with the user, role and client address.
    """
    throttle = throttle or THROTTLE
    name = name.strip()
    wait = throttle.wait(name, client)
    if wait > 0:
        logger.warning("sign-in for %r from %s refused for %.0f s after repeated failures", name, client, wait)
        raise Throttled(wait)
    record = load_users(path).get(name)
    user = _user_for(name, password, record)
    if user is None or record is None:
        throttle.failure(name, client)
        return None
    throttle.success(name)
    if needs_rehash(record):
        _rehash(name, password, record, path)
    weak = _published(password)
    record_sign_in(name, user.role, client=client, method="password", store=store)
    return SignIn(user, must_change=bool(record.get("must_change")) or (weak and user.role is UserRole.admin),
                  weak_password=weak)


def record_sign_in(name: str, role: UserRole | str, *, client: str | None = None, method: str = "password",
                   store: Store | None = None) -> None:
    """Record a sign-in in the audit trail of ``store`` (default: the shared store of ``EVIDENCE_DATABASE_URL``).
    :func:`sign_in` calls it; a page signing someone in another way (single sign-on) calls it with ``method``."""
    from evidence.store import AuditAction, shared_store  # the store (SQLAlchemy) only once someone signs in

    (store or shared_store()).audit(actor=name, action=AuditAction.sign_in, subject=f"user:{name}",
                                    payload={"role": UserRole(role).value, "client": client, "method": method})


def _rehash(name: str, password: str, record: dict[str, object], path: Path | None) -> None:
    """Store ``password`` hashed with today's parameters, unless the record changed meanwhile."""
    def change(old: dict[str, object] | None) -> dict[str, object]:
        if old is None or old.get("hash") != record.get("hash"):
            return old or {}
        fields = ("algorithm", "salt", "hash", "n", "r", "p", "iterations")
        kept = {key: value for key, value in old.items() if key not in fields}
        return {**kept, **hash_password(password), "rehashed_at": utcnow().isoformat()}

    try:
        _update_user(name, path, change)
        logger.info("re-hashed %s's password with the current parameters", name)
    except (OSError, AuthError) as exc:  # signing in still works; the upgrade is tried next time
        logger.warning("could not re-hash %s's password: %s", name, exc)


def change_password(name: str, current: str, new: str, *, path: Path | None = None) -> None:
    """Replace ``name``'s password after checking the current one; clears the demo and must-change marks."""
    name = name.strip()
    if _user_for(name, current, load_users(path).get(name)) is None:
        raise AuthError("the current password is wrong; type the password you signed in with")
    if new == current:
        raise AuthError("the new password is the current one; choose a different password")
    check_password(new, name)

    def change(old: dict[str, object] | None) -> dict[str, object]:
        if old is None:
            raise AuthError(f"user {name!r} no longer exists; ask an admin to add them again")
        kept = {key: value for key, value in old.items() if key in ("role", "created_at")}
        return {**kept, **hash_password(new), "changed_at": utcnow().isoformat()}

    _update_user(name, path, change)
    logger.info("user %s changed their password", name)


def user_role(name: str, *, path: Path | None = None) -> UserRole | None:
    """The role the users file gives ``name`` (an e-mail for single sign-on users), if any."""
    record = load_users(path).get(name.strip())
    try:
        return UserRole(str(record["role"])) if record else None
    except ValueError:
        return None
