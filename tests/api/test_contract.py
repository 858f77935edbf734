"""The contract: schemathesis generates requests for every operation of the served OpenAPI document, with a valid
read-write token, and checks that no answer is a 5xx and that every answer is what the document promises."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db as _db
from app.inventory.models import Figure, FigureSource
from tests.factories import make_company, make_member, make_park

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.10, 52.10], [5.11, 52.10], [5.11, 52.11], [5.10, 52.11], [5.10, 52.10]]],
}


@pytest.fixture
def contract(app, db, make_token, monkeypatch):
    """A park with an area, companies and figures; an advisor's read-write token; the served document."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000/minute")
    park = make_park(name="Lage Weide")
    park.area, park.area_lat, park.area_lon = SQUARE, 52.105, 5.105
    make_park(name="Papendorp")
    make_company(park, name="Transport Van Dam", kvk_number="12345678", lat=52.105, lon=5.105)
    make_company(park, name="Bakkerij Jansen", house_number=2)
    _db.session.add(
        Figure(
            park=park, source=FigureSource.POLITIE, category="overval", year=date.today().year - 1, quarter=2, count=4
        )
    )
    secret = make_token(make_member(Role.ADVISOR, park), ApiScope.WRITE)
    _db.session.commit()
    return {"park_id": park.id, "secret": secret}


def test_every_operation_keeps_the_contract(app, contract):
    # Loaded eagerly and driven with Hypothesis directly: schemathesis' pytest integration (`from_fixture`) does not
    # run under pytest 9.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    headers = {"Authorization": f"Bearer {contract['secret']}"}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case):
                # Half of the park ids point at the token's park, so that 200s are tested too, not only 404s.
                park_id = (case.path_parameters or {}).get("park_id")
                if isinstance(park_id, int) and park_id % 2 == 0:
                    case.path_parameters["park_id"] = contract["park_id"]
                case.call_and_validate(headers=headers, checks=CHECKS)

            check()
    # A valid count, which random data seldom is: the 201 keeps the contract too.
    post = next(op for op in operations if op.method.upper() == "POST" and op.path.endswith("/figures"))
    body = {"source": "politie", "category": "overval", "year": date.today().year - 1, "quarter": 1, "count": 7}
    case = post.Case(path_parameters={"park_id": contract["park_id"]}, body=body, media_type="application/json")
    assert case.call_and_validate(headers=headers, checks=CHECKS).status_code == 201
