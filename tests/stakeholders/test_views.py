from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role, User
from app.extensions import db as _db
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member
from tests.stakeholders import cycle_of, pdf_text

T = OrganisationType


@pytest.fixture
def stakeholder(park, police) -> Stakeholder:
    stakeholder = Stakeholder(organisation=police, role=PpsRole.POLITIE, representative_name="Peter Politie")
    cycle_of(park).stakeholders.append(stakeholder)
    _db.session.flush()
    return stakeholder


def _url(park, suffix=""):
    return f"/parken/{park.id}/deelnemers/{suffix}"


def _stakeholders(park) -> list[Stakeholder]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Stakeholder).where(Stakeholder.cycle_id == cycle_of(park).id)))


# Reading ----------------------------------------------------------------------------------------------------


def test_every_role_on_the_park_sees_the_list_only_editors_see_forms(login_as, park, stakeholder, role):
    member = make_member(role, park)
    body = login_as(member).get(_url(park)).get_data(as_text=True)
    assert "Politie Midden-Nederland" in body and "Peter Politie" in body
    assert "Intentieverklaring downloaden (PDF)" in body
    editor = role in (Role.ADVISOR, Role.MUNICIPALITY)
    assert ("Organisatie toevoegen" in body) is editor
    assert (f"/deelnemers/{stakeholder.id}" in body) is editor


def test_index_shows_what_step_2_still_lacks_and_the_working_group(login_as, park, advisor, stakeholder):
    chair = make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer")
    cycle_of(park).chair_id = chair.id
    body = login_as(advisor).get(_url(park)).get_data(as_text=True)
    assert "Gemeente (regie), Brandweer, Vertegenwoordiging ondernemers" in body
    assert "Olga Ondernemer" in body
    assert "Deelnemers van Lage Weide" in body


def test_the_pdf_is_downloaded(login_as, park, stakeholder):
    response = login_as(make_member(Role.ENTREPRENEUR, park)).get(_url(park, "intentieverklaring.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "intentieverklaring-lage-weide.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.get_data())
    assert "Intentieverklaring Veilig Bedrijventerrein Lage Weide" in text
    assert "Politie Midden-Nederland" in text


def test_anonymous_is_sent_to_login(client, park):
    response = client.get(_url(park))
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


# Permissions ----------------------------------------------------------------------------------------------


def _posts(park, stakeholder):
    return [
        (_url(park, "toevoegen"), {"add-organisation_id": "1", "add-role": "overig"}),
        (_url(park, "werkgroep"), {"group-chair_id": "0", "group-secretary_id": "0"}),
        (_url(park, f"{stakeholder.id}"), {"edit-representative_user_id": "0", "edit-representative_name": "X"}),
        (_url(park, f"{stakeholder.id}/uitnodigen"), {"invite-name": "X", "invite-email": "x@example.nl"}),
        (_url(park, f"{stakeholder.id}/ondertekening"), {"sign-signed_on": "2026-01-01", "sign-signed_by": "X"}),
        (_url(park, f"{stakeholder.id}/verwijderen"), {}),
        (
            _url(park, "toevoegen"),
            {"add-new_name": "Nieuw", "add-new_type": "overig", "add-role": "overig", "add-match": "nieuw"},
        ),
    ]


def test_advisor_of_another_park_gets_404_everywhere(login_as, park, other_park, stakeholder, outbox):
    client = login_as(make_member(Role.ADVISOR, other_park))
    for suffix in ("", "intentieverklaring.pdf", f"{stakeholder.id}"):
        assert client.get(_url(park, suffix)).status_code == 404
    for url, data in _posts(park, stakeholder):
        assert client.post(url, data=data).status_code == 404, url
    assert [s.representative_name for s in _stakeholders(park)] == ["Peter Politie"]
    assert outbox() == []


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_members_who_may_not_edit_get_403_on_every_change(login_as, park, stakeholder, role):
    client = login_as(make_member(role, park))
    assert client.get(_url(park, f"{stakeholder.id}")).status_code == 403
    assert client.get(_url(park, f"{stakeholder.id}/verwijderen")).status_code == 403
    for url, data in _posts(park, stakeholder):
        assert client.post(url, data=data).status_code == 403, url
    assert [s.representative_name for s in _stakeholders(park)] == ["Peter Politie"]


def test_unknown_and_foreign_ids_are_404(login_as, admin, park, other_park, stakeholder):
    client = login_as(admin)
    assert client.get("/parken/999999/deelnemers/").status_code == 404
    assert client.get("/parken/99999999999/deelnemers/").status_code == 404
    assert client.get(_url(park, "999999")).status_code == 404
    assert client.get(_url(other_park, f"{stakeholder.id}")).status_code == 404
    assert client.post(_url(other_park, f"{stakeholder.id}/verwijderen")).status_code == 404
    assert client.post("/parken/999999/deelnemers/toevoegen", data={"add-role": "overig"}).status_code == 404


# Changing ----------------------------------------------------------------------------------------------------


def test_advisor_adds_an_organisation(login_as, park, advisor, police):
    response = login_as(advisor).post(
        _url(park, "toevoegen"),
        data={"add-organisation_id": str(police.id), "add-role": "politie", "add-representative_name": "Peter"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(park))
    (added,) = _stakeholders(park)
    assert (added.organisation_id, added.role, added.representative_name) == (police.id, PpsRole.POLITIE, "Peter")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"add-organisation_id": "0", "add-role": "politie"}, None),
        ({"add-organisation_id": "abc", "add-role": "politie"}, None),
        ({"add-organisation_id": "999999", "add-role": "politie"}, None),
        ({"add-organisation_id": "{police}", "add-role": "koning"}, None),
        ({"add-organisation_id": "{police}", "add-role": "politie", "add-representative_email": "x"}, None),
        ({"add-organisation_id": "{police}", "add-role": "brandweer"}, "past niet bij een organisatie"),
        (
            {"add-organisation_id": "{police}", "add-role": "politie", "add-representative_phone": "12"},
            "geldig telefoonnummer",
        ),
    ],
)
def test_bad_additions_are_422_with_a_message(login_as, park, advisor, police, data, message):
    data = {key: value.format(police=police.id) for key, value in data.items()}
    response = login_as(advisor).post(_url(park, "toevoegen"), data=data)
    assert response.status_code == 422
    if message:
        assert message in response.get_data(as_text=True)
    assert _stakeholders(park) == []


def test_an_organisation_already_taking_part_is_not_offered_again(login_as, park, advisor, stakeholder):
    response = login_as(advisor).post(
        _url(park, "toevoegen"), data={"add-organisation_id": str(stakeholder.organisation_id), "add-role": "politie"}
    )
    assert response.status_code == 422
    assert len(_stakeholders(park)) == 1


def test_edit_representative_and_signatory(login_as, park, advisor, stakeholder):
    """Choosing an account while the form still shows the old representative's name and address (pre-filled) is
    saved: the account counts, the typed name and address are dropped (it was a 422, issue 19 §4)."""
    stakeholder.representative_email = "peter@politie.nl"
    client = login_as(advisor)
    page = client.get(_url(park, f"{stakeholder.id}"))
    assert page.status_code == 200 and 'value="Peter Politie"' in page.get_data(as_text=True)
    assert 'value="peter@politie.nl"' in page.get_data(as_text=True)
    officer = make_member(Role.PARTNER, park, name="Paula Politie")
    response = client.post(
        _url(park, f"{stakeholder.id}"),
        data={
            "edit-representative_user_id": str(officer.id),
            "edit-representative_name": "Peter Politie",
            "edit-representative_email": "peter@politie.nl",
            "edit-representative_phone": "06 1234 5678",
            "edit-signatory_name": "J. de Boer",
            "edit-signatory_function": "Teamchef",
            "edit-signatory_email": "J.deBoer@politie.example",
        },
    )
    assert response.status_code == 302
    (saved,) = _stakeholders(park)
    assert saved.signatory_email == "j.deboer@politie.example"  # where the signing link goes
    assert (saved.representative_user_id, saved.representative_name, saved.representative_phone) == (
        officer.id,
        None,
        "06 1234 5678",
    )
    assert saved.representative_email is None
    assert (saved.signatory_name, saved.signatory_function) == ("J. de Boer", "Teamchef")


def test_edit_refusals_change_nothing(login_as, park, other_park, advisor, stakeholder):
    client = login_as(advisor)
    outsider = make_member(Role.PARTNER, other_park, name="Otto Buiten")
    for data, message in (
        ({"edit-representative_user_id": str(outsider.id)}, "edit-representative_user_id-error"),
        ({"edit-representative_user_id": "0", "edit-signatory_name": "J. de Boer"}, "naam én de functie"),
    ):
        response = client.post(_url(park, f"{stakeholder.id}"), data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    (saved,) = _stakeholders(park)
    assert (saved.representative_name, saved.signatory_name) == ("Peter Politie", None)


def test_invite_a_representative(login_as, park, advisor, stakeholder, outbox):
    client = login_as(advisor)
    response = client.post(
        _url(park, f"{stakeholder.id}/uitnodigen"),
        data={
            "invite-name": "Nina Nieuw",
            "invite-email": "nina@example.nl",
            "invite-locale": "nl",
            "invite-becomes": "vertegenwoordiger",
        },
    )
    assert response.status_code == 302
    user = _db.session.scalar(select(User).where(User.email == "nina@example.nl"))
    assert user is not None and not user.has_password
    membership = _db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.role, membership.park_id) == (Role.PARTNER, park.id)
    assert _stakeholders(park)[0].representative_user_id == user.id
    assert [mail.recipient for mail in outbox()] == ["nina@example.nl"]
    again = client.post(
        _url(park, f"{stakeholder.id}/uitnodigen"),
        data={"invite-name": "Nina", "invite-email": "NINA@example.nl", "invite-locale": "nl"},
    )
    assert again.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in again.get_data(as_text=True)
    assert len(outbox()) == 1


def test_record_a_signature(login_as, park, advisor, stakeholder):
    client = login_as(advisor)
    today = date.today()
    future = client.post(
        _url(park, f"{stakeholder.id}/ondertekening"),
        data={"sign-signed_on": (today + timedelta(days=2)).isoformat(), "sign-signed_by": "J. de Boer"},
    )
    assert future.status_code == 422
    assert "De datum van ondertekening ligt in de toekomst." in future.get_data(as_text=True)
    bad = client.post(
        _url(park, f"{stakeholder.id}/ondertekening"), data={"sign-signed_on": "gisteren", "sign-signed_by": "X"}
    )
    assert bad.status_code == 422
    response = client.post(
        _url(park, f"{stakeholder.id}/ondertekening"),
        data={"sign-signed_on": today.isoformat(), "sign-signed_by": "J. de Boer"},
    )
    assert response.status_code == 302
    (saved,) = _stakeholders(park)
    assert (saved.declaration_signed_on, saved.declaration_signed_by) == (today, "J. de Boer")
    assert "door J. de Boer" in client.get(_url(park)).get_data(as_text=True)


def test_remove_needs_the_csrf_token(login_as, park, advisor, stakeholder):
    client = login_as(advisor)
    assert client.post(_url(park, f"{stakeholder.id}/verwijderen"), csrf=False).status_code == 400
    assert len(_stakeholders(park)) == 1
    assert client.post(_url(park, f"{stakeholder.id}/verwijderen")).status_code == 302
    assert _stakeholders(park) == []


def test_set_the_working_group(login_as, park, advisor):
    olga = make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer")
    sem = make_member(Role.ENTREPRENEUR, park, name="Sem de Vries")
    client = login_as(advisor)
    same = client.post(
        _url(park, "werkgroep"), data={"group-chair_id": str(olga.id), "group-secretary_id": str(olga.id)}
    )
    assert same.status_code == 422
    assert "twee verschillende personen" in same.get_data(as_text=True)
    not_offered = client.post(_url(park, "werkgroep"), data={"group-chair_id": str(advisor.id)})
    assert not_offered.status_code == 422
    response = client.post(
        _url(park, "werkgroep"), data={"group-chair_id": str(olga.id), "group-secretary_id": str(sem.id)}
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert (cycle_of(park).chair_id, cycle_of(park).secretary_id) == (olga.id, sem.id)


def test_a_stale_form_is_400_and_keeps_the_input(login_as, park, advisor, police):
    response = login_as(advisor).post(
        _url(park, "toevoegen"),
        data={"add-organisation_id": str(police.id), "add-role": "politie", "add-representative_name": "Peter"},
        csrf=False,
    )
    assert response.status_code == 400
    assert 'value="Peter"' in response.get_data(as_text=True)
    assert _stakeholders(park) == []


def test_every_change_without_a_valid_token_is_400_and_writes_nothing(login_as, admin, park, stakeholder, outbox):
    client = login_as(admin)
    for url, data in _posts(park, stakeholder):
        assert client.post(url, data=data, csrf=False).status_code == 400, url
        assert client.post(url, data={**data, "csrf_token": "garbage"}, csrf=False).status_code == 400, url
    (saved,) = _stakeholders(park)
    assert (saved.representative_name, saved.declaration_signed_on) == ("Peter Politie", None)
    assert outbox() == []


# Issue 19 §4: stakeholders without an admin ------------------------------------------------------------------


def _new(name, kind="politie", role="politie", **extra):
    return {"add-new_name": name, "add-new_type": kind, "add-role": role, "add-organisation_id": "0", **extra}


def _organisations() -> list[str]:
    _db.session.expire_all()
    return sorted(_db.session.scalars(select(Organisation.name)))


def test_advisor_adds_a_stakeholder_with_a_new_organisation(login_as, park, advisor):
    response = login_as(advisor).post(
        _url(park, "toevoegen"), data=_new("Ondernemersvereniging Lage Weide", "ondernemersvereniging", "ondernemers")
    )
    assert response.status_code == 302
    (added,) = _stakeholders(park)
    assert (added.organisation.name, added.organisation.type) == (
        "Ondernemersvereniging Lage Weide",
        T.ONDERNEMERSVERENIGING,
    )
    actions = list(_db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["stakeholders.organisation_created", "stakeholders.stakeholder_added"]


def test_a_near_duplicate_is_shown_first_and_the_existing_one_can_be_used(login_as, park, advisor, police):
    client = login_as(advisor)
    before = _organisations()
    shown = client.post(_url(park, "toevoegen"), data=_new("Politie Midden Nederland Noord"))
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Er bestaan al organisaties die lijken op Politie Midden Nederland Noord" in body
    assert "Gebruik Politie Midden-Nederland (Politie)" in body
    assert "Maak Politie Midden Nederland Noord toch aan: het is een andere organisatie" in body
    assert _stakeholders(park) == [] and _organisations() == before
    # submitting again without an answer is an error; the answer "use this one" adds the existing organisation
    unanswered = client.post(
        _url(park, "toevoegen"), data=_new("Politie Midden Nederland Noord", **{"add-similar_shown": "1"})
    )
    assert unanswered.status_code == 422 and "Kies of u een bestaande organisatie gebruikt" in unanswered.get_data(
        as_text=True
    )
    used = client.post(
        _url(park, "toevoegen"), data=_new("Politie Midden Nederland Noord", **{"add-match": str(police.id)})
    )
    assert used.status_code == 302
    assert [s.organisation_id for s in _stakeholders(park)] == [police.id] and _organisations() == before


def test_create_anyway_needs_the_explicit_answer(login_as, park, advisor, police):
    response = login_as(advisor).post(
        _url(park, "toevoegen"), data=_new("Politie Midden Nederland Noord", **{"add-match": "nieuw"})
    )
    assert response.status_code == 302
    assert "Politie Midden Nederland Noord" in _organisations()


def test_an_exact_duplicate_cannot_be_created(login_as, park, advisor, police):
    client = login_as(advisor)
    shown = client.post(_url(park, "toevoegen"), data=_new("Stichting politie midden-nederland"))
    body = shown.get_data(as_text=True)
    assert shown.status_code == 422
    assert "Politie Midden-Nederland (Politie) bestaat al en is dezelfde organisatie." in body
    assert "Gebruik Politie Midden-Nederland (Politie)" in body and "toch aan" not in body
    before = _organisations()
    forced = client.post(
        _url(park, "toevoegen"), data=_new("Stichting politie midden-nederland", **{"add-match": "nieuw"})
    )
    assert forced.status_code == 422
    assert _stakeholders(park) == [] and _organisations() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"add-organisation_id": "0", "add-role": "overig"}, "Kies een organisatie, of vul de naam"),
        (_new("Nieuw", kind=""), "Kies het soort van de nieuwe organisatie."),
        (_new("Nieuw", kind="koning"), "Kies het soort van de nieuwe organisatie."),
        ({**_new("Nieuw"), "add-organisation_id": "{police}"}, "niet allebei"),
        (_new("x" * 201), None),
        (_new("Nieuwe Politie", role="brandweer"), "past niet bij een organisatie"),
    ],
)
def test_bad_new_organisations_are_422_and_write_nothing(login_as, park, advisor, police, data, message):
    data = {key: value.format(police=police.id) for key, value in data.items()}
    before = _organisations()
    response = login_as(advisor).post(_url(park, "toevoegen"), data=data)
    assert response.status_code == 422
    if message:
        assert message in response.get_data(as_text=True)
    assert _stakeholders(park) == [] and _organisations() == before


def test_the_municipality_may_add_a_new_organisation_a_partner_may_not(login_as, park):
    officer = make_member(Role.MUNICIPALITY, park)
    assert login_as(officer).post(_url(park, "toevoegen"), data=_new("Brandweer Utrecht", "brandweer", "brandweer"))
    assert [s.organisation.name for s in _stakeholders(park)] == ["Brandweer Utrecht"]
    partner = make_member(Role.PARTNER, park)
    assert login_as(partner).post(_url(park, "toevoegen"), data=_new("Douane", "douane", "overig")).status_code == 403
    assert "Douane" not in _organisations()


def test_the_invite_form_says_what_happens_and_keeps_the_representative(login_as, park, advisor, stakeholder, outbox):
    client = login_as(advisor)
    page = client.get(_url(park, f"{stakeholder.id}")).get_data(as_text=True)
    assert "Peter Politie is nu de vertegenwoordiger." in page
    assert "Extra gebruiker: Peter Politie blijft de vertegenwoordiger" in page
    assert "Maak de nieuwe persoon de vertegenwoordiger, in plaats van Peter Politie" in page
    response = client.post(
        _url(park, f"{stakeholder.id}/uitnodigen"),
        data={
            "invite-name": "Anna",
            "invite-email": "anna@politie.nl",
            "invite-locale": "nl",
            "invite-becomes": "extra",
        },
        follow_redirects=True,
    )
    assert "anna@politie.nl is uitgenodigd als extra gebruiker van Politie Midden-Nederland; Peter Politie blijft" in (
        response.get_data(as_text=True)
    )
    (saved,) = _stakeholders(park)
    assert (saved.representative_name, saved.representative_user_id) == ("Peter Politie", None)
    assert [m.recipient for m in outbox()] == ["anna@politie.nl"]
    bad = client.post(
        _url(park, f"{stakeholder.id}/uitnodigen"),
        data={"invite-name": "B", "invite-email": "b@politie.nl", "invite-locale": "nl", "invite-becomes": "koning"},
    )
    assert bad.status_code == 422 and len(outbox()) == 1


def test_without_a_representative_the_invited_person_becomes_it(login_as, park, advisor, police):
    stakeholder = Stakeholder(organisation=police, role=PpsRole.POLITIE)
    cycle_of(park).stakeholders.append(stakeholder)
    _db.session.flush()
    client = login_as(advisor)
    page = client.get(_url(park, f"{stakeholder.id}")).get_data(as_text=True)
    assert "Vertegenwoordiger uitnodigen" in page and "Extra gebruiker" not in page
    client.post(
        _url(park, f"{stakeholder.id}/uitnodigen"),
        data={"invite-name": "Anna", "invite-email": "anna@politie.nl", "invite-locale": "nl"},
    )
    assert _stakeholders(park)[0].representative_user.email == "anna@politie.nl"


def test_removing_asks_for_confirmation_first(login_as, park, advisor, stakeholder):
    client = login_as(advisor)
    edit = client.get(_url(park, f"{stakeholder.id}")).get_data(as_text=True)
    assert f'href="{_url(park, f"{stakeholder.id}/verwijderen")}"' in edit
    page = client.get(_url(park, f"{stakeholder.id}/verwijderen"))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Politie Midden-Nederland verwijderen uit cyclus 1?" in body
    assert "De vertegenwoordiger Peter Politie wordt niet meer bewaard." in body
    assert len(_stakeholders(park)) == 1  # looking changes nothing
    assert client.post(_url(park, f"{stakeholder.id}/verwijderen")).status_code == 302
    assert _stakeholders(park) == []
    assert _db.session.scalars(select(AuditEvent.action)).all()[-1] == "stakeholders.stakeholder_removed"
