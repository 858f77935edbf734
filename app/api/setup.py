"""Wiring the API into the app: flask-smorest's Api, the resource blueprints, problems, locale and CSRF."""

from __future__ import annotations

import http
import json
import re
from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import flask_smorest
from flask import Flask, current_app, g, has_request_context, request
from flask_smorest.utils import prepare_response
from webargs.flaskparser import FlaskParser

from app.api import access, idempotency, tokens
from app.api.problems import PROBLEM_MIMETYPE, ProblemSchema, is_api_request, problem, register_problem_handlers
from app.ratelimit import parse_limit


class Api(flask_smorest.Api):
    """flask-smorest's Api whose errors are problem details (application/problem+json).

    Its own JSON error handler is not installed: `register_problem_handlers` answers errors under /api and leaves
    the web's HTML error pages alone.
    """

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


class Parser(FlaskParser):
    """webargs' parser, for which JSON that Python cannot decode (nested too deeply, an integer of more than 4300
    digits) is invalid JSON (a 400), not a server error."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except (RecursionError, ValueError) as error:
            raise json.JSONDecodeError("undecodable JSON", doc=" ", pos=0) from error


class Blueprint(flask_smorest.Blueprint):
    """A resource blueprint: every request needs a bearer token (see `access.guard`); lists are paginated with
    `page` and `page_size` (at most 100), with the X-Pagination and Link headers."""

    ARGUMENTS_PARSER = Parser()
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(access.guard)
        self.after_request(access.after_request)
        self._prepare_doc_cbks.append(self._prepare_idempotency_doc)

    def route(
        self,
        rule,
        *,
        action: str | None = None,
        load: Callable[..., Any] | None = None,
        allow: Callable[..., Any] | None = None,
        **options,
    ):
        """flask-smorest's `route`, with the checks that come before flask-smorest reads the query or the body.

        A rule with a park (`<int:park_id>`) names the policy `action` its view needs, with `allow` a rule about
        the user beyond it, and with `load` the loader of the rule's one other object (see `access.checked`). A
        write (any method but GET) answers 415 to a body that is not JSON when it reads one, commits once when it
        succeeds, and takes an Idempotency-Key (see `idempotency.write`); its action counts for the write scope of
        tokens (`tokens.WRITE_ACTIONS`).
        """
        names = re.findall(r"<(?:[^:<>]+:)?(\w+)>", rule)
        objects = [name for name in names if name != "park_id"]
        with_park = len(objects) < len(names)
        if with_park != (action is not None):
            raise TypeError(f"{rule}: a rule with a park, and only such a rule, names the action its view needs")
        if len(objects) != (0 if load is None else 1) or (objects and not with_park):
            raise TypeError(f"{rule}: a park's rule may have one object more, which needs a loader")
        writes = set(options.get("methods", ["GET"])) - access.SAFE_METHODS
        if writes and action is not None:
            tokens.WRITE_ACTIONS.add(action)
        register = super().route(rule, **options)

        def decorator(view):
            handler = _write(view) if writes else view
            if action is None:
                return register(handler)
            return register(access.checked(handler, action=action, load=load, allow=allow))

        return decorator

    @staticmethod
    def _prepare_idempotency_doc(doc, doc_info, *, method, **kwargs):
        if method.upper() not in access.SAFE_METHODS:
            doc.setdefault("parameters", []).append(deepcopy(idempotency.PARAMETER))
        return doc

    def _document_pagination_metadata(self, spec, resp_doc):
        # A header is a string: flask-smorest documents X-Pagination as an object, which no header value matches.
        resp_doc.setdefault("headers", {}).update(
            {
                self.PAGINATION_HEADER_NAME: {
                    "description": "JSON: total, total_pages, first_page, last_page, page, previous_page, next_page",
                    "schema": {"type": "string"},
                },
                "Link": {"description": "RFC 8288 links: first, prev, next, last", "schema": {"type": "string"}},
            }
        )

    def _set_pagination_metadata(self, page_params, result, headers):
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        metadata = json.loads(headers[self.PAGINATION_HEADER_NAME])
        links = []
        for rel, key in (
            ("first", "first_page"),
            ("prev", "previous_page"),
            ("next", "next_page"),
            ("last", "last_page"),
        ):
            if key in metadata:
                args = request.args.to_dict() | {"page": metadata[key], "page_size": page_params.page_size}
                links.append(f'<{request.base_url}?{urlencode(args)}>; rel="{rel}"')
        if links:
            headers["Link"] = ", ".join(links)
        return result, headers


def _write(view: Callable[..., Any]) -> Callable[..., Any]:
    """A write view behind the content-type check and `idempotency.write`."""
    arguments = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    reads_json = any(parameter["in"] == "json" for parameter in arguments)

    @wraps(view)
    def wrapped(**kwargs: Any):
        if reads_json and not request.is_json:
            return problem(415)
        return idempotency.write(lambda: view(**kwargs))

    return wrapped


def current_api() -> Api:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]


def _api_locale(original):
    def select_locale():
        if not has_request_context() or not is_api_request():
            return original()
        languages = current_app.config["LANGUAGES"]
        if request.accept_languages:
            chosen = request.accept_languages.best_match(languages)
            if chosen:
                return chosen
        token = g.get("api_token")
        if token is not None and token.user.locale in languages:
            return token.user.locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]

    return select_locale


def init_api(app: Flask) -> None:
    """Register the API (/api/v1), its documentation and the token pages of the profile.

    Runs after the web's blueprints and error handlers: it wraps those handlers and the locale selector so that
    requests under /api get problem details in the Accept-Language (else the token user's language, else Dutch),
    and never the session's language or user.
    """
    from app.api import docs, token_views
    from app.api.resources import actions, cameras, checks, companies, figures, goals, meetings, parks, surveys
    from app.extensions import csrf

    api = Api(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "a personal API token (vbt_...)"}
    )
    for blueprint in (
        parks.blp,
        companies.blp,
        figures.blp,
        actions.blp,
        goals.blp,
        surveys.blp,
        cameras.blp,
        checks.blp,
        meetings.blp,
    ):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_blueprint(token_views.bp)
    register_problem_handlers(app)
    babel = app.extensions["babel"]
    babel.locale_selector = _api_locale(babel.locale_selector)
    parse_limit(app.config["API_RATE_LIMIT"])  # a wrong setting stops the start, not every request
