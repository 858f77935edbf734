"""The raw export of a survey's answers for the advisor, as CSV or Excel, generalised where it would single out
fewer than k rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.errors import DomainError
from app.extensions import db
from app.imports import xlsx_bytes
from app.surveys.definition import questions as definition_questions
from app.surveys.models import Survey, SurveyResponse
from app.surveys.results import (
    DESCRIBING_COMPANY,
    MATRIX_TYPES,
    MULTIPLE_TYPES,
    answer_key,
    choice_options,
    held_back,
    listed_options,
    min_group,
    released,
    released_responses,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _columns(survey: Survey, answers: list[Mapping[str, Any]]) -> list[tuple[str, str, Any]]:
    """(header, question name, sub-key) per column: matrix rows and checkbox options get a column each."""
    columns: list[tuple[str, str, Any]] = []
    covered = set()
    for question in definition_questions(survey.definition):
        name, kind = question.get("name"), question.get("type")
        if not name:
            continue
        covered.add(name)
        if kind in MATRIX_TYPES:
            columns.extend(
                (f"{name}.{row.value}", name, ("row", row.value)) for row in listed_options(question.get("rows"))
            )
        elif kind in MULTIPLE_TYPES:
            columns.extend(
                (f"{name}.{option.value}", name, ("option", option.value)) for option in choice_options(question)
            )
        else:
            columns.append((name, name, None))
    extra = sorted({key for answer in answers for key in answer} - covered)
    columns.extend((key, key, None) for key in extra)
    return columns


def _cell(answer: Mapping[str, Any], name: str, sub: Any) -> Any:
    value = answer.get(name)
    if sub is None:
        if isinstance(value, list | dict):
            return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
        if isinstance(value, bool):
            return 1 if value else 0
        return value
    kind, key = sub
    if kind == "row":
        return value.get(str(key), value.get(key)) if isinstance(value, Mapping) else None
    if not isinstance(value, list):
        return None
    return 1 if answer_key(key) in {answer_key(v) for v in value} else 0


def generalised(keys: list[tuple[Any, ...]], k: int) -> list[tuple[Any, ...]]:
    """Each row's values that describe the company (most telling first) with values blanked (None), from the last
    column on, until every combination left is shared by at least k rows; the rows left with every value blank
    then number at least k too, or join the smallest other combinations (`held_back`). Local suppression, as
    statistical offices do for k-anonymity: no row stands out by what others can know of the company."""
    if not keys:
        return keys
    width = len(keys[0])
    blank = (None,) * width
    for column in reversed(range(width)):
        counts = Counter(keys)
        keys = [key if counts[key] >= k else key[:column] + blank[column:] for key in keys]
    counts = Counter(keys)
    joined = held_back(counts, k) if 0 < counts[blank] < k else set()
    return [blank if key in joined else key for key in keys]


def export_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The released answers (see `released`): one row per response, one column per question, matrices and checkbox
    questions flattened (a column per row, a 1/0 column per option). No moment or order of submission: the rows
    are in value order. Refused (DomainError) below k answers; the values that describe the company are
    `generalised`. Advisor only: it holds the free text."""
    k = min_group()
    shown = released(survey)
    if shown.count < k:
        raise DomainError(
            _("De antwoorden zijn te downloaden zodra er minstens %(k)s zijn, van een gesloten enquête.", k=k)
        )
    responses = db.session.execute(
        released_responses(survey, shown, SurveyResponse.via_public_link, SurveyResponse.answers)
    ).all()
    columns = _columns(survey, [r.answers for r in responses])
    headers = [_("openbare_link"), *(header for header, _name, _sub in columns)]
    rows = sorted(
        (
            [1 if r.via_public_link else 0, *(_cell(r.answers, name, sub) for _h, name, sub in columns)]
            for r in responses
        ),
        key=_value_order,
    )
    # the public-link flag goes first when values must be blanked, then size, then sector
    describing = [headers.index(name) for name in DESCRIBING_COMPANY if name in headers] + [0]
    for row, key in zip(rows, generalised([tuple(row[i] for i in describing) for row in rows], k), strict=True):
        for index, value in zip(describing, key, strict=True):
            row[index] = value
    return headers, sorted(rows, key=_value_order)


def _value_order(row: list[Any]) -> list[str]:
    return ["" if value is None else str(value) for value in row]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # never a formula in a spreadsheet


def export_csv(survey: Survey) -> bytes:
    """The raw answers as CSV for Excel in Dutch: UTF-8 with BOM, semicolons."""
    headers, rows = export_table(survey)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def export_xlsx(survey: Survey) -> bytes:
    """The raw answers as an Excel workbook; texts are stored as text, never as formulas."""
    headers, rows = export_table(survey)
    return xlsx_bytes([(_("Antwoorden"), headers, rows)])
