"""The embedded default behind `evidence demo`: the store, the demo users and the sample batch, set up once.

The demo accounts (:data:`evidence.services.auth.DEMO_USERS`) exist only where `evidence demo` (or
`make run`) created them: the app never creates users. Their passwords are published, so each record
is marked ``demo`` (the sign-in page lists it while the mark stays); the admin's is also marked ``must_change``
(its first sign-in asks for a new password before any page opens: the admin imports frameworks and puts models
in use), while the recruiter and reviewer are asked to change theirs from the sidebar, so a demo can be walked
as those users would. Changing the password removes the marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence.config import utcnow
from evidence.services.analyzers import load_analyzer
from evidence.services.auth import DEMO_USERS, UserRole, hash_password, load_users, save_users, users_lock, users_path
from evidence.services.screening import ensure_sample_batch
from evidence.store import Store, default_url


@dataclass(frozen=True)
class DemoSetup:
    """What the demo set up: the store, the users file and its unchanged demo accounts, the sample batch."""

    store_url: str
    users_file: Path
    users_created: bool
    credentials: dict[str, tuple[UserRole, str]]
    batch_id: int
    batch_created: bool


def create_demo_users(*, path: Path | None = None) -> dict[str, tuple[UserRole, str]] | None:
    """Create the demo users when the users file has none; their credentials, or None when users exist."""
    with users_lock(path) as locked:
        if load_users(locked):
            return None
        now = utcnow().isoformat()
        save_users({name: {"role": role.value, **hash_password(password), "created_at": now, "demo": True,
                           "must_change": role is UserRole.admin} for name, (role, password) in DEMO_USERS.items()},
                   locked)
    return dict(DEMO_USERS)


def demo_accounts(*, path: Path | None = None) -> dict[str, tuple[UserRole, str]]:
    """The demo accounts still marked as such: their published password unchanged (no hashing needed)."""
    users = load_users(path)
    return {name: (role, password) for name, (role, password) in DEMO_USERS.items()
            if isinstance(users.get(name), dict) and users[name].get("demo") is True
            and users[name].get("role") == role.value}


def prepare_demo() -> DemoSetup:
    """Create the store and the demo users if missing, and screen the sample batch into the store once."""
    url = default_url()
    with Store.open(url) as store:
        created = create_demo_users()
        batch_id, batch_created = ensure_sample_batch(store, load_analyzer)
    return DemoSetup(store_url=url, users_file=users_path(), users_created=created is not None,
                     credentials=demo_accounts(), batch_id=batch_id, batch_created=batch_created)
