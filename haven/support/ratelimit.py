"""The one limit on the public safety plan lookup, until the shared haven.core.ratelimit is on main."""

from django.core.cache import cache

from haven.core.audit import client_address

LOOKUPS_PER_WINDOW = 10
WINDOW_SECONDS = 600


def lookup_allowed(request) -> bool:
    """At most LOOKUPS_PER_WINDOW code lookups per address per ten minutes (guessing a code stays hopeless)."""
    key = f"support-plan-copy:{client_address(request) or 'unknown'}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= LOOKUPS_PER_WINDOW
