"""The store's Alembic migrations, packaged with the library so a wheel can create and upgrade its database.

:meth:`evidence.store.Store.open` runs them programmatically (``alembic upgrade head``) on every open;
nothing needs an ``alembic.ini``. To write a new revision during development::

    python -m evidence.store.migrations revision -m "add a column"

which runs Alembic's ``revision --autogenerate`` against a scratch SQLite database upgraded to head,
comparing it with the ORM models in :mod:`evidence.store.schema`. Review the generated file (SQLite needs
batch mode for most ALTERs; ``env.py`` turns it on) and add a test for the upgrade.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at these migrations (and at ``url`` for offline use)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
