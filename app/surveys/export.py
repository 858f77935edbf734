"""The raw export of a survey's answers for the advisor, as CSV or Excel, generalised where it would single out
fewer than k rows."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.errors import DomainError
from app.extensions import db
from app.imports import xlsx_bytes
from app.surveys.definition import DISPLAY_TYPES, answer_key_of, matrix_columns
from app.surveys.definition import questions as definition_questions
from app.surveys.models import Survey, SurveyResponse
from app.surveys.results import (
    DESCRIBING_COMPANY,
    MATRIX_TYPES,
    answer_key,
    choice_options,
    held_back,
    is_multiple,
    is_range,
    listed_options,
    min_group,
    released,
    released_responses,
    template_questions,
    value_at,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: (header, answer key, the cell from the answer to that key)
Column = tuple[str, str, Callable[[Any], Any]]


def _plain(value: Any) -> Any:
    """A cell's value: lists and mappings joined, yes and no as 1 and 0."""
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def _at(*path: Any) -> Callable[[Any], Any]:
    return lambda value: _plain(value_at(value, *path))


def _chosen(option: Any) -> Callable[[Any], Any]:
    def cell(value: Any) -> int | None:
        if not isinstance(value, list):
            return None
        return 1 if answer_key(option) in {answer_key(v) for v in value} else 0

    return cell


def _rank(choice: Any) -> Callable[[Any], Any]:
    def cell(value: Any) -> int | None:
        ranked = [answer_key(v) for v in value] if isinstance(value, list) else []
        return ranked.index(answer_key(choice)) + 1 if answer_key(choice) in ranked else None

    return cell


def _question_columns(question: Mapping[str, Any], key: str, answers: list[Mapping[str, Any]]) -> list[Column]:
    """A question's columns: one per matrix row, option (1/0), ranked choice (its position), matrixdropdown cell,
    multipletext item or end of a range slider; a matrixdynamic's rows and a paneldynamic's panels numbered, a
    column per row (or panel) and column (or template question)."""
    kind = question.get("type")
    if kind in MATRIX_TYPES:
        return [(f"{key}.{row.value}", key, _at(row.value)) for row in listed_options(question.get("rows"))]
    if is_multiple(question):
        return [(f"{key}.{option.value}", key, _chosen(option.value)) for option in choice_options(question)]
    if kind == "ranking":
        return [(f"{key}.{option.value}", key, _rank(option.value)) for option in choice_options(question)]
    if kind == "matrixdropdown":
        return [
            (f"{key}.{row.value}.{column['name']}", key, _at(row.value, column["name"]))
            for row in listed_options(question.get("rows"))
            for column in matrix_columns(question)
        ]
    if kind == "multipletext":
        items = [item["name"] for item in question.get("items") or [] if isinstance(item, Mapping) and item.get("name")]
        return [(f"{key}.{item}", key, _at(item)) for item in items]
    if is_range(question):
        return [(f"{key}.min", key, _at(0)), (f"{key}.max", key, _at(1))]
    if kind in ("matrixdynamic", "paneldynamic"):
        fields = (
            [column["name"] for column in matrix_columns(question)]
            if kind == "matrixdynamic"
            else list(dict.fromkeys(answer_key_of(inner) for inner in template_questions(question)))
        )
        most = max((len(a[key]) for a in answers if isinstance(a.get(key), list)), default=0)
        return [
            (f"{key}.{number}.{name}", key, _at(number - 1, name)) for number in range(1, most + 1) for name in fields
        ]
    return [(key, key, _at())]


def _columns(survey: Survey, answers: list[Mapping[str, Any]]) -> list[Column]:
    """The export's columns, per question in order, then any other key found in the answers ("-Comment")."""
    columns: list[Column] = []
    covered = set()
    for question in definition_questions(survey.definition):
        if not question.get("name") or question.get("type") in DISPLAY_TYPES:
            continue
        if (key := answer_key_of(question)) in covered:
            continue
        covered.add(key)
        columns.extend(_question_columns(question, key, answers))
    extra = sorted({key for answer in answers for key in answer} - covered)
    columns.extend((key, key, _at()) for key in extra)
    return columns


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
    """The released answers (see `released`): one row per response, one column per question, compound questions
    flattened (`_question_columns`). No moment or order of submission: the rows are in value order. Refused
    (DomainError) below k answers; the values that describe the company are `generalised`. Advisor only: it holds
    the free text."""
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
    headers = [_("openbare_link"), *(header for header, _key, _cell in columns)]
    rows = sorted(
        ([1 if r.via_public_link else 0, *(cell(r.answers.get(key)) for _h, key, cell in columns)] for r in responses),
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
