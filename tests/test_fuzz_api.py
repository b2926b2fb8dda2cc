"""Schemathesis against the API's own OpenAPI schema, as a signed-in clerk and leader: every
operation the schema lists (new ones included, without touching this test) is called with
generated data, valid and invalid, and every answer must be no server error and exactly what
the schema says (status code, content type, body). (Issue 15, "In CI".)

Half the calls fit the schema, half do not (Schemathesis' positive and negative modes).
Path ids are drawn from the real objects of tests/fuzz_data.py as well as generated, so the
operations reach their code and not only a 404. Bounded: FUZZ_API_EXAMPLES examples per
operation and role (about a minute and a half in all; FUZZ_API_EXAMPLES=100 for a deeper run)."""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode

from config.wsgi import application
from tests.fuzz_data import fuzz_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "15"))
ROLES = ("ward clerk", "ward leader", "city clerk", "city leader")
# Zero server errors, zero schema violations: the checks that say so.
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


@dataclass
class Findings:
    calls: int = 0
    failures: dict[str, set[str]] = field(default_factory=dict)

    def add(self, operation: str, problem: str) -> None:
        self.failures.setdefault(operation, set()).add(problem[:300])


@pytest.fixture
def django_in_process():
    """Schemathesis calls the WSGI application in this thread, inside the test's transaction:
    like Django's test client, keep the request signals from closing that connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def both_kinds_of_data(operation):
    """Calls that fit the schema and calls that do not (a wrong type, a missing field, a value
    out of its bounds): the first must succeed or be refused as documented, the second refused."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    with contextlib.suppress(Exception):  # an operation without input has nothing to break
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(*strategies)


def fuzz_operation(operation, headers: dict, ids: list[int], checks: list, findings: Findings) -> None:
    real_id = st.sampled_from([None, *ids])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=both_kinds_of_data(operation), pick=real_id)
    def run(case, pick):
        if pick is not None:
            for name in case.path_parameters or {}:
                if name in ("id", "pk") or name.endswith("_pk"):
                    case.path_parameters[name] = pick
        response = case.call(headers=headers)
        findings.calls += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                findings.add(operation.label, f"{response.status_code} {failure.title}: {failure.message}")
        except AssertionError as failure:
            findings.add(operation.label, f"{response.status_code} {failure}")

    with contextlib.suppress(Unsatisfiable):  # an operation no generated call can satisfy
        run()


def test_the_api_answers_every_generated_call_as_its_schema_says(ward, other_ward, django_in_process, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    caplog.set_level(logging.CRITICAL, logger="axes")  # the token endpoint is fuzzed too
    world = fuzz_world(ward, other_ward)
    load_all_checks()
    checks = CHECKS.get_by_names(list(CHECK_NAMES))
    assert len(checks) == len(CHECK_NAMES)
    findings, operations = Findings(), set()
    for role in ROLES:
        token, _ = Token.objects.get_or_create(user=world["users"][role])
        headers = {"Authorization": f"Token {token.key}"}
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", django_in_process, headers=headers
        )
        for result in schema.get_all_operations():
            operation = result.ok()
            operations.add(operation.label)
            fuzz_operation(operation, headers, world["ids"], checks, findings)
    print(f"API fuzz: {len(operations)} operations, {findings.calls} calls, {len(findings.failures)} failing")
    for operation, problems in sorted(findings.failures.items()):
        print(operation, *sorted(problems), sep="\n    ")
    assert len(operations) >= 30  # the schema was read, not a handful of paths
    assert findings.calls >= len(operations) * len(ROLES)
    assert findings.failures == {}
