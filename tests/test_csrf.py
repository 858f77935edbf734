"""Every route that accepts POST refuses a request without a valid CSRF token and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.auth import services
from app.auth.models import Role
from app.cameras.models import Camera, CameraNetwork, CameraType
from app.db import Base
from app.mail.models import MailStatus
from app.meetings.models import Meeting, MeetingAttendee, MeetingKind
from app.parks.models import Company, CompanyImport
from app.parks.services import active_cycle
from app.plans.models import CalendarItem, CalendarKind, CatalogueItem, Direction, Goal, Plan, PlanAction, Theme
from app.sso.models import IdentityProvider, RoleRule
from app.stakeholders.models import PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.invitations import new_invitation
from app.surveys.models import Survey, SurveyStatus
from tests.factories import make_membership, make_organisation, make_outbox_mail, make_park, make_user

# Plausible, otherwise valid form data, so that only the token is wrong.
FORM_DATA = {
    "email": "new@example.nl",
    "name": "Nieuwe naam",
    "password": "a long enough passphrase",
    "confirm": "a long enough passphrase",
    "locale": "en",
    "lang": "en",
    "organisation_id": "0",
    "type": "politie",
    "municipality_id": "0",
    "user-name": "Nieuwe naam",
    "user-organisation_id": "0",
    "user-is_active": "y",
    "membership-role": "partner",
    "membership-scope": "",
}


def _row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables
    }


#: JSON posts authorised by an unguessable link instead of a session; they are exempt from CSRF on purpose
TOKEN_AUTHORISED = {"respond.submit", "respond.submit_public"}
#: pages behind a personal link whose unknown link is a 404 before the form is read (their CSRF check with a valid
#: link is tested with the page: tests/awards/test_award_signing.py)
LINK_PAGES = {"award_signing.start"}
#: the API's writes are authorised by a bearer token, never by a session cookie
API_ENDPOINTS = "api-"


def _post_urls(app, values: dict[str, object], tokens: dict[str, str]) -> list[tuple[str, str]]:
    adapter = app.url_map.bind("localhost")
    return [
        (
            rule.endpoint,
            adapter.build(
                rule.endpoint,
                # the token check comes before the view: an id without a row of its own (1) builds a valid URL too
                {arg: tokens[rule.endpoint] if arg == "token" else values.get(arg, 1) for arg in rule.arguments},
            ),
        )
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
    ]


@pytest.mark.parametrize("token", [None, "garbage"])
def test_post_without_a_valid_token_is_refused_and_writes_nothing(app, login_as, db, token):
    admin = make_user(is_admin=True, email="admin@example.nl")
    park = make_park()
    invited = make_user(password=None, email="invited@example.nl")
    membership = make_membership(make_user(), Role.PARTNER, park=park)
    organisation = make_organisation()
    failed_mail = make_outbox_mail(status=MailStatus.FAILED, attempts=8)
    company = Company(name="Van Hal", street="Atoomweg", house_number=1, postcode="3542AB")
    park.companies.append(company)
    stakeholder = Stakeholder(organisation=organisation, role=PpsRole.OVERIG)
    active_cycle(park).stakeholders.append(stakeholder)
    survey = Survey(
        park=park, cycle=active_cycle(park), title="Enquête", definition=load_default(), status=SurveyStatus.OPEN
    )
    invitation = new_invitation(survey=survey)
    db.session.add_all([survey, invitation])
    pending_import = CompanyImport(park=park, user_id=admin.id, filename="bedrijven.csv", rows=[])
    db.session.add(pending_import)
    # pages that load their object before the form checks the token need a real one
    cycle = active_cycle(park)
    plan = Plan(cycle=cycle, starts_on=date(2026, 1, 1))
    goal = Goal(
        cycle=cycle,
        theme=Theme.SCHOON,
        title="Doel",
        indicator="Indicator",
        direction=Direction.UP,
        target=1,
        deadline=date(2027, 1, 1),
    )
    action = PlanAction(plan=plan, title="Actie", quarter=1, due_on=date(2026, 3, 31))
    item = CatalogueItem(park=park, title="Maatregel", theme=Theme.SCHOON)
    calendar_item = CalendarItem(cycle=cycle, kind=CalendarKind.ALERT, title="Alertavond", on=date(2026, 12, 1))
    network = CameraNetwork(park=park, name="Camera's")
    camera = Camera(network=network, code="C1", type=CameraType.FIXED, lat=52.1, lon=5.1)
    meeting = Meeting(
        cycle=cycle,
        kind=MeetingKind.WORKING,
        title="Overleg",
        starts_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
        ends_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
        uid="csrf",
        minutes="",
    )
    attendee = MeetingAttendee(meeting=meeting, name="X", email="x@example.nl")
    provider = IdentityProvider(slug="csrf", name="Inlogdienst", issuer="https://login.example", client_id="vb")
    rule = RoleRule(provider=provider, claim_value="groep", role=Role.MUNICIPALITY, municipality=park.municipality)
    db.session.add_all([plan, goal, action, item, calendar_item, network, camera, meeting, attendee, provider, rule])
    db.session.flush()
    values = {
        "mail_id": failed_mail.id,
        "company_id": company.id,
        "import_id": pending_import.id,
        "stakeholder_id": stakeholder.id,
        "invitation_id": invitation.id,
        "user_id": invited.id,
        "membership_id": membership.id,
        "organisation_id": organisation.id,
        "park_id": park.id,
        "goal_id": goal.id,
        "action_id": action.id,
        "item_id": item.id,
        "calendar_item_id": calendar_item.id,
        "camera_id": camera.id,
        "meeting_id": meeting.id,
        "attendee_id": attendee.id,
        "provider_id": provider.id,
        "rule_id": rule.id,
    }
    # a valid link for each page behind one, so that only the CSRF token is wrong
    tokens = {
        "auth.accept_invitation": services.make_token(invited, services.INVITATION, secret_key=app.secret_key),
        "auth.reset_password": services.make_token(invited, services.PASSWORD_RESET, secret_key=app.secret_key),
        # the answer posts are JSON authorised by the link's token, not by a session: they need no CSRF token
        "respond.submit": "any-token",
        "respond.submit_public": "any-token",
        "award_signing.start": "any-token",
    }
    data = {**FORM_DATA, "municipality_id": str(park.municipality_id), "membership-scope": f"park:{park.id}"}
    if token:
        data |= {"csrf_token": token, "user-csrf_token": token, "membership-csrf_token": token}
    urls = _post_urls(app, values, tokens)
    assert len(urls) >= 10
    anonymous, admin_client = app.test_client(), login_as(admin)
    before = _row_counts(db)
    for endpoint, url in urls:
        response = anonymous.post(url, data=data, csrf=False)
        if endpoint in TOKEN_AUTHORISED | LINK_PAGES or endpoint.startswith(API_ENDPOINTS):
            assert 400 <= response.status_code < 500, url  # a form post, or an unknown link: refused
            continue
        if response.status_code == 302 and response.headers["Location"].startswith("/inloggen"):
            response = admin_client.post(url, data=data, csrf=False)  # a page behind the login
        assert response.status_code == 400, url
        assert "Uw formulier was verlopen of kwam niet van deze site" in response.get_data(as_text=True), url
    db.session.expire_all()
    assert _row_counts(db) == before
