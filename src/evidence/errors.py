"""Errors that tell the user what was expected, what was found and how to fix it."""

from __future__ import annotations


class EvidenceError(Exception):
    """Base class for every error `evidence` raises on purpose."""


class FrameworkError(EvidenceError):
    """A framework file or table that cannot be read as a framework.

    ``source`` names the file, ``path`` the place inside it (a row, a key path), ``problem`` what
    was found, and ``fix`` what to do about it.
    """

    def __init__(self, problem: str, *, source: str = "", path: str = "", fix: str = "") -> None:
        self.source, self.path, self.problem, self.fix = source, path, problem, fix
        where = ": ".join(part for part in (source, path) if part)
        message = f"{where}: {problem}" if where else problem
        if fix:
            message += f"\n  how to fix: {fix}"
        super().__init__(message)


class NotFoundError(EvidenceError):
    """An id (framework, role, model version) that names nothing known."""


class InputError(EvidenceError):
    """A document, batch or labelled file that cannot be read."""


class ModelMissingError(EvidenceError):
    """A model package that is not installed."""
