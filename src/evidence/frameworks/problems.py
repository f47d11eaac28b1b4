"""Problems found in a framework file, reported all at once, with each fix phrased for where the person is.

A reader adds every problem it finds to a :class:`Problems` (where: ``row 7, column "Indicator"``; what is
wrong; how to fix it) and raises them together as one :class:`~evidence.errors.FrameworkError`, so a file is
fixed in one pass. The list is capped at :data:`~evidence.domain.framework.MAX_LISTED_PROBLEMS` lines and
says how many more there are.

A fix that names an import option is phrased through a :class:`Wording`: the command line's flags
(``--levels``) in a terminal, the import form's field labels (the "Levels, lowest first" field) in the web
app. Both sets of words live here, in :data:`FLAGS` and :data:`FIELD_LABELS`; the app's form takes its labels
from :data:`FIELD_LABELS`, so a fix always names a field the person can see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from evidence.domain.framework import MAX_LISTED_PROBLEMS
from evidence.errors import FrameworkError


class Audience(str, Enum):
    """Where the person importing a framework is: at a terminal, or in the web app's import form."""

    cli = "cli"
    app = "app"


# The import options, as the command line spells them ...
FLAGS = {
    "id": "--id", "name": "--name", "levels": "--levels", "layout": "--layout", "sheet": "--sheet",
    "competency_column": "--competency-column", "indicator_column": "--indicator-column",
    "level_column": "--level-column", "group_column": "--group-column",
    "description_column": "--description-column", "replace": "--replace",
}
# ... and as the app's import form labels them (the page builds its fields with these labels).
FIELD_LABELS = {
    "id": "Id", "name": "Name", "levels": "Levels, lowest first", "layout": "Layout", "sheet": "Sheet",
    "competency_column": "Competency column", "indicator_column": "Indicator column",
    "level_column": "Level column", "group_column": "Group column", "description_column": "Description column",
    "replace": "Replace an imported framework with the same id",
}


@dataclass(frozen=True)
class Wording:
    """How fixes name the import options for one :class:`Audience`."""

    audience: Audience = Audience.cli

    def __post_init__(self) -> None:
        object.__setattr__(self, "audience", Audience(self.audience))  # 'app' or Audience.app; anything else fails

    def option(self, name: str) -> str:
        """The option ``name`` (a key of :data:`FLAGS`): ``--levels``, or ``the "Levels, lowest first" field``."""
        if self.audience is Audience.cli:
            return FLAGS[name]
        kind = "box" if name == "replace" else "field"
        return f'the "{FIELD_LABELS[name]}" {kind}'

    def via(self, name: str) -> str:
        """Where to give the option: ``with --levels``, or ``in the "Levels, lowest first" field``."""
        return f"with {self.option(name)}" if self.audience is Audience.cli else f"in {self.option(name)}"

    def switch_on(self, name: str) -> str:
        """How to turn a switch on: ``pass --replace``, or ``tick the "Replace ..." box``."""
        return f"pass {self.option(name)}" if self.audience is Audience.cli else f"tick {self.option(name)}"

    def set_to(self, name: str, value: str) -> str:
        """The option given a value: ``--layout grid``, or ``"grid" in the "Layout" field``."""
        if self.audience is Audience.cli:
            return f"{FLAGS[name]} {value}"
        return f'"{value}" in the "{FIELD_LABELS[name]}" field'


CLI = Wording(Audience.cli)
APP = Wording(Audience.app)


@dataclass(frozen=True)
class Problem:
    """One problem: where it is (a row and column, a key path), what is wrong, and how to fix it."""

    where: str
    what: str
    fix: str = ""

    def line(self) -> str:
        return ": ".join(p for p in (self.where, self.what) if p) + (f"; {self.fix}" if self.fix else "")


@dataclass
class Problems:
    """The problems of one file (``source``), collected to be raised together by :meth:`raise_any`."""

    source: str = ""
    found: list[Problem] = field(default_factory=list)

    def add(self, where: str, what: str, fix: str = "") -> None:
        self.found.append(Problem(where, what, fix))

    def extend(self, other: Problems) -> None:
        self.found.extend(other.found)

    def __len__(self) -> int:
        return len(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def error(self, *, fix: str = "") -> FrameworkError:
        """All the problems as one error: a single problem as itself (its place as the error's path), several
        as a numbered list of at most :data:`MAX_LISTED_PROBLEMS` lines and a count of the rest."""
        if len(self.found) == 1:
            only = self.found[0]
            return FrameworkError(only.what, source=self.source, path=only.where, fix=only.fix or fix)
        shown = self.found[:MAX_LISTED_PROBLEMS]
        text = f"{len(self.found)} problems" + "".join(f"\n  {p.line()}" for p in shown)
        if len(self.found) > len(shown):
            text += f"\n  ... and {len(self.found) - len(shown)} more"
        return FrameworkError(text, source=self.source,
                              fix=fix or "correct every place listed above, then check the file again")

    def raise_any(self, *, fix: str = "") -> None:
        if self.found:
            raise self.error(fix=fix)
