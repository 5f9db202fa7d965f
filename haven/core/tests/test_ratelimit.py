"""The one rate limiter: counts per client and overall, in windows, keyed by digests, never addresses."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from haven.core import ratelimit
from haven.core.ratelimit import Limit, RateLimited

pytestmark = pytest.mark.django_db
LIMIT = Limit("test-form", per_client=3, overall=5, window=3600)
NOW = 1_800_000_000.0  # the start of a window: 1_800_000_000 is a multiple of 3600


def request_from(address):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_client_is_refused_past_its_limit_and_another_client_is_not():
    first, second = ratelimit.client_of(request_from("203.0.113.1")), ratelimit.client_of(request_from("203.0.113.2"))
    for _ in range(3):
        ratelimit.take(LIMIT, client=first, now=NOW)

    with pytest.raises(RateLimited) as refused:
        ratelimit.take(LIMIT, client=first, now=NOW)

    assert refused.value.scope == "client"
    assert 0 < refused.value.retry_after <= 3601
    assert ratelimit.take(LIMIT, client=second, now=NOW) == 1


def test_the_overall_limit_counts_every_client_together():
    for number in range(5):
        ratelimit.take(LIMIT, client=ratelimit.client_of(request_from(f"198.51.100.{number}")), now=NOW)

    with pytest.raises(RateLimited) as refused:
        ratelimit.take(LIMIT, client=ratelimit.client_of(request_from("198.51.100.77")), now=NOW)

    assert refused.value.scope == "overall"


def test_the_next_window_starts_afresh():
    client = ratelimit.client_of(request_from("203.0.113.1"))
    for _ in range(3):
        ratelimit.take(LIMIT, client=client, now=NOW)

    assert ratelimit.exceeded(LIMIT, client=client, now=NOW) == "client"
    assert ratelimit.exceeded(LIMIT, client=client, now=NOW + 3600) is None


def test_check_counts_nothing_and_hit_counts_one():
    client = ratelimit.client_of(request_from("203.0.113.1"))
    for _ in range(10):
        ratelimit.check(LIMIT, client=client, now=NOW)
    assert ratelimit.hit(LIMIT, client=client, now=NOW) == 1


def test_a_refused_attempt_is_not_counted_again_and_again():
    client = ratelimit.client_of(request_from("203.0.113.1"))
    for _ in range(20):
        try:
            ratelimit.take(LIMIT, client=client, now=NOW)
        except RateLimited:
            pass
    # Attempts refused because the limit was already reached are not counted: overall, only three were.
    other = ratelimit.client_of(request_from("203.0.113.2"))
    assert ratelimit.take(LIMIT, client=other, now=NOW) == 1


def test_accounts_are_counted_apart_from_addresses(alice, bob):
    alice_client, bob_client = ratelimit.client_of(user=alice), ratelimit.client_of(user=bob)
    assert alice_client != bob_client
    for _ in range(3):
        ratelimit.take(LIMIT, client=alice_client, now=NOW)
    assert ratelimit.exceeded(LIMIT, client=alice_client, now=NOW) == "client"
    assert ratelimit.exceeded(LIMIT, client=bob_client, now=NOW) is None


def test_the_address_digest_is_keyed_and_the_cache_never_holds_the_address():
    digest = ratelimit.address_digest("203.0.113.1")
    assert "203.0.113.1" not in digest and len(digest) == 64
    assert digest == ratelimit.address_digest(" 203.0.113.1 ")
    assert digest != ratelimit.address_digest("203.0.113.2")

    ratelimit.take(LIMIT, client=ratelimit.client_of(request_from("203.0.113.1")), now=NOW)

    keys = [key for key in cache._cache if "test-form" in key]  # the test cache is local memory
    assert keys and not any("203.0.113.1" in key for key in keys)


def test_the_client_is_the_address_django_sees():
    request = request_from("203.0.113.1")
    request.META["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"  # a forged header changes nothing here
    assert ratelimit.client_of(request) == ratelimit.client_of(request_from("203.0.113.1"))
