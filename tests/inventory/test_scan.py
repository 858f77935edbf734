"""The gebiedsscan: who writes whose top 3, the ranks, closed cycles, and the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import may_write_scan
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.inventory import scan
from app.inventory.models import ScanEntry
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType, PpsRole
from tests.factories import make_member
from tests.inventory.conftest import add_stakeholder

ROWS = [("Inbraken in bedrijfspanden", "Vooral in de nacht"), ("Afvaldumping", ""), ("Hardrijden", "Op de Atoomweg")]


def _entries(stakeholder) -> list[tuple[int, str, str]]:
    _db.session.expire_all()
    query = select(ScanEntry).where(ScanEntry.stakeholder_id == stakeholder.id).order_by(ScanEntry.rank)
    return [(e.rank, e.phenomenon, e.explanation) for e in _db.session.scalars(query)]


# --- who may -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY])
def test_managers_write_every_stakeholders_scan(park, police, role):
    actor = make_member(role, park)
    assert may_write_scan(actor, police)
    scan.save_scan(actor, police, ROWS)
    assert [rank for rank, _p, _e in _entries(police)] == [1, 2, 3]


def test_a_partner_writes_the_scan_of_its_own_organisation_only(park, police, entrepreneurs):
    officer = make_member(Role.PARTNER, park, organisation=police.organisation)
    assert may_write_scan(officer, police) and not may_write_scan(officer, entrepreneurs)
    scan.save_scan(officer, police, ROWS[:1])
    with pytest.raises(NotAllowed):
        scan.save_scan(officer, entrepreneurs, ROWS[:1])
    assert _entries(entrepreneurs) == []


def test_the_representative_writes_the_scan_without_being_of_the_organisation(park, entrepreneurs):
    chair = make_member(Role.ENTREPRENEUR, park)
    assert not may_write_scan(chair, entrepreneurs)
    entrepreneurs.representative_user_id = chair.id
    assert may_write_scan(chair, entrepreneurs)
    scan.save_scan(chair, entrepreneurs, ROWS)
    assert len(_entries(entrepreneurs)) == 3


@pytest.mark.parametrize("role", [Role.CAMERA_OFFICER, Role.AUDITOR])
def test_readers_never_write_even_for_their_own_organisation(park, police, role):
    reader = make_member(role, park, organisation=police.organisation)
    assert not may_write_scan(reader, police)
    with pytest.raises(NotAllowed):
        scan.save_scan(reader, police, ROWS)


def test_members_of_another_park_do_not_write(park, other_park, police):
    outsider = make_member(Role.ADVISOR, other_park, organisation=police.organisation)
    with pytest.raises(NotAllowed):
        scan.save_scan(outsider, police, ROWS)


def test_a_closed_cycle_is_read_only(park, police, advisor):
    scan.save_scan(advisor, police, ROWS)
    active_cycle(park).status = CycleStatus.CLOSED
    _db.session.flush()
    assert not may_write_scan(advisor, police)
    with pytest.raises(DomainError, match="afgesloten"):
        scan.save_scan(advisor, police, [])
    assert len(_entries(police)) == 3


# --- the ranks and the texts ----------------------------------------------------------------------------------------


def test_empty_rows_clear_their_rank_and_the_others_close_up(park, police, advisor):
    scan.save_scan(advisor, police, ROWS)
    scan.save_scan(advisor, police, [("", ""), ("  Afvaldumping ", " Bij de sloot "), ("Hardrijden", "")])
    assert _entries(police) == [(1, "Afvaldumping", "Bij de sloot"), (2, "Hardrijden", "")]
    scan.save_scan(advisor, police, [("Leegstand", ""), ("", ""), ("", "")])
    assert _entries(police) == [(1, "Leegstand", "")]
    scan.save_scan(advisor, police, [("", ""), ("", ""), ("", "")])
    assert _entries(police) == []


def test_saving_is_audited_only_when_something_changed(park, police, advisor):
    scan.save_scan(advisor, police, ROWS)
    scan.save_scan(advisor, police, ROWS)
    events = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "inventory.scan_saved")).all()
    assert len(events) == 1
    assert events[0].details["phenomena"] == [p for p, _e in ROWS]
    assert events[0].details["organisation"] == "Politie Midden-Nederland"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("", "Alleen een toelichting")], "Vul bij nummer 1 ook het verschijnsel in"),
        ([("Afvaldumping", ""), ("afvaldumping", "")], "staat twee keer"),
        ([("x" * 201, "")], "te lang"),
        ([("Afval", "x" * 1001)], "te lang"),
        ([("A", ""), ("B", ""), ("C", ""), ("D", "")], "hoogstens drie"),
    ],
)
def test_wrong_rows_are_refused_and_nothing_changes(park, police, advisor, rows, message):
    scan.save_scan(advisor, police, ROWS[:1])
    with pytest.raises(DomainError, match=message):
        scan.save_scan(advisor, police, rows)
    assert _entries(police) == [(1, *ROWS[0])]


def test_the_overview_lists_every_stakeholder_in_the_order_of_the_list(park, police, entrepreneurs, advisor):
    adviser = add_stakeholder(park, "PVO Midden-Nederland", OrganisationType.PVO, PpsRole.ADVIES)
    municipality = add_stakeholder(park, "Gemeente Utrecht", OrganisationType.GEMEENTE, PpsRole.GEMEENTE)
    scan.save_scan(advisor, police, ROWS)
    overview = scan.overview(active_cycle(park))
    assert [s.stakeholder for s in overview] == [municipality, police, entrepreneurs, adviser]
    assert [s.complete for s in overview] == [False, True, False, False]
    assert [s.counts for s in overview] == [True, True, True, False]


# --- the pages ------------------------------------------------------------------------------------------------------


def _url(park, suffix=""):
    return f"/parken/{park.id}/gebiedsscan/{suffix}"


def test_every_role_reads_the_scan(login_as, park, police, advisor, role):
    scan.save_scan(advisor, police, ROWS)
    body = login_as(make_member(role, park)).get(_url(park)).get_data(as_text=True)
    assert "Inbraken in bedrijfspanden" in body and "Op de Atoomweg" in body
    assert "1 van de 1 deelnemers hebben hun top 3 ingevuld." in body
    assert (f"gebiedsscan/{police.id}" in body) is (role in {Role.ADVISOR, Role.MUNICIPALITY})


def test_a_partner_fills_in_its_own_top_3_through_the_page(login_as, park, police, entrepreneurs):
    officer = make_member(Role.PARTNER, park, organisation=police.organisation)
    client = login_as(officer)
    index = client.get(_url(park)).get_data(as_text=True)
    assert f"gebiedsscan/{police.id}" in index and f"gebiedsscan/{entrepreneurs.id}" not in index
    form = {"phenomenon_1": "Inbraken", "explanation_1": "Nachts", "phenomenon_2": "", "explanation_2": ""}
    response = client.post(_url(park, str(police.id)), data=form | {"phenomenon_3": "Dumping"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#deelnemer-{police.id}")
    assert _entries(police) == [(1, "Inbraken", "Nachts"), (2, "Dumping", "")]
    page = client.get(_url(park, str(police.id))).get_data(as_text=True)
    assert 'value="Dumping"' in page and 'id="phenomenon_2"' in page
    assert client.get(_url(park, str(entrepreneurs.id))).status_code == 403
    assert client.post(_url(park, str(entrepreneurs.id)), data=form).status_code == 403
    assert _entries(entrepreneurs) == []


def test_a_refused_scan_keeps_the_input_with_422(login_as, park, police, advisor):
    response = login_as(advisor).post(
        _url(park, str(police.id)), data={"phenomenon_1": "", "explanation_1": "Alleen uitleg"}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Vul bij nummer 1 ook het verschijnsel in" in body and "Alleen uitleg" in body


def test_stakeholders_of_another_park_or_a_closed_cycle_are_404(login_as, park, other_park, police, advisor):
    foreign = add_stakeholder(other_park, "Brandweer", OrganisationType.BRANDWEER, PpsRole.BRANDWEER)
    client = login_as(advisor)
    assert client.get(_url(park, str(foreign.id))).status_code == 404
    active_cycle(park).status = CycleStatus.CLOSED
    _db.session.flush()
    assert client.get(_url(park, str(police.id))).status_code == 404
