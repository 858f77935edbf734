"""One world for the authorisation matrix: the demo data, completed with every kind of object a URL can name.

The audited park is Cartesiusweg, the demo park that has run the whole cycle (closed survey, adopted plan, award,
camera network with checks). Per role there is a user on that park and a user on De Hoef, a park of another
municipality: the second one asks for exactly the same URLs, which is what "another park" means to an attacker.
Beside them: an admin and a user without any role. The municipality officers' memberships are municipality-wide.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app import storage, uploads
from app.api.models import ApiScope, ApiToken
from app.auth import services as auth_services
from app.auth import two_factor
from app.auth.models import Membership, Role, SecondFactor, TrustedDevice, User, UserSession
from app.awards.models import Award, SigningLink
from app.cameras import checks, legal
from app.cameras.models import (
    Camera,
    CameraNetwork,
    CheckScore,
    DocumentKind,
    Evaluation,
    FootageRequest,
    NetworkDocument,
    QualityCheck,
)
from app.demo.seed import seed_demo_data
from app.extensions import db
from app.images import SUFFIX as JPEG_SUFFIX
from app.inventory import photos
from app.inventory.models import Figure, FigureImport, Finding, FindingPhoto, Inspection
from app.jobs.registry import JOBS
from app.links import new_link_token
from app.mail.models import OutboxMail
from app.meetings.models import Meeting, MeetingAttendee
from app.parks.models import Company, CompanyImport, Park
from app.plans.models import (
    CalendarFeed,
    CalendarItem,
    CatalogueItem,
    Effort,
    Goal,
    GoalMeasurement,
    Plan,
    PlanAction,
    PlanVersion,
    Theme,
)
from app.sso import services as sso_services
from app.sso.demo import DEMO_PROVIDER_SLUG
from app.sso.models import IdentityProvider
from app.stakeholders.models import Organisation, Stakeholder
from app.surveys.invitations import typed_code
from app.surveys.models import Survey, SurveyInvitation, SurveyStatus
from tests.factories import image_bytes, link_of, make_api_token, make_membership, make_session, make_user

OWN_PARK = "Cartesiusweg"
OTHER_PARK = "De Hoef"
DISCOVERY_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    park: Park
    other_park: Park
    admin: User
    no_role: User
    own: dict[Role, User]
    other: dict[Role, User]
    #: converter name -> value, for every URL rule; `overrides` gives other values to one blueprint or endpoint
    values: dict[str, object]
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)
    #: user id -> the secret of a read-and-write API token
    api_secrets: dict[int, str] = field(default_factory=dict)
    #: the uploaded files of the world: a deletion removes its file at once, a rollback does not bring it back
    files: dict[str, bytes] = field(default_factory=dict)

    def restore_files(self) -> None:
        backend = storage.backend()
        for key, data in self.files.items():
            if backend.info(key) is None:
                backend.put(key, data)


def _first(model, *where):
    found = db.session.scalars(select(model).where(*where).order_by(model.id).limit(1)).first()
    assert found is not None, f"the demo data has no {model.__name__} for the matrix"
    return found


def _add(obj):
    db.session.add(obj)
    return obj


def _users(park: Park) -> dict[Role, User]:
    """One user per role on `park`; the municipality officer's membership covers every park of the municipality."""
    users = {}
    for role in Role:
        user = make_user(name=f"{role.value} {park.name}")
        if role == Role.MUNICIPALITY:
            make_membership(user, role, municipality=park.municipality)
        else:
            ends_on = date.today() + timedelta(days=30) if role == Role.AUDITOR else None
            make_membership(user, role, park=park, ends_on=ends_on)
        users[role] = user
    return users


def build_world() -> World:
    now = datetime.now(UTC)
    seed_demo_data(now=now)
    park = _first(Park, Park.name == OWN_PARK)
    other_park = _first(Park, Park.name == OTHER_PARK)
    cycle = park.cycles[-1]
    admin = make_user(name="Matrix Admin", is_admin=True)
    own = _users(park)
    other = _users(other_park)
    no_role = make_user(name="Zonder rol")

    network = _first(CameraNetwork, CameraNetwork.park_id == park.id)
    check = _first(QualityCheck, QualityCheck.network_id == network.id)
    score = _first(CheckScore, CheckScore.check_id == check.id)
    score.photo_name = uploads.store(checks.PHOTO_FOLDER, JPEG_SUFFIX, image_bytes())
    document = _add(
        NetworkDocument(
            network=network,
            kind=next(iter(DocumentKind)),
            stored_name=uploads.store(legal.SUBFOLDER, legal.SUFFIX, PDF),
            original_name="convenant.pdf",
            size=len(PDF),
        )
    )
    inspection = _first(Inspection, Inspection.cycle_id == cycle.id)
    finding = _first(Finding, Finding.inspection_id == inspection.id)
    jpeg = image_bytes()
    photo = _add(
        FindingPhoto(
            finding=finding,
            stored_name=uploads.store(photos.SUBFOLDER, photos.SUFFIX, jpeg),
            original_name="foto.jpg",
            content_type="image/jpeg",
            size=len(jpeg),
            width=64,
            height=48,
        )
    )
    goal = _first(Goal, Goal.cycle_id == cycle.id)
    measurement = _add(GoalMeasurement(goal=goal, measured_on=date.today(), value=1.0))
    item = _add(CatalogueItem(park=park, title="Extra lantaarnpaal", theme=next(iter(Theme)), effort=Effort.LOW))
    company_import = _add(CompanyImport(park=park, filename="register.csv", rows=[]))
    figure_import = _add(FigureImport(park=park, filename="cijfers.csv", rows=[]))
    feed = _add(CalendarFeed(park=park, token=secrets.token_urlsafe(32)))

    open_survey = _first(Survey, Survey.status == SurveyStatus.OPEN)
    open_survey.public_token = open_survey.public_token or "matrix-public-link"
    survey = _first(Survey, Survey.cycle_id == cycle.id)
    invited = _first(User, User.password_hash.is_(None))
    meeting = _first(Meeting, Meeting.cycle_id == cycle.id)
    plan = _first(Plan, Plan.cycle_id == cycle.id)
    secret_key = current_app.config["SECRET_KEY"]
    # the admin has a second factor and a remembered browser, so that the pages managing them show their forms
    _add(
        SecondFactor(
            user_id=admin.id,
            secret_encrypted=two_factor.encrypt(two_factor.new_secret(), secret_key=secret_key),
            enrolled_at=now,
        )
    )
    two_factor.remember_device(admin, label="Matrix", now=now, secret_key=secret_key)
    signing_token, signing_digest = new_link_token()
    _add(
        SigningLink(
            award=_first(Award, Award.cycle_id == cycle.id),
            stakeholder_id=_first(Stakeholder, Stakeholder.cycle_id == cycle.id).id,
            token_digest=signing_digest,
            email="tekenbevoegde@matrix.example",
            sent_at=now,
            expires_at=now + timedelta(days=30),
        )
    )
    db.session.flush()
    provider = _first(IdentityProvider, IdentityProvider.slug == DEMO_PROVIDER_SLUG)
    # no provider process runs here: its discovery document is as if fetched, so a sign-in starts without one
    sso_services._metadata[provider.issuer] = (
        time.monotonic(),
        {"issuer": provider.issuer, **{e: f"{provider.issuer}/{e}" for e in DISCOVERY_ENDPOINTS}},
    )

    values = {
        "park_id": park.id,
        "company_id": _first(Company, Company.park_id == park.id).id,
        "camera_id": _first(Camera, Camera.network_id == network.id).id,
        "check_id": check.id,
        "score_id": score.id,
        "evaluation_id": _first(Evaluation, Evaluation.network_id == network.id).id,
        "document_id": document.id,
        "request_id": _first(FootageRequest, FootageRequest.network_id == network.id).id,
        "figure_id": _first(Figure, Figure.park_id == park.id).id,
        "stakeholder_id": _first(Stakeholder, Stakeholder.cycle_id == cycle.id).id,
        "goal_id": goal.id,
        "measurement_id": measurement.id,
        "action_id": _first(PlanAction, PlanAction.plan_id == plan.id).id,
        "item_id": item.id,
        "version_id": _first(PlanVersion, PlanVersion.plan_id == plan.id).id,
        "inspection_id": inspection.id,
        "finding_id": finding.id,
        "photo_id": photo.id,
        "meeting_id": meeting.id,
        "attendee_id": _first(MeetingAttendee, MeetingAttendee.meeting_id == meeting.id).id,
        "calendar_item_id": _first(CalendarItem, CalendarItem.cycle_id == cycle.id).id,
        "invitation_id": _first(SurveyInvitation, SurveyInvitation.survey_id == survey.id).id,
        "survey_id": survey.id,
        "number": 1,
        "mail_id": _first(OutboxMail).id,
        "user_id": invited.id,
        "organisation_id": _first(Organisation).id,
        "membership_id": _first(Membership, Membership.user_id == invited.id).id,
        "name": next(iter(JOBS)),
        "slug": provider.slug,
        "provider_id": provider.id,
        "rule_id": provider.rules[0].id,
        "filename": "favicon.svg",
        "device_id": _first(TrustedDevice, TrustedDevice.user_id == admin.id).id,
    }
    overrides = {
        "companies": {"import_id": company_import.id},
        "figures": {"import_id": figure_import.id},
        "calendar_feed": {"token": feed.token},
        "respond.start": {"token": link_of(_first(SurveyInvitation, SurveyInvitation.survey_id == open_survey.id))},
        "typed_link.open": {
            "code": typed_code(_first(SurveyInvitation, SurveyInvitation.survey_id == open_survey.id).link_id)
        },
        "respond.submit": {"token": link_of(_first(SurveyInvitation, SurveyInvitation.survey_id == open_survey.id))},
        "respond.public": {"token": open_survey.public_token},
        "respond.challenge": {"token": open_survey.public_token},
        "respond.submit_public": {"token": open_survey.public_token},
        "award_signing.start": {"token": signing_token},
        "auth.accept_invitation": {
            "token": auth_services.make_token(invited, auth_services.INVITATION, secret_key=secret_key)
        },
        "auth.reset_password": {
            "token": auth_services.make_token(own[Role.ADVISOR], auth_services.PASSWORD_RESET, secret_key=secret_key)
        },
    }
    everyone = [admin, no_role, *own.values(), *other.values()]
    # a write token for everyone, also where no role allows one (made when one did): the park must refuse, not the scope
    api_secrets = {user.id: make_api_token(user, ApiScope.WRITE, name="Matrix") for user in everyone}
    # api_tokens.revoke: the matrix sends each user's own token; a visitor without a login names this one
    values["token_id"] = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == own[Role.ADVISOR].id))
    # auth.end_session: the matrix names each user's own session; a visitor without a login names this one
    make_session(own[Role.ADVISOR])
    values["session_id"] = db.session.scalar(select(UserSession.id).where(UserSession.user_id == own[Role.ADVISOR].id))
    db.session.flush()
    keys = (
        uploads.key_of(checks.PHOTO_FOLDER, score.photo_name, JPEG_SUFFIX),
        uploads.key_of(legal.SUBFOLDER, document.stored_name, legal.SUFFIX),
        uploads.key_of(photos.SUBFOLDER, photo.stored_name, photos.SUFFIX),
    )
    files = {key: storage.backend().get(key) for key in keys}
    return World(
        park=park,
        other_park=other_park,
        admin=admin,
        no_role=no_role,
        own=own,
        other=other,
        values=values,
        overrides=overrides,
        api_secrets=api_secrets,
        files=files,
    )
