"""Results, export, report and comparison for every SurveyJS question type that carries an answer, under the
k-rule. The definition is set on the survey directly: it uses types the checker of today does not accept yet."""

from __future__ import annotations

import copy
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.auth.models import Role
from app.parks.models import CycleStatus
from app.parks.services import active_cycle, start_cycle
from app.surveys import export, results
from app.surveys.models import Survey, SurveyStatus
from app.surveys.report import report_pdf
from tests.factories import make_member, make_response
from tests.stakeholders import pdf_text
from tests.surveys.test_results import NOW

K = 3

DEFINITION = {
    "pages": [
        {
            "name": "alles",
            "elements": [
                {"type": "html", "name": "intro", "html": "<p>Welkom</p>"},
                {"type": "tagbox", "name": "tools", "title": "Welke middelen?", "choices": ["camera", "hek", "licht"]},
                {
                    "type": "imagepicker",
                    "name": "logo",
                    "title": "Welk logo?",
                    "choices": [
                        {"value": "a", "text": "Logo A", "imageLink": "https://example.nl/a.png"},
                        {"value": "b", "text": "Logo B", "imageLink": "https://example.nl/b.png"},
                    ],
                },
                {
                    "type": "imagepicker",
                    "name": "pictures",
                    "title": "Welke foto's?",
                    "multiSelect": True,
                    "choices": [
                        {"value": "a", "imageLink": "https://example.nl/a.png"},
                        {"value": "b", "imageLink": "https://example.nl/b.png"},
                    ],
                },
                {"type": "slider", "name": "busy", "title": "Hoe druk?", "min": 0, "max": 10},
                {"type": "slider", "name": "hours", "title": "Open van tot", "sliderType": "range", "max": 24},
                {
                    "type": "ranking",
                    "name": "priorities",
                    "title": "Wat eerst?",
                    "choices": ["inbraak", "zwerfvuil", "verlichting"],
                },
                {
                    "type": "matrixdropdown",
                    "name": "costs",
                    "title": "Kosten",
                    "rows": ["2024", "2025"],
                    "columns": [
                        {"name": "amount", "title": "Bedrag", "cellType": "text", "inputType": "number"},
                        {"name": "kind", "title": "Soort", "choices": ["schade", "preventie"]},
                        {"name": "note", "title": "Toelichting", "cellType": "comment"},
                    ],
                },
                {
                    "type": "matrixdynamic",
                    "name": "incidents",
                    "title": "Incidenten",
                    "columns": [
                        {"name": "what", "title": "Wat", "cellType": "dropdown", "choices": ["inbraak", "diefstal"]},
                        {"name": "reported", "title": "Gemeld", "cellType": "boolean"},
                    ],
                },
                {
                    "type": "multipletext",
                    "name": "contact person",
                    "title": "Contactpersoon",
                    "items": [{"name": "role", "title": "Functie"}, {"name": "staff", "inputType": "number"}],
                },
                {
                    "type": "paneldynamic",
                    "name": "sites",
                    "title": "Vestigingen",
                    "templateElements": [
                        {"type": "radiogroup", "name": "alarm", "title": "Alarm?", "choices": ["ja", "nee"]},
                        {
                            "type": "panel",
                            "name": "inner",
                            "elements": [{"type": "rating", "name": "score", "title": "Cijfer", "rateMax": 10}],
                        },
                    ],
                },
                {"type": "text", "name": "employees", "title": "Aantal medewerkers", "inputType": "number"},
                {"type": "boolean", "name": "sunday", "valueName": "open on sunday", "title": "Zondag open?"},
                {"type": "expression", "name": "total", "expression": "{employees} * 2"},
            ],
        }
    ]
}

ANSWERS = [
    {
        "tools": ["camera", "licht"],
        "logo": "a",
        "pictures": ["a", "b"],
        "busy": 2,
        "hours": [8, 17],
        "priorities": ["inbraak", "zwerfvuil", "verlichting"],
        "costs": {"2024": {"amount": 100, "kind": "schade", "note": "Ruit vernield"}, "2025": {"amount": 50}},
        "incidents": [{"what": "inbraak", "reported": True}, {"what": "diefstal", "reported": False}],
        "contact person": {"role": "eigenaar", "staff": 10},
        "sites": [{"alarm": "ja", "score": 8}, {"alarm": "nee", "score": 6}],
        "employees": 10,
        "open on sunday": True,
    },
    {
        "tools": ["camera"],
        "logo": "b",
        "pictures": ["a"],
        "busy": 4,
        "hours": [6, 18],
        "priorities": ["zwerfvuil", "inbraak", "verlichting"],
        "costs": {"2024": {"amount": 200, "kind": "preventie"}},
        "incidents": [{"what": "inbraak", "reported": True}],
        "contact person": {"role": "beheerder", "staff": 20},
        "sites": [{"alarm": "ja", "score": 7}],
        "employees": 20,
        "open on sunday": False,
    },
    {
        "tools": ["hek"],
        "logo": "a",
        "pictures": ["b"],
        "busy": 10,
        "hours": [8, 16],
        "priorities": ["inbraak", "verlichting", "zwerfvuil"],
        "costs": {"2024": {"amount": 300, "kind": "schade"}},
        "incidents": [{"what": "diefstal", "reported": True}],
        "contact person": {"role": "eigenaar", "staff": 30},
        "sites": [{"alarm": "nee", "score": 9}],
        "employees": 30,
        "open on sunday": True,
    },
    {"logo": "a", "busy": 4},
]


@pytest.fixture
def k3(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MIN_GROUP", K)


def closed_with(survey: Survey, answers: list[dict], definition: dict = DEFINITION) -> Survey:
    survey.definition = copy.deepcopy(definition)
    for answer in answers:
        make_response(survey, answer)
    survey.status = SurveyStatus.CLOSED
    return survey


@pytest.fixture
def typed(k3, survey):
    return closed_with(survey, ANSWERS)


def aggregate(app, survey, include_text=False) -> results.Results:
    with app.test_request_context():
        return results.aggregate(survey, include_text=include_text)


def shares(question: results.QuestionResult) -> dict:
    return {s.value: (s.count, round(s.percent, 1)) for s in question.shares}


# Results ---------------------------------------------------------------------------------------------------


def test_tagbox_and_multiple_imagepicker_count_as_checkbox_single_imagepicker_as_radiogroup(app, typed):
    result = aggregate(app, typed)
    tools = result.question("tools")
    assert tools.multiple and tools.answered == 3
    assert shares(tools) == {"camera": (2, 66.7), "hek": (1, 33.3), "licht": (1, 33.3)}
    logo = result.question("logo")
    assert not logo.multiple and logo.answered == 4
    assert shares(logo) == {"a": (3, 75.0), "b": (1, 25.0)}
    assert [s.label for s in logo.shares] == ["Logo A", "Logo B"]
    pictures = result.question("pictures")
    assert pictures.multiple and shares(pictures) == {"a": (2, 66.7), "b": (2, 66.7)}


def test_a_slider_has_its_mean_and_distribution_a_range_slider_per_end(app, typed):
    result = aggregate(app, typed)
    busy = result.question("busy")
    assert busy.mean == 5.0 and busy.answered == 4
    # eleven steps: a bar per step
    assert len(busy.shares) == 11 and shares(busy)[4] == (2, 50.0) and shares(busy)[10] == (1, 25.0)
    low, high = result.question("hours.min"), result.question("hours.max")
    assert (low.part_of, high.part_of) == ("hours", "hours")
    assert (low.title, high.title) == ("Open van tot \u2013 ondergrens", "Open van tot \u2013 bovengrens")
    assert round(low.mean, 2) == 7.33 and high.mean == 17.0
    # 25 steps (0-24) in bars of three
    assert [s.label for s in high.shares][:3] == ["0\u20132", "3\u20135", "6\u20138"] and high.shares[-1].label == "24"
    assert shares(low)[6] == (3, 100.0)
    assert shares(high)[15] == (2, 66.7) and shares(high)[18] == (1, 33.3)


def test_ranking_mean_position_and_how_often_first(app, typed):
    priorities = aggregate(app, typed).question("priorities")
    assert priorities.ranking and priorities.answered == 3
    # best first: inbraak 1, 2, 1; zwerfvuil 2, 1, 3; verlichting 3, 3, 2
    assert [(s.value, round(s.mean, 2), s.count, round(s.percent, 1)) for s in priorities.shares] == [
        ("inbraak", 1.33, 2, 66.7),
        ("zwerfvuil", 2.0, 1, 33.3),
        ("verlichting", 2.67, 0, 0.0),
    ]


def test_matrixdropdown_per_row_and_column_by_cell_type(app, typed):
    result = aggregate(app, typed)
    amount = result.question("costs.2024.amount")
    assert (amount.type, amount.mean, amount.shares, amount.part_of) == ("text", 200.0, [], "costs")
    assert amount.title == "Kosten \u2013 2024 \u2013 Bedrag"
    assert shares(result.question("costs.2024.kind")) == {"schade": (2, 66.7), "preventie": (1, 33.3)}
    # a cell fewer than k answered is held back
    assert result.question("costs.2025.amount").suppressed and result.question("costs.2025.amount").answered == 1
    assert result.question("costs.2025.kind").suppressed
    # text cells are free text: for the advisor only
    assert result.question("costs.2024.note") is None
    assert aggregate(app, typed, include_text=True).question("costs.2024.note").texts == ["Ruit vernield"]


def test_matrixdynamic_per_column_over_all_rows(app, typed):
    result = aggregate(app, typed)
    what = result.question("incidents.what")
    assert (what.answered, what.entries) == (3, 4)  # three respondents, four rows
    assert shares(what) == {"inbraak": (2, 50.0), "diefstal": (2, 50.0)}
    assert shares(result.question("incidents.reported")) == {True: (3, 75.0), False: (1, 25.0)}
    with app.test_request_context():
        assert what.answered_text.startswith("3 respondenten vulden samen 4 rijen of panelen in")


def test_multipletext_per_item(app, typed):
    result = aggregate(app, typed)
    assert result.question("contact person.staff").mean == 20.0
    assert result.question("contact person.role") is None
    texts = aggregate(app, typed, include_text=True).question("contact person.role")
    assert texts.free_text and texts.texts == ["beheerder", "eigenaar", "eigenaar"]


def test_paneldynamic_per_template_question_over_all_panels(app, typed):
    result = aggregate(app, typed)
    alarm = result.question("sites.alarm")
    assert alarm.title == "Vestigingen \u2013 Alarm?" and (alarm.answered, alarm.entries) == (3, 4)
    assert shares(alarm) == {"ja": (2, 50.0), "nee": (2, 50.0)}
    score = result.question("sites.score")  # in a panel of the template: flattened
    assert score.mean == 7.5 and [s.value for s in score.shares] == list(range(1, 11))  # rateMax 10


def test_numeric_text_shows_its_mean_a_shared_value_name_one_result_and_display_types_none(app, typed):
    result = aggregate(app, typed)
    employees = result.question("employees")
    assert (employees.mean, employees.free_text, employees.shares) == (20.0, False, [])
    sunday = result.question("open on sunday")
    assert shares(sunday) == {True: (2, 66.7), False: (1, 33.3)}
    assert sunday.slug != "open on sunday" and " " not in sunday.slug
    names = {q.name for q in result.questions}
    assert not names & {"intro", "total", "sunday", "costs", "sites", "incidents", "hours"}


def test_parts_answered_by_fewer_than_k_respondents_are_held_back_however_many_rows(app, k3, survey):
    """Two companies with five panels (rows) between them are still two: held back."""
    many = [
        {
            "sites": [{"alarm": "ja", "score": 8}] * 3,
            "incidents": [{"what": "inbraak"}] * 3,
            "priorities": ["inbraak"],
        },
        {"sites": [{"alarm": "nee"}] * 2, "incidents": [{"what": "diefstal"}] * 2, "busy": 3, "tools": ["hek"]},
        {"logo": "a"},
    ]
    result = aggregate(app, closed_with(survey, many))
    for name in ("sites.alarm", "sites.score", "incidents.what", "priorities", "busy", "tools"):
        question = result.question(name)
        assert question.suppressed and question.shares == [] and question.mean is None, name
    assert result.question("sites.alarm").entries == 5 and result.question("sites.alarm").answered == 2


# Comparison with the previous cycle ------------------------------------------------------------------------


@pytest.fixture
def typed_cycles(db, k3, park):
    """Cycle 1 with DEFINITION and ANSWERS; cycle 2 with one more tool to choose and the ranking's answers
    turned."""
    first = active_cycle(park)
    earlier = Survey(park=park, cycle=first, title="Nulmeting", definition={}, status=SurveyStatus.CLOSED)
    db.session.add(earlier)
    db.session.flush()
    closed_with(earlier, ANSWERS)
    first.status = CycleStatus.CLOSED
    db.session.flush()
    second = start_cycle(park, number=2, today=date(2026, 1, 1), now=NOW)
    current = Survey(park=park, cycle=second, title="Herhaalmeting", definition={}, status=SurveyStatus.CLOSED)
    db.session.add(current)
    db.session.flush()
    definition = copy.deepcopy(DEFINITION)
    definition["pages"][0]["elements"][1]["choices"].append("hond")
    now = [dict(answer) for answer in ANSWERS]
    now[2] = {**now[2], "priorities": ["zwerfvuil", "inbraak", "verlichting"]}
    return earlier, closed_with(current, now, definition)


def test_the_same_question_compares_for_every_type_a_changed_one_does_not(app, typed_cycles):
    _earlier, current = typed_cycles
    result = aggregate(app, current)
    priorities = result.question("priorities")
    assert priorities.compared
    # inbraak first for 2 of 3 then, 1 of 3 now
    assert {s.value: round(s.change, 1) for s in priorities.shares}["inbraak"] == -33.3
    for name in ("logo", "pictures", "busy", "hours.min", "costs.2024.kind", "incidents.what", "sites.alarm"):
        assert result.question(name).compared, name
    assert result.question("employees").compared and result.question("employees").mean_change == 0
    # another option to choose: another question
    assert not result.question("tools").compared
    compared = {q.name: q for q in result.comparison.questions}
    assert "tools" not in compared and compared["priorities"].ranking
    assert {r.label: (round(r.previous, 1), round(r.current, 1)) for r in compared["priorities"].rows}["inbraak"] == (
        66.7,
        33.3,
    )
    assert compared["employees"].rows == [] and compared["employees"].current_mean == 20.0


def test_results_page_shows_every_type(login_as, park, typed_cycles):
    _earlier, _current = typed_cycles
    page = login_as(make_member(Role.ADVISOR, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for title in ("Welke middelen?", "Wat eerst?", "Kosten \u2013 2024 \u2013 Bedrag", "Vestigingen \u2013 Alarm?"):
        assert title in text
    assert "Gemiddelde positie" in text and "1,3" in text
    assert "3 respondenten vulden samen 4 rijen of panelen in" in text
    assert "Ruit vernield" in text  # free text: the advisor only
    assert 'id="q-open on sunday"' not in text and 'id="q-tools"' in text
    partner = login_as(make_member(Role.PARTNER, park)).get(f"/parken/{park.id}/enquete/resultaten/")
    assert "Ruit vernield" not in partner.get_data(as_text=True) and "Wat eerst?" in partner.get_data(as_text=True)


# Export ----------------------------------------------------------------------------------------------------


def test_export_columns_per_type(app, typed):
    with app.test_request_context():
        header, rows = export.export_table(typed)
    assert "intro" not in header and "total" not in header and "sunday" not in header
    first = next(dict(zip(header, row, strict=True)) for row in rows if row[header.index("employees")] == 10)
    assert (first["tools.camera"], first["tools.hek"], first["tools.licht"]) == (1, 0, 1)
    assert (first["logo"], first["pictures.a"], first["pictures.b"]) == ("a", 1, 1)
    assert (first["busy"], first["hours.min"], first["hours.max"]) == (2, 8, 17)
    assert (first["priorities.inbraak"], first["priorities.zwerfvuil"], first["priorities.verlichting"]) == (1, 2, 3)
    assert (first["costs.2024.amount"], first["costs.2024.kind"], first["costs.2024.note"]) == (
        100,
        "schade",
        "Ruit vernield",
    )
    assert (first["costs.2025.amount"], first["costs.2025.kind"]) == (50, None)
    # rows and panels numbered, as many as the most anyone gave
    assert (first["incidents.1.what"], first["incidents.1.reported"]) == ("inbraak", 1)
    assert (first["incidents.2.what"], first["incidents.2.reported"]) == ("diefstal", 0)
    assert "incidents.3.what" not in header
    assert (first["sites.1.alarm"], first["sites.1.score"], first["sites.2.score"]) == ("ja", 8, 6)
    assert (first["contact person.role"], first["contact person.staff"]) == ("eigenaar", 10)
    assert first["open on sunday"] == 1
    last = next(dict(zip(header, row, strict=True)) for row in rows if row[header.index("employees")] is None)
    assert (last["logo"], last["priorities.inbraak"], last["tools.camera"], last["sites.1.alarm"]) == (
        "a",
        None,
        None,
        None,
    )


def test_export_csv_and_xlsx_of_every_type(login_as, park, typed):
    client = login_as(make_member(Role.ADVISOR, park))
    base = f"/parken/{park.id}/enquete/resultaten/exporteren"
    table = list(csv.reader(io.StringIO(client.get(f"{base}?format=csv").data.decode("utf-8-sig")), delimiter=";"))
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    first = next(row for row in rows if row["employees"] == "10")
    assert (first["priorities.zwerfvuil"], first["hours.max"], first["sites.2.alarm"]) == ("2", "17", "nee")
    assert first["costs.2024.note"] == "Ruit vernield" and first["contact person.role"] == "eigenaar"
    sheet = load_workbook(io.BytesIO(client.get(f"{base}?format=xlsx").data)).active
    values = list(sheet.values)
    header = list(values[0])
    first = next(dict(zip(header, row, strict=True)) for row in values[1:] if row[header.index("employees")] == 10)
    assert (first["priorities.verlichting"], first["incidents.2.what"], first["costs.2024.amount"]) == (
        3,
        "diefstal",
        100,
    )


# Report ----------------------------------------------------------------------------------------------------


def test_report_has_a_table_per_type_and_no_free_text(app, typed_cycles):
    _earlier, current = typed_cycles
    with app.test_request_context():
        data = report_pdf(current, compress=False)
        words = pdf_text(data)
    assert "Welke middelen? Antwoord Aantal Percentage" in words
    assert "camera 2 66,7 %" in words and "Meerdere antwoorden waren mogelijk." in words
    assert "Logo A 3 75,0 % 0,0" in words  # compared with cycle 1: no change
    assert "Wat eerst? Keuze Gemiddelde positie Als eerste gekozen Percentage" in words
    assert "zwerfvuil 1,3 2 66,7 % +33,3 inbraak 1,7 1 33,3 %" in words
    assert "Hoe druk?" in words and "Gemiddelde: 5,0." in words
    assert "Open van tot \u2013 bovengrens" in words and "15\u201317 2 66,7 %" in words
    assert "Kosten \u2013 2024 \u2013 Bedrag 3 respondenten beantwoordden deze vraag. Gemiddelde: 200,0." in words
    assert "Kosten \u2013 2025 \u2013 Bedrag 1 antwoord: te weinig antwoorden om te tonen." in words
    assert "Vestigingen \u2013 Alarm?" in words and "3 respondenten vulden samen 4 rijen of panelen in" in words
    assert "Contactpersoon \u2013 staff" in words
    assert "Ruit vernield" not in words and "beheerder" not in words
    # the means compared in the comparison's table
    assert "Hoe druk? (gemiddelde) 5,0 0,0" in words and "Vestigingen \u2013 Cijfer (gemiddelde) 7,5 0,0" in words
