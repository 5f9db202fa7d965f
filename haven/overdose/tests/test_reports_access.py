"""Every overdose page gives each persona exactly what the matrix says (GET and POST)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts import permissions
from haven.accounts.tests.test_permission_matrix import expected_access, observed_access
from haven.overdose.access import ACCESS
from haven.overdose.models import OverdoseReport


@pytest.mark.parametrize("persona", ["alice", "dana", "bob", "carol", "anonymous"])
def test_each_persona_gets_what_the_matrix_says_on_every_overdose_url(persona, everyone, client_as,
                                                                      anonymous_client):
    person = everyone.get(persona)
    client = client_as(person) if person else anonymous_client
    report = OverdoseReport.objects.create(occurred_at=timezone.now(), source="staff")
    mismatches = []
    for view_name in sorted(ACCESS):
        url = reverse(view_name, kwargs={"report_id": report.pk} if view_name == "overdose-report-detail" else None)
        for method in ("get", "post"):
            rule = permissions.rule_for(view_name, method)
            response = getattr(client, method)(url)
            expected = expected_access(person, rule)
            got = observed_access(response, False)
            if got != expected:
                mismatches.append(f"{method.upper()} {url}: expected {expected}, got {got} [{response.status_code}]")
    assert mismatches == []


def test_the_public_pages_are_public_and_nothing_else_is():
    public = sorted(name for name, rule in ACCESS.items() if rule == permissions.PUBLIC)

    assert public == ["overdose-public-report", "overdose-public-thanks"]
