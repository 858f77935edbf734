"""Checking a submission against its questionnaire: examples per question type, and properties over generated
answers (valid ones pass, anything else fails with a DomainError and nothing else)."""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import ROOT
from app.errors import DomainError
from app.surveys.conditions import ConditionPlan
from app.surveys.definition import (
    COMMENT_SUFFIX,
    MAX_TEXT,
    NONE,
    OTHER,
    answer_key_of,
    load_default,
    localised,
    questions,
    rating_scale,
    validate_answers,
    validate_definition,
)
from app.surveys.sample import generated_answers, sample_answers

DEFAULT = load_default()
QUESTIONS = {q["name"]: q for q in questions(DEFAULT)}
# no example database: the tests leave no .hypothesis folder behind in the project
SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _refused(answers: Any, definition: dict | None = None) -> str:
    with pytest.raises(DomainError) as error:
        validate_answers(definition or DEFAULT, answers)
    return error.value.message


def _survey(*elements) -> dict:
    return {"pages": [{"elements": list(elements)}]}


# Examples ----------------------------------------------------------------------------------------------------

FULL = {
    "sector": "bouw",
    "size": "10-49",
    "hours": ["overdag", "weekend"],
    "safe_day": 4,
    "safe_dark": 2,
    "grade": 6,
    "trend": "verslechterd",
    "victimisation": {"inbraak": "1", "vernieling": "vaker", "cybercrime": "nee"},
    "damage": "1000_10000",
    "reported": "alleen_gemeld",
    "why_not": ["geen_zin", "other"],
    "why_not-Comment": "De politie kwam niet.",
    "know_where": False,
    "nuisance": {"zwerfvuil": "veel", "verlichting": "enige"},
    "hotspots": "Bij de kruising Atoomweg en Elektronweg.",
    "own_measures": ["alarm_pac", "cameras"],
    "collective": ["cameras", "verlichting"],
    "pay": "afhankelijk",
    "contact_police": True,
    "informed": 3,
    "channels": ["email"],
    "remarks": "Graag meer verlichting.\nDank!",
}


def test_a_complete_submission_is_accepted_as_it_is():
    assert validate_answers(DEFAULT, FULL) == FULL


def test_nothing_answered_is_accepted_and_empty_answers_are_left_out():
    assert validate_answers(DEFAULT, {}) == {}
    empty = {"sector": None, "hours": [], "victimisation": {}, "remarks": "", "why_not-Comment": ""}
    assert validate_answers(DEFAULT, empty) == {}
    # false and 0 are answers, not empty ones
    assert validate_answers(DEFAULT, {"know_where": False}) == {"know_where": False}


@pytest.mark.parametrize("answers", [None, [], "sector=bouw", 3, [["sector", "bouw"]]])
def test_a_submission_is_an_object(answers):
    assert "JSON-object" in _refused(answers)


def test_unknown_questions_are_refused_by_name():
    assert '"email"' in _refused({"sector": "bouw", "email": "a@b.nl"})
    assert '"sector-Comment"' in _refused({"sector-Comment": "x"})  # sector has no "other"
    assert "onbekende vraag" in _refused({1: "bouw"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sector", "kapper"),
        ("sector", "Bouw"),
        ("sector", ["bouw"]),
        ("sector", OTHER),  # sector has no "other"
        ("size", 1),  # the choice is the text "1"
        ("size", True),
        ("trend", {"value": "gelijk"}),
    ],
)
def test_a_single_choice_is_one_of_the_choices(name, value):
    message = _refused({name: value})
    # the respondent reads the question's title, never its internal name
    assert "is geen van de keuzes" in message and f'"{name}"' not in message


def test_a_numeric_choice_is_not_matched_by_a_boolean_or_a_text():
    definition = _survey({"type": "dropdown", "name": "d", "choices": [1, 2, {"value": 3, "text": "drie"}]})
    assert validate_answers(definition, {"d": 3}) == {"d": 3}
    for wrong in (True, "1", 1.5, 4, [1]):
        assert "geen van de keuzes" in _refused({"d": wrong}, definition)


def test_multiple_choices_are_a_list_of_distinct_choices():
    assert "lijst van keuzes" in _refused({"hours": "overdag"})
    assert "meer dan eens" in _refused({"hours": ["nacht", "nacht"]})
    assert "geen van de keuzes" in _refused({"hours": ["nacht", "ochtend"]})
    assert "geen van de keuzes" in _refused({"hours": [["nacht"]]})


def test_other_comes_with_its_text_and_none_stands_alone():
    answers = {"collective": ["cameras", OTHER], "collective-Comment": "Een slagboom"}
    assert validate_answers(DEFAULT, answers) == answers
    assert validate_answers(DEFAULT, {"own_measures": [NONE]}) == {"own_measures": [NONE]}
    assert "geen van deze" in _refused({"own_measures": [NONE, "cameras"]})
    assert "tekst" in _refused({"collective-Comment": ["Een slagboom"]})


@pytest.mark.parametrize(("name", "value"), [("grade", 0), ("grade", 11), ("safe_day", 6), ("informed", -1)])
def test_a_rating_lies_on_its_scale(name, value):
    assert "heel getal van 1 tot en met" in _refused({name: value})


@pytest.mark.parametrize("value", [4.0, 4.5, "4", True, [4], math.nan, math.inf])
def test_a_rating_is_a_whole_number(value):
    assert '"Welk rapportcijfer geeft u de veiligheid' in _refused({"grade": value})


def test_a_rating_with_a_step_or_its_own_values():
    stepped = _survey({"type": "rating", "name": "r", "rateMin": 0, "rateMax": 10, "rateStep": 5})
    assert validate_answers(stepped, {"r": 5}) == {"r": 5}
    assert "heel getal van 0 tot en met 10" in _refused({"r": 3}, stepped)
    own = _survey({"type": "rating", "name": "r", "rateValues": ["laag", {"value": "hoog", "text": "Hoog"}]})
    assert validate_answers(own, {"r": "hoog"}) == {"r": "hoog"}
    assert "schaal" in _refused({"r": "midden"}, own)


@pytest.mark.parametrize("value", ["true", "ja", 1, 0, [True]])
def test_a_yes_no_question_takes_true_or_false(value):
    assert '"Weet u waar u verdachte situaties' in _refused({"know_where": value})
    assert "moet ja of nee zijn" in _refused({"know_where": value})


def test_a_yes_no_question_with_its_own_values():
    definition = _survey({"type": "boolean", "name": "b", "valueTrue": "ja", "valueFalse": "nee"})
    assert validate_answers(definition, {"b": "nee"}) == {"b": "nee"}
    assert "ja of nee" in _refused({"b": True}, definition)


def test_texts_have_a_maximum_length_and_valid_characters():
    assert "hoogstens 2000 tekens" in _refused({"hotspots": "x" * 2001})  # the question's own maxLength
    assert validate_answers(DEFAULT, {"hotspots": "x" * 2000})
    assert f"hoogstens {MAX_TEXT} tekens" in _refused({"why_not-Comment": "x" * (MAX_TEXT + 1)})
    assert "tekst" in _refused({"remarks": 42})
    assert "ongeldige tekens" in _refused({"remarks": "half \ud800 teken"})
    # control characters only break exports: they are taken out, tabs and line breaks stay
    assert validate_answers(DEFAULT, {"remarks": "a\x00b\x1bc\td\ne"}) == {"remarks": "abc\td\ne"}
    assert validate_answers(DEFAULT, {"remarks": "\x00\x01"}) == {}


def test_a_number_text_question_takes_a_finite_number():
    definition = _survey({"type": "text", "name": "n", "inputType": "number"}, {"type": "text", "name": "t"})
    assert validate_answers(definition, {"n": 12.5, "t": "twaalf"}) == {"n": 12.5, "t": "twaalf"}
    for wrong in ("12", True, math.inf):
        assert "getal" in _refused({"n": wrong}, definition)


@pytest.mark.parametrize(
    "value",
    [["inbraak", "1"], "1", {"inbraak": "2"}, {"moord": "1"}, {"inbraak": ["1"]}, {"inbraak": None}],
)
def test_a_matrix_answer_chooses_a_column_per_known_row(value):
    assert '"Is uw bedrijf in de afgelopen 12 maanden' in _refused({"victimisation": value})
    assert "moet per rij" in _refused({"victimisation": value})


def test_required_questions_must_be_answered_when_they_were_shown():
    required = {"type": "radiogroup", "choices": ["x", "y"], "isRequired": True}
    hidden_unless_a = "{a} = 'x'"
    definition = {
        "pages": [
            {"elements": [{**required, "name": "a"}]},
            {"elements": [{**required, "name": "b", "visibleIf": hidden_unless_a}]},
            {"visibleIf": hidden_unless_a, "elements": [{**required, "name": "c"}]},
            {"elements": [{"type": "panel", "visibleIf": hidden_unless_a, "elements": [{**required, "name": "d"}]}]},
        ]
    }
    assert '"a" is verplicht' in _refused({}, definition)
    assert '"a" is verplicht' in _refused({"a": None}, definition)
    assert validate_answers(definition, {"a": "y"}) == {"a": "y"}
    refused = _refused({"a": "x", "c": "x"}, definition)
    assert '"b" is verplicht' in refused and '"d" is verplicht' in refused and '"c"' not in refused
    assert validate_answers(definition, {"a": "x", "b": "y", "c": "x", "d": "x"})["d"] == "x"
    assert '"b" werd niet getoond' in _refused({"a": "y", "b": "x"}, definition)


# Properties --------------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=300)


def _values(items: list) -> list:
    return [item["value"] if isinstance(item, dict) else item for item in items]


def _answer(question: dict) -> st.SearchStrategy:
    """Any valid (non-empty) answer to one question of the default questionnaire."""
    kind = question["type"]
    if kind in ("radiogroup", "dropdown"):
        return st.sampled_from(_values(question["choices"]) + ([OTHER] if question.get("hasOther") else []))
    if kind == "checkbox":
        plain = _values(question["choices"]) + ([OTHER] if question.get("hasOther") else [])
        several = st.lists(st.sampled_from(plain), min_size=1, unique=True)
        return st.just([NONE]) | several if question.get("showNoneItem") else several
    if kind == "rating":
        return st.integers(question.get("rateMin", 1), question.get("rateMax", 5))
    if kind == "boolean":
        return st.booleans()
    if kind == "comment":
        return st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=question["maxLength"])
    if kind == "matrix":
        rows, columns = _values(question["rows"]), _values(question["columns"])
        return st.dictionaries(st.sampled_from(rows), st.sampled_from(columns), min_size=1)
    raise AssertionError(kind)


PLAN = ConditionPlan(DEFAULT)


def _shown_only(answers: dict) -> dict:
    """What a respondent can send: SurveyJS drops the answers to questions its conditions hid."""
    while hidden := {answer_key_of(q) for kind, q in PLAN.verdict(answers).problems if kind == "hidden"}:
        answers = {key: value for key, value in answers.items() if key.removesuffix(COMMENT_SUFFIX) not in hidden}
    return answers


VALID = st.fixed_dictionaries(
    {},
    optional={
        **{name: _answer(question) for name, question in QUESTIONS.items()},
        **{name + COMMENT_SUFFIX: TEXT.filter(bool) for name, q in QUESTIONS.items() if q.get("hasOther")},
    },
).map(_shown_only)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
KNOWN_KEYS = st.sampled_from(sorted(QUESTIONS) + [name + COMMENT_SUFFIX for name in sorted(QUESTIONS)])


@SETTINGS
@given(VALID)
def test_every_valid_submission_is_accepted_unchanged(answers):
    assert validate_answers(DEFAULT, answers) == answers


@SETTINGS
@given(JSON | st.dictionaries(KNOWN_KEYS | st.text(max_size=12), JSON, max_size=6))
def test_any_json_value_is_accepted_or_refused_with_a_domain_error(answers):
    try:
        cleaned = validate_answers(DEFAULT, answers)
    except DomainError as error:
        assert error.message
    else:
        # whatever passes, passes again unchanged: the cleaned answers are a valid submission
        assert validate_answers(DEFAULT, cleaned) == cleaned


@SETTINGS
@given(VALID, st.text(min_size=1, max_size=20), JSON)
def test_an_unknown_question_is_always_refused(answers, key, value):
    if key in QUESTIONS or key in {n + COMMENT_SUFFIX for n, q in QUESTIONS.items() if q.get("hasOther")}:
        return
    with pytest.raises(DomainError, match="onbekende vraag"):
        validate_answers(DEFAULT, {**answers, key: value})


def _wrong_type(question: dict) -> st.SearchStrategy:
    """A non-empty value of the wrong type for the question."""
    kind = question["type"]
    scalars = st.integers() | st.floats() | st.booleans()
    if kind in ("radiogroup", "dropdown"):
        return scalars | st.lists(st.text(min_size=1), min_size=1) | st.dictionaries(st.text(), st.text(), min_size=1)
    if kind == "checkbox":
        return scalars | st.text(min_size=1) | st.dictionaries(st.text(), st.text(), min_size=1)
    if kind == "rating":
        return st.floats() | st.booleans() | st.text(min_size=1) | st.lists(st.integers(), min_size=1)
    if kind == "boolean":
        return st.integers() | st.floats() | st.text(min_size=1) | st.lists(st.booleans(), min_size=1)
    if kind == "comment":
        return scalars | st.lists(st.text(), min_size=1) | st.dictionaries(st.text(), st.text(), min_size=1)
    if kind == "matrix":
        return scalars | st.text(min_size=1) | st.lists(st.text(), min_size=1)
    raise AssertionError(kind)


def _out_of_choice(question: dict) -> st.SearchStrategy | None:
    """A value of the right shape that is not one of the question's choices (None: the question has none)."""
    kind = question["type"]
    if kind in ("radiogroup", "dropdown", "checkbox"):
        allowed = set(_values(question["choices"])) | {OTHER, NONE}
        outside = st.text(min_size=1).filter(lambda value: value not in allowed)
        return st.lists(outside, min_size=1, max_size=1) if kind == "checkbox" else outside
    if kind == "rating":
        low, high = question.get("rateMin", 1), question.get("rateMax", 5)
        return st.integers().filter(lambda value: not low <= value <= high)
    if kind == "matrix":
        rows, columns = _values(question["rows"]), set(_values(question["columns"]))
        return st.builds(
            lambda row, column: {row: column},
            st.sampled_from(rows),
            st.text(min_size=1).filter(lambda value: value not in columns),
        )
    return None


def _title(name: str) -> str:
    """What a refusal calls the question: its Dutch title (the tests run without a request: Dutch)."""
    return localised(QUESTIONS[name].get("title")) or name


@SETTINGS
@given(VALID, st.sampled_from(sorted(QUESTIONS)), st.data())
def test_a_value_of_the_wrong_type_is_always_refused(answers, name, data):
    value = data.draw(_wrong_type(QUESTIONS[name]))
    with pytest.raises(DomainError, match=re.escape(f'"{_title(name)}"')):
        validate_answers(DEFAULT, {**answers, name: value})


@SETTINGS
@given(VALID, st.sampled_from([n for n, q in QUESTIONS.items() if _out_of_choice(q) is not None]), st.data())
def test_a_value_outside_the_choices_is_always_refused(answers, name, data):
    value = data.draw(_out_of_choice(QUESTIONS[name]))
    with pytest.raises(DomainError, match=re.escape(f'"{_title(name)}"')):
        validate_answers(DEFAULT, {**answers, name: value})


# Generated answers (demo data and benchmarks) ----------------------------------------------------------------


@SETTINGS
@given(st.integers(min_value=0))
def test_generated_answers_pass_the_checks_and_leave_hidden_questions_out(seed):
    answers = sample_answers(DEFAULT, random.Random(seed))
    assert validate_answers(DEFAULT, answers) == answers
    victim = any(value != "nee" for value in answers.get("victimisation", {}).values())
    if not victim:
        assert "damage" not in answers and "reported" not in answers
    if answers.get("reported") not in ("aangifte_deels", "alleen_gemeld", "nee"):
        assert "why_not" not in answers


def test_generated_answers_vary_like_a_park_does():
    rng = random.Random(2026)
    sample = [sample_answers(DEFAULT, rng) for _ in range(400)]
    victims = sum(any(v != "nee" for v in a.get("victimisation", {}).values()) for a in sample)
    assert 0.3 < victims / len(sample) < 0.7
    assert len({a.get("sector") for a in sample}) == len(QUESTIONS["sector"]["choices"]) + 1  # every sector, and none
    assert any("remarks" in a for a in sample) and not all("remarks" in a for a in sample)


def test_a_refusal_names_the_question_by_its_title_in_the_respondents_language(app):
    with app.test_request_context():
        assert _refused({"sector": "kapper"}) == (
            'Het antwoord op de vraag "Wat is de hoofdactiviteit van uw bedrijf?" is geen van de keuzes.'
        )
        with force_locale("en"):
            message = _refused({"safe_day": "heel"})
    assert "How safe do you feel at the business park during the day?" in message and "safe_day" not in message
    # a question without a title is named by its name (nothing else to call it)
    assert '"a" is verplicht' in _refused({}, _survey({"type": "text", "name": "a", "isRequired": True}))


# Every SurveyJS type (issue 20) --------------------------------------------------------------------------------

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_generated_answers_to_every_documentation_example_pass(path):
    definition = validate_definition(path.read_text(encoding="utf-8"))
    rng = random.Random(path.stem)
    plan = ConditionPlan(definition)
    for _ in range(25):
        answers = generated_answers(definition, rng, plan)
        assert validate_answers(definition, answers) == answers


def _one(question: dict) -> dict:
    return validate_definition(_survey(question))


def _answers_to(question: dict, good: list, bad: list[tuple[Any, str]]) -> None:
    definition = _one(question)
    for value in good:
        assert validate_answers(definition, {question["name"]: value}) == {question["name"]: value}, value
    for value, reason in bad:
        assert reason in _refused({question["name"]: value}, definition), value


CHOICES = ["a", "b", "c", 4]


@pytest.mark.parametrize(
    ("question", "good", "bad"),
    [
        (
            {"type": "tagbox", "name": "q", "choices": CHOICES, "showOtherItem": True, "maxSelectedChoices": 2},
            [["a"], [4, OTHER]],
            [("a", "lijst van keuzes"), (["a", "b", "c"], "niet zoveel keuzes"), (["d"], "geen van de keuzes")],
        ),
        (
            {"type": "checkbox", "name": "q", "choices": CHOICES, "minSelectedChoices": 2, "showNoneItem": True},
            [["a", "b"], [NONE]],
            [(["a"], "niet zoveel keuzes"), (["a", NONE], "geen van deze"), (["selectall"], "geen van de keuzes")],
        ),
        (
            {"type": "ranking", "name": "q", "choices": CHOICES},
            [[4, "c", "b", "a"]],
            [(["a", "b"], "alle keuzes"), (["a", "a", "b", "c"], "meer dan eens"), ("a", "lijst van keuzes")],
        ),
        (
            {"type": "ranking", "name": "q", "choices": CHOICES, "selectToRankEnabled": True, "maxSelectedChoices": 2},
            [["b"], [4, "a"]],
            [(["a", "b", "c"], "niet zoveel keuzes"), (["x"], "geen van de keuzes")],
        ),
        (
            {"type": "imagepicker", "name": "q", "choices": [{"value": "leeuw", "imageLink": "https://x.nl/l.jpg"}]},
            ["leeuw"],
            [(["leeuw"], "geen van de keuzes"), ("tijger", "geen van de keuzes")],
        ),
        (
            {"type": "imagepicker", "name": "q", "multiSelect": True, "choices": ["leeuw", "panda"]},
            [["leeuw", "panda"]],
            [("leeuw", "lijst van keuzes")],
        ),
        (
            {"type": "rating", "name": "q", "rateType": "smileys", "rateMax": 10, "rateCount": 10},
            [1, 10],
            [(0, "van 1 tot en met 10"), (11, "van 1 tot en met 10"), (2.5, "heel getal")],
        ),
        (
            {"type": "slider", "name": "q", "min": 0, "max": 10, "step": 0.5},
            [0, 2.5, 10],
            [(2.25, "buiten het toegestane bereik"), (11, "buiten"), ("5", "getal"), ([1, 2], "getal")],
        ),
        (
            {"type": "slider", "name": "q", "sliderType": "range", "min": 0, "max": 100},
            [[10, 20]],
            [(10, "twee getallen"), ([10], "twee getallen"), ([10, 200], "buiten"), ([1, "2"], "getal")],
        ),
        (
            {"type": "text", "name": "q", "inputType": "number", "min": 0, "max": 10},
            [0, 7.5],
            [(-1, "buiten"), (11, "buiten"), ("5", "getal")],
        ),
        (
            {"type": "text", "name": "q", "inputType": "email"},
            ["iemand@example.nl"],
            [("geen adres", "voldoet niet"), ("a@b", "voldoet niet")],
        ),
        (
            {"type": "matrix", "name": "q", "rows": ["r1", "r2"], "columns": [1, 2], "eachRowRequired": True},
            [{"r1": 1, "r2": 2}],
            [({"r1": 1}, "elke rij"), ({"r1": 3, "r2": 1}, "per rij")],
        ),
        (
            {
                "type": "matrixdropdown",
                "name": "q",
                "rows": ["r1", 2],
                "choices": [1, 2, 3],
                "columns": [
                    {"name": "kies"},
                    {"name": "vink", "cellType": "checkbox", "choices": ["x", "y"], "showOtherItem": True},
                    {"name": "tekst", "cellType": "text", "inputType": "number"},
                    {"name": "ja", "cellType": "boolean"},
                    {"name": "schaal", "cellType": "rating", "rateMax": 3},
                    {"name": "uitleg", "cellType": "comment"},
                ],
            },
            [
                {
                    "r1": {"kies": 1, "vink": ["x", OTHER], "vink-Comment": "z", "tekst": 3.5, "ja": False},
                    "2": {"schaal": 3},
                }
            ],
            [
                ({"r3": {"kies": 1}}, "onbekende rij"),
                ({"r1": {"kies": 4}}, "geen van de keuzes"),
                ({"r1": {"onbekend": 1}}, "onbekende kolom"),
                ({"r1": {"tekst": "3"}}, "getal"),
                ({"r1": {"uitleg": 3}}, "tekst"),
                ({"r1": ["kies"]}, "per rij"),
                ({"r1": {"schaal": 4}}, "tot en met 3"),
            ],
        ),
        (
            {
                "type": "matrixdynamic",
                "name": "q",
                "minRowCount": 1,
                "maxRowCount": 2,
                "columns": [{"name": "naam", "cellType": "text"}, {"name": "som", "cellType": "expression"}],
            },
            [[{"naam": "a"}], [{"naam": "a"}, {}]],
            [([{"naam": "a"}] * 3, "toegestaan is 1 tot en met 2"), ({"naam": "a"}, "lijst"), ([{"naam": 3}], "tekst")],
        ),
        (
            {
                "type": "multipletext",
                "name": "q",
                "items": [{"name": "voornaam", "isRequired": True}, {"name": "leeftijd", "inputType": "number"}],
            },
            [{"voornaam": "An", "leeftijd": 40}],
            [({"leeftijd": 40}, "verplicht"), ({"voornaam": 3}, "tekst"), ({"achternaam": "B"}, "onbekend veld")],
        ),
        (
            {
                "type": "paneldynamic",
                "name": "q",
                "maxPanelCount": 2,
                "templateElements": [
                    {"type": "text", "name": "naam", "isRequired": True},
                    {
                        "type": "dropdown",
                        "name": "rol",
                        "valueName": "functie",
                        "choices": ["a", "b"],
                        "hasOther": True,
                    },
                    {"type": "expression", "name": "som", "expression": "1"},
                ],
            },
            [[{"naam": "x"}, {"naam": "y", "functie": OTHER, "functie-Comment": "baas"}]],
            [
                ([{"naam": "x"}] * 3, "toegestaan is 0 tot en met 2"),
                ([{"functie": "a"}], "verplicht"),
                ([{"naam": "x", "rol": "a"}], "onbekende vraag"),
                ([{"naam": "x", "functie": "c"}], "geen van de keuzes"),
                ({"naam": "x"}, "lijst"),
            ],
        ),
    ],
    ids=lambda value: value["type"] if isinstance(value, dict) and "type" in value else "",
)
def test_every_type_takes_its_own_answers_and_refuses_others(question, good, bad):
    _answers_to(question, good, bad)


def test_an_expressions_value_is_never_stored_and_a_panels_expression_is_dropped_too():
    definition = _survey(
        {"type": "text", "name": "a"},
        {"type": "expression", "name": "totaal", "expression": "{a} + 1"},
        {
            "type": "paneldynamic",
            "name": "p",
            "templateElements": [{"type": "expression", "name": "x", "expression": "1"}, {"type": "text", "name": "t"}],
        },
    )
    answers = {"a": "b", "totaal": "<script>", "p": [{"t": "u", "x": 99}]}
    assert validate_answers(definition, answers) == {"a": "b", "p": [{"t": "u"}]}


def test_validators_are_enforced():
    definition = validate_definition(
        _survey(
            {"type": "text", "name": "code", "validators": [{"type": "regex", "regex": "^[A-Z]{2}[0-9]+$"}]},
            {"type": "text", "name": "ci", "validators": [{"type": "regex", "regex": "^ab$", "caseInsensitive": True}]},
            {"type": "text", "name": "n", "validators": [{"type": "numeric", "minValue": 1, "maxValue": 10}]},
            {"type": "comment", "name": "t", "validators": [{"type": "text", "minLength": 2, "maxLength": 4}]},
            {"type": "text", "name": "letters", "validators": [{"type": "text", "allowDigits": False}]},
            {"type": "text", "name": "mail", "validators": [{"type": "email"}]},
            {
                "type": "checkbox",
                "name": "c",
                "choices": [1, 2, 3],
                "validators": [{"type": "answercount", "maxCount": 2}],
            },
            {"type": "text", "name": "e", "validators": [{"type": "expression", "expression": "{e} = 'x'"}]},
        )
    )
    good = {
        "code": "AB12",
        "ci": "AB",
        "n": "7",
        "t": "abc",
        "letters": "1e weg",
        "mail": "a@b.nl",
        "c": [1, 2],
        "e": "x",
    }
    assert validate_answers(definition, good) == good
    for key, value in [
        ("code", "ab12"),
        ("ci", "abc"),
        ("n", "11"),
        ("n", "elf"),
        ("t", "a"),
        ("t", "abcde"),
        ("letters", "weg 1"),  # survey-core tests only for digits at the end
        ("mail", "geen"),
        ("c", [1, 2, 3]),
        ("e", "y"),
    ]:
        assert "voldoet niet aan de controle" in _refused({**good, key: value}, definition), (key, value)


def test_questions_sharing_a_value_name_share_one_answer_that_fits_each():
    definition = validate_definition(
        _survey(
            {"type": "dropdown", "name": "land kiezen", "valueName": "land", "choices": ["NL", "BE", "DE"]},
            {
                "type": "radiogroup",
                "name": "land.bevestigen",
                "valueName": "land",
                "choices": ["NL", "BE"],
                "hasOther": True,
            },
        )
    )
    assert validate_answers(definition, {"land": "BE"}) == {"land": "BE"}
    assert "geen van de keuzes" in _refused({"land": "DE"}, definition)  # not a choice of the second
    assert "onbekende vraag" in _refused({"land kiezen": "NL"}, definition)  # the answer is under the valueName
    assert validate_answers(definition, {"land-Comment": "x"}) == {"land-Comment": "x"}


def test_names_with_spaces_and_dots_are_answer_keys_as_they_are():
    definition = validate_definition(_survey({"type": "text", "name": "naam met spatie.en punt", "isRequired": True}))
    assert validate_answers(definition, {"naam met spatie.en punt": "x"}) == {"naam met spatie.en punt": "x"}
    assert "verplicht" in _refused({}, definition)


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**53, 1e400])
def test_a_number_beyond_what_javascript_holds_is_refused_not_a_crash(value):
    definition = _survey({"type": "text", "name": "n", "inputType": "number"}, {"type": "slider", "name": "s"})
    assert "getal" in _refused({"n": value}, definition)
    assert "getal" in _refused({"s": value}, definition)


def test_a_calculated_value_included_in_the_answers_is_dropped():
    definition = validate_definition(
        {
            "calculatedValues": [
                {"name": "totaal", "expression": "{a} + 1", "includeIntoResult": True},
                {"name": "intern", "expression": "1"},
            ],
            "questions": [{"type": "text", "name": "a", "inputType": "number"}],
        }
    )
    assert validate_answers(definition, {"a": 1, "totaal": 2}) == {"a": 1}
    assert "onbekende vraag" in _refused({"a": 1, "intern": 1}, definition)


# The validators agree with survey-core's own ------------------------------------------------------------------

SURVEY_CORE = ROOT / "node_modules" / "survey-core"
#: survey-core sets each value on a one-question survey and says whether the question validates
VALIDATE_IN_NODE = """
const {Model} = require("survey-core");
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const verdicts = cases.map(([question, value]) => {
  const survey = new Model({elements: [question]});
  survey.setValue(question.name, value);
  return survey.getQuestionByName(question.name).validate(false);
});
process.stdout.write(JSON.stringify(verdicts));
"""
ANYTHING = [
    "weg 1", "1e weg", "abc", "12", "7", "11", "elf", " 5 ", "1e1", "0x5", "0x1g", "5,5", "5.5.5", "1/2", "-3",
    "+4", "1234567890123456", "123456789012345", "Infinity", "1_000", ".5", "5.", "\u0661\u0662", "a@b", "a@b.nl",
    "x y@b.nl", '"a b"@c.nl', "A@B.NL", "a@b.nl\n", "AB12", "ab12", "AB12\n", "AB\u0661\u0662", "ab", "AB", "a",
    "😀", "😀😀", "abcd", "12a345", "\u0661\u0662\u0663", "a$", 5, 11, -1, 0, 10, 5.5,
]  # fmt: skip
VALIDATED = [
    {"type": "text", "validators": [{"type": "text", "allowDigits": False}]},
    {"type": "text", "validators": [{"type": "numeric", "minValue": 1, "maxValue": 10}]},
    {"type": "text", "validators": [{"type": "numeric", "minValue": -5}]},
    {"type": "text", "inputType": "email"},
    {"type": "comment", "validators": [{"type": "email"}]},
    {"type": "comment", "validators": [{"type": "regex", "regex": "^[A-Z]{2}[0-9]+$"}]},
    {"type": "text", "validators": [{"type": "regex", "regex": "^ab$", "caseInsensitive": True}]},
    {"type": "text", "validators": [{"type": "regex", "regex": "\\d{3}"}]},
    {"type": "text", "validators": [{"type": "regex", "regex": "^[$a]+$"}]},
    {"type": "text", "validators": [{"type": "text", "minLength": 2, "maxLength": 3}]},
    {"type": "text", "inputType": "number", "min": 0, "max": 10},
]
COUNTED = [
    {
        "type": "checkbox",
        "choices": [1, 2, 3, 4, 5],
        "validators": [{"type": "answercount", "minCount": 2, "maxCount": 3}],
    },
    {"type": "checkbox", "choices": [1, 2, 3, 4, 5], "minSelectedChoices": 2, "maxSelectedChoices": 3},
    {"type": "tagbox", "choices": [1, 2, 3, 4, 5], "maxSelectedChoices": 2},
]


def _cases() -> list[tuple[dict, Any]]:
    cases = []
    for question in VALIDATED:
        numeric = question.get("inputType") == "number"
        cases += [({"name": "q", **question}, v) for v in ANYTHING if isinstance(v, str) != numeric]
    for question in COUNTED:
        cases += [({"name": "q", **question}, v) for v in ([1], [1, 2], [1, 2, 3], [1, 2, 3, 4])]
    return cases


@pytest.mark.skipif(shutil.which("node") is None or not SURVEY_CORE.exists(), reason="needs Node.js and survey-core")
def test_answers_pass_the_validators_exactly_when_survey_core_lets_them_pass():
    cases = _cases()
    ran = subprocess.run(
        ["node", "-e", VALIDATE_IN_NODE],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    survey_core = json.loads(ran.stdout)
    assert len(survey_core) == len(cases)
    disagreements = []
    for (question, value), expected in zip(cases, survey_core, strict=True):
        try:
            validate_answers(validate_definition(_survey(question)), {"q": value})
            accepted = True
        except DomainError:
            accepted = False
        # survey-core does not check maxSelectedChoices (its page does not let a respondent pick more): stricter here
        too_many = len(value) > question.get("maxSelectedChoices", len(value)) if isinstance(value, list) else False
        if accepted != (expected and not too_many):
            disagreements.append((question, value, expected))
    assert not disagreements


RATE_VALUES_IN_NODE = """
const {Model} = require("survey-core");
const ratings = JSON.parse(require("fs").readFileSync(0, "utf8"));
const scales = ratings.map((rating) =>
  new Model({elements: [rating]}).getQuestionByName(rating.name).visibleRateValues.map((item) => item.value));
process.stdout.write(JSON.stringify(scales));
"""
RATINGS = [
    {},
    {"rateCount": 5},
    {"rateMin": 0, "rateMax": 10},
    {"rateMin": 0, "rateCount": 11},
    {"rateMax": 10, "rateCount": 4},
    {"rateMin": 2, "rateMax": 12, "rateStep": 2},
    {"rateMin": 1, "rateStep": 3, "rateCount": 4},
    {"rateType": "stars", "rateMax": 5, "rateCount": 5},
    {"rateType": "smileys", "rateMax": 10, "rateCount": 10},
    {"rateValues": ["a", {"value": "b", "text": "B"}, 3]},
    {"rateValues": [1, 2, 3], "rateCount": 3},
    {"rateValues": [], "rateMax": 3},
    {"rateValues": ["a", "b"], "autoGenerate": True, "rateMax": 4},
    {"rateValues": ["a", "b"], "autoGenerate": False},
]


@pytest.mark.skipif(shutil.which("node") is None or not SURVEY_CORE.exists(), reason="needs Node.js and survey-core")
def test_a_rating_scale_is_the_one_survey_core_shows():
    ratings = [{"type": "rating", "name": "r", **extra} for extra in RATINGS]
    ran = subprocess.run(
        ["node", "-e", RATE_VALUES_IN_NODE], input=json.dumps(ratings), capture_output=True, text=True, check=True,
        cwd=ROOT, timeout=60,
    )  # fmt: skip
    survey_core = json.loads(ran.stdout)
    for rating, scale in zip(ratings, survey_core, strict=True):
        question = questions(validate_definition(_survey(rating)))[0]
        assert rating_scale(question) == scale, rating
        assert validate_answers(_survey(question), {"r": scale[-1]}) == {"r": scale[-1]}


def test_a_pattern_that_backtracks_without_end_refuses_the_answer_instead_of_holding_the_worker():
    # (a+)+$ on "aaa…b" takes exponential time in a backtracking engine: Python's re would take hours here
    definition = validate_definition(
        _survey({"type": "comment", "name": "t", "validators": [{"type": "regex", "regex": "^(a+)+$"}]})
    )
    assert validate_answers(definition, {"t": "aaaa"}) == {"t": "aaaa"}
    assert "voldoet niet aan de controle" in _refused({"t": "a" * 40 + "b"}, definition)


@pytest.mark.parametrize("kind", ["html", "image", "expression"])
def test_a_display_element_with_validators_that_are_no_list_is_no_error(kind):
    """Found by the property test of test_definition: `"validators": true` on an element that takes no answer was
    accepted, then crashed the answer check (a 500 for the respondent)."""
    definition = validate_definition(_survey({"type": kind, "name": "t", "validators": True}))
    assert validate_answers(definition, {}) == {}
