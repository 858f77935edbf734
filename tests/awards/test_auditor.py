"""The auditor (the certifying body): access to one park for at most six months, and every page they open there is
written to the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import Membership, Role, User
from app.errors import DomainError
from tests.factories import make_member, make_membership, make_park, make_user


def _events(db, action: str = "auditor.viewed") -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# Every page is audited ----------------------------------------------------------------------------------------


def test_every_page_an_auditor_opens_on_the_park_is_audited(login_as, park, db):
    auditor = make_member(Role.AUDITOR, park)
    client = login_as(auditor)
    for path in (f"/parken/{park.id}", f"/parken/{park.id}/deelnemers/", f"/parken/{park.id}/dossier/"):
        assert client.get(path).status_code == 200
    events = _events(db)
    assert [e.details["path"] for e in events] == [
        f"/parken/{park.id}",
        f"/parken/{park.id}/deelnemers/",
        f"/parken/{park.id}/dossier/",
    ]
    assert [e.details["endpoint"] for e in events] == ["parks.detail", "stakeholders.index", "dossier.index"]
    assert {(e.actor_id, e.park_id, e.subject_type, e.subject_id) for e in events} == {
        (auditor.id, park.id, "parks", str(park.id))
    }


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.ENTREPRENEUR])
def test_other_roles_views_are_not_audited(login_as, park, db, role):
    client = login_as(make_member(role, park))
    assert client.get(f"/parken/{park.id}").status_code == 200
    assert _events(db) == []


def test_an_admin_is_not_audited_as_an_auditor(login_as, park, db):
    admin = make_user(is_admin=True)
    make_membership(admin, Role.AUDITOR, park=park, ends_on=date.today() + timedelta(days=30))
    assert login_as(admin).get(f"/parken/{park.id}").status_code == 200
    assert _events(db) == []


def test_the_auditors_views_of_another_park_where_they_hold_another_role_are_not_audited(login_as, park, db):
    elsewhere = make_park(name="Papendorp")
    auditor = make_member(Role.AUDITOR, park)
    make_membership(auditor, Role.PARTNER, park=elsewhere)
    assert login_as(auditor).get(f"/parken/{elsewhere.id}").status_code == 200
    assert _events(db) == []


def test_a_refused_page_is_not_audited(login_as, park, db):
    client = login_as(make_member(Role.AUDITOR, park))
    assert client.get(f"/parken/{park.id}/cameras/vorderingen/").status_code == 403
    assert _events(db) == []


def test_an_auditor_whose_access_ended_is_refused_and_not_audited(login_as, park, db):
    auditor = make_user()
    make_membership(auditor, Role.AUDITOR, park=park, ends_on=date.today() - timedelta(days=1))
    assert login_as(auditor).get(f"/parken/{park.id}/dossier/").status_code == 404
    assert _events(db) == []


def test_a_view_that_commits_itself_keeps_both_its_own_and_the_auditors_row(login_as, park, db):
    client = login_as(make_member(Role.AUDITOR, park))
    response = client.get(f"/parken/{park.id}/dossier/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert [e.details["endpoint"] for e in _events(db)] == ["dossier.download"]
    assert len(_events(db, "dossier.downloaded")) == 1


def test_the_row_is_kept_when_the_view_fails_after_the_check(login_as, park, db):
    # the dossier of a cycle the park does not have is a 404 after the permission check passed
    client = login_as(make_member(Role.AUDITOR, park))
    assert client.get(f"/parken/{park.id}/dossier/?cyclus=9").status_code == 404
    assert [e.details["path"] for e in _events(db)] == [f"/parken/{park.id}/dossier/"]


# Access for a limited period ----------------------------------------------------------------------------------

TODAY = date(2026, 1, 31)


@pytest.fixture
def admin(db):
    return make_user(is_admin=True)


def test_auditor_access_ends_at_most_six_months_ahead(admin, park):
    assert services.auditor_latest_end(TODAY) == date(2026, 7, 31)
    assert services.auditor_latest_end(date(2026, 8, 31)) == date(2027, 2, 28)
    user = make_user()
    with pytest.raises(DomainError, match="hoogstens 6 maanden toegang: kies een einddatum uiterlijk 31 juli 2026"):
        services.add_membership(admin, user, role=Role.AUDITOR, park=park, ends_on=date(2026, 8, 1), today=TODAY)
    membership = services.add_membership(
        admin, user, role=Role.AUDITOR, park=park, ends_on=date(2026, 7, 31), today=TODAY
    )
    assert membership.ends_on == date(2026, 7, 31)


def test_auditor_access_needs_an_end_date(admin, park):
    with pytest.raises(DomainError, match="vul een einddatum in"):
        services.add_membership(admin, make_user(), role=Role.AUDITOR, park=park, today=TODAY)


def test_auditor_access_is_for_one_park_not_a_whole_municipality(admin, park):
    with pytest.raises(DomainError, match="één park"):
        services.add_membership(
            admin,
            make_user(),
            role=Role.AUDITOR,
            municipality=park.municipality,
            ends_on=date(2026, 3, 31),
            today=TODAY,
        )


def test_other_roles_may_have_a_later_end_date(admin, park):
    membership = services.add_membership(
        admin, make_user(), role=Role.PARTNER, park=park, ends_on=date(2027, 12, 31), today=TODAY
    )
    assert membership.ends_on == date(2027, 12, 31)


def test_the_admin_form_refuses_a_far_end_date_with_the_message(login_as, admin, park, db):
    user = make_user()
    response = login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/rollen",
        data={
            "membership-role": "auditor",
            "membership-scope": f"park:{park.id}",
            "membership-ends_on": (date.today() + timedelta(days=400)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Een auditor krijgt hoogstens 6 maanden toegang" in response.get_data(as_text=True)
    assert db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all() == []


# Demo data ----------------------------------------------------------------------------------------------------


def test_demo_auditor_reads_cartesiusweg_for_three_months_and_seeding_twice_adds_nothing(db):
    from app.demo import DEMO_DOMAIN
    from app.dossier.demo import seed_demo

    park = make_park(name="Cartesiusweg")
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    created = seed_demo({"Cartesiusweg": park}, {}, now=now)
    assert len(created) == 2
    user = db.session.scalar(select(User).where(User.email == f"auditor@{DEMO_DOMAIN}"))
    assert [(m.role, m.park_id, m.ends_on) for m in user.memberships] == [(Role.AUDITOR, park.id, date(2027, 2, 28))]
    assert seed_demo({"Cartesiusweg": park}, {user.email: user}, now=now) == []
    # a year later the lapsed access is given again for three months
    assert seed_demo({"Cartesiusweg": park}, {user.email: user}, now=now.replace(year=2027)) == []
    assert user.memberships[0].ends_on == date(2028, 2, 29)
