"""Questionnaire definitions: the default questionnaire, and what validate_definition refuses."""

from __future__ import annotations

import copy
import json

import pytest

from app.errors import DomainError
from app.surveys.definition import (
    MAX_DEFINITION_CHARS,
    SUPPORTED_TYPES,
    load_default,
    localised,
    overview,
    questions,
    validate_definition,
)

DEFAULT_NAMES = [
    "sector",
    "size",
    "hours",
    "safe_day",
    "safe_dark",
    "grade",
    "trend",
    "victimisation",
    "damage",
    "reported",
    "why_not",
    "know_where",
    "nuisance",
    "hotspots",
    "own_measures",
    "collective",
    "pay",
    "contact_police",
    "informed",
    "channels",
    "remarks",
]


def _survey(*elements, **extra) -> dict:
    return {"pages": [{"name": "p1", "elements": list(elements)}], **extra}


def _radio(name="q", **extra) -> dict:
    return {"type": "radiogroup", "name": name, "choices": ["ja", "nee"], **extra}


def _refused(raw) -> str:
    with pytest.raises(DomainError) as error:
        validate_definition(raw)
    return error.value.message


# The default questionnaire ---------------------------------------------------------------------------------


def test_the_default_loads_and_validates_with_the_named_questions_in_order():
    definition = load_default()
    assert definition["locale"] == "nl"
    assert [q["name"] for q in questions(definition)] == DEFAULT_NAMES
    assert {q["type"] for q in questions(definition)} <= SUPPORTED_TYPES
    assert validate_definition(definition) == definition
    assert validate_definition(json.dumps(definition)) == definition


def test_the_default_has_seven_sections_and_the_matrices_of_domain_c():
    definition = load_default()
    assert [localised(page["title"]) for page in definition["pages"]] == [
        "A. Uw bedrijf",
        "B. Veiligheidsgevoel",
        "C. Slachtofferschap",
        "D. Melden en aangifte",
        "E. Schoon, heel en veilig",
        "F. Maatregelen",
        "G. Samenwerking en communicatie",
    ]
    by_name = {q["name"]: q for q in questions(definition)}
    victimisation = by_name["victimisation"]
    assert [c["value"] for c in victimisation["columns"]] == ["nee", "1", "2-3", "vaker"]
    assert len(victimisation["rows"]) == 11
    assert [c["value"] for c in by_name["nuisance"]["columns"]] == ["geen", "enige", "veel"]
    assert len(by_name["nuisance"]["rows"]) == 11
    assert (by_name["grade"]["rateMin"], by_name["grade"]["rateMax"]) == (1, 10)
    assert (by_name["safe_dark"]["rateMin"], by_name["safe_dark"]["rateMax"]) == (1, 5)
    # reporting is asked only of victims: any row of the victimisation matrix answered with more than "nee"
    for row in victimisation["rows"]:
        assert f"{{victimisation.{row['value']}}} anyof ['1', '2-3', 'vaker']" in by_name["reported"]["visibleIf"]
    assert by_name["hotspots"]["type"] == by_name["remarks"]["type"] == "comment"


def test_every_text_of_the_default_is_dutch_with_an_english_translation():
    def texts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"title", "description", "text", "otherText", "noneText", "labelTrue", "labelFalse"} or (
                    key.endswith("RateDescription")
                ):
                    yield value
                else:
                    yield from texts(value)
        elif isinstance(node, list):
            for item in node:
                yield from texts(item)

    found = list(texts(load_default()))
    assert len(found) > 100
    for text in found:
        assert isinstance(text, dict) and text["default"] and text["en"], text
    assert localised(load_default()["pages"][0]["title"], "en") == "A. Your company"


def test_the_default_asks_for_no_contact_details():
    for question in questions(load_default()):
        assert question["type"] != "text"  # no e-mail, phone or name fields: contact is asked apart (SurveyContact)
        assert question["name"] not in {"join", "email", "phone", "name", "contact"}


def test_load_default_gives_a_fresh_copy_every_time():
    first = load_default()
    first["pages"][0]["elements"].clear()
    assert [q["name"] for q in questions(load_default())] == DEFAULT_NAMES


def test_validate_definition_does_not_change_what_it_was_given():
    raw = load_default()
    kept = copy.deepcopy(raw)
    cleaned = validate_definition(raw)
    cleaned["pages"].clear()
    assert raw == kept


def test_overview_lists_section_name_type_and_title_per_question_in_the_users_language():
    rows = overview(load_default(), "en")
    assert len(rows) == len(DEFAULT_NAMES)
    assert rows[0] == {
        "section": "A. Your company",
        "name": "sector",
        "type": "radiogroup",
        "title": "What is your company's main activity?",
        "required": False,
        "conditional": False,
    }
    by_name = {row["name"]: row for row in overview(load_default())}
    assert by_name["reported"]["conditional"] is True
    assert by_name["grade"]["title"] == "Welk rapportcijfer geeft u de veiligheid op het bedrijventerrein?"


# What is refused --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ['{"pages": [', "{'pages': []}", "", "pages", '{"pages": []} x'])
def test_broken_json_is_refused_with_the_place_of_the_error(raw):
    message = _refused(raw)
    assert "geen geldige JSON" in message
    assert "regel" in message and "kolom" in message


def test_json_constants_deep_nesting_and_huge_texts_are_refused():
    assert "geen geldige JSON" in _refused('{"pages": [], "x": NaN}')
    assert "geen geldige JSON" in _refused("[" * 100_000 + "]" * 100_000)
    assert "te groot" in _refused(" " * (MAX_DEFINITION_CHARS + 1))


@pytest.mark.parametrize("raw", ["[]", "3", '"tekst"', "null"])
def test_a_definition_is_an_object(raw):
    assert "JSON-object" in _refused(raw)


@pytest.mark.parametrize("pages", [None, [], {}, "p1"])
def test_pages_are_required(pages):
    raw = {} if pages is None else {"pages": pages}
    assert "geen pagina's" in _refused(raw)


@pytest.mark.parametrize("page", [{"name": "p1"}, {"elements": []}, {"elements": {}}])
def test_every_page_has_elements(page):
    assert "Pagina 1 heeft geen vragen" in _refused({"pages": [page]})


def test_a_page_and_an_element_are_objects():
    assert "Pagina 1 is geen JSON-object" in _refused({"pages": ["p1"]})
    assert "Element 2 van pagina 1" in _refused(_survey(_radio(), "vraag"))


@pytest.mark.parametrize("kind", ["html", "file", "signaturepad", "matrixdynamic", "expression", "", None, 3])
def test_unknown_question_types_are_refused(kind):
    message = _refused(_survey(_radio(), {"type": kind, "name": "extra"}))
    assert 'De vraag "extra"' in message and "niet wordt ondersteund" in message


def test_duplicate_names_are_refused_also_across_pages_and_panels():
    assert '"q"' in _refused(_survey(_radio("q"), _radio("q")))
    two_pages = {"pages": [{"elements": [_radio("q")]}, {"elements": [_radio("q")]}]}
    assert "meer dan eens" in _refused(two_pages)
    in_panel = _survey(_radio("q"), {"type": "panel", "name": "pnl", "elements": [_radio("q")]})
    assert "meer dan eens" in _refused(in_panel)


@pytest.mark.parametrize("name", [None, "", "met spatie", "1begin", "naam-met-streepje", "é", "x" * 65, 12])
def test_names_are_letters_digits_and_underscores(name):
    question = _radio()
    if name is None:
        del question["name"]
    else:
        question["name"] = name
    assert "geen geldige naam" in _refused(_survey(question))


@pytest.mark.parametrize("choices", [None, [], "ja", {"ja": "Ja"}])
def test_choice_questions_need_choices(choices):
    for kind in ("radiogroup", "checkbox", "dropdown"):
        question = {"type": kind, "name": "q"}
        if choices is not None:
            question["choices"] = choices
        assert 'De vraag "q" heeft geen "choices"' in _refused(_survey(question))


@pytest.mark.parametrize(
    "choices",
    [
        ["ja", "ja"],
        ["ja", {"value": "ja", "text": "Ja"}],
        [1, {"value": 1}],
    ],
)
def test_choice_values_are_unique(choices):
    assert "meer dan eens" in _refused(_survey(_radio(choices=choices)))


@pytest.mark.parametrize("choice", [True, None, 1.5, "", "  ", [], {"text": "zonder waarde"}, {"value": {"genest": 1}}])
def test_choice_values_are_texts_or_whole_numbers(choice):
    assert "ongeldige waarde" in _refused(_survey(_radio(choices=["ja", choice])))


def test_other_and_none_may_not_also_be_a_plain_choice():
    assert '"other"' in _refused(_survey(_radio(choices=["ja", "other"], hasOther=True)))
    assert '"none"' in _refused(_survey(_radio(choices=["ja", "none"], showNoneItem=True)))


def test_choice_texts_are_strings_or_localised_strings():
    good = _survey(_radio(choices=[{"value": "ja", "text": {"default": "Ja", "en": "Yes"}}, "nee"]))
    assert validate_definition(good) == good
    assert "Ongeldige tekst" in _refused(_survey(_radio(choices=[{"value": "ja", "text": 3}])))
    assert 'Ongeldige tekst bij "title" van de vraag "q"' in _refused(_survey(_radio(title={"default": 1})))
    assert 'Ongeldige tekst bij "title" van de vragenlijst' in _refused(_survey(_radio(), title=["x"]))


def test_a_matrix_needs_rows_and_columns():
    matrix = {"type": "matrix", "name": "m", "rows": ["a", "b"], "columns": ["x", "y"]}
    assert validate_definition(_survey(matrix))
    assert '"rows"' in _refused(_survey({**matrix, "rows": []}))
    assert '"columns"' in _refused(_survey({key: value for key, value in matrix.items() if key != "columns"}))
    assert "meer dan eens" in _refused(_survey({**matrix, "rows": ["a", "a"]}))
    # rows become keys of the answer: 1 and "1" are the same row
    assert "meer dan eens" in _refused(_survey({**matrix, "rows": [1, "1"]}))


@pytest.mark.parametrize(
    "scale",
    [
        {"rateMin": 5, "rateMax": 5},
        {"rateMin": 6, "rateMax": 1},
        {"rateMin": 1.5, "rateMax": 5},
        {"rateMin": "1", "rateMax": "5"},
        {"rateMin": True, "rateMax": 5},
        {"rateMin": 0, "rateMax": 1000},
        {"rateMin": 1, "rateMax": 5, "rateStep": 0},
        {"rateMin": 1, "rateMax": 5, "rateStep": 10},
        {"rateValues": []},
        {"rateMin": 1, "rateMax": 5, "rateCount": 10},
    ],
)
def test_a_rating_has_a_sane_scale(scale):
    assert '"r"' in _refused(_survey({"type": "rating", "name": "r", **scale}))


def test_a_rating_may_use_the_default_scale_a_step_or_its_own_values():
    for scale in ({}, {"rateMin": 0, "rateMax": 10, "rateStep": 2}, {"rateValues": [1, 2, {"value": 3, "text": "3"}]}):
        question = {"type": "rating", "name": "r", **scale}
        assert validate_definition(_survey(question)) == _survey(question)


def test_html_and_redirects_are_refused():
    assert "completedHtml" in _refused(_survey(_radio(), completedHtml="<script>alert(1)</script>"))
    assert "navigateToUrl" in _refused(_survey(_radio(), navigateToUrl="https://example.com"))
    assert "choicesByUrl" in _refused(_survey(_radio(choicesByUrl={"url": "https://example.com"})))


def test_conditions_flags_and_input_types_are_checked():
    assert "voorwaarde" in _refused(_survey(_radio(visibleIf=True)))
    assert "true of false" in _refused(_survey(_radio(isRequired="ja")))
    assert "inputType" in _refused(_survey({"type": "text", "name": "t", "inputType": "file"}))
    assert "maxLength" in _refused(_survey({"type": "comment", "name": "c", "maxLength": "veel"}))
    assert "valueTrue" in _refused(_survey({"type": "boolean", "name": "b", "valueTrue": "ja", "valueFalse": "ja"}))


def test_panels_are_flattened_and_may_be_nested_but_not_endlessly():
    nested = {"type": "panel", "name": "binnen", "elements": [_radio("c")]}
    definition = _survey(_radio("a"), {"type": "panel", "name": "buiten", "elements": [_radio("b"), nested]})
    assert [q["name"] for q in questions(validate_definition(definition))] == ["a", "b", "c"]
    assert "Paneel" in _refused(_survey({"type": "panel", "name": "leeg", "elements": []}))
    deep = _radio("z")
    for depth in range(8):
        deep = {"type": "panel", "name": f"p{depth}", "elements": [deep]}
    assert "te diep" in _refused(_survey(deep))
