"""The form-based questionnaire editor: every edit of app/surveys/editor.py (and that its result passes the checker),
and its pages: who may use them, CSRF, and a frozen or closed survey refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.surveys import editor, services
from app.surveys.definition import load_default, questions, validate_definition
from app.surveys.editor import ChoiceRow
from app.surveys.models import Survey, SurveyStatus
from tests.factories import make_member, make_membership, make_park, make_response

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def default(db):
    return load_default()


def _refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value.message


def _names(definition: dict) -> list[str]:
    return [question["name"] for question in questions(definition)]


def _page_names(definition: dict, number: int) -> list[str]:
    return [element["name"] for element in definition["pages"][number]["elements"]]


def _question(definition: dict, name: str) -> dict:
    return editor.find_question(definition, name)[1]


def _rows(question: dict) -> list[ChoiceRow]:
    return [ChoiceRow(str(item["value"]), editor.text_pair(item.get("text"))) for item in question["choices"]]


# Texts -----------------------------------------------------------------------------------------------------------


def test_text_pair_reads_plain_and_localised_texts():
    assert editor.text_pair("Vraag") == ("Vraag", "")
    assert editor.text_pair({"default": "Vraag", "en": "Question"}) == ("Vraag", "Question")
    assert editor.text_pair({"default": "x", "nl": "Vraag"}) == ("Vraag", "")
    assert editor.text_pair(None) == ("", "")


def test_edit_question_rewords_in_both_languages_and_marks_required(default):
    edited = editor.edit_question(
        default,
        "size",
        title=("  Hoeveel   mensen werken hier? ", "How many people work here?"),
        description=("Tel uzelf mee.\nOok parttimers.", ""),
        required=True,
    )
    question = _question(edited, "size")
    assert question["title"] == {"default": "Hoeveel mensen werken hier?", "en": "How many people work here?"}
    assert question["description"] == "Tel uzelf mee.\nOok parttimers."
    assert question["isRequired"] is True
    assert _question(default, "size") != question  # the given definition is left as it was
    assert validate_definition(edited) == edited

    plain = editor.edit_question(edited, "size", title=("Alleen Nederlands", ""), description=("", ""), required=False)
    question = _question(plain, "size")
    assert question["title"] == "Alleen Nederlands" and "description" not in question and "isRequired" not in question


def test_edit_question_keeps_other_languages_of_a_text(default):
    default["pages"][0]["elements"][0]["title"] = {"default": "Oud", "en": "Old", "de": "Alt"}
    edited = editor.edit_question(default, "sector", title=("Nieuw", ""), description=("", ""), required=False)
    assert _question(edited, "sector")["title"] == {"default": "Nieuw", "de": "Alt"}


@pytest.mark.parametrize(
    ("title", "description", "message"),
    [
        (("", "Only English"), ("", ""), "Vul de Nederlandse tekst van de vraag in."),
        (("   ", ""), ("", ""), "Vul de Nederlandse tekst van de vraag in."),
        (("x" * 1001, ""), ("", ""), "De tekst van de vraag is te lang (hoogstens 1000 tekens)."),
        (("Vraag", ""), ("", "Only English"), "Vul de Nederlandse tekst van de toelichting in."),
    ],
)
def test_edit_question_refuses_bad_texts(default, title, description, message):
    assert _refused(editor.edit_question, default, "size", title=title, description=description, required=False) == (
        message
    )


def test_an_unknown_question_is_refused(default):
    message = "Deze vraag staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."
    assert _refused(editor.edit_question, default, "nope", title=("a", ""), description=("", ""), required=False) == (
        message
    )
    assert _refused(editor.remove_question, default, "nope") == message
    assert _refused(editor.move_question, default, "nope", 1) == message


# Choices ---------------------------------------------------------------------------------------------------------


def test_edit_choices_rewords_removes_and_adds_keeping_values(default):
    question = _question(default, "size")
    rows = _rows(question)
    rows[0] = ChoiceRow(rows[0].value, ("Eén persoon", "One person"))
    rows[1] = ChoiceRow(rows[1].value, rows[1].text, remove=True)
    edited = editor.edit_choices(default, "size", rows, ("Meer dan 1000", "More than 1000"))
    choices = _question(edited, "size")["choices"]
    values = [choice["value"] for choice in choices]
    assert values == ["1", "10-49", "50-249", "250+", "meer_dan_1000"]
    assert choices[0]["text"] == {"default": "Eén persoon", "en": "One person"}
    assert choices[-1]["text"] == {"default": "Meer dan 1000", "en": "More than 1000"}
    assert validate_definition(edited) == edited


def test_a_plain_choice_gets_a_text(default):
    default["pages"][0]["elements"][0]["choices"] = ["a", 2]
    edited = editor.edit_choices(
        default, "sector", [ChoiceRow("a", ("Aa", "")), ChoiceRow("2", ("Twee", "Two"))], ("", "")
    )
    assert _question(edited, "sector")["choices"] == [
        {"value": "a", "text": "Aa"},
        {"value": 2, "text": {"default": "Twee", "en": "Two"}},
    ]


def test_a_new_choice_gets_a_value_of_its_own(default):
    default["pages"][0]["elements"][0]["choices"] = [{"value": "bouw", "text": "Bouw"}]
    edited = editor.edit_choices(default, "sector", [ChoiceRow("bouw", ("Bouw", ""))], ("Bouw!", ""))
    assert [choice["value"] for choice in _question(edited, "sector")["choices"]] == ["bouw", "bouw_2"]
    edited = editor.edit_choices(edited, "sector", _rows(_question(edited, "sector")), ("Other", ""))
    assert _question(edited, "sector")["choices"][-1]["value"] == "other_2"  # "other" is SurveyJS's own item
    edited = editor.edit_choices(edited, "sector", _rows(_question(edited, "sector")), ("???", ""))
    assert _question(edited, "sector")["choices"][-1]["value"] == "keuze"


def test_edit_choices_refusals(default):
    rows = _rows(_question(default, "size"))
    assert _refused(editor.edit_choices, default, "size", rows[:-1], ("", "")) == (
        "De keuzes zijn intussen veranderd. Laad de pagina opnieuw."
    )
    emptied = [ChoiceRow(row.value, ("", "x")) if i == 0 else row for i, row in enumerate(rows)]
    assert _refused(editor.edit_choices, default, "size", emptied, ("", "")) == (
        "Vul de Nederlandse tekst van een keuze in."
    )
    all_gone = [ChoiceRow(row.value, row.text, remove=True) for row in rows]
    assert _refused(editor.edit_choices, default, "size", all_gone, ("", "")) == (
        "Een keuzevraag heeft minstens één keuze."
    )
    assert _refused(editor.edit_choices, default, "grade", [], ("", "")) == "Deze vraag heeft geen keuzes."
    assert _refused(editor.edit_choices, default, "size", rows, ("", "Only English")) == (
        "Vul de Nederlandse tekst van de nieuwe keuze in."
    )


def test_a_choice_a_condition_uses_is_not_removed(default):
    rows = [ChoiceRow(row.value, row.text, remove=row.value == "nee") for row in _rows(_question(default, "reported"))]
    message = _refused(editor.edit_choices, default, "reported", rows, ("", ""))
    assert message == (
        'De keuze "Nee, niet gemeld en geen aangifte gedaan" wordt gebruikt in een voorwaarde. Pas eerst de '
        "voorwaarde aan bij: “Waarom heeft u geen aangifte gedaan?”."
    )


# A matrix's rows and columns, a scale's end texts ----------------------------------------------------------------


def _items(question: dict, key: str) -> list[ChoiceRow]:
    return [ChoiceRow(str(value), editor.text_pair(text)) for value, text in editor.item_list(question, key)]


def test_edit_the_rows_and_columns_of_a_matrix_keeping_values(default):
    rows = _items(_question(default, "nuisance"), "rows")
    rows[0] = ChoiceRow(rows[0].value, ("Zwerfafval", "Litter"))
    rows[2] = ChoiceRow(rows[2].value, rows[2].text, remove=True)
    edited = editor.edit_choices(default, "nuisance", rows, ("Geluid", "Noise"), "rows")
    matrix = _question(edited, "nuisance")
    assert matrix["rows"][0] == {"value": "zwerfvuil", "text": {"default": "Zwerfafval", "en": "Litter"}}
    assert "groen" not in [row["value"] for row in matrix["rows"]]
    assert matrix["rows"][-1] == {"value": "geluid", "text": {"default": "Geluid", "en": "Noise"}}
    assert matrix["columns"] == _question(default, "nuisance")["columns"]

    columns = _items(matrix, "columns")
    columns[1] = ChoiceRow(columns[1].value, ("Wat overlast", "Some nuisance"))
    edited = editor.edit_choices(edited, "nuisance", columns, ("", ""), "columns")
    assert _question(edited, "nuisance")["columns"][1] == {
        "value": "enige",
        "text": {"default": "Wat overlast", "en": "Some nuisance"},
    }
    assert validate_definition(edited) == edited


def test_the_columns_of_a_matrixdropdown_are_named_and_titled(default):
    table = {
        "type": "matrixdropdown",
        "name": "table",
        "rows": ["a"],
        "columns": [
            {"name": "count", "title": "Aantal", "cellType": "text"},
            {"name": "kind", "cellType": "dropdown", "choices": ["x", "y"], "isRequired": True},
        ],
    }
    default["pages"][0]["elements"].append(table)
    columns = [ChoiceRow("count", ("Hoeveel", "How many")), ChoiceRow("kind", ("Soort", ""))]
    edited = editor.edit_choices(default, "table", columns, ("Nieuwe kolom", ""), "columns")
    assert _question(edited, "table")["columns"] == [
        {"name": "count", "title": {"default": "Hoeveel", "en": "How many"}, "cellType": "text"},
        {"name": "kind", "cellType": "dropdown", "choices": ["x", "y"], "isRequired": True, "title": "Soort"},
        # a new column asks what the one before it asks
        {"cellType": "dropdown", "choices": ["x", "y"], "name": "nieuwe_kolom", "title": "Nieuwe kolom"},
    ]
    edited = editor.edit_choices(edited, "table", [ChoiceRow("a", ("Rij A", "Row A"))], ("", ""), "rows")
    assert _question(edited, "table")["rows"] == [{"value": "a", "text": {"default": "Rij A", "en": "Row A"}}]
    assert validate_definition(edited) == edited


def test_rows_and_columns_refusals(default):
    rows = _items(_question(default, "victimisation"), "rows")
    assert _refused(editor.edit_choices, default, "victimisation", rows[1:], ("", ""), "rows") == (
        "De rijen zijn intussen veranderd. Laad de pagina opnieuw."
    )
    emptied = [ChoiceRow(rows[0].value, ("", "x")), *rows[1:]]
    assert _refused(editor.edit_choices, default, "victimisation", emptied, ("", ""), "rows") == (
        "Vul de Nederlandse tekst van een rij in."
    )
    used = [ChoiceRow(rows[0].value, rows[0].text, remove=True), *rows[1:]]
    assert _refused(editor.edit_choices, default, "victimisation", used, ("", ""), "rows").startswith(
        'De rij "Inbraak in het pand" wordt gebruikt in een voorwaarde. Pas eerst de voorwaarde aan bij: '
    )
    columns = _items(_question(default, "nuisance"), "columns")
    all_gone = [ChoiceRow(row.value, row.text, remove=True) for row in columns]
    assert _refused(editor.edit_choices, default, "nuisance", all_gone, ("", ""), "columns") == (
        "Een tabelvraag heeft minstens één kolom."
    )
    assert _refused(editor.edit_choices, default, "nuisance", columns, ("", "Only English"), "columns") == (
        "Vul de Nederlandse tekst van de nieuwe kolom in."
    )
    assert _refused(editor.edit_choices, default, "size", [], ("", ""), "rows") == "Deze vraag heeft geen rijen."
    assert _refused(editor.edit_choices, default, "victimisation", [], ("", "")) == "Deze vraag heeft geen keuzes."
    assert _refused(editor.edit_choices, default, "size", [], ("", ""), "nope") == "Deze vraag heeft geen keuzes."
    long = [ChoiceRow(rows[0].value, ("x" * (editor.CHOICE_MAX + 1), "")), *rows[1:]]
    assert _refused(editor.edit_choices, default, "victimisation", long, ("", ""), "rows") == (
        "De tekst van een rij is te lang (hoogstens 300 tekens)."
    )


def test_edit_the_texts_at_the_ends_of_a_scale(default):
    edited = editor.edit_scale_texts(default, "grade", low=("Heel slecht", "Very bad"), high=("Top", ""))
    grade = _question(edited, "grade")
    assert grade["minRateDescription"] == {"default": "Heel slecht", "en": "Very bad"}
    assert grade["maxRateDescription"] == "Top"  # without English: a plain text
    assert validate_definition(edited) == edited
    cleared = editor.edit_scale_texts(edited, "grade", low=("", ""), high=("", ""))
    assert "minRateDescription" not in _question(cleared, "grade")
    assert "maxRateDescription" not in _question(cleared, "grade")
    assert _refused(editor.edit_scale_texts, default, "size", low=("a", ""), high=("b", "")) == (
        "Deze vraag heeft geen schaal."
    )
    assert _refused(editor.edit_scale_texts, default, "grade", low=("", "Bad"), high=("", "")) == (
        "Vul de Nederlandse tekst van het begin van de schaal in."
    )


# Conditions ------------------------------------------------------------------------------------------------------


def test_set_condition_on_a_single_choice_a_checkbox_a_yes_no_and_a_scale(default):
    edited = editor.set_condition(default, "trend", "size", "2-9")
    assert _question(edited, "trend")["visibleIf"] == "{size} = '2-9'"
    assert editor.simple_condition(_question(edited, "trend")) == ("size", "2-9")
    edited = editor.set_condition(edited, "trend", "hours", "nacht")
    assert _question(edited, "trend")["visibleIf"] == "{hours} contains 'nacht'"
    edited = editor.set_condition(edited, "remarks", "contact_police", True)
    assert _question(edited, "remarks")["visibleIf"] == "{contact_police} = true"
    assert editor.simple_condition(_question(edited, "remarks")) == ("contact_police", True)
    edited = editor.set_condition(edited, "trend", "grade", 7)
    assert _question(edited, "trend")["visibleIf"] == "{grade} = 7"
    assert editor.simple_condition(_question(edited, "trend")) == ("grade", 7)
    assert validate_definition(edited) == edited

    cleared = editor.set_condition(edited, "trend", None)
    assert "visibleIf" not in _question(cleared, "trend")


def test_a_condition_names_an_earlier_question_and_one_of_its_answers(default):
    assert _refused(editor.set_condition, default, "sector", "size", "1") == (
        "Kies voor de voorwaarde een eerdere vraag met keuzes."
    )
    assert _refused(editor.set_condition, default, "trend", "hotspots", "x") == (
        "Kies voor de voorwaarde een eerdere vraag met keuzes."
    )
    assert _refused(editor.set_condition, default, "trend", "size", "7") == (
        "Kies voor de voorwaarde een van de antwoorden van die vraag."
    )
    assert _refused(editor.set_condition, default, "trend", "grade", "7") == (
        "Kies voor de voorwaarde een van de antwoorden van die vraag."
    )


def test_a_value_with_a_quote_is_quoted_the_other_way(default):
    default["pages"][0]["elements"][1]["choices"].append({"value": "o'neill", "text": "x"})
    edited = editor.set_condition(default, "trend", "size", "o'neill")
    assert _question(edited, "trend")["visibleIf"] == '{size} = "o\'neill"'
    assert editor.simple_condition(_question(edited, "trend")) == ("size", "o'neill")


def test_condition_sources_and_labels(default):
    sources = editor.condition_sources(default, "safe_dark")
    assert [source["name"] for source in sources] == ["sector", "size", "hours", "safe_day"]
    assert editor.choice_label(_question(default, "size"), "2-9", "en") == "2\N{EN DASH}9"
    assert editor.choice_label(_question(default, "contact_police"), True, "nl") == "Ja"
    assert editor.simple_condition({"visibleIf": "{a} anyof ['x']"}) is None


# Adding, removing and moving -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", editor.COMMON_TYPES)
def test_add_a_question_of_each_common_type(default, kind):
    edited, name = editor.add_question(
        default, page=1, position=1, kind=kind, title=("Hoe vaat ziet u de wijkagent?", "How often?")
    )
    assert name == "hoe_vaat_ziet_u_de_wijkagent"
    assert _page_names(edited, 1)[1] == name
    question = _question(edited, name)
    assert question["type"] == kind and question["title"] == {
        "default": "Hoe vaat ziet u de wijkagent?",
        "en": "How often?",
    }
    assert validate_definition(edited) == edited


def test_a_new_choice_question_gets_its_choices_or_two_to_reword(default):
    edited, name = editor.add_question(
        default, page=0, position=99, kind="radiogroup", title=("Heeft u camera's?", ""), choices=["Ja", "", " Nee "]
    )
    assert _page_names(edited, 0)[-1] == name == "heeft_u_camera_s"
    assert _question(edited, name)["choices"] == [{"value": "ja", "text": "Ja"}, {"value": "nee", "text": "Nee"}]
    edited, other = editor.add_question(edited, page=0, position=0, kind="checkbox", title=("Heeft u camera's?", ""))
    assert other == "heeft_u_camera_s_2" and _page_names(edited, 0)[0] == other
    assert _question(edited, other)["choices"] == [
        {"value": "keuze_1", "text": {"default": "Keuze 1", "en": "Choice 1"}},
        {"value": "keuze_2", "text": {"default": "Keuze 2", "en": "Choice 2"}},
    ]
    assert validate_definition(edited) == edited


def test_a_generated_name_starts_with_a_letter_and_is_not_too_long(default):
    _edited, name = editor.add_question(default, page=0, position=0, kind="text", title=("123 Vraag", ""))
    assert name == "vraag_123_vraag"
    _edited, name = editor.add_question(default, page=0, position=0, kind="text", title=("€€€", ""))
    assert name == "vraag"
    long_title = "Hoe tevreden bent u over de samenwerking met de gemeente en de politie?"
    _edited, name = editor.add_question(default, page=0, position=0, kind="text", title=(long_title, ""))
    assert name == "hoe_tevreden_bent_u_over_de_samenwerking" and len(name) <= editor.SLUG_MAX


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "file"}, "Kies een soort vraag uit de lijst."),
        ({"title": ("", "")}, "Vul de Nederlandse tekst van de vraag in."),
        ({"page": 7}, "Deze pagina staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."),
        ({"page": -1}, "Deze pagina staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."),
        ({"choices": ["x"] * 101}, "Een vraag heeft hoogstens 100 keuzes."),
    ],
)
def test_add_question_refusals(default, kwargs, message):
    arguments = {"page": 0, "position": 0, "kind": "radiogroup", "title": ("Vraag", "")} | kwargs
    assert _refused(editor.add_question, default, **arguments) == message


def test_remove_a_question(default):
    edited = editor.remove_question(default, "size")
    assert "size" not in _names(edited) and len(_names(edited)) == len(_names(default)) - 1
    assert validate_definition(edited) == edited


def test_a_question_a_condition_uses_or_the_last_of_a_page_is_not_removed(default):
    message = _refused(editor.remove_question, default, "victimisation")
    assert message.startswith("Een voorwaarde gebruikt het antwoord op deze vraag. Pas eerst de voorwaarde aan bij: ")
    lonely, name = editor.add_page(default, position=9, title=("Extra", ""), kind="text", question_title=("Vraag", ""))
    assert _refused(editor.remove_question, lonely, name) == (
        "Dit is de enige vraag op deze pagina: een pagina heeft minstens één vraag."
    )


def test_move_up_and_down_within_a_page_and_across_pages(default):
    assert _page_names(editor.move_question(default, "size", -1), 0) == ["size", "sector", "hours"]
    assert _page_names(editor.move_question(default, "size", 1), 0) == ["sector", "hours", "size"]
    down = editor.move_question(default, "hours", 1)
    assert _page_names(down, 0) == ["sector", "size"] and _page_names(down, 1)[0] == "hours"
    up = editor.move_question(default, "safe_day", -1)
    assert _page_names(up, 0)[-1] == "safe_day" and "safe_day" not in _page_names(up, 1)
    assert validate_definition(down) == down


def test_move_refusals(default):
    assert _refused(editor.move_question, default, "sector", -1) == "Deze vraag staat al bovenaan."
    assert _refused(editor.move_question, default, "remarks", 1) == "Deze vraag staat al onderaan."
    assert _refused(editor.move_question, default, "sector", 2) == "Kies omhoog of omlaag."
    lonely, name = editor.add_page(default, position=0, title=("Eerst", ""), kind="text", question_title=("Vraag", ""))
    assert _refused(editor.move_question, lonely, name, 1) == (
        "Dit is de enige vraag op deze pagina: een pagina heeft minstens één vraag."
    )


def test_a_question_in_a_panel_moves_within_the_panel(default):
    panel = {
        "type": "panel",
        "name": "blok",
        "elements": [{"type": "text", "name": "a"}, {"type": "text", "name": "b"}],
    }
    default["pages"][0]["elements"].append(panel)
    assert [e["name"] for e in editor.move_question(default, "b", -1)["pages"][0]["elements"][-1]["elements"]] == [
        "b",
        "a",
    ]
    assert _refused(editor.move_question, default, "b", 1) == "Deze vraag staat al onderaan."


def test_move_to_another_page(default):
    edited = editor.move_to_page(default, "size", 3)
    assert "size" not in _page_names(edited, 0) and _page_names(edited, 3)[-1] == "size"
    assert validate_definition(edited) == edited
    assert _refused(editor.move_to_page, default, "size", 0) == "De vraag staat al op deze pagina."
    assert _refused(editor.move_to_page, default, "size", 42) == (
        "Deze pagina staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."
    )


# Pages -----------------------------------------------------------------------------------------------------------


def test_add_and_rename_a_page(default):
    edited, name = editor.add_page(
        default, position=2, title=("Camera's", "Cameras"), kind="boolean", question_title=("Wilt u camera's?", "")
    )
    page = edited["pages"][2]
    assert page["name"] == "camera_s" and page["title"] == {"default": "Camera's", "en": "Cameras"}
    assert page["elements"] == [{"type": "boolean", "name": name, "title": "Wilt u camera's?"}]
    assert validate_definition(edited) == edited
    renamed = editor.rename_page(edited, 2, ("Beveiliging", "Security"))
    assert renamed["pages"][2]["title"] == {"default": "Beveiliging", "en": "Security"}
    assert renamed["pages"][2]["name"] == "camera_s"
    assert _refused(editor.rename_page, edited, 2, ("", "")) == "Vul de Nederlandse tekst van de pagina in."
    assert _refused(editor.rename_page, edited, 99, ("x", "")) == (
        "Deze pagina staat niet (meer) in de vragenlijst. Laad de pagina opnieuw."
    )
    assert _refused(editor.add_page, default, position=0, title=("x", ""), kind="text", question_title=("", "")) == (
        "Vul de Nederlandse tekst van de vraag in."
    )


# The editor's pages ----------------------------------------------------------------------------------------------


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anna Adviseur")


@pytest.fixture
def draft(db, park, advisor):
    return services.create_survey(advisor, park, title="Enquête 2026")


def _url(park, suffix: str = "", **query) -> str:
    base = f"/parken/{park.id}/enquete/vragenlijst{suffix}"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _reload(db, survey) -> Survey:
    db.session.expire_all()
    return db.session.get(Survey, survey.id)


def _audits(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("surveys.definition%"))))


TEXT = {
    "question-title_nl": "Hoeveel mensen werken hier?",
    "question-title_en": "How many people work here?",
    "question-description_nl": "",
    "question-description_en": "",
    "question-required": "y",
}


def test_the_question_page_shows_its_forms_and_saves_a_reworded_required_question(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    body = client.get(_url(park, "/vraag", naam="size")).get_data(as_text=True)
    assert "Hoeveel medewerkers werken er bij uw bedrijf op deze locatie?" in body
    assert "How many people work for your company at this location?" in body
    assert 'id="survey-preview"' in body and 'id="survey-definition"' in body

    response = client.post(_url(park, "/vraag/tekst", naam="size"), data=TEXT)
    assert response.status_code == 302 and response.headers["Location"].endswith("naam=size#vraag")
    question = editor.find_question(_reload(db, draft).definition, "size")[1]
    assert question["title"] == {"default": "Hoeveel mensen werken hier?", "en": "How many people work here?"}
    assert question["isRequired"] is True
    assert _audits(db) == ["surveys.definition_updated"]


def test_bad_input_is_shown_at_the_form_with_nothing_written(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    response = client.post(_url(park, "/vraag/tekst", naam="size"), data=TEXT | {"question-title_nl": " "})
    assert response.status_code == 422
    assert "Vul de Nederlandse tekst van de vraag in." in response.get_data(as_text=True)
    assert _reload(db, draft).definition == load_default() and _audits(db) == []

    gone = client.post(_url(park, "/vraag/tekst", naam="bestaat_niet"), data=TEXT)
    assert gone.status_code == 422
    assert "Deze vraag staat niet (meer) in de vragenlijst." in gone.get_data(as_text=True)

    bad_choice = client.post(_url(park, "/vraag/voorwaarde", naam="trend"), data={"condition-when": '["x", 1]'})
    assert bad_choice.status_code == 422 and "Ongeldige keuze." in bad_choice.get_data(as_text=True)
    sideways = client.post(_url(park, "/vraag/omhoog-omlaag", naam="size"), data={"direction": "sideways"})
    assert sideways.status_code == 422 and "Kies omhoog of omlaag." in sideways.get_data(as_text=True)
    nowhere = client.post(_url(park, "/vraag-toevoegen"), data={"add-where": "9:9", "add-kind": "file"})
    assert nowhere.status_code == 422 and "Ongeldige keuze." in nowhere.get_data(as_text=True)
    assert _reload(db, draft).definition == load_default() and _audits(db) == []


def test_edit_choices_condition_and_place_from_the_question_page(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    data = {"choices-new_nl": "Meer dan 1000", "choices-new_en": "More than 1000"}
    for index, row in enumerate(_rows(editor.find_question(load_default(), "size")[1])):
        data |= {
            f"choices-choices-{index}-value": row.value,
            f"choices-choices-{index}-text_nl": row.text[0],
            f"choices-choices-{index}-text_en": row.text[1],
        }
    assert client.post(_url(park, "/vraag/keuzes", naam="size"), data=data).status_code == 302
    choices = editor.find_question(_reload(db, draft).definition, "size")[1]["choices"]
    assert choices[-1] == {"value": "meer_dan_1000", "text": {"default": "Meer dan 1000", "en": "More than 1000"}}

    when = json.dumps(["size", "meer_dan_1000"])
    assert client.post(_url(park, "/vraag/voorwaarde", naam="trend"), data={"condition-when": when}).status_code == 302
    assert editor.find_question(_reload(db, draft).definition, "trend")[1]["visibleIf"] == "{size} = 'meer_dan_1000'"
    page = client.get(_url(park, "/vraag", naam="trend")).get_data(as_text=True)
    assert "alleen als op “Hoeveel medewerkers werken er bij uw bedrijf op deze locatie?” is geantwoord" in page
    assert client.post(_url(park, "/vraag/voorwaarde", naam="trend"), data={"condition-when": ""}).status_code == 302
    assert "visibleIf" not in editor.find_question(_reload(db, draft).definition, "trend")[1]

    assert client.post(_url(park, "/vraag/naar-pagina", naam="trend"), data={"move-page": "0"}).status_code == 302
    assert _page_names(_reload(db, draft).definition, 0)[-1] == "trend"
    moved = client.post(_url(park, "/vraag/omhoog-omlaag", naam="trend", terug="lijst"), data={"direction": "up"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/vragenlijst#vraag-trend")
    assert _page_names(_reload(db, draft).definition, 0) == ["sector", "size", "trend", "hours"]
    top = client.post(_url(park, "/vraag/omhoog-omlaag", naam="sector", terug="lijst"), data={"direction": "up"})
    assert top.status_code == 422 and "Deze vraag staat al bovenaan." in top.get_data(as_text=True)


def _item_data(key: str, question: dict, **changed: tuple[str, str]) -> dict:
    data = {}
    for index, row in enumerate(_items(question, key)):
        text = changed.get(row.value, row.text)
        data |= {
            f"{key}-choices-{index}-value": row.value,
            f"{key}-choices-{index}-text_nl": text[0],
            f"{key}-choices-{index}-text_en": text[1],
        }
    return data


def test_reword_a_matrix_and_a_scale_from_the_question_page(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    matrix = editor.find_question(load_default(), "victimisation")[1]
    page = client.get(_url(park, "/vraag", naam="victimisation")).get_data(as_text=True)
    assert "Rijen" in page and "Kolommen" in page and 'name="rows-choices-0-text_en"' in page
    assert 'value="Break-in at the premises"' in page and "Schaal opslaan" not in page
    assert "Keuzes opslaan" not in page

    data = _item_data("rows", matrix, inbraak=("Inbraak", "Burglary"))
    response = client.post(_url(park, "/vraag/rijen", naam="victimisation"), data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("naam=victimisation#vraag")
    rows = editor.find_question(_reload(db, draft).definition, "victimisation")[1]["rows"]
    assert rows[0] == {"value": "inbraak", "text": {"default": "Inbraak", "en": "Burglary"}}

    data = _item_data("columns", matrix) | {"columns-new_nl": "Heel vaak", "columns-new_en": "Very often"}
    assert client.post(_url(park, "/vraag/kolommen", naam="victimisation"), data=data).status_code == 302
    columns = editor.find_question(_reload(db, draft).definition, "victimisation")[1]["columns"]
    assert columns[-1] == {"value": "heel_vaak", "text": {"default": "Heel vaak", "en": "Very often"}}
    assert _audits(db) == ["surveys.definition_updated"] * 2

    assert "Schaal opslaan" in client.get(_url(park, "/vraag", naam="grade")).get_data(as_text=True)
    scale = {"scale-low_nl": "Slecht", "scale-low_en": "Bad", "scale-high_nl": "Goed", "scale-high_en": "Good"}
    assert client.post(_url(park, "/vraag/schaal", naam="grade"), data=scale).status_code == 302
    grade = editor.find_question(_reload(db, draft).definition, "grade")[1]
    assert grade["minRateDescription"] == {"default": "Slecht", "en": "Bad"}
    assert grade["maxRateDescription"] == {"default": "Goed", "en": "Good"}


def test_bad_rows_columns_and_scale_texts_are_refused_with_nothing_written(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    matrix = editor.find_question(load_default(), "victimisation")[1]
    emptied = _item_data("rows", matrix, inbraak=("", "Burglary"))
    response = client.post(_url(park, "/vraag/rijen", naam="victimisation"), data=emptied)
    assert response.status_code == 422 and "Vul de Nederlandse tekst van een rij in." in response.get_data(as_text=True)
    stale = {k: v for k, v in _item_data("columns", matrix).items() if "-3-" not in k}
    response = client.post(_url(park, "/vraag/kolommen", naam="victimisation"), data=stale)
    assert response.status_code == 422 and "De kolommen zijn intussen veranderd." in response.get_data(as_text=True)
    for suffix, name in (("/vraag/rijen", "size"), ("/vraag/kolommen", "grade"), ("/vraag/schaal", "size")):
        response = client.post(_url(park, suffix, naam=name), data={})
        assert response.status_code == 422 and "Deze vraag kan zo niet worden aangepast." in response.get_data(
            as_text=True
        )
    too_long = {"scale-low_nl": "x" * (editor.CHOICE_MAX + 1)}
    assert client.post(_url(park, "/vraag/schaal", naam="grade"), data=too_long).status_code == 422
    assert _reload(db, draft).definition == load_default() and _audits(db) == []


def test_add_a_question_and_a_page_and_rename_a_page(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    data = {
        "add-where": "1:0",
        "add-kind": "radiogroup",
        "add-title_nl": "Heeft u een hond?",
        "add-title_en": "",
        "add-choices": "Ja\nNee",
    }
    response = client.post(_url(park, "/vraag-toevoegen"), data=data)
    assert response.status_code == 302 and "naam=heeft_u_een_hond" in response.headers["Location"]
    assert _page_names(_reload(db, draft).definition, 1)[0] == "heeft_u_een_hond"

    data = {"page-title_nl": "Camera's", "page-kind": "boolean", "page-question_nl": "Wilt u camera's?"}
    assert client.post(_url(park, "/pagina-toevoegen"), data=data).status_code == 302
    definition = _reload(db, draft).definition
    assert definition["pages"][-1]["title"] == "Camera's"

    data = {"pagina0-title_nl": "A. Het bedrijf", "pagina0-title_en": "A. The company"}
    assert client.post(_url(park, "/pagina-titel", pagina=0), data=data).status_code == 302
    assert _reload(db, draft).definition["pages"][0]["title"] == {"default": "A. Het bedrijf", "en": "A. The company"}
    assert client.post(_url(park, "/pagina-titel", pagina=99), data=data).status_code == 422


def test_remove_asks_first_then_removes(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    asked = client.post(_url(park, "/vraag/verwijderen"), data={"naam": "size"})
    assert asked.status_code == 200 and "verwijderen?" in asked.get_data(as_text=True)
    assert "size" in _names(_reload(db, draft).definition)
    done = client.post(_url(park, "/vraag/verwijderen"), data={"naam": "size", "bevestigd": "ja"})
    assert done.status_code == 302 and "size" not in _names(_reload(db, draft).definition)


def test_copy_the_questionnaire_of_another_park_or_the_default(db, login_as, park, draft, advisor):
    other = make_park(name="Papendorp")
    source = Survey(
        park=other, cycle=active_cycle(other), title="Elders", definition=load_default(), status=SurveyStatus.CLOSED
    )
    source.definition = editor.rename_page(source.definition, 0, ("Elders", ""))
    db.session.add(source)
    db.session.flush()
    client = login_as(advisor)
    page = client.get(_url(park)).get_data(as_text=True)
    assert "Elders" not in page  # the advisor does not advise Papendorp
    refused = client.post(_url(park, "/overnemen"), data={"copy-source": str(source.id), "bevestigd": "ja"})
    assert refused.status_code == 422 and _reload(db, draft).definition == load_default()

    make_membership(advisor, Role.ADVISOR, park=other)
    assert "Elders (cyclus 1, Gesloten)" in client.get(_url(park)).get_data(as_text=True)
    copied = client.post(_url(park, "/overnemen"), data={"copy-source": str(source.id), "bevestigd": "ja"})
    assert copied.status_code == 302 and _reload(db, draft).definition["pages"][0]["title"] == "Elders"
    back = client.post(_url(park, "/overnemen"), data={"copy-source": "standaard", "bevestigd": "ja"})
    assert back.status_code == 302 and _reload(db, draft).definition == load_default()


def test_the_json_is_downloaded(login_as, park, draft, advisor):
    response = login_as(advisor).get(_url(park, ".json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.get_data(as_text=True)) == load_default()


POSTS = [
    ("/vraag/tekst?naam=size", TEXT),
    ("/vraag/voorwaarde?naam=trend", {"condition-when": ""}),
    ("/vraag/rijen?naam=victimisation", {"rows-new_nl": "Nieuw"}),
    ("/vraag/kolommen?naam=victimisation", {"columns-new_nl": "Nieuw"}),
    ("/vraag/schaal?naam=grade", {"scale-low_nl": "Laag"}),
    ("/vraag/naar-pagina?naam=size", {"move-page": "2"}),
    ("/vraag/omhoog-omlaag?naam=size", {"direction": "up"}),
    ("/vraag/verwijderen", {"naam": "size", "bevestigd": "ja"}),
    ("/vraag-toevoegen", {"add-where": "0:0", "add-kind": "text", "add-title_nl": "Nieuw"}),
    ("/pagina-toevoegen", {"page-title_nl": "P", "page-kind": "text", "page-question_nl": "Q"}),
    ("/pagina-titel?pagina=0", {"pagina0-title_nl": "P"}),
    ("/overnemen", {"copy-source": "standaard", "bevestigd": "ja"}),
]
GETS = ["", "/vraag?naam=size", ".json"]


@pytest.mark.parametrize("suffix", GETS)
def test_only_managers_open_the_editor(db, login_as, park, draft, role, suffix):
    client = login_as(make_member(role, park))
    assert client.get(_url(park) + suffix).status_code == (200 if role in (Role.ADVISOR, Role.MUNICIPALITY) else 403)


@pytest.mark.parametrize(("suffix", "data"), POSTS)
@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.AUDITOR])
def test_others_may_not_edit(db, login_as, park, draft, role, suffix, data):
    response = login_as(make_member(role, park)).post(_url(park) + suffix, data=data)
    assert response.status_code == 403
    assert _reload(db, draft).definition == load_default() and _audits(db) == []


@pytest.mark.parametrize(("suffix", "data"), POSTS)
def test_edits_need_the_csrf_token(db, login_as, park, draft, advisor, suffix, data):
    response = login_as(advisor).post(_url(park) + suffix, data=data, csrf=False)
    assert response.status_code == 400
    assert _reload(db, draft).definition == load_default() and _audits(db) == []


@pytest.mark.parametrize(("suffix", "data"), POSTS)
@pytest.mark.parametrize("state", ["frozen", "closed", "closed cycle"])
def test_a_frozen_or_closed_survey_is_not_edited(db, login_as, park, draft, advisor, suffix, data, state):
    if state == "frozen":
        draft.status = SurveyStatus.OPEN
        make_response(draft, {"grade": 7})
        services.freeze(draft, NOW)
    elif state == "closed":
        draft.status = SurveyStatus.CLOSED
    else:
        draft.cycle.status = CycleStatus.CLOSED
    db.session.commit()
    response = login_as(advisor).post(_url(park) + suffix, data=data)
    if state == "closed cycle":
        assert response.status_code == 404  # a closed cycle's survey is no longer the park's current one
    else:
        assert response.status_code == 422, response.get_data(as_text=True)
        assert _reload(db, draft).definition == load_default() and _audits(db) == []
        body = response.get_data(as_text=True)
        assert "De vragenlijst ligt vast" in body or "Deze enquête is gesloten" in body


def test_markup_is_stored_as_text_and_a_control_character_refused(db, login_as, park, draft, advisor):
    client = login_as(advisor)
    marker = "<script>hostile()</script>"
    assert client.post(
        _url(park, "/vraag/tekst", naam="size"), data=TEXT | {"question-title_nl": marker}
    ).status_code == (302)
    assert editor.find_question(_reload(db, draft).definition, "size")[1]["title"]["default"] == marker
    for page in (_url(park), _url(park, "/vraag", naam="size")):
        body = client.get(page).get_data(as_text=True)
        assert marker not in body and "&lt;script&gt;hostile()&lt;/script&gt;" in body

    response = client.post(_url(park, "/vraag/tekst", naam="size"), data=TEXT | {"question-title_en": "a\x00b"})
    assert response.status_code == 422 and "onzichtbaar stuurteken" in response.get_data(as_text=True)
    assert editor.find_question(_reload(db, draft).definition, "size")[1]["title"]["en"] == TEXT["question-title_en"]


def test_a_condition_names_the_answer_key_of_a_question_with_a_value_name(default):
    default["pages"][0]["elements"][1]["valueName"] = "medewerkers"
    edited = editor.set_condition(default, "trend", "size", "1")
    assert _question(edited, "trend")["visibleIf"] == "{medewerkers} = '1'"
    assert editor.simple_condition(_question(edited, "trend")) == ("medewerkers", "1")
    message = _refused(editor.remove_question, edited, "size")
    assert message.startswith("Een voorwaarde gebruikt het antwoord op deze vraag.")
