from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import DigestFrequency, Membership, Role, User
from app.demo import DEMO_PASSWORD, seed_demo_data
from app.mail.models import MailStatus, OutboxMail
from app.parks.models import Park
from app.parks.services import active_cycle
from app.stakeholders.models import Organisation, OrganisationType
from tests.conftest import Client


def _counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Park, Organisation, Membership, AuditEvent, OutboxMail)
    }


def test_seed_demo_is_complete_and_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output and "adviseur@" in result.output
    first = _counts(db)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts(db) == first

    types = set(db.session.scalars(select(Organisation.type)))
    assert types == set(OrganisationType)
    roles = set(db.session.scalars(select(Membership.role)))
    assert roles == set(Role)
    assert db.session.scalar(select(func.count(Park.id))) >= 3
    assert db.session.scalar(select(User).where(User.is_admin)) is not None

    # mail and jobs: invitations waiting in the outbox, one failed mail, several digest choices
    invited = db.session.scalars(select(User).where(User.password_hash.is_(None))).all()
    assert len(invited) >= 2
    queued = {m.recipient for m in db.session.scalars(select(OutboxMail).where(OutboxMail.status == MailStatus.QUEUED))}
    assert {u.email for u in invited} <= queued
    assert db.session.scalar(select(func.count(OutboxMail.id)).where(OutboxMail.status == MailStatus.FAILED)) == 1
    assert set(db.session.scalars(select(User.digest_frequency))) == set(DigestFrequency)

    # the process: every park has its active cycle; the demo parks are at different steps, with areas and companies
    steps = {p.name: active_cycle(p).current_step for p in db.session.scalars(select(Park))}
    assert steps["Lage Weide"] == 3 and steps["Papendorp"] == 1 and steps["Cartesiusweg"] == 6
    assert len(set(steps.values())) >= 4
    lage_weide = db.session.scalar(select(Park).where(Park.name == "Lage Weide"))
    assert lage_weide.area is not None and len(lage_weide.companies) >= 5
    assert len(active_cycle(lage_weide).stakeholders) == 4 and len(active_cycle(lage_weide).transitions) == 2


def test_every_demo_account_can_log_in(app, db):
    from datetime import UTC, datetime

    accounts = seed_demo_data(now=datetime.now(UTC))
    db.session.commit()
    for email, _description, password in accounts:
        client: Client = app.test_client()
        response = client.post("/inloggen", data={"email": email, "password": password})
        assert response.status_code == 302, email


def test_create_admin(app, db):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Root@Example.nl", "--name", "Root"],
        input="a long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.nl"))
    assert user.is_admin and user.has_password
    short = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "x@example.nl", "--name", "X"], input="short\nshort\n"
    )
    assert short.exit_code != 0 and "12" in short.output
