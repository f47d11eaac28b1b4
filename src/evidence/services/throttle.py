"""Back-off after failed sign-ins, per user name and per client address, held by the server process.

One person mistyping three times waits nothing; after that each attempt waits twice as long as the last (1 s, 2 s,
4 s ... up to 15 minutes), so a guesser gets about 12 tries in the first 10 minutes, then one every 15 minutes.
The counts live in this process: a restart clears them, and behind a reverse proxy every client shares the
proxy's address (hence the higher allowance per address).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_USER_FAILURES = 3
FREE_CLIENT_FAILURES = 10  # higher: one address may be a whole office behind a proxy
BASE_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 900.0
FORGET_SECONDS = 24 * 3600
TRACKED_KEYS = 10_000  # user names and addresses remembered; the oldest are dropped beyond this


@dataclass
class _Failures:
    count: int  # consecutive failures
    last: float  # when the last one happened (the throttle's clock)


class Throttle:
    """Back-off after failed sign-ins, per user name and per client address, in this process (thread-safe)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._users: dict[str, _Failures] = {}
        self._clients: dict[str, _Failures] = {}

    def wait(self, name: str, client: str | None) -> float:
        """Seconds before ``name`` may try again from ``client`` (0: now)."""
        now = self._clock()
        with self._lock:
            entries = ((self._users.get(name.lower()), FREE_USER_FAILURES),
                       (self._clients.get(client or "local"), FREE_CLIENT_FAILURES))
            return max([0.0, *(entry.last + min(BASE_DELAY_SECONDS * 2 ** (entry.count - free), MAX_DELAY_SECONDS)
                               - now for entry, free in entries
                               if entry is not None and entry.count >= free and now - entry.last < FORGET_SECONDS)])

    def failure(self, name: str, client: str | None) -> None:
        now = self._clock()
        with self._lock:
            for table, key in ((self._users, name.lower()), (self._clients, client or "local")):
                entry = table.get(key)
                if entry is None or now - entry.last >= FORGET_SECONDS:
                    entry = table[key] = _Failures(0, now)
                entry.count, entry.last = entry.count + 1, now
                if len(table) > TRACKED_KEYS:
                    del table[min(table, key=lambda k: table[k].last)]

    def success(self, name: str) -> None:
        with self._lock:
            self._users.pop(name.lower(), None)

    def reset(self) -> None:
        with self._lock:
            self._users.clear()
            self._clients.clear()


THROTTLE = Throttle()  # the web app's: one per server process
