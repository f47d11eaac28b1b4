"""The embedded default behind `evidence demo`: the store, the demo users and the sample batch, set up once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence.services.analyzers import load_analyzer
from evidence.services.auth import UserRole, demo_credentials_valid, ensure_demo_users, users_path
from evidence.services.screening import ensure_sample_batch
from evidence.store import Store, default_url


@dataclass(frozen=True)
class DemoSetup:
    """What the demo set up: the store, the users file and its working demo passwords, the sample batch."""

    store_url: str
    users_file: Path
    users_created: bool
    credentials: dict[str, tuple[UserRole, str]]
    batch_id: int
    batch_created: bool


def prepare_demo() -> DemoSetup:
    """Create the store and the demo users if missing, and screen the sample batch into the store once."""
    url = default_url()
    with Store.open(url) as store:
        created = ensure_demo_users()
        batch_id, batch_created = ensure_sample_batch(store, load_analyzer)
    return DemoSetup(store_url=url, users_file=users_path(), users_created=created is not None,
                     credentials=demo_credentials_valid(), batch_id=batch_id, batch_created=batch_created)
