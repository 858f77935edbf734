"""The marshmallow schemas of the plan, goal, survey, camera, meeting and quality-check resources of the API."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import fields

from app.api.schemas import Schema
from app.auth.policy import may_update_action
from app.cameras.models import CameraStatus, CameraType, Score
from app.imports import MAX_IMPORT_ROWS
from app.meetings.models import MeetingKind
from app.plans import quarters
from app.plans.models import ActionStatus, Direction, GoalSource, Theme
from app.plans.services import DESCRIPTION_MAX
from app.stakeholders.models import PpsRole
from app.surveys.models import SurveyStatus

#: the days a date filter may name: any day a date-time of that day and the next can be made of, in every zone
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 30)


def _label(value) -> str | None:
    return None if value is None else value.label


def _day_in_range(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ma.ValidationError(
            _("Kies een dag van %(first)s tot en met %(last)s.", first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
        )


def _no_nul(text: str) -> None:
    # PostgreSQL cannot store or compare text with a NUL character
    if "\x00" in text:
        raise ma.ValidationError("Invalid value.")


def day_field(description: str) -> fields.Date:
    return fields.Date(validate=_day_in_range, metadata={"description": description})


def text_field(**kwargs) -> fields.String:
    """A string without NUL characters, at most `max` long."""
    limit = kwargs.pop("max")
    return fields.String(validate=[ma.validate.Length(max=limit), _no_nul], **kwargs)


class Query(Schema):
    """Query parameters: pagination's `page` and `page_size` pass by."""

    class Meta:
        unknown = ma.EXCLUDE


# Action plan --------------------------------------------------------------------------------------------------


class OwnerSchema(Schema):
    stakeholder_id = fields.Integer(required=True, attribute="id")
    organisation = fields.Function(lambda s: s.organisation.name, required=True, metadata={"type": "string"})
    role = fields.Enum(PpsRole, by_value=True, required=True)


class ActionNoteSchema(Schema):
    written_on = fields.Date(required=True)
    author = fields.String(required=True, attribute="author_label")
    text = fields.String(required=True)
    status = fields.Enum(
        ActionStatus, by_value=True, required=True, allow_none=True, metadata={"description": "the status it got"}
    )


class ActionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    theme = fields.Enum(Theme, by_value=True, required=True, allow_none=True)
    theme_label = fields.String(required=True, allow_none=True)
    quarter = fields.Integer(required=True, metadata={"description": "1-8: the quarter of the two-year plan"})
    calendar_quarter = fields.Function(
        lambda a: quarters.quarter(a.plan.starts_on, a.quarter).calendar_label,
        required=True,
        metadata={"type": "string", "description": "the calendar quarter, e.g. 2026-Q3"},
    )
    due_on = fields.Date(required=True, metadata={"description": "the last day of the quarter"})
    status = fields.Enum(ActionStatus, by_value=True, required=True)
    status_label = fields.Function(lambda a: a.status.label, required=True, metadata={"type": "string"})
    done_on = fields.Date(required=True, allow_none=True)
    drop_reason = fields.String(required=True)
    owners = fields.List(fields.Nested(OwnerSchema), required=True)
    goal_ids = fields.List(fields.Integer(), required=True, metadata={"description": "the goals it works towards"})
    may_update = fields.Method(
        "_may_update",
        required=True,
        metadata={"type": "boolean", "description": "whether the token's user may change the status and write notes"},
    )

    def _may_update(self, action) -> bool:
        from app.api.access import api_user

        return may_update_action(api_user(), action)

    def get_attribute(self, obj, attr, default):
        if attr == "theme_label":
            return _label(obj.theme)
        if attr == "goal_ids":
            return [goal.id for goal in obj.goals]
        return super().get_attribute(obj, attr, default)


class ActionDetailSchema(ActionSchema):
    notes = fields.List(
        fields.Nested(ActionNoteSchema), required=True, metadata={"description": "progress notes, oldest first"}
    )


class ActionQuerySchema(Query):
    status = fields.Enum(ActionStatus, by_value=True)
    theme = fields.Enum(Theme, by_value=True)
    quarter = fields.Integer(validate=ma.validate.Range(min=1, max=quarters.QUARTERS))
    due_after = day_field("due on or after this day")
    due_before = day_field("due on or before this day")


class ActionUpdateSchema(Schema):
    """A new status (with an optional note; required when dropping the action) or a progress note alone."""

    class Meta:
        unknown = ma.RAISE

    status = fields.Enum(ActionStatus, by_value=True)
    note = text_field(max=DESCRIPTION_MAX)

    @ma.validates_schema
    def _something(self, data, **kwargs):
        if data.get("status") is None and not (data.get("note") or "").strip():
            raise ma.ValidationError(_("Geef een nieuwe status, een notitie of allebei."), "_schema")


# Goals --------------------------------------------------------------------------------------------------------


class GoalSchema(Schema):
    id = fields.Integer(required=True)
    theme = fields.Enum(Theme, by_value=True, required=True)
    theme_label = fields.Function(lambda g: g.theme.label, required=True, metadata={"type": "string"})
    title = fields.String(required=True)
    indicator = fields.String(required=True)
    source = fields.Enum(GoalSource, by_value=True, required=True)
    source_ref = fields.String(required=True)
    unit = fields.String(required=True)
    direction = fields.Enum(Direction, by_value=True, required=True)
    baseline = fields.Float(required=True, allow_none=True)
    baseline_note = fields.String(required=True)
    target = fields.Float(required=True)
    deadline = fields.Date(required=True)
    latest_value = fields.Float(required=True, allow_none=True)
    latest_on = fields.Date(required=True, allow_none=True)
    on_target = fields.Boolean(
        required=True, allow_none=True, metadata={"description": "null: nothing measured since the baseline"}
    )
    status = fields.Function(
        lambda g: {None: "unknown", True: "met", False: "open"}[g.on_target],
        required=True,
        metadata={"type": "string", "enum": ["met", "open", "unknown"]},
    )


class GoalQuerySchema(Query):
    theme = fields.Enum(Theme, by_value=True)


# Surveys ------------------------------------------------------------------------------------------------------


class SurveySummarySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    cycle_number = fields.Function(lambda s: s.cycle.number, required=True, metadata={"type": "integer"})
    status = fields.Enum(SurveyStatus, by_value=True, required=True)
    status_label = fields.Function(lambda s: s.status.label, required=True, metadata={"type": "string"})
    opens_on = fields.Date(required=True, allow_none=True)
    closes_on = fields.Date(required=True, allow_none=True)
    results_available = fields.Boolean(
        required=True, metadata={"description": "partners and the auditor see results once the survey is closed"}
    )
    responses = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null while the results are not available"}
    )


class ShareSchema(Schema):
    value = fields.Raw(required=True, metadata={"description": "the answer's value in the questionnaire"})
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    percent = fields.Float(required=True, metadata={"description": "of those who answered"})
    change = fields.Float(
        required=True, allow_none=True, metadata={"description": "percentage points since the previous survey"}
    )
    mean = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "a ranking's choice: its mean position (1 is first); count and percent then say how "
            "often it came first"
        },
    )


class CountSchema(Schema):
    count = fields.Integer(required=True)
    percent = fields.Float(required=True)
    change = fields.Float(required=True, allow_none=True)


class MatrixRowSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    answered = fields.Integer(required=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "fewer than k answered this row"})
    shares = fields.List(fields.Nested(ShareSchema), required=True)
    any = fields.Nested(
        CountSchema,
        required=True,
        allow_none=True,
        metadata={"description": "who answered anything but the first column"},
    )

    def get_attribute(self, obj, attr, default):
        if attr == "any" and obj.suppressed:
            return None
        return super().get_attribute(obj, attr, default)


class QuestionResultSchema(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True)
    title = fields.String(required=True)
    answered = fields.Integer(required=True)
    suppressed = fields.Boolean(required=True, metadata={"description": "fewer than k answered: no figures"})
    shares = fields.List(fields.Nested(ShareSchema), required=True)
    columns = fields.List(fields.String(), required=True)
    rows = fields.List(fields.Nested(MatrixRowSchema), required=True)
    mean = fields.Float(required=True, allow_none=True)
    mean_change = fields.Float(required=True, allow_none=True)
    compared = fields.Boolean(
        required=True, metadata={"description": "the previous survey asked it too (same key, type and options)"}
    )
    multiple = fields.Boolean(
        required=True, metadata={"description": "several options per respondent: percentages add up to over 100"}
    )
    part_of = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "the answer key of the compound question (matrixdropdown cell, matrixdynamic column, "
            "multipletext item, paneldynamic template question, range slider end) this is a part of"
        },
    )
    entries = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "a matrixdynamic's or paneldynamic's part: the rows or panels the percentages are of"},
    )


class SectorSchema(Schema):
    label = fields.String(required=True)
    suppressed = fields.Boolean(required=True)
    count = fields.Integer(required=True, allow_none=True)
    safe_day = fields.Float(required=True, allow_none=True)
    safe_dark = fields.Float(required=True, allow_none=True)
    grade = fields.Float(required=True, allow_none=True)
    victims = fields.Float(
        required=True, allow_none=True, metadata={"description": "percentage with at least one incident"}
    )


class PreviousSurveySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    cycle_number = fields.Integer(required=True)
    responses = fields.Integer(required=True)


class SurveyResultsSchema(Schema):
    """The k-anonymous aggregates of the results page; never raw answers or free text."""

    survey_id = fields.Integer(required=True)
    responses = fields.Integer(required=True)
    k = fields.Integer(required=True, metadata={"description": "groups smaller than k are held back"})
    suppressed = fields.Boolean(required=True, metadata={"description": "fewer than k responses: nothing shown"})
    questions = fields.List(fields.Nested(QuestionResultSchema), required=True)
    sectors = fields.List(fields.Nested(SectorSchema), required=True)
    previous = fields.Nested(PreviousSurveySchema, required=True, allow_none=True)
    victims_any = fields.Nested(
        CountSchema,
        required=True,
        allow_none=True,
        metadata={"description": "respondents with at least one incident of any kind"},
    )


# Cameras ------------------------------------------------------------------------------------------------------


class CameraSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    type = fields.Enum(CameraType, by_value=True, required=True)
    type_label = fields.Function(lambda c: c.type.label, required=True, metadata={"type": "string"})
    status = fields.Enum(CameraStatus, by_value=True, required=True)
    status_label = fields.Function(lambda c: c.status.label, required=True, metadata={"type": "string"})
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)
    direction = fields.Integer(
        required=True, allow_none=True, metadata={"description": "viewing direction, degrees from north"}
    )
    coverage_note = fields.String(required=True)
    installed_on = fields.Date(required=True, allow_none=True)
    removed_on = fields.Date(required=True, allow_none=True)
    last_maintenance_on = fields.Date(required=True, allow_none=True)


class CameraQuerySchema(Query):
    status = fields.Enum(CameraStatus, by_value=True)


class HealthPeriodSchema(Schema):
    id = fields.Integer(required=True)
    camera = fields.Function(lambda h: h.camera.code, required=True, metadata={"type": "string"})
    period_start = fields.AwareDateTime(required=True)
    period_end = fields.AwareDateTime(required=True)
    uptime_percent = fields.Float(required=True)
    gap_minutes = fields.Integer(required=True)


class HealthQuerySchema(Query):
    camera = text_field(max=30, metadata={"description": "a camera code"})
    since = day_field("periods that overlap this day or a later one")
    until = day_field("periods that overlap this day or an earlier one")


_MOMENT = "an ISO 8601 date-time, e.g. 2026-03-01T14:30 (without an offset: Dutch time)"


class GapSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    start = text_field(required=True, max=40, metadata={"description": _MOMENT})
    end = text_field(required=True, max=40, metadata={"description": _MOMENT})


class HealthRowSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    camera = text_field(required=True, max=30, metadata={"description": "its code"})
    start = text_field(required=True, max=40, metadata={"description": _MOMENT})
    end = text_field(required=True, max=40, metadata={"description": _MOMENT})
    uptime = fields.Float(required=True, metadata={"description": "percentage 0-100"})
    gaps = fields.List(
        fields.Nested(GapSchema),
        load_default=list,
        validate=ma.validate.Length(max=1000),
        metadata={"description": "recording gaps inside the period"},
    )


class HealthImportSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    periods = fields.List(
        fields.Nested(HealthRowSchema), required=True, validate=ma.validate.Length(min=1, max=MAX_IMPORT_ROWS)
    )


class HealthImportResultSchema(Schema):
    periods = fields.Integer(required=True, metadata={"description": "periods written or updated"})
    outages = fields.Integer(required=True, metadata={"description": "recording gaps recorded as outages"})


# Companies ----------------------------------------------------------------------------------------------------


class CompanyRowSchema(Schema):
    """A row of the register as a file has it: text per field, checked by the register's own rules. A field left
    out is left as the company has it, as a column left out of a file is."""

    class Meta:
        unknown = ma.RAISE

    name = text_field(required=True, max=300)
    kvk_number = text_field(max=30)
    street = text_field(required=True, max=300)
    house_number = text_field(required=True, max=30, metadata={"description": "with or without addition: 12 or 12a"})
    house_number_addition = text_field(max=30)
    postcode = text_field(required=True, max=30)
    sector = text_field(max=300)
    email = text_field(max=300)
    lat = text_field(max=40, metadata={"description": "decimal point or comma"})
    lon = text_field(max=40, metadata={"description": "decimal point or comma"})


class CompanyImportSchema(Schema):
    class Meta:
        unknown = ma.RAISE

    companies = fields.List(
        fields.Nested(CompanyRowSchema), required=True, validate=ma.validate.Length(min=1, max=MAX_IMPORT_ROWS)
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "check only, change nothing"})


class ImportRowSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "1 for the first company of the request"})
    outcome = fields.String(required=True, metadata={"description": "create, update, unchanged or reject"})
    reason = fields.String(required=True, metadata={"description": "why a row is rejected"})


class CompanyImportResultSchema(Schema):
    applied = fields.Boolean(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    rows = fields.List(fields.Nested(ImportRowSchema), required=True)


# Meetings -----------------------------------------------------------------------------------------------------


class AgendaItemSchema(Schema):
    title = fields.String(required=True)
    note = fields.String()


class MeetingSchema(Schema):
    id = fields.Integer(required=True)
    cycle_number = fields.Function(lambda m: m.cycle.number, required=True, metadata={"type": "integer"})
    kind = fields.Enum(MeetingKind, by_value=True, required=True)
    kind_label = fields.Function(lambda m: m.kind.label, required=True, metadata={"type": "string"})
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    location = fields.String(required=True)
    held = fields.Function(
        lambda m: m.minutes_at is not None,
        required=True,
        metadata={"type": "boolean", "description": "its minutes are recorded"},
    )
    cancelled = fields.Function(lambda m: m.cancelled_at is not None, required=True, metadata={"type": "boolean"})
    cancelled_at = fields.AwareDateTime(required=True, allow_none=True)
    agenda = fields.List(fields.Nested(AgendaItemSchema), required=True)


class MeetingQuerySchema(Query):
    kind = fields.Enum(MeetingKind, by_value=True)
    since = day_field("meetings on or after this day")
    until = day_field("meetings on or before this day")


# Quality checks -----------------------------------------------------------------------------------------------


class CriterionScoreSchema(Schema):
    criterion = fields.String(required=True, metadata={"description": "the criterion's key"})
    label = fields.String(required=True, metadata={"description": "as it was when the check was planned (Dutch)"})
    score = fields.Enum(Score, by_value=True, required=True, allow_none=True)
    score_label = fields.String(required=True, allow_none=True)
    note = fields.String(required=True)
    action_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "the plan action a major finding became"}
    )


class QualityCheckSchema(Schema):
    id = fields.Integer(required=True)
    due_on = fields.Date(required=True)
    done_on = fields.Date(required=True)
    remarks = fields.String(required=True)
    scores = fields.List(
        fields.Nested(CriterionScoreSchema), required=True, metadata={"description": "per criterion of the check"}
    )

    def get_attribute(self, obj, attr, default):
        if attr == "scores":
            return self._scores(obj)
        return super().get_attribute(obj, attr, default)

    @staticmethod
    def _scores(check) -> list[dict]:
        scores = {score.criterion: score for score in check.scores}
        rows = []
        for criterion in check.criteria:
            score = scores.get(criterion["key"])
            rows.append(
                {
                    "criterion": criterion["key"],
                    "label": criterion.get("label", criterion["key"]),
                    "score": score.score if score else None,
                    "score_label": score.score.label if score else None,
                    "note": score.note if score else "",
                    "action_id": score.action_id if score else None,
                }
            )
        return rows


class CheckQuerySchema(Query):
    since = day_field("checks done on or after this day")
    until = day_field("checks done on or before this day")
