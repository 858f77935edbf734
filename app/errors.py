"""Domain errors raised by services, and the HTTP error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, g, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError


class DomainError(Exception):
    """A business rule refused the operation; the message is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: each problem on its own, for a form that lists them (the message joins them with line breaks)
        self.problems = problems or [message]


class NotAllowed(DomainError):
    """The policy refused: the actor may not do this on this park."""

    status_code = 403


class TooManyRequests(DomainError):
    """A rate limit refused the request; it may be tried again after `retry_after` seconds."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


ERROR_TEXTS = {
    400: (_l("Ongeldig verzoek"), _l("Het verzoek kon niet worden verwerkt. Controleer wat u invoerde.")),
    403: (_l("Geen toegang"), _l("U heeft geen rechten voor deze pagina of handeling.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet (meer). Controleer het adres.")),
    405: (_l("Methode niet toegestaan"), _l("Deze handeling kan niet op deze manier worden uitgevoerd.")),
    413: (_l("Bestand te groot"), _l("Wat u verstuurde is groter dan is toegestaan.")),
    429: (_l("Te veel verzoeken"), _l("Er kwamen in korte tijd te veel verzoeken. Probeer het later opnieuw.")),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging aan onze kant iets mis. Uw gegevens zijn niet opgeslagen; probeer het later opnieuw."),
    ),
    503: (
        _l("Tijdelijk niet beschikbaar"),
        _l("De database is even niet bereikbaar. Uw gegevens zijn niet opgeslagen; probeer het zo opnieuw."),
    ),
}
#: seconds a client is asked to wait (Retry-After) while the database is unreachable
DATABASE_RETRY_AFTER = 30
CSRF_MESSAGE = _l(
    "Uw formulier was verlopen of kwam niet van deze site. Er is niets opgeslagen; controleer uw invoer "
    "en verstuur het opnieuw."
)


def _bind_urls_to_base_url() -> None:
    """Flask builds no URLs in a request whose Host it does not trust (TRUSTED_HOSTS) or cannot parse: it leaves the
    request without a URL adapter and refuses it with 400. The error page's links then go to BASE_URL."""
    if request_ctx and request_ctx.url_adapter is None:
        base = urlsplit(current_app.config["BASE_URL"])
        request_ctx.url_adapter = current_app.url_map.bind(
            base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
        )


def render_error(status: int, message: str | None = None):
    _bind_urls_to_base_url()
    title, default_message = ERROR_TEXTS.get(status, ERROR_TEXTS[400])
    return (
        render_template("errors/error.html", status=status, title=title, message=message or default_message),
        status,
    )


def forget_the_database(error: OperationalError | InterfaceError) -> dict[str, str]:
    """Roll back and go on as for an anonymous visitor, for an answer made without the database (loading the user,
    for the header or the language, would fail again); the headers of that answer. Shared by the site's error page
    and the API's problem (app.api.problems), which wraps it."""
    from app.extensions import db, login_manager

    db.session.rollback()
    g._login_user = login_manager.anonymous_user()
    # the endpoint, not the path: a survey or invitation link carries its secret in the path
    current_app.logger.warning("Database unavailable on %s %s: %s", request.method, request.endpoint, error.orig)
    return {"Retry-After": str(DATABASE_RETRY_AFTER), "Cache-Control": "no-store"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response = render_error(error.code if error.code in ERROR_TEXTS else 400)
        if error.code == 405 and error.valid_methods:
            return (*response, {"Allow": ", ".join(error.valid_methods)})
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, str(CSRF_MESSAGE))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if isinstance(error, TooManyRequests):
            return (*render_error(error.status_code, error.message), {"Retry-After": str(error.retry_after)})
        return render_error(error.status_code, error.message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: OperationalError | InterfaceError):
        """The database is unreachable (down, restarting, connection lost): 503, nothing stored, try again.

        The pool replaces dead connections (`app.db.recover_lost_connections`), so the requests after the database
        is back work without restarting the app. Other database errors (a violated constraint) stay bugs: 500.
        """
        headers = forget_the_database(error)  # first: the page shows the header, which asks for the user
        return (*render_error(503), headers)

    @app.teardown_appcontext
    def close_session(exc: BaseException | None) -> None:
        """Close the request's session before Flask-SQLAlchemy removes it (the last registered teardown runs
        first). When the database went away after the answer was made, the closing ROLLBACK fails: the answer
        stands and the connection is dropped, instead of a 500 for a request that is done."""
        from app.extensions import db

        try:
            db.session.close()
        except (OperationalError, InterfaceError) as error:
            db.session().invalidate()  # drops the connection instead of returning it to the pool
            app.logger.warning("Database lost while closing the session: %s", error.orig)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        from app.extensions import db

        db.session.rollback()
        app.logger.error("Unhandled error on %s %s", request.method, request.endpoint)
        return render_error(500)
