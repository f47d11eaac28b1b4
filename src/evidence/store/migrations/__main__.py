"""Developer helper: ``python -m evidence.store.migrations revision -m MESSAGE`` autogenerates a revision."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from evidence.store import Store
from evidence.store.migrations import alembic_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="autogenerate a revision from the ORM models")
    revision.add_argument("-m", "--message", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'scratch.db'}"
        with Store.open(url) as store:
            config = alembic_config(url)
            with store.engine.connect() as connection:
                config.attributes["connection"] = connection
                command.revision(config, message=args.message, autogenerate=True)


if __name__ == "__main__":
    main()
