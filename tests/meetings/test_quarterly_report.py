"""The quarterly progress report: plan progress, goals, the quarter's camera checks and the next quarter's actions,
as plain data and as a PDF read back; the page that chooses the quarter and its permissions."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest

from app.auth.models import Role
from app.cameras.models import Score
from app.meetings.progress import delay_reason, goal_chart, progress_document, progress_pdf
from app.plans import services
from app.plans.models import ActionStatus, Direction, Theme
from tests.factories import make_member, make_park
from tests.meetings.test_quarterly_agenda import PLAN_START, continuing, make_check, make_goal, make_network
from tests.plans.test_tracking import make_action, make_plan, make_stakeholder

TODAY = date(2027, 5, 10)  # in quarter 6 (2027-Q2)


def pdf_words(data: bytes) -> str:
    """The text of every page of the PDF, whitespace collapsed."""
    document = pypdfium2.PdfDocument(data)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


@pytest.fixture
def plan(db, park):
    """Lage Weide's plan from 2026-Q1 with actions in quarters 4 to 7, three goals and a camera network checked in
    2027-Q1 and 2027-Q2."""
    cycle = continuing(park)
    plan = make_plan(park, starts_on=PLAN_START)
    police = make_stakeholder(park, "Politie Midden-Nederland")
    make_action(plan, "Camerabeelden evalueren", quarter=6, owners=[police]).theme = Theme.VEILIG
    done = make_action(plan, "Schouw herhalen", quarter=6, status=ActionStatus.DONE)
    done.theme, done.done_on = Theme.HEEL, date(2027, 4, 15)
    make_action(plan, "Vervallen voorlichting", quarter=6, status=ActionStatus.DROPPED).theme = Theme.VEILIG
    make_action(
        plan, "Verlichting herstellen", quarter=5, status=ActionStatus.DELAYED, owners=[police]
    ).theme = Theme.HEEL
    make_action(plan, "Nieuwsbrief", quarter=4, status=ActionStatus.DONE).done_on = date(2026, 12, 1)
    make_action(plan, "Bebording plaatsen", quarter=7, owners=[police])
    make_goal(cycle, "Veiliger in het donker", target=60, latest=45)
    make_goal(cycle, "Minder inbraken", target=5, latest=4, direction=Direction.DOWN, unit="inbraken")
    network = make_network(park)
    make_check(network, date(2027, 1, 20), {"signage": (Score.MAJOR, "Bord bij de ingang weg")})
    make_check(
        network,
        date(2027, 4, 12),
        {"signage": (Score.MINOR, "Bord scheef"), "image_night": (Score.MAJOR, "Lamp bij C1 defect")},
        remarks="Nachtronde met de beheerder",
    )
    db.session.flush()
    return plan


def test_plain_data_of_the_current_quarter(app, plan):
    with app.test_request_context():
        data = progress_document(plan, 6, today=TODAY)
    assert data.title == "Voortgangsrapport Lage Weide, K6 (2e kw. 2027)"
    assert data.period == "1 april 2027 tot en met 30 juni 2027"
    assert dict(data.status_counts) == {"Gepland": 2, "Bezig": 0, "Gereed": 2, "Vertraagd": 1, "Vervallen": 1}
    assert (data.done, data.total) == (2, 5)
    assert [(r.theme, r.total, r.done, r.open, r.overdue) for r in data.themes] == [
        ("Schoon", 0, 0, 0, 0),
        ("Heel", 2, 1, 1, 1),
        ("Veilig", 1, 0, 1, 0),
        ("Meldingsbereidheid", 0, 0, 0, 0),
        ("Zonder thema", 2, 1, 1, 0),
    ]
    assert [a.title for a in data.done_in_quarter] == ["Schouw herhalen"]
    assert [(a.title, a.owners, a.due) for a in data.overdue] == [
        ("Verlichting herstellen", "Politie Midden-Nederland", "31 maart 2027")
    ]
    assert [(g.title, g.latest, g.target, g.status) for g in data.goals] == [
        ("Veiliger in het donker", "45\u00a0%", "60\u00a0%", "streefwaarde nog niet gehaald"),
        ("Minder inbraken", "4\u00a0inbraken", "5\u00a0inbraken", "streefwaarde gehaald"),
    ]
    assert [(c.done_on, c.major, c.minor, c.remarks) for c in data.checks] == [
        ("12 april 2027", 1, 1, "Nachtronde met de beheerder")
    ]
    assert [(f.criterion, f.score, f.note) for f in data.findings] == [
        ("Beeldkwaliteit 's nachts", "Grote afwijking", "Lamp bij C1 defect"),
        ("Bebording aanwezig", "Kleine afwijking", "Bord scheef"),
    ]
    assert data.next_label == "K7 (3e kw. 2027)"
    assert [a.title for a in data.next_actions] == ["Bebording plaatsen"]


def test_a_past_quarter_counts_overdue_at_its_end_and_its_own_checks(app, plan):
    with app.test_request_context():
        data = progress_document(plan, 5, today=TODAY)
    assert data.overdue_before == "1 april 2027"
    assert [a.title for a in data.overdue] == ["Verlichting herstellen"]
    assert data.done_in_quarter == []
    assert [f.note for f in data.findings] == ["Bord bij de ingang weg"]
    assert [a.title for a in data.next_actions] == ["Camerabeelden evalueren", "Schouw herhalen"]


def test_the_pdf_shows_progress_goals_checks_and_next_quarter(app, plan):
    with app.test_request_context():
        words = pdf_words(progress_pdf(plan, 6, today=TODAY))
    for expected in (
        "Voortgangsrapport Lage Weide, K6 (2e kw. 2027)",
        "Cyclus 1, K6 (2e kw. 2027): 1 april 2027 tot en met 30 juni 2027",
        "Voortgang van het plan",
        "2 van de 5 acties zijn gereed",
        "Gereed in dit kwartaal",
        "Schouw herhalen",
        "Per thema",
        "Achterstallig",
        "Verlichting herstellen",
        "Reden van de vertraging",
        "geen reden opgegeven",
        "Doelen",
        "De cijfers bij de grafieken",
        "Veiliger in het donker",
        "streefwaarde nog niet gehaald",
        "Cameracontroles in dit kwartaal",
        "Lamp bij C1 defect",
        "Gepland in K7 (3e kw. 2027)",
        "Bebording plaatsen",
    ):
        assert expected in words, expected
    assert "Bord bij de ingang weg" not in words  # a check of the previous quarter


def test_the_last_quarter_and_a_park_without_network_or_goals(app, db):
    park = make_park(name="De Hoef")
    continuing(park)
    plan = make_plan(park, starts_on=PLAN_START)
    with app.test_request_context():
        words = pdf_words(progress_pdf(plan, 8, today=TODAY))
    for expected in (
        "Schoon Geen acties gereed, achterstallig of gepland voor dit thema.",
        "Er zijn nog geen doelen gesteld.",
        "Dit park heeft geen cameranetwerk.",
        "Dit is het laatste kwartaal van het plan.",
    ):
        assert expected in words, expected


def test_per_theme_done_overdue_with_the_reason_and_next(app, db, plan, advisor):
    delayed = next(a for a in plan.actions if a.title == "Verlichting herstellen")
    services.add_note(advisor, delayed, text="Eerste overleg met de netbeheerder", today=date(2027, 2, 1))
    delayed.status = ActionStatus.PLANNED
    services.change_status(
        advisor, delayed, status=ActionStatus.DELAYED, note="Armaturen  pas in juni leverbaar", today=date(2027, 3, 3)
    )
    services.add_note(advisor, delayed, text="Nog geen nieuws", today=date(2027, 4, 2))
    with app.test_request_context():
        data = progress_document(plan, 6, today=TODAY)
        words = pdf_words(progress_pdf(plan, 6, today=TODAY))
    sections = {s.theme: s for s in data.sections}
    assert list(sections) == ["Schoon", "Heel", "Veilig", "Meldingsbereidheid", "Zonder thema"]
    assert [a.title for a in sections["Heel"].done] == ["Schouw herhalen"]
    # the note of the change to "vertraagd" is the reason, not a later note
    assert [(a.title, a.reason) for a in sections["Heel"].overdue] == [
        ("Verlichting herstellen", "Armaturen pas in juni leverbaar (3 maart 2027)")
    ]
    assert sections["Veilig"].overdue == [] and [a.title for a in sections["Zonder thema"].next] == [
        "Bebording plaatsen"
    ]
    assert sections["Schoon"].empty
    assert "Armaturen pas in juni leverbaar (3 maart 2027)" in words
    heel = words.index("Heel Gereed in dit kwartaal")
    assert heel < words.index("Schouw herhalen", heel) < words.index("Verlichting herstellen", heel)


def test_an_overdue_action_with_only_progress_notes_shows_the_latest(app, db, plan, advisor):
    delayed = next(a for a in plan.actions if a.title == "Verlichting herstellen")
    services.add_note(advisor, delayed, text="Offerte opgevraagd", today=date(2027, 2, 1))
    services.add_note(advisor, delayed, text="Wacht op de offerte", today=date(2027, 4, 20))
    with app.test_request_context():
        assert delay_reason(delayed) == "Wacht op de offerte (20 april 2027)"


def test_the_goal_charts_show_baseline_latest_and_target_with_their_numbers(app, plan):
    with app.test_request_context():
        data = progress_document(plan, 6, today=TODAY)
        words = pdf_words(progress_pdf(plan, 6, today=TODAY))
        charts = {g.title: goal_chart(g).contents[0] for g in data.goals}
    dark = charts["Veiliger in het donker"]
    assert dark.data == [[40, 45, 60]]
    assert dark.categoryAxis.categoryNames == ["Nulmeting", "Laatste meting", "Streefwaarde"]
    assert dark.barLabelArray == [["40\u00a0%", "45\u00a0%", "60\u00a0%"]]
    assert charts["Minder inbraken"].barLabelArray == [["40\u00a0inbraken", "4\u00a0inbraken", "5\u00a0inbraken"]]
    # the numbers drawn by the chart, and the same numbers in the table that reads without the chart
    assert "Veiliger in het donker Veilig 40 % 45 % 60 % streefwaarde nog niet gehaald" in words


# The page and the download ---------------------------------------------------------------------------------


def test_a_check_with_remarks_taller_than_a_page(app, db, park):
    """Remarks may be 5,000 characters: their table row runs over two pages instead of breaking the report."""
    continuing(park)
    plan = make_plan(park, starts_on=PLAN_START)
    long_note = ("Camera bij de ingang hangt scheef " * 60)[:2000]
    make_check(
        make_network(park),
        date(2027, 4, 12),
        {"signage": (Score.MINOR, long_note)},
        remarks=("Nachtronde met de beheerder " * 200)[:4990] + " Slotwoord",
    )
    db.session.flush()
    with app.test_request_context():
        words = pdf_words(progress_pdf(plan, 6, today=TODAY))
    assert "Slotwoord" in words


def _base(park) -> str:
    return f"/parken/{park.id}/voortgangsrapport"


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


def test_the_page_defaults_to_the_current_quarter(login_as, park, plan, advisor, monkeypatch):
    monkeypatch.setattr("app.meetings.quarterly_views.local_today", lambda: TODAY)
    response = login_as(advisor).get(f"{_base(park)}/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option selected value="6">K6 (2e kw. 2027)</option>' in html
    assert "huidig kwartaal" in html
    assert f'href="{_base(park)}/kwartaal-6.pdf"' in html


def test_the_page_shows_the_chosen_quarter(login_as, park, plan, advisor, monkeypatch):
    monkeypatch.setattr("app.meetings.quarterly_views.local_today", lambda: TODAY)
    html = login_as(advisor).get(f"{_base(park)}/?kwartaal=3").get_data(as_text=True)
    assert '<option selected value="3">K3 (3e kw. 2026)</option>' in html
    assert f'href="{_base(park)}/kwartaal-3.pdf"' in html
    assert "huidig kwartaal" not in html
    # a quarter the plan does not have: the current one
    html = login_as(advisor).get(f"{_base(park)}/?kwartaal=9").get_data(as_text=True)
    assert f'href="{_base(park)}/kwartaal-6.pdf"' in html


def test_the_pdf_download(login_as, park, plan, advisor):
    response = login_as(advisor).get(f"{_base(park)}/kwartaal-6.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "voortgangsrapport-lage-weide-kwartaal-6.pdf" in response.headers["Content-Disposition"]
    assert "Voortgangsrapport Lage Weide, K6 (2e kw. 2027)" in pdf_words(response.data)


@pytest.mark.parametrize("number", [0, 9])
def test_a_quarter_outside_the_plan_is_a_404(login_as, park, plan, advisor, number):
    assert login_as(advisor).get(f"{_base(park)}/kwartaal-{number}.pdf").status_code == 404


def test_without_a_plan_the_page_says_so_and_there_is_no_pdf(login_as, park, advisor):
    client = login_as(advisor)
    response = client.get(f"{_base(park)}/")
    assert response.status_code == 200
    assert "Er is nog geen plan, dus ook nog geen voortgangsrapport." in response.get_data(as_text=True)
    assert client.get(f"{_base(park)}/kwartaal-1.pdf").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_everyone_on_the_park_may_read_it(login_as, park, plan, role):
    user = make_member(role, park)
    client = login_as(user)
    assert client.get(f"{_base(park)}/").status_code == 200
    assert client.get(f"{_base(park)}/kwartaal-6.pdf").status_code == 200


def test_another_parks_member_is_refused_and_an_unknown_park_is_a_404(login_as, park, plan, other_park):
    outsider = login_as(make_member(Role.ADVISOR, other_park))
    assert outsider.get(f"{_base(park)}/").status_code == 404
    assert outsider.get(f"{_base(park)}/kwartaal-6.pdf").status_code == 404
    assert outsider.get("/parken/999999/voortgangsrapport/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, park, plan):
    for path in (f"{_base(park)}/", f"{_base(park)}/kwartaal-6.pdf"):
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
