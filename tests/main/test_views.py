"""The home page per role, the in-place update of an action from it, and the park switcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras.models import CameraStatus
from app.clock import local_today
from app.extensions import db as _db
from app.plans.models import ActionNote, ActionStatus
from app.stakeholders.models import OrganisationType
from tests.factories import make_member, make_membership, make_organisation, make_park, make_user
from tests.main.helpers import make_action, make_meeting, make_plan, make_stakeholder
from tests.parks.test_overview import main_of


def _page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _main(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return main_of(response)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.MUNICIPALITY, ["/parken/", "/voortgang/", "/cameras/"]),
        (Role.ADVISOR, ["/parken/", "/voortgang/", "/cameras/"]),
        (Role.CAMERA_OFFICER, ["/cameras/"]),
        (Role.PARTNER, []),
    ],
)
def test_managers_find_the_overviews_on_their_home_page(login_as, park, role, links):
    page = _page(login_as(make_member(role, park)))
    for link in links:
        assert f'href="{link}"' in page
    # the municipality's parks are in the overviews it links to, not listed on its home page
    assert (f'href="/parken/{park.id}"' in page) is (role != Role.MUNICIPALITY)


def test_user_without_memberships_sees_an_explanation(login_as, db):
    assert "nog geen rol" in _page(login_as(make_user()))


def test_the_top_navigation_has_a_park_switcher_instead_of_park_names(login_as, db):
    user = make_user()
    for i in range(8):
        make_membership(user, Role.PARTNER, park=make_park(name=f"Terrein {i}"))
    page = _page(login_as(user))
    nav = page[page.index('<nav class="vb-nav"') : page.index("</nav>")]
    assert 'href="/parken-kiezen"' in nav
    assert "Terrein" not in nav


def test_the_switcher_searches_the_users_parks_by_name(login_as, db):
    user = make_user()
    mine = [make_park(name=name) for name in ("Lage Weide", "Papendorp", "Weidepoort")]
    for park in mine:
        make_membership(user, Role.PARTNER, park=park)
    make_park(name="Weide van een ander")
    client = login_as(user)
    found = _main(client, "/parken-kiezen?q=weide")
    assert "Lage Weide" in found and "Weidepoort" in found
    assert "Papendorp" not in found and "een ander" not in found
    assert "2 parken" in found
    assert "Geen parken gevonden" in _page(client, "/parken-kiezen?q=%25")


def test_the_advisor_sees_the_blockers_of_their_parks_and_can_filter(login_as, db):
    utrecht, amersfoort = make_organisation(name="Gemeente Utrecht"), make_organisation(name="Gemeente Amersfoort")
    lage_weide, de_hoef = (
        make_park(name="Lage Weide", municipality=utrecht),
        make_park(name="De Hoef", municipality=amersfoort),
    )
    user = make_user()
    for park in (lage_weide, de_hoef):
        make_membership(user, Role.ADVISOR, park=park)
    client = login_as(user)
    page = _main(client)
    assert "Het gebied is op de kaart ingetekend" in page
    assert f'href="/parken/{lage_weide.id}/gebied/"' in page
    filtered = _main(client, f"/?gemeente={amersfoort.id}&q=&stap=0")
    assert "De Hoef" in filtered and "Lage Weide" not in filtered
    # a bad filter value is ignored, not an error
    assert "2 parken" in _main(client, "/?gemeente=abc&stap=99")


def test_a_blocker_links_to_its_page_when_the_user_may_open_it(login_as, app, park, monkeypatch):
    client = login_as(make_member(Role.ADVISOR, park))
    assert "Gebied intekenen" in _main(client)
    # the page's own `requires` decides (may_open): an action the advisor lacks hides the link, not the blocker
    monkeypatch.setattr(app.view_functions["area.edit"], "required_action", "admin.manage")
    page = _main(client)
    assert "Het gebied is op de kaart ingetekend" in page and "Gebied intekenen" not in page


def _member_with_action(park, *, role=Role.ENTREPRENEUR, status=ActionStatus.STARTED):
    organisation = make_organisation(name="Ondernemersvereniging", type=OrganisationType.ONDERNEMERSVERENIGING)
    user = make_member(role, park, organisation=organisation)
    today = local_today()
    plan = make_plan(park, starts_on=today - timedelta(days=400))
    action = make_action(
        plan,
        "WhatsApp-groep",
        due_on=today - timedelta(days=9),
        owners=[make_stakeholder(park, organisation)],
        status=status,
    )
    return user, action


def test_the_entrepreneur_sees_their_overdue_action_with_a_form_to_update_it(login_as, park):
    user, action = _member_with_action(park)
    make_meeting(park, datetime.now(UTC) + timedelta(days=3), title="Kwartaaloverleg")
    page = _main(login_as(user))
    assert "WhatsApp-groep" in page and "te laat" in page
    assert f'action="/start/parken/{park.id}/acties/{action.id}"' in page
    assert "Kwartaaloverleg: agenda" in page


def test_updating_the_status_from_home_goes_back_home_with_a_message(login_as, park):
    user, action = _member_with_action(park)
    client = login_as(user)
    prefix = f"action{action.id}"
    response = client.post(
        f"/start/parken/{park.id}/acties/{action.id}",
        data={f"{prefix}-status": "gereed", f"{prefix}-note": "Alle bedrijven doen mee."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/#action-{action.id}")
    _db.session.refresh(action)
    assert action.status == ActionStatus.DONE
    assert _db.session.query(AuditEvent).filter_by(action="plans.action_status_changed").count() == 1
    assert "is bijgewerkt" in _page(client)


def test_a_note_with_the_same_status_is_written_as_progress(login_as, park):
    user, action = _member_with_action(park)
    prefix = f"action{action.id}"
    response = login_as(user).post(
        f"/start/parken/{park.id}/acties/{action.id}",
        data={f"{prefix}-status": "bezig", f"{prefix}-note": "Tien bedrijven erbij."},
    )
    assert response.status_code == 302
    assert [note.text for note in _db.session.query(ActionNote).filter_by(action_id=action.id)] == [
        "Tien bedrijven erbij."
    ]


@pytest.mark.parametrize(
    ("status", "note", "message"),
    [
        ("bezig", "", "Kies een nieuwe status"),
        ("vervallen", "", "Geef de reden"),
        ("onzin", "x", "geldige keuze"),
    ],
)
def test_an_update_that_changes_nothing_or_is_invalid_shows_the_home_page_with_the_message(
    login_as, park, status, note, message
):
    user, action = _member_with_action(park)
    prefix = f"action{action.id}"
    response = login_as(user).post(
        f"/start/parken/{park.id}/acties/{action.id}", data={f"{prefix}-status": status, f"{prefix}-note": note}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    _db.session.refresh(action)
    assert action.status == ActionStatus.STARTED


def test_an_update_without_a_csrf_token_is_refused(login_as, park):
    user, action = _member_with_action(park)
    response = login_as(user).post(
        f"/start/parken/{park.id}/acties/{action.id}", data={f"action{action.id}-status": "gereed"}, csrf=False
    )
    assert response.status_code == 400
    _db.session.refresh(action)
    assert action.status == ActionStatus.STARTED


def test_someone_elses_action_cannot_be_updated_from_home(login_as, park, other_park):
    _owner, action = _member_with_action(park)
    stranger = make_member(Role.ENTREPRENEUR, park, organisation=make_organisation())
    prefix = f"action{action.id}"
    url = f"/start/parken/{park.id}/acties/{action.id}"
    assert login_as(stranger).post(url, data={f"{prefix}-status": "gereed"}).status_code == 403
    outsider = make_member(Role.ENTREPRENEUR, other_park)
    assert login_as(outsider).post(url, data={f"{prefix}-status": "gereed"}).status_code == 404
    assert login_as(stranger).post(f"/start/parken/{other_park.id}/acties/{action.id}").status_code == 404


def test_the_camera_officer_sees_the_offline_camera_and_the_due_check_with_links(login_as, camera, camera_officer):
    camera.status = CameraStatus.DEFECT
    _db.session.flush()
    park_id = camera.network.park_id
    page = _main(login_as(camera_officer))
    assert f'href="/parken/{park_id}/cameras/{camera.id}"' in page
    assert f'href="/parken/{park_id}/cameras/controles/uitvoeren"' in page


def test_the_auditor_sees_their_dossiers_and_until_when(login_as, park):
    auditor = make_member(Role.AUDITOR, park)
    page = _main(login_as(auditor))
    assert f'href="/parken/{park.id}/dossier/"' in page
    assert "toegang tot en met" in page


def test_the_municipality_officer_sees_their_own_tasks(login_as, db):
    municipality = make_organisation(name="Gemeente Utrecht")
    park = make_park(municipality=municipality)
    officer = make_user(organisation=municipality)
    make_membership(officer, Role.MUNICIPALITY, municipality=municipality)
    plan = make_plan(park, starts_on=local_today() - timedelta(days=400))
    make_action(plan, "Verlichting", due_on=local_today(), owners=[make_stakeholder(park, municipality)])
    page = _main(login_as(officer))
    assert "Wat nu op u wacht" in page and "Verlichting" in page
    assert 'href="/voortgang/"' in page
    # the dashboard's headline numbers open the page, each linking to the list behind it
    assert "Wat aandacht vraagt in uw gemeente" in page
    assert 'href="/voortgang/?stand=overdue"' in page and 'href="/dashboard/"' in page


def test_only_a_municipality_officer_gets_the_dashboards_numbers_on_their_home_page(login_as, park):
    for role in (Role.ADVISOR, Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER):
        assert "Wat aandacht vraagt" not in _main(login_as(make_member(role, park)))


def test_an_award_to_sign_links_to_the_signing_page(login_as, park):
    from app.awards.models import Award
    from app.parks.services import active_cycle

    user, _action = _member_with_action(park)
    _db.session.add(Award(cycle=active_cycle(park), requested_at=datetime.now(UTC)))
    _db.session.flush()
    page = _main(login_as(user))
    assert f'href="/parken/{park.id}/waardering/tekenen"' in page
    assert "wacht op de handtekening van uw organisatie" in page
