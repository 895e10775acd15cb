"""Schemathesis against the live test server's own OpenAPI schema: anonymous and with a token.

Every operation of the schema gets generated requests (valid and invalid), bounded so the run
stays short; every response must be free of 5xx and conform to the schema (status code, content
type, headers, body). This is the fuzzing that found issue 9's failures, kept in the suite."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from ecocite.web.accounts.models import RoleKind

pytestmark = [pytest.mark.slow]

# Bounded: examples per operation and per way of authenticating (≈ 1 min on a quiet machine).
MAX_EXAMPLES = int(os.environ.get("ECOCITE_SCHEMATHESIS_EXAMPLES", "15"))


# A schema-valid request may still be refused for what a schema cannot say (a city that does not
# exist, a wrong password, a taken identifier): the API answers 400 with the reason, as documented.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture
def seeded(
    city: Any, other_city: Any, good_csv: bytes, framework_key: str, make_user: Any
) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    from ecocite.web.datasets.services import import_upload

    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    admin = make_user("admin", (RoleKind.ADMINISTRATOR, None))
    return {"token": Token.objects.create(user=admin).key}


@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_api_conforms_to_its_schema(live_server: Any, seeded: dict[str, str], who: str) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    headers = {"Authorization": f"Token {seeded['token']}"} if who == "token" else {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                base_url=live_server.url, headers=headers, excluded_checks=EXCLUDED
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
