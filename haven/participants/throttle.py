"""A limit on lookups by code that find nobody, per staff account.

A code is short enough to guess: someone holding a staff account or an API token could try codes
one after another to learn who is enrolled. People mistype a code now and then; they do not miss
dozens of times in a few minutes. Past the limit, lookups by code answer "try again later" until the
window ends (lookups by display id, enrolment and visit logging keep working). The counter lives in
the process's cache: `haven serve` is one process, so it is the server's count.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 600


def _key(user, now: float) -> str:
    return f"haven:lookup-misses:{user.pk}:{int(now // WINDOW_SECONDS)}"


def lookup_misses_exceeded(user, *, now: float | None = None) -> bool:
    """True when this account has missed too often in the current ten-minute window."""
    if user is None or user.pk is None:
        return False
    return cache.get(_key(user, now or time.time()), 0) >= settings.HAVEN_LOOKUP_MISS_LIMIT


def lookup_miss_record(user, *, now: float | None = None) -> int:
    """Count one lookup that found nobody; return the count in this window."""
    if user is None or user.pk is None:
        return 0
    key = _key(user, now or time.time())
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1
