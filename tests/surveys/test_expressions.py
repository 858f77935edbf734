"""The SurveyJS expression language in Python (app/surveys/expressions.py), held to survey-core in Node.js: a
generated table of expressions times variable sets is evaluated on both sides and must agree everywhere."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.surveys.expressions import ExpressionSyntaxError, ValuesScope, expression_problems, parse, run_condition
from tests.surveys.surveyjs import NOW, encode, needs_node, run_surveyjs

VALUE_SETS = [
    {
        "a": "1",
        "b": 2,
        "s": "abc",
        "t": " ABC ",
        "list": ["1", "2"],
        "nums": [1, 2.5],
        "flag": True,
        "empty": "",
        "zero": 0,
        "date": "2000-02-29",
        "obj": {"x": 1, "Y": "2"},
        "rows": [{"v": 1, "w": "a"}, {"v": "3", "w": "b"}],
    },
    {
        "a": 0,
        "b": "0",
        "s": "",
        "t": "abc",
        "list": [],
        "nums": [],
        "flag": False,
        "empty": None,
        "zero": "0",
        "date": "2026-06-15",
        "obj": {},
        "rows": [],
    },
    {
        "a": "x y",
        "b": -3.25,
        "s": "ABC",
        "t": "b",
        "list": ["a", "B"],
        "nums": ["7", 3],
        "flag": "true",
        "zero": "00",
        "date": "2010-12-31T23:30",
        "obj": {"x": None},
        "rows": [{"v": 10}, {"v": None}, {"w": "c"}],
    },
    {
        "a": 1.5,
        "b": "1,5",
        "s": "0x10",
        "t": "true",
        "list": ["1"],
        "nums": [0.1, 0.2],
        "flag": 1,
        "date": "1999-01-01",
        "rows": [{"v": 0.1}, {"v": 0.2}],
    },
    {},
]

OPERANDS = [
    "{a}",
    "{b}",
    "{s}",
    "{t}",
    "{list}",
    "{nums}",
    "{flag}",
    "{empty}",
    "{zero}",
    "{missing}",
    "{obj.x}",
    "{obj.y}",
    "{list[0]}",
    "{list.length}",
    "1",
    "0",
    "'1'",
    "'abc'",
    "''",
    "true",
    "false",
    "null",
    "['1', 'a']",
    "[1, 2]",
    "2.5",
    "-1",
    "'2000-02-29'",
    "today()",
]
OPERATORS = [
    "=",
    "==",
    "equal",
    "!=",
    "<>",
    "notequal",
    "<",
    ">",
    "<=",
    ">=",
    "less",
    "greaterorequal",
    "contains",
    "notcontains",
    "*=",
    "anyof",
    "allof",
    "noneof",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "and",
    "or",
    "&&",
    "||",
]
FUNCTION_CALLS = [
    "iif({flag}, 'y', 'n')",
    "iif({a} > 1, {a}, {b})",
    "sum({a}, {b}, {nums})",
    "min({nums})",
    "max({nums}, 4)",
    "avg({nums})",
    "count({list})",
    "round({b})",
    "round(2.345, 2)",
    "trunc(2.789, 1)",
    "trunc({b})",
    "age({date})",
    "age('1990-06-16')",
    "age('1990-06-15')",
    "dateDiff({date}, '2026-06-15', 'months')",
    "dateDiff('2020-01-01', {date})",
    "dateDiff('2020-01-01T10:00', '2020-01-02T11:30', 'hours')",
    "dateAdd({date}, 10, 'days')",
    "dateAdd('2020-01-31', 1, 'months')",
    "today()",
    "today(-1)",
    "getDate({date})",
    "year({date})",
    "month({date})",
    "day({date})",
    "weekday({date})",
    "year()",
    "getYear({date})",
    "currentYear()",
    "diffDays({date}, '2026-01-01')",
    "substring({s}, 1)",
    "substring('abcdef', 1, 3)",
    "sumInArray({rows}, 'v')",
    "countInArray({rows}, 'v')",
    "avgInArray({rows}, 'v')",
    "minInArray({rows}, 'v')",
    "maxInArray({rows}, 'v', 'w')",
    "sumInArray({rows}, 'v', {w} = 'a')",
    "countInArray({rows}, 'w', 'v > 1')",
    "{date} > today()",
    "{date} < '2001-01-01'",
    "age({date}) >= 18",
    "unknownFunction(1)",
]
SHAPES = [
    "{a} empty",
    "{a} notempty",
    "!{flag}",
    "!({a} = 1)",
    "negate {s}",
    "{list} empty",
    "({a} + {b}) * 2",
    "{a} = 1 or {b} = 2 and {s} = 'abc'",
    "not {a}",
    "{a} = 1 and",
    "{a} ==",
    "(({a} = 1)",
    "{a} = 'it\\'s'",
    "{a} equals 1",
    "{a} notequals 1",
    "{a} => 1",
    "{a} =< 1",
    "0x1F + 1",
    "{#a} = 1",
    "{#zero} = '0'",
    '{obj} = {"x": 1}',
    "{a} contains",
    "{list} allof ['1']",
    "{nums} anyof [2.5]",
    "1 + 2 * 3 ^ 2",
    "'a' + 1 + 2",
    "{list} + {nums}",
    "{list} + ' x'",
    "{nums} + 1",
    "-{a}",
    "{a} - -1",
    "010 = 10",
    "{a} > 'abc'",
    "'10' > '9'",
    "{t} = 'abc'",
    "{s} = 'ABC'",
    "true = 'True'",
    "{flag} = 'true'",
    "[] = {missing}",
]


def _scope(values: dict) -> ValuesScope:
    return ValuesScope(values, None, NOW)


def _python(text: str, values: dict):
    try:
        node = parse(text)
    except ExpressionSyntaxError:
        return {"$error": "syntax"}
    return encode(node.evaluate(_scope(values)))


def _cases() -> list[str]:
    rng = random.Random(20)
    pairs = [f"{left} {operator} {right}" for left, operator, right in itertools.product(OPERANDS, OPERATORS, OPERANDS)]
    return rng.sample(pairs, 1200) + FUNCTION_CALLS + SHAPES


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(python, node) -> bool:
    """Equal values of equal kinds (true is not 1); numbers to the last bit but for float noise."""
    if _number(python) and _number(node):
        return python == node or abs(python - node) <= 1e-12 * max(1, abs(node))
    if isinstance(python, list) and isinstance(node, list):
        return len(python) == len(node) and all(_same(p, n) for p, n in zip(python, node, strict=True))
    if isinstance(python, dict) and isinstance(node, dict):
        return python.keys() == node.keys() and all(_same(python[key], node[key]) for key in python)
    return type(python) is type(node) and python == node


@needs_node
def test_expressions_agree_with_survey_core(tmp_path):
    cases = [(text, values) for text in _cases() for values in VALUE_SETS]
    expected = run_surveyjs({"expressions": [{"text": t, "values": v} for t, v in cases]}, tmp_path)["expressions"]
    differences = []
    for (text, values), node in zip(cases, expected, strict=True):
        if isinstance(node, dict) and "$error" in node and node["$error"] != "syntax":
            continue  # survey-core threw while evaluating: the browser would not have got a value either
        python = _python(text, values)
        if not _same(python, node):
            differences.append(f"{text!r} with {json.dumps(values)[:80]}: python {python!r}, survey-core {node!r}")
    assert not differences, f"{len(differences)} of {len(cases)} differ, e.g.:\n" + "\n".join(differences[:25])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("{a} = ", "syntax"),
        ("isContainerReady('page1')", "function"),
        ("displayValue('q1') = 'x'", "function"),
        ("nosuchfunction({a})", "function"),
        ("{pageno} = 2", "variable"),
        ("{$q1.isVisible} = true", "variable"),
    ],
)
def test_what_the_server_cannot_evaluate_is_named(text, kind):
    assert kind in [found for found, _detail in expression_problems(text)]


def test_what_the_server_evaluates_has_no_problems():
    assert expression_problems("{a} anyof ['1', '2'] and age({birth}) >= 18 or iif({b}, 1, 2) = 1") == []


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["2020-01-01", "1e400", "0x1F", "1,5", "99999-01-01", "-", "Infinity"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["v", "w", "V"]), children),
    max_leaves=8,
)
FUZZED = [parse(text) for text in [*FUNCTION_CALLS, *SHAPES] if not expression_problems(text)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({name: VALUES for name in ("a", "b", "s", "list", "nums", "date", "rows", "flag")}))
def test_no_answer_makes_a_condition_crash(values):
    scope = _scope(values)
    for node in FUZZED:
        run_condition(node, scope)
