"""The participant looks up their result with the code: only the reviewed finding and advice, rate-limited."""

import re

from haven.drugchecking import actions
from haven.drugchecking.tests.support import fentanyl_positive, reviewed

NOT_READY = "There is no result for this code yet"


def without_tokens(page: str) -> str:
    """The page without its per-response CSRF tokens."""
    return re.sub(r'(name="csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]*"', r"\1", page)


def test_the_participant_sees_the_reviewed_finding_and_advice(mdma_pill, bob, anonymous_client, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana, advice="- Do not use alone.\n- Carry naloxone.")

    response = anonymous_client.post("/checking/result/", {"code": code.lower().replace("-", " ")})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Contains something unexpected" in page
    assert "fentanyl" in page and "Carry naloxone." in page
    assert response["Cache-Control"] == "no-store"


def test_the_lookup_reveals_nothing_else_about_the_sample(mdma_pill, bob, anonymous_client, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana)

    page = anonymous_client.post("/checking/result/", {"code": code}).content.decode()

    for private in ("North drop-in", "Northside", "bob", "heart", "pink", "250", "FTS-2026-01",
                    f"/checking/{sample.pk}/", code):
        assert private not in page, private


def test_an_unknown_code_and_a_result_not_reviewed_yet_get_the_same_answer(mdma_pill, bob, anonymous_client):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)  # tested, not reviewed

    pending = anonymous_client.post("/checking/result/", {"code": code}).content.decode()
    unknown = anonymous_client.post("/checking/result/", {"code": "ACDE-FGHJ-KM"}).content.decode()
    mistyped = anonymous_client.post("/checking/result/", {"code": "hello"}).content.decode()

    assert NOT_READY in pending
    assert without_tokens(pending) == without_tokens(unknown)
    assert NOT_READY in mistyped


def test_lookups_are_rate_limited_per_address(mdma_pill, bob, anonymous_client, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana)
    for _ in range(actions.LOOKUPS_PER_HOUR):
        assert anonymous_client.post("/checking/result/", {"code": "ACDE-FGHJ-KM"}).status_code == 200

    blocked = anonymous_client.post("/checking/result/", {"code": code})

    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 3601
    assert "Too many lookups" in blocked.content.decode()
    assert "Carry naloxone" not in blocked.content.decode()
    # Another address is not blocked.
    other = anonymous_client.post("/checking/result/", {"code": code}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200 and "Carry naloxone" in other.content.decode()


def test_the_rate_limit_keeps_a_keyed_digest_never_the_address(anonymous_client, places):
    from django.core.cache import cache

    anonymous_client.post("/checking/result/", {"code": "ACDE-FGHJ-KM"}, REMOTE_ADDR="203.0.113.9")

    keys = [key for key in cache._cache if "drugchecking-public-lookup" in key]  # the test cache is local memory
    assert keys and not any("203.0.113.9" in key for key in keys)
