"""One rate limiter for everything a stranger (or a guessing account) can repeat: public forms,
public lookups, subscriptions, lookups by code that miss.

Counts live in Django's cache, in fixed windows (`haven serve` is one process, so the process's
cache is the server's count; a restart starts the windows again). A limit can count per client,
overall, or both. A client is a keyed digest of the address Django sees (`REMOTE_ADDR`, which
`haven serve` sets from the trusted proxy headers behind a reverse proxy) or an account id: the
raw address is never stored, not even in the cache's keys.

    limit = Limit("overdose-public-form", per_client=5, overall=200, window=3600)
    ratelimit.take(limit, client=ratelimit.client_of(request))   # raises RateLimited when used up
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from haven.core.privacy import blind_index

ADDRESS_PURPOSE = "client-address"


@dataclass(frozen=True)
class Limit:
    name: str
    per_client: int | None = None  # how many per client in a window (None: no per-client limit)
    overall: int | None = None  # how many from everyone together in a window (None: no overall limit)
    window: int = 3600  # seconds

    def describe(self) -> str:
        parts = []
        if self.per_client is not None:
            parts.append(f"{self.per_client} per client")
        if self.overall is not None:
            parts.append(f"{self.overall} overall")
        return f"{' and '.join(parts)} per {self.window // 60} minutes"


class RateLimited(Exception):
    """A limit is used up; `scope` says whose ("client" or "overall"), `retry_after` in seconds."""

    def __init__(self, limit: Limit, scope: str, retry_after: int):
        super().__init__(f"{limit.name}: {scope} limit reached")
        self.limit, self.scope, self.retry_after = limit, scope, retry_after


def address_digest(address: str | None) -> str:
    """The keyed digest that stands for a client address. Keyed (the blind index key is not in the
    database), so it cannot be turned back into an address by trying every IPv4 address."""
    return blind_index((address or "unknown").strip().lower(), purpose=ADDRESS_PURPOSE)


def client_of(request=None, *, user=None) -> str:
    """The client a limit counts: the account when one is given, otherwise the request's address."""
    if user is not None and getattr(user, "pk", None) is not None:
        return f"account:{user.pk}"
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    return f"address:{address_digest(address)}"


def _keys(limit: Limit, client: str | None, now: float) -> dict[str, str]:
    window = int(now // limit.window)
    keys = {}
    if limit.per_client is not None and client is not None:
        keys["client"] = f"haven:ratelimit:{limit.name}:{client}:{window}"
    if limit.overall is not None:
        keys["overall"] = f"haven:ratelimit:{limit.name}:*:{window}"
    return keys


def _maximum(limit: Limit, scope: str) -> int:
    return limit.per_client if scope == "client" else limit.overall


def _retry_after(limit: Limit, now: float) -> int:
    return int(limit.window - now % limit.window) + 1


def exceeded(limit: Limit, *, client: str | None, now: float | None = None) -> str | None:
    """Which limit is used up ("client" or "overall"), or None; counts nothing."""
    now = time.time() if now is None else now
    for scope, key in _keys(limit, client, now).items():
        if cache.get(key, 0) >= _maximum(limit, scope):
            return scope
    return None


def check(limit: Limit, *, client: str | None, now: float | None = None) -> None:
    """Raise RateLimited when a limit is used up; counts nothing (count with `hit` once accepted)."""
    now = time.time() if now is None else now
    scope = exceeded(limit, client=client, now=now)
    if scope is not None:
        raise RateLimited(limit, scope, _retry_after(limit, now))


def _count(limit: Limit, client: str | None, now: float) -> dict[str, int]:
    counts = {}
    for scope, key in _keys(limit, client, now).items():
        cache.add(key, 0, timeout=limit.window * 2)
        try:
            counts[scope] = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.window * 2)
            counts[scope] = 1
    return counts


def hit(limit: Limit, *, client: str | None, now: float | None = None) -> int:
    """Count one use; return the client's count in this window (the overall count without a client)."""
    counts = _count(limit, client, time.time() if now is None else now)
    return counts.get("client", counts.get("overall", 0))


def take(limit: Limit, *, client: str | None, now: float | None = None) -> int:
    """Count this use and raise RateLimited if it goes over a limit: for attempts that count whether
    or not they succeed. Counting first (an atomic increment) means two requests at the same moment
    cannot both take the last place."""
    now = time.time() if now is None else now
    scope = exceeded(limit, client=client, now=now)
    if scope is not None:  # already used up: do not count, so the window's count stays bounded
        raise RateLimited(limit, scope, _retry_after(limit, now))
    counts = _count(limit, client, now)
    for scope, count in counts.items():
        if count > _maximum(limit, scope):
            raise RateLimited(limit, scope, _retry_after(limit, now))
    return counts.get("client", counts.get("overall", 0))


def allowed(limit: Limit, request) -> bool:
    """Take one from `limit` for this request's client: False when the limit is reached."""
    try:
        take(limit, client=client_of(request))
    except RateLimited:
        return False
    return True
