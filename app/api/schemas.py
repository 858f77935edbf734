"""The marshmallow schemas of the API's resources: what goes out (and in) and how the OpenAPI document shows it."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from app.inventory.categories import category_label
from app.inventory.models import FigureSource
from app.parks.models import CycleStatus, ParkStatus, Track
from app.parks.steps import STEP_NAMES


class Schema(ma.Schema):
    class Meta:
        ordered = True


class MunicipalitySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ActiveCycleSchema(Schema):
    number = fields.Integer(required=True)
    step = fields.Integer(required=True, attribute="current_step", metadata={"description": "1 to 8"})
    step_name = fields.Method("_step_name", required=True, metadata={"type": "string"})
    step_started_at = fields.AwareDateTime(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    status = fields.Enum(CycleStatus, by_value=True, required=True)

    def _step_name(self, cycle) -> str:
        return str(STEP_NAMES[cycle.current_step])


class ParkSummarySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    municipality = fields.Nested(MunicipalitySchema, required=True)
    status = fields.Enum(ParkStatus, by_value=True, required=True)
    track = fields.Enum(Track, by_value=True, required=True)
    active_cycle = fields.Nested(
        ActiveCycleSchema, required=True, allow_none=True, metadata={"description": "the cycle being worked on"}
    )

    def get_attribute(self, obj, attr, default):
        if attr == "active_cycle":
            return next((c for c in obj.cycles if c.status == CycleStatus.ACTIVE), None)
        return super().get_attribute(obj, attr, default)


class PointSchema(Schema):
    lat = fields.Float(required=True)
    lon = fields.Float(required=True)


class ParkSchema(ParkSummarySchema):
    area = fields.Dict(
        required=True,
        allow_none=True,
        metadata={"description": "the boundary: a GeoJSON Polygon or MultiPolygon (WGS84), or null"},
    )
    area_point = fields.Nested(
        PointSchema, required=True, allow_none=True, metadata={"description": "a point inside the area, for markers"}
    )

    def get_attribute(self, obj, attr, default):
        if attr == "area_point":
            return None if obj.area_lat is None or obj.area_lon is None else {"lat": obj.area_lat, "lon": obj.area_lon}
        return super().get_attribute(obj, attr, default)


class ParkQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    municipality_id = fields.Integer(
        validate=ma.validate.Range(min=1, max=2**31 - 1), metadata={"description": "only parks in this municipality"}
    )


class CompanySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kvk_number = fields.String(allow_none=True, required=True)
    street = fields.String(required=True)
    house_number = fields.Integer(required=True)
    house_number_addition = fields.String(required=True)
    postcode = fields.String(required=True, metadata={"description": "without a space: 1234AB"})
    sector = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    lat = fields.Float(allow_none=True, required=True)
    lon = fields.Float(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)


class FigureSchema(Schema):
    id = fields.Integer(dump_only=True, required=True)
    source = fields.Enum(FigureSource, by_value=True, required=True)
    source_label = fields.Method("_source_label", dump_only=True, metadata={"type": "string"})
    category = fields.String(required=True, metadata={"description": "a category key of the source"})
    category_label = fields.Method("_category_label", dump_only=True, metadata={"type": "string"})
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True, metadata={"description": "0: the whole year; 1-4: that quarter"})
    count = fields.Integer(required=True)
    created_at = fields.AwareDateTime(dump_only=True, required=True)

    def _source_label(self, figure) -> str:
        return figure.source.label

    def _category_label(self, figure) -> str:
        return category_label(figure.source, figure.category)


class FigureInputSchema(Schema):
    """A count to enter or correct. The rules (years, categories, counts, no year total beside quarters) are the
    inventory's (`app.inventory.figures.check_figure` and `save_figure`); this schema only reads the JSON."""

    class Meta:
        unknown = ma.RAISE

    source = fields.String(required=True, metadata={"enum": [s.value for s in FigureSource]})
    category = fields.String(required=True, metadata={"description": "a category key of the source"})
    year = fields.Integer(required=True)
    quarter = fields.Integer(load_default=0, metadata={"description": "0 (default): the whole year; 1-4"})
    count = fields.Integer(required=True)


class FigureQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    source = fields.Enum(FigureSource, by_value=True)
    year_from = fields.Integer(validate=ma.validate.Range(min=0, max=9999), metadata={"description": "from this year"})
    year_to = fields.Integer(validate=ma.validate.Range(min=0, max=9999), metadata={"description": "to this year"})
