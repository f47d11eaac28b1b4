"""The reading boundary's shared pieces (evidence.io.limits): text from outside made safe for a terminal."""

from __future__ import annotations

from evidence.io.limits import printable


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    hostile = "\x1b]0;PWNED\x07\x1b[31mred\u202etxt.exe\udcff\r\x00"
    shown = printable(hostile)
    assert shown == "\\x1b]0;PWNED\\x07\\x1b[31mred\\u202etxt.exe\\udcff\\r\\x00"
    assert printable(shown) == shown and printable("Siân O’Neill\nhow to fix: x\n") == "Siân O’Neill\nhow to fix: x\n"
