"""Checking a submission against its questionnaire: examples per question type, and properties over generated
answers (valid ones pass, anything else fails with a DomainError and nothing else)."""

from __future__ import annotations

import math
import random
import re
from typing import Any

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import DomainError
from app.surveys.conditions import ConditionPlan, answer_key
from app.surveys.definition import (
    COMMENT_SUFFIX,
    MAX_TEXT,
    NONE,
    OTHER,
    load_default,
    localised,
    questions,
    validate_answers,
)
from app.surveys.sample import sample_answers

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
    while hidden := {answer_key(q) for kind, q in PLAN.verdict(answers).problems if kind == "hidden"}:
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
