"""Every error under /api as an RFC 9457 problem details object (application/problem+json), in Dutch or English."""

from __future__ import annotations

import http
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, current_app, g, json, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.errors import ERROR_TEXTS, DomainError, forget_the_database

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/"

#: status -> (title, detail) of the problems the API answers with
PROBLEM_TEXTS = {
    400: (_l("Ongeldig verzoek"), _l("Het verzoek kon niet worden verwerkt.")),
    401: (
        _l("Niet aangemeld"),
        _l("Stuur een geldige, niet ingetrokken API-sleutel mee in de kop Authorization: Bearer <sleutel>."),
    ),
    403: (_l("Geen toegang"), _l("Uw sleutel geeft geen rechten voor deze handeling.")),
    404: (_l("Niet gevonden"), _l("Dit adres bestaat niet in de API, of u heeft er geen toegang toe.")),
    405: (_l("Methode niet toegestaan"), _l("Deze methode is op dit adres niet toegestaan.")),
    406: (_l("Niet aanvaardbaar"), _l("De API antwoordt alleen in JSON.")),
    409: (_l("Conflict"), _l("Het verzoek botst met een ander verzoek dat nog loopt.")),
    412: (_l("Voorwaarde niet vervuld"), _l("De gegevens zijn intussen gewijzigd: haal ze opnieuw op.")),
    413: (_l("Verzoek te groot"), _l("Wat u verstuurde is groter dan is toegestaan.")),
    415: (_l("Formaat niet ondersteund"), _l("Stuur de gegevens als JSON (Content-Type: application/json).")),
    422: (_l("Ongeldige invoer"), _l("Een of meer velden kloppen niet; zie errors.")),
    428: (_l("Voorwaarde vereist"), _l("Stuur de kop If-Match mee met de ETag van de gegevens.")),
    429: (_l("Te veel verzoeken"), _l("U heeft te veel verzoeken gedaan. Probeer het later opnieuw.")),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging aan onze kant iets mis. Er is niets opgeslagen; probeer het later opnieuw."),
    ),
    503: ERROR_TEXTS[503],
}

#: marshmallow's own messages (English) in the language of the answer
FIELD_MESSAGES = {
    "Missing data for required field.": _l("Dit veld is verplicht."),
    "Field may not be null.": _l("Dit veld mag niet leeg (null) zijn."),
    "Not a valid integer.": _l("Geen geldig geheel getal."),
    "Not a valid string.": _l("Geen geldige tekst."),
    "Not a valid date.": _l("Geen geldige datum."),
    "Unknown field.": _l("Onbekend veld."),
    "Invalid input type.": _l("Ongeldig soort invoer."),
    "Invalid value.": _l("Ongeldige waarde."),
}


class ProblemErrorSchema(ma.Schema):
    location = ma.fields.String(metadata={"description": "json, query, path or header"})
    field = ma.fields.String(metadata={"description": "the field (dotted for nested fields)"})
    detail = ma.fields.String()


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only: `problem` writes the body)."""

    type = ma.fields.String(metadata={"description": "about:blank: the status explains the problem"})
    title = ma.fields.String(metadata={"description": "short summary, in the language of the answer"})
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "explanation, in the language of the answer"})
    instance = ma.fields.String(metadata={"description": "the path that was asked for"})
    errors = ma.fields.List(ma.fields.Nested(ProblemErrorSchema), metadata={"description": "per invalid field"})


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
):
    """A problem details response for `status` with the standard title and `detail` (or the standard one)."""
    title, default_detail = PROBLEM_TEXTS.get(status, (None, None))
    if title is None:
        phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else ""
        fallback = PROBLEM_TEXTS[500] if status >= 500 else PROBLEM_TEXTS[400]
        title, default_detail = phrase or fallback[0], fallback[1]
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(title),
        "status": status,
        "detail": detail or str(default_detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Content-Language"] = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return response


def _field_errors(messages: Any, location: str, prefix: str = "") -> list[dict[str, str]]:
    """webargs' nested {location: {field: [message]}} as a flat list of {location, field, detail}."""
    found: list[dict[str, str]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found += _field_errors(value, location, name)
    elif isinstance(messages, list | tuple):
        for message in messages:
            if isinstance(message, Mapping | list | tuple):
                found += _field_errors(message, location, prefix)
            else:
                text = FIELD_MESSAGES.get(str(message))
                found.append({"location": location, "field": prefix or "_schema", "detail": str(text or message)})
    else:
        found.append({"location": location, "field": prefix or "_schema", "detail": str(messages)})
    return found


def http_problem(error: HTTPException):
    """The problem for an HTTP error; webargs' validation errors become `errors`."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    errors: list[dict[str, str]] = []
    messages = data.get("errors") or data.get("messages")
    if isinstance(messages, Mapping):
        for location, fields in messages.items():
            errors += _field_errors(fields, str(location))
    return problem(status, data.get("message"), errors=errors or None, headers=headers)


def register_problem_handlers(app: Flask) -> None:
    """Answer errors under /api with problems and leave the web's HTML error pages to the rest.

    The app's own handlers (app.errors) are wrapped rather than replaced, so that the site keeps its pages; this
    must run after `register_error_handlers`.
    """
    handlers = app.error_handler_spec[None]

    def wrap(code: int | None, exception: type[Exception], api_handler):
        original = handlers.get(code, {}).get(exception)

        def handler(error):
            if is_api_request():
                return api_handler(error)
            if original is None:
                return error if isinstance(error, HTTPException) else InternalServerError(original_exception=error)
            return original(error)

        app.register_error_handler(exception, handler)

    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error  # 304 Not Modified and redirects pass through
        return http_problem(error)

    def domain_error(error: DomainError):
        # a rule refused the input: 422 (403 when the policy refused)
        return problem(403 if error.status_code == 403 else 422, error.message)

    def internal_error(error: InternalServerError):
        from app.extensions import db

        db.session.rollback()
        app.logger.error(
            "Unhandled API error on %s %s", request.method, request.endpoint, exc_info=error.original_exception
        )
        return problem(500)

    def database_unavailable(error: OperationalError | InterfaceError):
        g.pop("api_token", None)  # its user is loaded from the database, for the language
        return problem(503, headers=forget_the_database(error))

    wrap(None, HTTPException, http_error)
    wrap(None, DomainError, domain_error)
    wrap(500, InternalServerError, internal_error)
    wrap(None, OperationalError, database_unavailable)
    wrap(None, InterfaceError, database_unavailable)
