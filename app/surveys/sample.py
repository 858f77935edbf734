"""Plausible generated answers to a questionnaire: for the demo data, the benchmarks and tests that need volume."""

from __future__ import annotations

import random
import re
from typing import Any

from app.surveys.definition import questions

# the default questionnaire's conditions are all "{question} anyof [...]" or "{matrix.row} anyof [...]",
# joined by "or"; a condition of another form counts as shown
_ANYOF = re.compile(r"\{([\w.]+)\} anyof \[([^\]]*)\]")
_QUOTED = re.compile(r"'([^']*)'")

REMARKS = [
    "Slechte verlichting bij de ingang van het terrein.",
    "Vaak vrachtwagens die 's nachts op de stoep parkeren.",
    "Het zwerfvuil langs het water wordt steeds erger.",
    "Graag vaker surveillance in het weekend.",
    "Camera's bij de in- en uitgang zouden helpen.",
    "Wij weten niet bij wie we verdachte situaties moeten melden.",
]


def sample_answers(definition: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One respondent: most questions answered, a few skipped, most companies never a victim, and questions
    that would be hidden (a condition on an earlier answer that does not hold) left out."""
    result: dict[str, Any] = {}
    for question in questions(definition):
        name, kind = question["name"], question["type"]
        if rng.random() < 0.08 or not _shown(question.get("visibleIf"), result):
            continue
        if kind in ("radiogroup", "dropdown"):
            result[name] = rng.choice(question["choices"])["value"]
        elif kind == "checkbox":
            picked = [choice["value"] for choice in question["choices"] if rng.random() < 0.3]
            if picked:
                result[name] = picked
        elif kind == "rating":
            low, high = question.get("rateMin", 1), question.get("rateMax", 5)
            result[name] = round(rng.triangular(low, high, high - (high - low) / 3))
        elif kind == "boolean":
            result[name] = rng.random() < 0.5
        elif kind == "matrix":
            # the first column is "no" / "no nuisance"; about half the companies tick another one somewhere
            first, *others = [column["value"] for column in question["columns"]]
            exposure = rng.uniform(0, 0.15)
            result[name] = {
                row["value"]: rng.choice(others) if others and rng.random() < exposure else first
                for row in question["rows"]
            }
        elif kind in ("comment", "text") and rng.random() < 0.25:
            result[name] = rng.choice(REMARKS)
    return result


def _shown(condition: str | None, answers: dict[str, Any]) -> bool:
    if not condition:
        return True
    terms = _ANYOF.findall(condition)
    if not terms:
        return True
    for path, listed in terms:
        name, _, row = path.partition(".")
        value = answers.get(name)
        if row:
            value = value.get(row) if isinstance(value, dict) else None
        if value in _QUOTED.findall(listed):
            return True
    return False
