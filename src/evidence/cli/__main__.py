"""`python -m evidence.cli`: the same command line as `evidence`."""

from evidence.cli import app

app()
