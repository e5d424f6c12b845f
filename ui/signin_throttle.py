"""Sign-in throttle and the client's address: plain Python (no Streamlit), shared by every session.

Attempts are counted under keys: ``session:<id>`` (this browser session), ``account:<name>``,
``ip:<address>`` and ``global``. Two kinds of limit:

* **hard** (the session's own key): after ``free`` failures the session waits 5 s, 10 s, 20 s … before its
  next attempt, and an attempt during the wait is refused without checking the password. Only the session
  that failed is held back.
* **soft** (account, address, whole server): failures elsewhere never refuse a right password. They slow
  attempts down: after ``free`` failures on a key, attempts on it are spaced by a growing interval (capped
  at ``cap`` seconds), so an attempt waits for its slot and is then checked. Only when more than
  ``max_wait`` seconds of attempts are already queued is one refused ("busy, try again in N s").

An attempt is **reserved** under the lock before the password is checked (``reserve``) and settled after
it (``settle``); attempts in flight count as failures until settled, so parallel attempts cannot all slip
through before the first failure is recorded.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    free: int            # failures allowed before any wait
    base: float          # seconds of the first wait; doubles with every further failure
    cap: float           # longest wait (hard) or longest spacing between attempts (soft)
    window: float        # a key is forgotten this long after its last failure
    hard: bool = False   # refuse during the wait (hard) or queue the attempt (soft)

    def delay(self, n: int) -> float:
        return 0.0 if n < self.free else min(self.cap, self.base * 2 ** (n - self.free))


def default_rules() -> dict[str, Rule]:
    return {
        "session": Rule(free=5, base=5.0, cap=900.0, window=3600.0, hard=True),
        "account": Rule(free=5, base=2.0, cap=30.0, window=3600.0),
        "ip": Rule(free=10, base=2.0, cap=30.0, window=3600.0),
        "global": Rule(free=30, base=1.0, cap=10.0, window=900.0),
    }


@dataclass
class _Key:
    fails: int = 0
    pending: int = 0
    last: float = 0.0          # time of the last failure
    next_slot: float = 0.0     # soft keys: the earliest start of the next attempt


@dataclass
class Ticket:
    """The outcome of ``reserve``: allowed (start at ``start``, i.e. after ``delay`` seconds) or refused."""
    ok: bool
    keys: tuple[str, ...] = ()
    reason: str = ""           # refused: 'locked' (this session's back-off) | 'busy' (queue too long)
    wait: float = 0.0          # refused: seconds until an attempt may be made
    delay: float = 0.0         # allowed: seconds to wait before checking the password


@dataclass
class Throttle:
    """Thread-safe attempt accounting; ``clock`` is injectable for tests."""

    rules: dict[str, Rule] = field(default_factory=default_rules)
    clock: Callable[[], float] = time.monotonic
    max_wait: float = 60.0
    max_keys: int = 10_000
    _keys: dict[str, _Key] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _rule(self, key: str) -> Rule:
        return self.rules[key.split(":", 1)[0]]

    def _prune(self, now: float) -> None:
        stale = [k for k, s in self._keys.items()
                 if not s.pending and now - s.last > self._rule(k).window and s.next_slot <= now]
        for k in stale:
            del self._keys[k]
        if len(self._keys) >= self.max_keys:       # a flood of sessions: forget the oldest idle keys
            idle = sorted((s.last, k) for k, s in self._keys.items() if not s.pending and k != "global")
            for _, k in idle[: self.max_keys // 10]:
                del self._keys[k]

    def _hard_wait(self, k: str, now: float) -> float:
        s = self._keys.get(k)
        if s is None:
            return 0.0
        n = s.fails + s.pending
        if n < self._rule(k).free:
            return 0.0
        since = s.last if s.fails else now
        return max(0.0, since + self._rule(k).delay(n) - now)

    def reserve(self, keys: Iterable[str]) -> Ticket:
        keys = tuple(keys)
        now = self.clock()
        with self._lock:
            self._prune(now)
            hard = [k for k in keys if self._rule(k).hard]
            wait = max((self._hard_wait(k, now) for k in hard), default=0.0)
            if wait > 0:
                return Ticket(False, keys, "locked", wait)
            soft = [k for k in keys if not self._rule(k).hard]
            start = max([now] + [self._keys[k].next_slot for k in soft if k in self._keys])
            if start - now > self.max_wait:
                return Ticket(False, keys, "busy", start - now - self.max_wait)
            for k in keys:
                s = self._keys.setdefault(k, _Key(last=now))
                if k in soft:
                    s.next_slot = start + self._rule(k).delay(s.fails + s.pending)
                s.pending += 1
            return Ticket(True, keys, delay=start - now)

    def settle(self, ticket: Ticket, ok: bool | None) -> None:
        """Record the outcome: True (right password: this session's and the account's failures are
        forgiven), False (a failure on every key), None (not an attempt after all: nothing counted)."""
        if not ticket.ok:
            return
        now = self.clock()
        with self._lock:
            for k in ticket.keys:
                s = self._keys.setdefault(k, _Key(last=now))
                s.pending = max(0, s.pending - 1)
                if ok is False:
                    s.fails += 1
                    s.last = now
                elif ok and k.split(":", 1)[0] in ("session", "account"):
                    s.fails = 0

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until this session's back-off lets it try again (0 = now)."""
        now = self.clock()
        with self._lock:
            return max((self._hard_wait(k, now) for k in keys if self._rule(k).hard), default=0.0)

    def failures(self, key: str) -> int:
        with self._lock:
            s = self._keys.get(key)
            return s.fails if s else 0

    def reset(self) -> None:
        with self._lock:
            self._keys.clear()


# ------------------------------------------------------------------------------------ client address
def _networks(trusted: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for t in trusted or ():
        try:
            nets.append(ipaddress.ip_network(str(t).strip(), strict=False))
        except ValueError:
            continue          # a typo in the setting trusts nothing rather than everything
    return nets


def _in(addr: str, nets) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in nets)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str | None:
    """The address to count attempts under.

    ``X-Forwarded-For`` is believed only when the peer is a configured trusted proxy (anyone can send the
    header): then the right-most hop that is not itself a trusted proxy is the client. Otherwise the peer."""
    nets = _networks(trusted_proxies)
    if not peer or not nets or not _in(peer, nets):
        return peer
    hops = [h.strip() for h in str(forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, nets):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer       # a malformed hop: the proxy's own address, never the client's choice
    return peer
