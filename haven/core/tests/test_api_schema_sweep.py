"""Schemathesis over the whole API: no 5xx from any input, and every answer is what the schema says.

Every operation gets valid and invalid requests (fixed seed, a bounded number of each), sent through
the WSGI app with a bearer token as staff Bob and as coordinator Dana. A response fails the sweep if
it is a server error, has a status or content type the schema does not declare, has a body that does
not match the declared schema, or accepts a request that the schema says is invalid.

The API has no database-specific code path that input alone reaches, so the sweep runs once, on
SQLite (on PostgreSQL it is skipped, like the other database-independent sweeps).
"""

import traceback

import pytest
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, Phase, given, settings

from haven.core.tests.test_api import token_for

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import CHECKS, load_all_checks  # noqa: E402

EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 30}
CHECK_NAMES = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]


def _checks():
    load_all_checks()
    return [CHECKS.get_one(name) for name in CHECK_NAMES]


def _sweep(schema, token) -> list[str]:
    """Run every operation of the schema; the failures, one message per operation and mode."""
    server_errors = []

    def record(sender, request, **kwargs):
        server_errors.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(record)
    try:
        return _sweep_operations(schema, token, server_errors)
    finally:
        got_request_exception.disconnect(record)


def _sweep_operations(schema, token, server_errors) -> list[str]:
    checks = _checks()
    headers = {"Authorization": f"Bearer {token}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES_PER_OPERATION.items():

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def send(case):
                case.call_and_validate(headers=headers, checks=checks)

            try:
                send()
            except (Exception, BaseExceptionGroup) as error:  # collect them all, report them together
                failures.append(f"{operation.label} ({mode.value}): {error}" + "".join(server_errors[-1:]))
            server_errors.clear()
    return failures


@pytest.fixture
def api_schema(db):
    if connection.vendor != "sqlite":
        pytest.skip("database-independent sweep: runs once, on SQLite")
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["bob", "dana"])
def test_no_input_gives_a_server_error_or_an_answer_the_schema_does_not_declare(persona, api_schema, request):
    user = request.getfixturevalue(persona)
    failures = _sweep(api_schema, token_for(user))
    assert not failures, "\n\n".join(failures)
