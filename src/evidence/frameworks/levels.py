"""A framework's level scale built from the names a file gives its levels.

A level's *name* is kept as the file writes it (``Level 1 (AA/AO)``, ``Foundation``, ``B``); only a bare
number reads ``Level 2``. Its *id* is made from the name: the name itself where it already is a valid id
(``1``, ``B``, ``Foundation``: the ids tables have always had), else its slug (``level-1-aa-ao``), so the same
file imported again gives the same ids. Two spellings of one level (``Level 1``, ``level 1`` and ``1``) are one
level: names are the same level when they are equal, equal in any case, or have the same slug (a bare number
being ``Level`` and the number).

The order is, first found: the scale the person gives (``--levels``), the order of a grid's level columns, or
:func:`~evidence.domain.framework.natural_level_order` (numbers in names, then letters, then first appearance).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from evidence.domain import slugify
from evidence.domain.framework import is_valid_id, natural_level_order

_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def level_id(name: str) -> str:
    """The id of the level called ``name``: the name where it is a valid id, else its slug."""
    name = name.strip()
    return name if is_valid_id(name) else slugify(name)


def level_name(value: str) -> str:
    """The name people read: ``Level 2`` for a bare number, else the value as written."""
    value = value.strip()
    return f"Level {value}" if _BARE_NUMBER.fullmatch(value) else value


def level_key(value: str) -> str:
    """What two spellings of one level share: the slug of its name (``Level 1 (AA/AO)`` -> ``level-1-aa-ao``;
    ``2`` and ``level 2`` -> ``level-2``)."""
    return slugify(level_name(value).casefold(), max_length=120)


class Scale:
    """An ordered level scale and the ids of the names a file uses for its levels."""

    def __init__(self, names: Iterable[str], *, ids: dict[str, str] | None = None) -> None:
        """``names`` lowest first; ``ids`` the id a name must keep (a table's ``level_id`` column)."""
        self.levels: list[tuple[str, str]] = []  # (id, name), lowest first
        self._by_key: dict[str, str] = {}
        taken: set[str] = set()
        for name in names:
            name = " ".join(name.split())  # a header wrapped in its cell ("Level 1\n(AA/AO)") is one name
            key = level_key(name)
            if not name.strip() or key in self._by_key:
                continue
            identifier = (ids or {}).get(name) or level_id(name)
            if identifier in taken:  # two names whose slugs differ only past the slug's length: keep both apart
                identifier = f"{identifier}-{len(self.levels) + 1}"
            taken.add(identifier)
            self.levels.append((identifier, level_name(name)))
            self._by_key[key] = identifier
            self._by_key.setdefault(level_key(identifier), identifier)

    @classmethod
    def from_values(cls, values: Iterable[str], *, ordered: bool = False,
                    ids: dict[str, str] | None = None) -> Scale:
        """The scale of the level names a file uses: in the order given when ``ordered`` (a grid's columns),
        else in natural order (of the ids, when the file gives ids). Spellings of one level count once."""
        first: dict[str, str] = {}
        for value in values:
            if value.strip():
                first.setdefault(level_key(value), value.strip())
        names = list(first.values())
        if not ordered:
            if ids:
                by_id = {ids.get(n, n): n for n in names}
                names = [by_id[i] for i in natural_level_order(by_id)]
            else:
                names = natural_level_order(names)
        return cls(names, ids=ids)

    def resolve(self, value: str) -> str | None:
        """The id of the level ``value`` names (exactly, in any case, or by slug), None when it names none."""
        return self._by_key.get(level_key(value)) if value.strip() else None

    def __len__(self) -> int:
        return len(self.levels)

    def names(self) -> list[str]:
        return [name for _, name in self.levels]

    def as_dicts(self) -> list[dict[str, str]]:
        """The scale as a framework's ``levels`` (id and name, lowest first)."""
        return [{"id": identifier, "name": name} for identifier, name in self.levels]


def descending_by_number(names: list[str]) -> bool:
    """Whether every name has its own number and the names run from the highest number down (a grid whose
    columns list the top level first)."""
    numbers = [float(m.group()) for n in names if (m := re.search(r"\d+(?:\.\d+)?", n))]
    steps = zip(numbers, numbers[1:], strict=False)
    return len(names) > 1 and len(numbers) == len(names) and all(a > b for a, b in steps)
