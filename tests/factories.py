"""Plain factory functions: keyword defaults, flush, return the object."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, date, datetime, timedelta

from PIL import Image
from reportlab.pdfgen import canvas
from werkzeug.security import generate_password_hash

from app.api import tokens
from app.api.models import ApiScope
from app.auth.models import Membership, Role, User, UserSession
from app.auth.sessions import hash_token
from app.extensions import db
from app.mail.models import MailStatus, OutboxMail
from app.parks.models import Company, Park
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType
from app.surveys.invitations import link_token, new_invitation
from app.surveys.models import Survey, SurveyInvitation, SurveyResponse

PASSWORD = "correct horse battery staple"
# Hashing with scrypt costs ~50 ms; tests share one hash of the same password.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")
_seq = itertools.count(1)


def make_organisation(*, name: str | None = None, type: OrganisationType = OrganisationType.GEMEENTE) -> Organisation:
    organisation = Organisation(name=name or f"Organisatie {next(_seq)}", type=type)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def make_park(*, name: str | None = None, municipality: Organisation | None = None) -> Park:
    """A park with its first cycle active at step 1, as create_park leaves it."""
    park = Park(name=name or f"Park {next(_seq)}", municipality=municipality or make_organisation())
    db.session.add(park)
    start_cycle(park, number=1, today=date.today(), now=datetime.now(UTC))
    return park


def make_user(
    *,
    email: str | None = None,
    name: str = "Test Gebruiker",
    is_admin: bool = False,
    password: str | None = PASSWORD,
    locale: str = "nl",
    organisation: Organisation | None = None,
) -> User:
    user = User(
        email=email or f"user{next(_seq)}@example.nl",
        name=name,
        is_admin=is_admin,
        locale=locale,
        organisation=organisation,
        password_hash=_PASSWORD_HASH
        if password == PASSWORD
        else (generate_password_hash(password, method="scrypt") if password else None),
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_session(user: User, *, method: str = "password", started_at: datetime | None = None) -> str:
    """A signed-in session of `user`, as a sign-in makes it; the token its cookie carries."""
    token = f"session-{next(_seq)}-{user.id}"
    started_at = started_at or datetime.now(UTC)
    db.session.add(
        UserSession(
            user=user, token_hash=hash_token(token), method=method, started_at=started_at, last_seen_at=started_at
        )
    )
    db.session.flush()
    return token


def make_membership(
    user: User,
    role: Role,
    *,
    park: Park | None = None,
    municipality: Organisation | None = None,
    ends_on: date | None = None,
) -> Membership:
    membership = Membership(user=user, role=role, park=park, municipality=municipality, ends_on=ends_on)
    db.session.add(membership)
    db.session.flush()
    return membership


def make_member(role: Role, park: Park, **user_kwargs) -> User:
    """A user with `role` on `park` (an auditor gets an end date a month ahead)."""
    user = make_user(**user_kwargs)
    ends_on = date.today() + timedelta(days=30) if role == Role.AUDITOR else None
    make_membership(user, role, park=park, ends_on=ends_on)
    return user


def make_partner(park: Park, keeps: OrganisationType = OrganisationType.POLITIE, **user_kwargs) -> User:
    """A partner on `park` who works for an organisation of the type `keeps` (the police by default)."""
    return make_member(Role.PARTNER, park, organisation=make_organisation(type=keeps), **user_kwargs)


def make_api_token(user: User, scope: ApiScope = ApiScope.READ, *, name: str = "Koppeling") -> str:
    """The secret of a new API token of `user`, stored as `tokens.create_token` stores it but past its rules: a
    write token may outlive the role that allowed it, and the API must still refuse what the user may not do."""
    created = tokens.new_token(user, name=name, scope=scope, now=datetime.now(UTC))
    db.session.add(created.token)
    db.session.flush()
    return created.secret


def make_outbox_mail(**overrides) -> OutboxMail:
    values = dict(
        recipient="olga@example.nl",
        subject="Uitnodiging",
        text_body="Kies een wachtwoord: https://x/y",
        html_body="<p>x</p>",
        locale="nl",
        status=MailStatus.SENT,
        attempts=1,
    )
    mail = OutboxMail(**(values | overrides))
    db.session.add(mail)
    db.session.flush()
    return mail


def make_company(park: Park, **overrides) -> Company:
    """A company in the park's register, written directly (no actor, no checks)."""
    values = {
        "name": "Transport Van Dam",
        "kvk_number": None,
        "street": "Industrieweg",
        "house_number": 1,
        "house_number_addition": "",
        "postcode": "3542AD",
        "sector": None,
        "email": None,
        "lat": None,
        "lon": None,
    } | overrides
    company = Company(**values)
    park.companies.append(company)
    db.session.flush()
    return company


def make_invitation(survey: Survey, **values) -> SurveyInvitation:
    """A personal invitation to `survey` (company, sector, status... as given), made as the app makes them."""
    invitation = new_invitation(**values)
    survey.invitations.append(invitation)
    db.session.flush()
    return invitation


def link_of(invitation: SurveyInvitation) -> str:
    """The token of the invitation's personal link, as its letter prints it."""
    return link_token(invitation.link_id)


def make_response(survey: Survey, answers: dict | None = None, **values) -> SurveyResponse:
    """A stored answer set, written directly (no checks)."""
    response = SurveyResponse(survey_id=survey.id, answers=answers or {}, **values)
    db.session.add(response)
    db.session.flush()
    return response


def pdf_bytes() -> bytes:
    """A small real PDF (one page), as a covenant or DPIA upload."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Convenant")
    page.save()
    return out.getvalue()


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), mode: str = "RGB", **save) -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()
