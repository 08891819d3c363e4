"""Tally pushes coalesced per scope: at most one every 250 ms, the first within a tick of the sale."""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

log = logging.getLogger(__name__)
INTERVAL_S = 0.25  # 4 pushes a second per scope at most (CONTRACT section 4)


class TallyCoalescer:
    """Collects changed scopes and sends each one's latest snapshot, never more often than INTERVAL_S."""

    def __init__(self, send: Callable[[str, int], None], may_send: Callable[[str, int], bool] | None = None,
                 clock: Callable[[], float] = time.monotonic, autostart: bool = True) -> None:
        self._send, self._may_send, self._clock = send, may_send or (lambda scope, scope_id: True), clock
        self._autostart = autostart
        self._dirty: set[tuple[str, int]] = set()
        self._last: dict[tuple[str, int], float] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def mark(self, scopes: set[tuple[str, int]]) -> None:
        """Note scopes whose numbers changed; the worker sends them soon."""
        if not scopes:
            return
        with self._lock:
            self._dirty |= scopes
            if self._autostart and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._run, name="tally-coalescer", daemon=True)
                self._thread.start()
        self._wake.set()

    def flush(self) -> float | None:
        """Send every due scope now; returns seconds until the next one is due, or None when none waits."""
        now = self._clock()
        with self._lock:
            due = {s for s in self._dirty if now - self._last.get(s, -INTERVAL_S) >= INTERVAL_S}
            # Taken out before sending: a sale marked while its scope's snapshot is being read and sent
            # marks it dirty again, so that sale's numbers go out in the next push instead of being lost.
            self._dirty -= due
        unsent = set()
        for scope in sorted(due):
            # Another process may have pushed this scope a moment ago (shared limit through Redis).
            if not self._may_send(*scope):
                unsent.add(scope)
                continue
            self._last[scope] = now
            try:
                self._send(*scope)
            except Exception as error:  # noqa: BLE001 - retried at the scope's next turn
                log.warning("tally push for %s failed, retrying: %s", scope, error)
                unsent.add(scope)
        with self._lock:
            self._dirty |= unsent
            if not self._dirty:
                return None
            return max(0.0, min(INTERVAL_S - (now - self._last.get(s, -INTERVAL_S)) for s in self._dirty)) or 0.02

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=5.0)
            self._wake.clear()
            wait = self.flush()
            while wait is not None:
                time.sleep(wait)  # a worker thread pacing real pushes; tests call flush() with their own clock
                wait = self.flush()
