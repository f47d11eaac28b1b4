"""Offline sign-in: a users file with salted password hashes, and what each user role may do.

Users live in ``$EVIDENCE_HOME/users.json`` (``users.yaml`` is read too when it is the one present)::

    {"users": {"alex": {"role": "reviewer", "algorithm": "scrypt", "salt": "...", "hash": "...",
                        "n": 16384, "r": 8, "p": 1, "created_at": "..."}}}

Passwords are hashed with ``hashlib.scrypt`` (PBKDF2-SHA256 where the Python build lacks scrypt),
each with its own random salt, and compared in constant time. The file is written atomically with
owner-only permissions. Roles:

* **recruiter**: screen batches (sees statements), My evidence, browse frameworks;
* **reviewer**: review suggested tags (sees statements), My evidence, browse frameworks;
* **admin**: everything, including importing frameworks and retraining.

A :class:`UserRole` is what a signed-in person may do in the app; it is not a framework's role
profile (:class:`evidence.domain.Role`, the requirements of a job).

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
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml

from evidence.config import data_home, utcnow
from evidence.errors import EvidenceError

logger = logging.getLogger(__name__)

USERS_FILE = "users.json"
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,119}$")
MIN_PASSWORD = 8
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
PBKDF2_ITERATIONS = 600_000


class AuthError(EvidenceError):
    """A users file or user that cannot be used as asked."""


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


def can(role: UserRole | str | None, permission: Permission) -> bool:
    """Whether a role has a permission (no role has none)."""
    if role is None:
        return False
    return permission in PERMISSIONS[UserRole(role)]


def users_path() -> Path:
    """The users file in the data directory: users.json, or users.yaml/.yml when only that exists."""
    home = data_home()
    for name in (USERS_FILE, "users.yaml", "users.yml"):
        if (home / name).exists():
            return home / name
    return home / USERS_FILE


# -- hashing -------------------------------------------------------------------------------------


def hash_password(password: str) -> dict[str, object]:
    """A new salted hash record for ``password``."""
    salt = secrets.token_bytes(16)
    if hasattr(hashlib, "scrypt"):
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=64 * 1024 * 1024, dklen=32, **SCRYPT)
        return {"algorithm": "scrypt", "salt": salt.hex(), "hash": digest.hex(), **SCRYPT}
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, PBKDF2_ITERATIONS)
    return {"algorithm": "pbkdf2_sha256", "salt": salt.hex(), "hash": digest.hex(), "iterations": PBKDF2_ITERATIONS}


def verify_password(password: str, record: dict[str, object]) -> bool:
    """Whether ``password`` matches a stored hash record (constant-time comparison)."""
    try:
        salt = bytes.fromhex(str(record["salt"]))
        expected = bytes.fromhex(str(record["hash"]))
        if record.get("algorithm") == "scrypt":
            n, r, p = (int(str(record[key])) for key in ("n", "r", "p"))
            digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                                    dklen=len(expected))
        elif record.get("algorithm") == "pbkdf2_sha256":
            digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, int(str(record["iterations"])),
                                         dklen=len(expected))
        else:
            return False
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


# -- the users file ------------------------------------------------------------------------------


def load_users(path: Path | None = None) -> dict[str, dict[str, object]]:
    """The users file's records by user name ({} when there is no file yet)."""
    path = path or users_path()
    if not path.exists():
        return {}
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
    """Write the users file atomically, readable by its owner only."""
    path = path or users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix in (".yaml", ".yml"):
        text = yaml.safe_dump({"users": users}, sort_keys=True)
    else:
        text = json.dumps({"users": users}, indent=1, sort_keys=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)
    return path


def add_user(name: str, password: str, role: UserRole | str, *, replace: bool = False,
             path: Path | None = None) -> User:
    """Add (or with ``replace``, update) a user with a freshly salted password hash."""
    name = name.strip()
    if not USERNAME.match(name):
        raise AuthError(f"user name {name!r} is not allowed; use letters, digits and . _ @ + - (up to 120)")
    try:
        role = UserRole(role)
    except ValueError:
        raise AuthError(f"unknown role {role!r}; choose one of {', '.join(r.value for r in UserRole)}") from None
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password is too short; use at least {MIN_PASSWORD} characters")
    users = load_users(path)
    if name in users and not replace:
        raise AuthError(f"user {name!r} already exists; pass --replace to change their role or password")
    users[name] = {"role": role.value, **hash_password(password), "created_at": utcnow().isoformat()}
    save_users(users, path)
    logger.info("user %s saved with role %s", name, role.value)
    return User(name, role)


def authenticate(name: str, password: str, *, path: Path | None = None) -> User | None:
    """The user when the name and password match the users file, else None."""
    record = load_users(path).get(name.strip())
    if record is None:
        verify_password(password, {"algorithm": "scrypt", "salt": "00", "hash": "00", **SCRYPT})  # same timing
        return None
    if not verify_password(password, record):
        return None
    try:
        return User(name.strip(), UserRole(str(record.get("role"))))
    except ValueError:
        logger.warning("user %s has an unknown role %r in the users file", name, record.get("role"))
        return None


def user_role(name: str, *, path: Path | None = None) -> UserRole | None:
    """The role the users file gives ``name`` (an e-mail for single sign-on users), if any."""
    record = load_users(path).get(name.strip())
    try:
        return UserRole(str(record["role"])) if record else None
    except ValueError:
        return None


def ensure_demo_users(*, path: Path | None = None) -> dict[str, tuple[UserRole, str]] | None:
    """Create the demo users when there is no users file; returns their credentials, or None if it exists.

    The demo passwords are public (the README prints them): for trying the app on one machine only.
    """
    path = path or users_path()
    if path.exists() and load_users(path):
        return None
    for name, (role, password) in DEMO_USERS.items():
        add_user(name, password, role, replace=True, path=path)
    return dict(DEMO_USERS)


def demo_credentials_valid(*, path: Path | None = None) -> dict[str, tuple[UserRole, str]]:
    """The demo users whose published password still works (to remind the person running the demo)."""
    return {name: (role, password) for name, (role, password) in DEMO_USERS.items()
            if authenticate(name, password, path=path) is not None}

