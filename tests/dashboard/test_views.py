"""The dashboard pages: who opens them, what they show and link to, bad input, the XLSX export, and a fixed number
of statements however many parks there are."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.auth.models import Role
from app.clock import local_today
from tests.dashboard.support import at_step, city, officer_of, with_award, with_survey
from tests.factories import make_member, make_organisation, make_park, make_user
from tests.parks.test_overview import count_statements, main_of


@pytest.fixture
def utrecht(db):
    return make_organisation(name="Gemeente Utrecht")


@pytest.fixture
def officer(utrecht):
    return officer_of(utrecht)


def test_the_officer_sees_every_section_with_links_to_the_lists_behind_the_numbers(login_as, officer, utrecht):
    today = local_today()
    parks = city(utrecht, 3, today=today)
    response = login_as(officer).get("/dashboard/")
    assert response.status_code == 200
    page = main_of(response)
    for heading in (
        "Parken per stap",
        "Parken die lang in dezelfde stap staan",
        "Voortgang van de plannen",
        "Waarderingen en certificaten",
        "Cameranetwerken met problemen",
        "Enquêtes die nu lopen",
    ):
        assert heading in page
    # parks per step: a bar (no inline style: the CSP forbids it) and the number, linked to the filtered list
    assert 'href="/parken/?stap=3"' in page
    assert "style=" not in page
    assert '<rect class="vb-bar__fill" width="100"' in page
    assert 'href="/parken/?dagen=90&amp;sort=days&amp;richting=af"' in page
    assert 'href="/voortgang/?stand=overdue"' in page and 'href="/voortgang/?stand=done"' in page
    assert f'href="/parken/{parks[0].id}/waardering/"' in page
    assert 'href="/dashboard/waarderingen"' in page
    assert 'href="/cameras/"' in page
    assert f'href="/parken/{parks[1].id}/cameras/"' in page
    assert f'href="/parken/{parks[0].id}/enquete/resultaten/respons"' in page
    assert 'href="/dashboard/enquetes"' in page
    assert 'href="/dashboard/dashboard.xlsx?dagen=90"' in page


def test_the_stuck_parks_follow_the_number_of_days_asked_for(login_as, officer, utrecht):
    at_step(make_park(name="Lang stil", municipality=utrecht), 4, days=40)
    client = login_as(officer)
    assert "0 parken staan langer dan 90 dagen" in main_of(client.get("/dashboard/"))
    page = main_of(client.get("/dashboard/?dagen=30"))
    assert "1 park staat langer dan 30 dagen in dezelfde stap" in page
    assert "Lang stil" in page
    listed = main_of(client.get("/parken/?dagen=30&sort=days&richting=af"))
    assert "Lang stil" in listed and "1 park" in listed
    assert "Lang stil" not in main_of(client.get("/parken/?dagen=41"))
    for bad in ("abc", "-1", "99999999"):  # the park list ignores a wrong number, with the field's message
        response = client.get(f"/parken/?dagen={bad}")
        assert response.status_code == 200 and "Lang stil" in main_of(response)


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "99999999", "1.5", "9" * 40])
def test_a_bad_number_of_days_gets_a_message_and_a_400_not_a_500(login_as, officer, bad):
    client = login_as(officer)
    response = client.get(f"/dashboard/?dagen={bad}")
    assert response.status_code == 400
    page = main_of(response)
    assert "Vul een aantal dagen in van 1 tot en met 36500." in page or "Geen geldig geheel getal" in page
    assert "langer dan 90 dagen" in page  # the rest of the page, with the default
    assert client.get(f"/dashboard/dashboard.xlsx?dagen={bad}").status_code == 400


def test_the_english_message_for_bad_days(login_as, utrecht):
    officer = officer_of(utrecht)
    officer.locale = "en"
    response = login_as(officer).get("/dashboard/?dagen=0")
    assert response.status_code == 400
    assert "Enter a number of days from 1 to 36500." in main_of(response)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_other_roles_get_a_403_and_no_nav_link(login_as, role):
    client = login_as(make_member(role, make_park()))
    for path in ("/dashboard/", "/dashboard/dashboard.xlsx", "/dashboard/waarderingen", "/dashboard/enquetes"):
        assert client.get(path).status_code == 403
    assert 'href="/dashboard/"' not in client.get("/").get_data(as_text=True)


def test_managers_and_admins_have_the_nav_link(login_as, officer):
    for user in (officer, make_user(is_admin=True), make_member(Role.ADVISOR, make_park())):
        body = login_as(user).get("/").get_data(as_text=True)
        assert 'href="/dashboard/">Dashboard</a>' in body


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_an_advisor_sees_only_the_parks_they_advise(login_as, utrecht):
    advised = at_step(make_park(name="Geadviseerd", municipality=utrecht), 5, days=200)
    at_step(make_park(name="Van een ander", municipality=utrecht), 5, days=200)
    page = main_of(login_as(make_member(Role.ADVISOR, advised)).get("/dashboard/"))
    assert "Geadviseerd" in page and "Van een ander" not in page


def test_the_awards_and_surveys_lists_behind_the_numbers(login_as, officer, utrecht):
    today = local_today()
    soon = make_park(name="Bijna verlopen", municipality=utrecht)
    with_award(soon, valid_until=today + timedelta(days=20))
    with_award(make_park(name="Nog lang", municipality=utrecht), valid_until=today + timedelta(days=500))
    with_survey(soon, used=1, invited=3)
    client = login_as(officer)
    awards = main_of(client.get("/dashboard/waarderingen"))
    assert "0 verlopen, 1 verlopen binnen 90 dagen, 1 langer geldig." in awards
    assert awards.index("Bijna verlopen") < awards.index("Nog lang")
    assert "vb-row--expiring" in awards
    surveys = main_of(client.get("/dashboard/enquetes"))
    assert "Bijna verlopen" in surveys and "1 van 4" in surveys and "25,0%" in surveys


def test_the_xlsx_export_has_a_sheet_per_section_with_every_row_as_text(login_as, officer, utrecht):
    today = local_today()
    city(utrecht, 12, today=today)
    formula = make_park(name='=HYPERLINK("http://evil")', municipality=utrecht)
    at_step(formula, 4, days=300)
    response = login_as(officer).get("/dashboard/dashboard.xlsx?dagen=30")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="dashboard-{today.isoformat()}.xlsx"' in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Parken per stap",
        "Langer dan 30 dagen",
        "Voortgang plannen",
        "Waarderingen",
        "Cameranetwerken",
        "Enquêtes",
    ]
    steps = list(book["Parken per stap"].values)
    assert steps[0] == ("Stap", "Naam", "Parken")
    assert sum(row[2] for row in steps[1:]) == 13
    stuck = list(book["Langer dan 30 dagen"].values)
    assert len(stuck) - 1 == 1 + sum(1 for i in range(12) if 10 + i * 7 >= 30)  # every row, not the page's ten
    assert stuck[1][0] == '=HYPERLINK("http://evil")'
    cell = book["Langer dan 30 dagen"]["A2"]
    assert cell.data_type == "s"  # stored as text, never a formula
    assert len(list(book["Voortgang plannen"].values)) == 14
    awards = list(book["Waarderingen"].values)
    assert len(awards) == 13 and awards[1][6] == "ja"
    assert len(list(book["Cameranetwerken"].values)) == 1 + 6  # the networks with a problem: the odd ones
    assert len(list(book["Enquêtes"].values)) == 13


def test_the_page_and_the_export_use_a_fixed_number_of_statements(login_as, db):
    """No per-park queries: the same number of statements for 5 parks as for 40."""
    today = local_today()
    sizes = {}
    for n, name in ((5, "Gemeente Klein"), (40, "Gemeente Groot")):
        municipality = make_organisation(name=name)
        city(municipality, n, today=today, prefix=name)
        client = login_as(officer_of(municipality))
        counts = []
        for url in ("/dashboard/", "/dashboard/dashboard.xlsx", "/dashboard/waarderingen", "/dashboard/enquetes"):
            client.get(url)
            with count_statements() as statements:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(statements))
        sizes[n] = counts
    assert sizes[5] == sizes[40], sizes
    assert sizes[5][0] <= 20, sizes


def test_each_plan_state_number_leads_to_the_tracking_filtered_on_that_state(login_as, officer, utrecht):
    from tests.dashboard.support import with_plan

    with_plan(make_park(name="Achter", municipality=utrecht), overdue=1)
    with_plan(make_park(name="Klaar", municipality=utrecht), done=1)
    with_plan(make_park(name="Op schema", municipality=utrecht), done=1, ahead=1)
    make_park(name="Zonder plan", municipality=utrecht)
    client = login_as(officer)
    for state, listed in (
        ("overdue", "Achter"),
        ("done", "Klaar"),
        ("on_track", "Op schema"),
        ("no_plan", "Zonder plan"),
    ):
        page = main_of(client.get(f"/voortgang/?stand={state}"))
        assert "1 park" in page and f">{listed}</a>" in page, state
    assert "4 parken" in main_of(client.get("/voortgang/?stand=iets"))  # an unknown state filters nothing
