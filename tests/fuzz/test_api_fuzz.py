"""Schemathesis fuzzes every operation of the project's own OpenAPI document: no 5xx, no answer off its schema.

The demo is loaded first so generated ids often hit real rows; the commissioner's token is sent with every
call, and sales are signed with the demo's ingest key. `FUZZ_EXAMPLES` sets how many examples each operation
gets (a few in `make test`; `make fuzz` by hand).
"""
from __future__ import annotations

import json
import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from coordinator.domain.ingest import signature_for
from tests import snapshots

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def demo_logins(app, clock):
    with app.app_context():
        return snapshots.demo()


def call(case, app, logins) -> None:
    """Send one generated case as its caller would, and check the answer."""
    if case.path != "/api/v1/sales":
        # The WSGI transport hands back the body as sent, undecoded: ask for it plain (compression has its own tests,
        # tests/views/test_compression_and_caching.py).
        case.call_and_validate(headers={"Authorization": f"Bearer {logins.api_token}", "Accept-Encoding": "identity"},
                               checks=CHECKS)
        return
    body = case.body if isinstance(case.body, (bytes, str)) else json.dumps(case.body)
    body = body.encode() if isinstance(body, str) else body
    stamp = str(int(time.time()))
    headers = {"X-Coordinator-Key": logins.ingest_key, "X-Coordinator-Timestamp": stamp, "Content-Type": "application/json",
               "X-Coordinator-Signature": f"sha256={signature_for(logins.ingest_secret, stamp, body)}"}
    response = app.test_client().post("/api/v1/sales", data=body, headers=headers)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_5xx_or_off_its_schema(app, demo_logins, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def fuzz(case):
            call(case, app, demo_logins)

        try:
            fuzz()
        except Exception as error:  # noqa: BLE001 - collected so one run reports every failing operation
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
