from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app import audit
from app.audit.models import AuditEvent, AuditLogIsAppendOnly
from app.auth.models import Role
from tests.factories import make_member, make_park, make_user


def test_record_is_part_of_the_callers_transaction(db, park):
    user = make_user()
    db.session.commit()
    audit.record(user, "test.something", park, park=park, details={"why": "test"})
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).all() == []

    event = audit.record(user, "test.something", park, park=park, details={"why": "test"})
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.actor_label, stored.subject_type, stored.subject_id, stored.park_id) == (
        user.email,
        "parks",
        str(park.id),
        park.id,
    )
    assert stored.details == {"why": "test"}


def test_system_actor(db):
    event = audit.record(None, "jobs.ran")
    db.session.flush()
    assert event.actor_id is None and event.actor_label == "systeem"


def test_audit_rows_cannot_be_changed_or_deleted(db):
    event = audit.record(None, "test.fixed")
    db.session.commit()
    event.action = "test.rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()


def test_advisor_reads_only_their_parks_events(login_as, db):
    own, other = make_park(name="Eigen park"), make_park(name="Ander park")
    advisor = make_member(Role.ADVISOR, own)
    audit.record(None, "test.own", park=own)
    audit.record(None, "test.other", park=other)
    audit.record(None, "test.global")
    body = login_as(advisor).get("/audit/").get_data(as_text=True)
    assert "test.own" in body
    assert "test.other" not in body and "test.global" not in body
    # asking for another park's events shows nothing of it
    body = login_as(advisor).get(f"/audit/?park={other.id}").get_data(as_text=True)
    assert "test.other" not in body


def test_admin_filters_by_park_user_and_date(login_as, admin, db):
    park = make_park()
    olga = make_user(email="olga@example.nl")
    db.session.add_all(
        [
            AuditEvent(
                actor_id=olga.id,
                actor_label=olga.email,
                action="test.old",
                park_id=park.id,
                created_at=datetime(2025, 1, 10, 12, tzinfo=UTC),
                details={},
            ),
            AuditEvent(
                actor_id=olga.id,
                actor_label=olga.email,
                action="test.new",
                park_id=park.id,
                created_at=datetime(2026, 6, 10, 12, tzinfo=UTC),
                details={},
            ),
            AuditEvent(
                actor_id=None,
                actor_label="systeem",
                action="test.system",
                park_id=None,
                created_at=datetime(2026, 6, 10, 12, tzinfo=UTC),
                details={},
            ),
        ]
    )
    client = login_as(admin)
    body = client.get("/audit/").get_data(as_text=True)
    assert all(a in body for a in ("test.old", "test.new", "test.system"))
    body = client.get("/audit/?user=olga@example.nl&date_from=2026-01-01").get_data(as_text=True)
    assert "test.new" in body and "test.old" not in body and "test.system" not in body
    body = client.get("/audit/?date_to=2025-12-31").get_data(as_text=True)
    assert "test.old" in body and "test.new" not in body
    body = client.get("/audit/?user=nobody@example.nl").get_data(as_text=True)
    assert "Geen gebeurtenissen gevonden." in body


def test_login_and_role_changes_reach_the_log(client, admin, db, park, login_as):
    # an advisor signs in with a password alone (an admin would be asked for the second factor next)
    advisor = make_user()
    client.post("/inloggen", data={"email": advisor.email, "password": "wrong"})
    client.post("/inloggen", data={"email": advisor.email, "password": "correct horse battery staple"})
    client.post("/uitloggen")
    user = make_user()
    login_as(admin).post(
        f"/beheer/gebruikers/{user.id}/rollen",
        data={"membership-role": "partner", "membership-scope": f"park:{park.id}"},
    )
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout", "auth.role_granted"]
