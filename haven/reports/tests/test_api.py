"""The reports API operations, called as the router would call them (haven/api.py mounts it).

Access (who may call) is the matrix's job and is tested with the other URLs once mounted; here:
what comes back, and that bad input is a clear 400.
"""

import pytest
from django.test import RequestFactory

from haven.reports import api
from haven.reports.tests.fixed_program import make_fixed_program


@pytest.fixture
def program(dana, places):
    return make_fixed_program(dana, places)


def call(function, dana, **kwargs):
    request = RequestFactory().get("/api/reports/")
    request.auth = request.user = dana
    return function(request, **kwargs)


def test_managers_get_exact_indicators_marked_as_exact(program, dana):
    body = call(api.indicators, dana, params=api.IndicatorsQuery(period="2025-10", rule="month", by="site"))

    values = {row["key"]: row["values"]["total"] for row in body["indicators"]}
    assert body["kind"] == "exact"
    assert values["encounters"] == 5 and values["unique_participants"] == 3 and values["naloxone_doses"] == 4
    by_site = {row["key"]: row["values"] for row in body["indicators"]}["encounters"]
    assert by_site["North drop-in"] == 3 and by_site["East van"] == 2


def test_the_shared_report_is_suppressed(program, dana):
    body = call(api.report, dana, slug="ssp-annual-summary", params=api.ReportQuery(period="2025"))

    assert body["kind"] == "shareable"
    first = body["sections"][0]["rows"][0]
    assert first["indicator"] == "encounters" and first["cells"][-1] == "<11"


@pytest.mark.parametrize("params, message", [
    (dict(period="2025-13", rule="month"), "There is no month 13"),
    (dict(period="2025", rule="decade"), "Unknown rule"),
    (dict(period="2025-10", rule="month", by="colour"), "Unknown breakdown"),
    (dict(period="2025-10", rule="month", site=999999), "There is no site 999999"),
    (dict(period="2025-10", rule="month", mode="teleport"), "Unknown service mode"),
])
def test_bad_input_is_a_clear_400(db, dana, params, message):
    status = call(api.indicators, dana, params=api.IndicatorsQuery(**params))

    assert status.status_code == 400
    assert status.value["detail"].startswith(message)


def test_an_unknown_template_is_404(db, dana):
    status = call(api.report, dana, slug="nope", params=api.ReportQuery(period="2025"))

    assert status.status_code == 404
