"""The limit on the public safety plan lookup, with the shared rate limiter (haven.core.ratelimit)."""

from haven.core import ratelimit

LOOKUPS_PER_WINDOW = 10
WINDOW_SECONDS = 600
PLAN_LOOKUP = ratelimit.Limit("support-plan-copy", per_client=LOOKUPS_PER_WINDOW, window=WINDOW_SECONDS)


def lookup_allowed(request) -> bool:
    """At most LOOKUPS_PER_WINDOW code lookups per address per ten minutes (guessing a code stays hopeless)."""
    return ratelimit.allowed(PLAN_LOOKUP, request)
