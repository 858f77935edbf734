"""The human-readable API documentation at /api/v1/docs: the OpenAPI document rendered on the server, so that it
works under the Content-Security-Policy (no inline script or style, nothing from a CDN) and without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, render_template, url_for

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[dict[str, Any]]
    body: str | None
    responses: list[tuple[str, str, str | None]]


@dataclass
class Tag:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class SchemaDoc:
    name: str
    properties: list[tuple[str, str, bool, str]]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(prop: dict[str, Any]) -> str:
    """A property's type in a few words: "string", "integer | null", "array of Figure", "Figure"."""
    if "$ref" in prop:
        return _ref_name(prop["$ref"])
    if prop.get("allOf"):
        base = _type(prop["allOf"][0])
        return f"{base} | null" if prop.get("nullable") else base
    kind = prop.get("type", "object")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        kind = f"array of {_type(prop.get('items', {}))}"
    if prop.get("format"):
        kind += f" ({prop['format']})"
    if prop.get("enum"):
        kind += ": " + ", ".join(str(value) for value in prop["enum"] if value is not None)
    return f"{kind} | null" if prop.get("nullable") else kind


def _content_schema(content: dict[str, Any] | None) -> str | None:
    for media in (content or {}).values():
        if "schema" in media:
            return _type(media["schema"])
    return None


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in item:
        section, name = item["$ref"].split("/")[-2:]
        return spec["components"][section][name]
    return item


def describe(spec: dict[str, Any]) -> tuple[list[Tag], list[SchemaDoc]]:
    """The operations per tag and the schemas of an OpenAPI 3 document, as the docs page shows them."""
    tags = {tag["name"]: Tag(tag["name"], tag.get("description", "")) for tag in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = []
            for raw in [*shared, *operation.get("parameters", [])]:
                parameter = _resolve(spec, raw)
                parameters.append(
                    {
                        "name": parameter["name"],
                        "in": parameter["in"],
                        "required": parameter.get("required", False),
                        "type": _type(parameter.get("schema", {})),
                        "description": parameter.get("description", ""),
                    }
                )
            responses = []
            for code, raw in operation.get("responses", {}).items():
                response = _resolve(spec, raw)
                responses.append((str(code), response.get("description", ""), _content_schema(response.get("content"))))
            body = operation.get("requestBody")
            doc = Operation(
                method=method.upper(),
                path=path,
                anchor=f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
                summary=operation.get("summary", ""),
                description=operation.get("description", ""),
                parameters=parameters,
                body=_content_schema(body.get("content")) if body else None,
                responses=sorted(responses, key=lambda r: (r[0] == "default", r[0])),
            )
            for name in operation.get("tags", ["api"]):
                tags.setdefault(name, Tag(name, "")).operations.append(doc)
    schemas = [
        SchemaDoc(
            name,
            [
                (prop_name, _type(prop), prop_name in schema.get("required", []), prop.get("description", ""))
                for prop_name, prop in schema.get("properties", {}).items()
            ],
        )
        for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items())
    ]
    return [tag for tag in tags.values() if tag.operations], schemas


@bp.route("/docs")
def index():
    from app.api.setup import current_api

    spec = current_api().spec.to_dict()
    tags, schemas = describe(spec)
    return render_template(
        "api/docs.html",
        spec=spec,
        tags=tags,
        schemas=schemas,
        openapi_url=url_for("api-docs.openapi_json"),
        rate_limit=current_app.config["API_RATE_LIMIT"],
    )
