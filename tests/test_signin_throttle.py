"""The sign-in throttle (ui.signin_throttle) and one attempt through it (ui.auth.check_password_attempt):
this session backs off; failures elsewhere slow attempts down but never lock out the right password;
attempts are reserved atomically (parallel threads); the address behind a trusted proxy."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher

from analytics import editors
from ui import auth
from ui.signin_throttle import Rule, Throttle, client_address

PASSWORD = "đúng-mật-khẩu-2025"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ACCOUNTS = {"lan": editors.Account("lan", CHEAP.hash(PASSWORD), "")}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Sleeps:
    """Records the slow-down waits and moves the clock by them (no real sleeping)."""

    def __init__(self, clock: Clock):
        self.clock, self.waits = clock, []

    def __call__(self, seconds: float):
        self.waits.append(seconds)
        self.clock.now += seconds


def attempt(th, session, password, *, ip="10.0.0.9", name="lan", sleep=None):
    keys = [f"session:{session}", f"ip:{ip}", "global"]
    return auth.check_password_attempt(name, password, ACCOUNTS, keys, throttle=th,
                                       sleep=sleep or (lambda s: None))


def test_this_session_backs_off_and_is_refused_unchecked():
    clock = Clock()
    th = Throttle(clock=clock)
    for _ in range(5):
        assert attempt(th, "a", "wrong").reason == "wrong"
    locked = attempt(th, "a", PASSWORD)              # the right password, but this session is backing off
    assert not locked.ok and locked.reason == "locked" and locked.wait == pytest.approx(5.0)
    clock.now += 5
    assert attempt(th, "a", "wrong").reason == "wrong"
    assert th.wait(["session:a"]) == pytest.approx(10.0)          # 5 s, 10 s, 20 s …
    clock.now += 10
    assert attempt(th, "a", PASSWORD).ok
    assert th.failures("session:a") == 0 and th.failures("global") == 6    # success forgives this session only


def test_failures_from_other_sessions_at_the_address_slow_down_but_do_not_lock_out():
    clock = Clock()
    sleeps = Sleeps(clock)
    th = Throttle(clock=clock)
    for i in range(60):                              # an attacker at the editor's address, a new session each time
        r = attempt(th, f"attacker{i}", f"guess{i}", sleep=sleeps)
        assert r.reason == "wrong", (i, r)
    assert th.failures("ip:10.0.0.9") == 60 and th.failures("account:lan") == 60
    assert max(sleeps.waits) <= 30.0                 # spaced by at most the soft cap …
    assert sum(sleeps.waits) > 60                    # … but spaced: 60 guesses took minutes, not instants
    sleeps.waits.clear()
    ok = attempt(th, "editor", PASSWORD, sleep=sleeps)   # the editor, same address, same account
    assert ok.ok and ok.account == "lan"
    assert sleeps.waits and sleeps.waits[0] <= 30.0


def test_queue_longer_than_max_wait_is_refused_busy_not_counted():
    clock = Clock()
    th = Throttle(clock=clock, max_wait=20.0,
                  rules={"session": Rule(5, 5.0, 900.0, 3600.0, hard=True), "ip": Rule(0, 10.0, 10.0, 3600.0),
                         "global": Rule(100, 1.0, 1.0, 900.0), "account": Rule(100, 1.0, 1.0, 900.0)})
    tickets = [th.reserve([f"session:s{i}", "ip:1.2.3.4", "global"]) for i in range(3)]
    assert [t.delay for t in tickets] == [0.0, 10.0, 20.0]
    busy = th.reserve(["session:s9", "ip:1.2.3.4", "global"])
    assert not busy.ok and busy.reason == "busy" and busy.wait == pytest.approx(10.0)
    assert th.reserve(["session:s9", "ip:5.6.7.8", "global"]).ok    # another address is not queued behind it


def test_eight_parallel_attempts_of_one_session_cannot_pass_the_back_off():
    th = Throttle(clock=Clock())
    barrier = threading.Barrier(8)
    results = []

    def go():
        barrier.wait()
        results.append(attempt(th, "same", "wrong"))

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reasons = sorted(r.reason for r in results)
    assert reasons.count("wrong") == 5 and reasons.count("locked") == 3     # exactly the 5 free attempts checked
    assert th.failures("session:same") == 5


def test_eight_parallel_attempts_at_one_address_are_spaced_not_simultaneous():
    clock = Clock()
    th = Throttle(clock=clock, rules={**Throttle().rules, "ip": Rule(2, 2.0, 30.0, 3600.0)})
    barrier = threading.Barrier(8)
    tickets = []
    lock = threading.Lock()

    def go(i):
        barrier.wait()
        tk = th.reserve([f"session:p{i}", "ip:10.0.0.1", "global"])
        with lock:
            tickets.append(tk)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(t.ok for t in tickets)
    delays = sorted(t.delay for t in tickets)
    assert delays == [0.0, 0.0, 0.0, 2.0, 6.0, 14.0, 30.0, 60.0]    # 2 free; from the 3rd on, spaced 2, 4, 8, 16, 30 s


def test_unknown_account_and_no_name():
    th = Throttle(clock=Clock())
    assert attempt(th, "s", PASSWORD, name="nobody").reason == "wrong"
    assert attempt(th, "s", PASSWORD, name="  ").reason == "no_name"
    assert auth.check_password_attempt("lan", PASSWORD, {}, ["session:s"], throttle=th).reason == "not_configured"


def test_an_old_scheme_account_is_refused_with_the_fix_and_not_counted():
    th = Throttle(clock=Clock())
    old = {"lan": editors.Account("lan", "ab" * 32, "")}
    r = auth.check_password_attempt("lan", PASSWORD, old, ["session:s", "global"], throttle=th)
    assert r.reason == "legacy" and "chiso editors add lan" in r.message
    assert th.failures("global") == 0


# ------------------------------------------------------------------------------------ addresses
@pytest.mark.parametrize("peer, xff, trusted, expected", [
    ("203.0.113.5", None, [], "203.0.113.5"),
    ("203.0.113.5", "1.1.1.1", [], "203.0.113.5"),                        # no proxy configured: header ignored
    ("203.0.113.5", "1.1.1.1", ["127.0.0.1"], "203.0.113.5"),             # peer is not the proxy: a spoof
    ("127.0.0.1", "198.51.100.7", ["127.0.0.1"], "198.51.100.7"),
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", ["127.0.0.1"], "198.51.100.7"),    # client-sent first hop ignored
    ("10.0.0.2", "198.51.100.7, 10.0.0.3", ["10.0.0.0/8"], "198.51.100.7"),   # two proxies
    ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
    ("127.0.0.1", None, ["127.0.0.1"], "127.0.0.1"),
    ("::1", "2001:db8::1", ["::1"], "2001:db8::1"),
    ("127.0.0.1", "198.51.100.7", ["bogus"], "127.0.0.1"),                # a typo trusts nothing
])
def test_client_address(peer, xff, trusted, expected):
    assert client_address(peer, xff, trusted) == expected


class _Context:
    def __init__(self, ip, headers):
        self.ip_address, self.headers = ip, headers


@pytest.mark.parametrize("ip, headers, editors_section, expected", [
    (None, {"X-Forwarded-For": "198.51.100.7"}, {}, "127.0.0.1"),                 # no proxy listed: ignored
    (None, {"X-Forwarded-For": "198.51.100.7"}, {"trusted_proxies": ["127.0.0.1"]}, "198.51.100.7"),
    ("203.0.113.9", {"X-Forwarded-For": "198.51.100.7"}, {"trusted_proxies": ["127.0.0.1"]}, "203.0.113.9"),
    ("10.0.0.5", {}, {"trusted_proxies": "10.0.0.0/8"}, "10.0.0.5"),
])
def test_the_app_keys_attempts_on_the_forwarded_address_only_behind_a_listed_proxy(
        monkeypatch, ip, headers, editors_section, expected):
    # Streamlit reports a loopback peer (a proxy on the same host) as None
    monkeypatch.setattr(auth.st, "context", _Context(ip, headers))
    assert auth.visitor_address(editors_section) == expected
