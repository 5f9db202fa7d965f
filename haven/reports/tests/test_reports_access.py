"""Every reports page gives each persona exactly what the matrix says: peers and staff get 403."""

import pytest
from django.urls import reverse

from haven.accounts import permissions
from haven.accounts.tests.test_permission_matrix import expected_access, observed_access
from haven.reports.access import ACCESS

KWARGS = {"reports-report": {"slug": "ssp-annual-summary"},
          "reports-export": {"slug": "ssp-annual-summary", "file_format": "csv"},
          "reports-template-delete": {"slug": "nothing-here"}}


@pytest.mark.parametrize("persona", ["alice", "dana", "bob", "carol", "anonymous"])
def test_each_persona_gets_what_the_matrix_says_on_every_reports_url(persona, everyone, client_as,
                                                                     anonymous_client):
    person = everyone.get(persona)
    client = client_as(person) if person else anonymous_client
    mismatches = []
    # The API's entries are checked with tokens by the whole-matrix test (test_permission_matrix.py).
    for view_name in sorted(name for name in ACCESS if not name.startswith("api:")):
        url = reverse(view_name, kwargs=KWARGS.get(view_name))
        for method in ("get", "post"):
            rule = permissions.rule_for(view_name, method)
            response = getattr(client, method)(url)
            expected, got = expected_access(person, rule), observed_access(response, False)
            if got != expected:
                mismatches.append(f"{method.upper()} {url}: expected {expected}, got {got} [{response.status_code}]")
    assert mismatches == []


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_staff_and_peers_cannot_see_or_export_reports(persona, everyone, client_as):
    client = client_as(everyone[persona])

    assert client.get(reverse("reports-dashboard")).status_code == 403
    assert client.get(reverse("reports-export", kwargs=KWARGS["reports-export"])).status_code == 403
    assert client.get(reverse("reports-open-data") + "?period=2025").status_code == 403


def test_no_reports_page_is_public():
    assert [name for name, rule in ACCESS.items() if rule == permissions.PUBLIC] == []
