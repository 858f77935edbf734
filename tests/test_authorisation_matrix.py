"""The authorisation matrix: every URL rule of the app x every role x own park, another park and no login.

`EXPECTED` declares, per endpoint and method, who should get in, as the README's role table and the policy say.
The rules come from `app.url_map`, so a new route fails `test_every_route_is_declared` until it is declared here.
"Allowed" is anything but 401, 403, 404 or a redirect to the login page (a page, a redirect elsewhere, or a
400/422 for the empty form that every POST sends; the API gets a well-formed body); "denied" is the status
`Access` names. A 500 always fails.

One world (tests/authorisation_world.py) is built per module inside an outer transaction; every request runs in
a savepoint that is rolled back, so an allowed POST changes nothing the next request sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from flask import Flask, url_for
from sqlalchemy import Connection, func, select

from app.api.access import limiter
from app.api.models import ApiToken
from app.api.problems import PROBLEM_MIMETYPE
from app.audit.models import AuditEvent
from app.auth.models import Role, UserSession
from app.auth.sessions import hash_token
from app.extensions import db as _db
from app.parks.models import Company
from tests import factories
from tests.authorisation_world import World, build_world
from tests.conftest import is_postgres, rolled_back_connection

E, AD, M, P, C, AU = (
    Role.ENTREPRENEUR,
    Role.ADVISOR,
    Role.MUNICIPALITY,
    Role.PARTNER,
    Role.CAMERA_OFFICER,
    Role.AUDITOR,
)
EVERYONE = frozenset(Role)
NOBODY: frozenset[Role] = frozenset()
MANAGERS = frozenset({AD, M})
CAMERA_READERS = MANAGERS | {C, AU}
CAMERA_KEEPERS = frozenset({C, M})
FIELD_WORKERS = MANAGERS | {P, E}  # who writes the gebiedsscan and records the schouw


@dataclass(frozen=True)
class Access:
    """Who gets in. `roles`: on their own park (park pages) or on any of their parks (overviews); admins always.

    `other_park` is what a member of another park (or of none) gets: a 404, as for a park that does not exist, on
    pages and API alike (None for pages without a park); `anonymous` what a visitor without a login gets ("login":
    a redirect to the login page).
    """

    roles: frozenset[Role] = NOBODY
    public: bool = False
    logged_in: bool = False
    denied: int = 403
    other_park: int | None = 404
    anonymous: int | str = "login"
    #: logging out ends on the login page: there that redirect is the allowed outcome
    login_is_allowed: bool = False


def park(roles: frozenset[Role]) -> Access:
    return Access(roles=frozenset(roles))


def api(roles: frozenset[Role]) -> Access:
    """As `park`, for a bearer token: without one it is a 401, not the login page."""
    return Access(roles=frozenset(roles), anonymous=401)


def overview(roles: frozenset[Role]) -> Access:
    """A page across parks: for users holding one of `roles` on any park."""
    return Access(roles=frozenset(roles), other_park=None)


PUBLIC = Access(public=True, other_park=None)
LOGGED_IN = Access(logged_in=True, other_park=None)
ADMIN_ONLY = Access(other_park=None)
API_LOGGED_IN = Access(logged_in=True, other_park=None, anonymous=401)
#: a step of signing in (the code after the password): open to all, and back to the login page without a password
SIGN_IN_STEP = Access(public=True, other_park=None, login_is_allowed=True)
#: one of the requester's own rows, which no one else's request finds (the world's is the admin's)
OWN_ROW = Access(other_park=None, denied=404)

# Where a service narrows a policy action to the actor's own organisation (action owners, stakeholders writing
# their own gebiedsscan, partners writing their own organisation's figures, the working group's chair and
# secretary), the matrix users, who belong to no
# organisation of the park, are refused like any role without the action: those rules declare the managers.
EXPECTED: dict[str, dict[str, Access]] = {
    # public: the login and password pages, the survey links, the calendar feed, the camera register, the docs
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.forgot_password": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.reset_password": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.accept_invitation": {"GET": PUBLIC, "POST": PUBLIC},
    "main.set_language": {"POST": PUBLIC},
    "respond.start": {"GET": PUBLIC},
    "respond.submit": {"POST": PUBLIC},
    "typed_link.open": {"GET": PUBLIC},  # the short link a letter prints
    "respond.public": {"GET": PUBLIC},
    "respond.challenge": {"GET": PUBLIC},
    "respond.submit_public": {"POST": PUBLIC},
    "award_signing.start": {"GET": PUBLIC, "POST": PUBLIC},  # the signatory's personal link
    "calendar_feed.feed": {"GET": PUBLIC},
    "camera_register.index": {"GET": PUBLIC},
    "static": {"GET": PUBLIC},
    "api_docs.index": {"GET": PUBLIC},
    "api-docs.openapi_json": {"GET": PUBLIC},
    # any logged-in user, about themselves
    "main.home": {"GET": LOGGED_IN},
    "parks.index": {"GET": LOGGED_IN},
    # in a municipality of one of their parks (parks.services.municipalities_for_new_park)
    "parks.new": {"GET": overview(MANAGERS), "POST": overview(MANAGERS)},
    "main.switch_park": {"GET": LOGGED_IN},
    "auth.profile": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "auth.logout": {"POST": Access(logged_in=True, other_park=None, login_is_allowed=True)},
    "auth.user_sessions": {"GET": LOGGED_IN},
    "auth.end_session": {"POST": LOGGED_IN},  # one of the requester's own sessions
    "auth.sign_out_everywhere": {"POST": LOGGED_IN},  # asks first: the post without confirmation changes nothing
    "api_tokens.index": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "api_tokens.revoke": {"POST": LOGGED_IN},  # the requester's own token
    "two_factor.code": {"GET": SIGN_IN_STEP, "POST": SIGN_IN_STEP},
    "two_factor.enrol_at_sign_in": {"GET": SIGN_IN_STEP, "POST": SIGN_IN_STEP},
    "two_factor.settings": {"GET": LOGGED_IN},
    "two_factor.enrol": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "two_factor.regenerate_recovery_codes": {"POST": LOGGED_IN},
    "two_factor.disable": {"POST": LOGGED_IN},
    "two_factor.revoke_device": {"POST": OWN_ROW},
    # across parks
    "audit.index": {"GET": overview(MANAGERS)},
    "tracking.index": {"GET": overview(MANAGERS)},
    "tracking.export": {"GET": overview(MANAGERS)},
    "tracking.overdue": {"GET": overview(MANAGERS)},
    "tracking.overdue_export": {"GET": overview(MANAGERS)},
    "camera_overview.index": {"GET": overview(MANAGERS | {C})},
    "camera_overview.export": {"GET": overview(MANAGERS | {C})},
    "dashboard.index": {"GET": overview(MANAGERS)},
    "dashboard.export_xlsx": {"GET": overview(MANAGERS)},
    "dashboard.awards": {"GET": overview(MANAGERS)},
    "dashboard.surveys": {"GET": overview(MANAGERS)},
    # the platform operator
    "sso.start": {"GET": PUBLIC},
    "sso.callback": {"GET": PUBLIC},
    "sso_admin.index": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "sso_admin.edit": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "sso_admin.add_rule": {"POST": ADMIN_ONLY},
    "sso_admin.remove_rule": {"POST": ADMIN_ONLY},
    "sso_admin.password_login": {"POST": ADMIN_ONLY},
    "admin.index": {"GET": ADMIN_ONLY},
    "admin.users": {"GET": ADMIN_ONLY},
    "admin.edit_user": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.add_membership": {"POST": ADMIN_ONLY},
    "admin.remove_membership": {"POST": ADMIN_ONLY},
    "admin.resend_invitation": {"POST": ADMIN_ONLY},
    "admin.invite_user": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.organisations": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.edit_organisation": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.merge_organisation": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.reset_two_factor": {"POST": ADMIN_ONLY},
    "admin.organisation_two_factor": {"POST": ADMIN_ONLY},
    # an organisation's letterhead: admins, and its own people (the matrix users belong to none of them)
    "letterhead.edit": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "letterhead.upload_logo": {"POST": ADMIN_ONLY},
    "letterhead.remove_logo": {"POST": ADMIN_ONLY},
    "letterhead.logo": {"GET": ADMIN_ONLY},
    "mail.index": {"GET": ADMIN_ONLY},
    "mail.detail": {"GET": ADMIN_ONLY},
    "mail.retry": {"POST": ADMIN_ONLY},
    "jobs.index": {"GET": ADMIN_ONLY},
    "jobs.detail": {"GET": ADMIN_ONLY},
    # the park, its area and steps
    "parks.detail": {"GET": park(EVERYONE)},
    "area.edit": {"GET": park(EVERYONE)},
    "area.save": {"POST": park(MANAGERS)},
    "parks.complete_step": {"POST": park(MANAGERS)},
    "parks.reopen_step": {"POST": park(MANAGERS)},
    "parks.pause_park": {"POST": park(MANAGERS)},
    "parks.resume_park": {"POST": park(MANAGERS)},
    "history.index": {"GET": park(EVERYONE)},
    "history.cycle": {"GET": park(EVERYONE)},
    "history.recalibrate": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    # undoing a herijking: admins only, also on a park where one holds a role
    "history.undo": {"GET": park(NOBODY), "POST": park(NOBODY)},
    # the company register holds contact details
    "companies.index": {"GET": park(MANAGERS | {AU})},
    "companies.export": {"GET": park(MANAGERS | {AU})},
    "companies.new": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "companies.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "companies.accept_outside": {"POST": park(MANAGERS)},
    "companies.delete": {"POST": park(MANAGERS)},
    "companies.import_upload": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "companies.import_preview": {"GET": park(MANAGERS)},
    "companies.import_confirm": {"POST": park(MANAGERS)},
    # stakeholders
    "stakeholders.index": {"GET": park(EVERYONE)},
    "stakeholders.declaration_pdf": {"GET": park(EVERYONE)},
    "stakeholders.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "stakeholders.add": {"POST": park(MANAGERS)},
    "stakeholders.invite": {"POST": park(MANAGERS)},
    "stakeholders.remove": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "stakeholders.sign": {"POST": park(MANAGERS)},
    "stakeholders.working_group": {"POST": park(MANAGERS)},
    # the inventory: figures, gebiedsscan, schouw
    "figures.index": {"GET": park(EVERYONE)},
    "figures.export": {"GET": park(EVERYONE)},
    # partners: their own organisation's figures only
    "figures.entry": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "figures.delete": {"POST": park(MANAGERS)},
    "figures.import_upload": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "figures.import_preview": {"GET": park(MANAGERS)},
    "figures.import_confirm": {"POST": park(MANAGERS)},
    "scan.index": {"GET": park(EVERYONE)},
    "scan.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},  # partners and entrepreneurs: their own only
    "inspections.index": {"GET": park(EVERYONE)},
    "inspections.detail": {"GET": park(EVERYONE)},
    "inspections.photo": {"GET": park(EVERYONE)},
    "inspections.report": {"GET": park(EVERYONE)},
    "inspections.finding": {"GET": park(EVERYONE), "POST": park(FIELD_WORKERS)},
    "inspections.new": {"GET": park(FIELD_WORKERS), "POST": park(FIELD_WORKERS)},
    "inspections.edit": {"GET": park(FIELD_WORKERS), "POST": park(FIELD_WORKERS)},
    "inspections.delete": {"POST": park(FIELD_WORKERS)},
    "inspections.new_finding": {"GET": park(FIELD_WORKERS), "POST": park(FIELD_WORKERS)},
    "inspections.finding_status": {"POST": park(FIELD_WORKERS)},
    "inspections.delete_finding": {"POST": park(FIELD_WORKERS)},
    "inspections.upload_photo": {"POST": park(FIELD_WORKERS)},
    "inspections.delete_photo": {"POST": park(FIELD_WORKERS)},
    "inspections.make_action": {"POST": park(MANAGERS)},
    # goals
    "goals.index": {"GET": park(EVERYONE)},
    "goals.detail": {"GET": park(EVERYONE)},
    "goals.new": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "goals.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "goals.measure": {"POST": park(MANAGERS)},
    "goals.refresh_baseline": {"POST": park(MANAGERS)},
    "goals.refresh": {"POST": park(MANAGERS)},
    "goals.delete": {"POST": park(MANAGERS)},
    "goals.delete_measurement": {"POST": park(MANAGERS)},
    # the plan, its catalogue, versions, quarterly reports and calendar
    "plans.index": {"GET": park(EVERYONE)},
    "plans.pdf": {"GET": park(EVERYONE)},
    "plans.xlsx": {"GET": park(EVERYONE)},
    "plans.docx": {"GET": park(EVERYONE)},
    "plans.matrix": {"GET": park(EVERYONE)},
    "plans.timeline": {"GET": park(EVERYONE)},
    "plans.action": {"GET": park(EVERYONE)},
    "plans.version": {"GET": park(EVERYONE)},
    "plans.catalogue_index": {"GET": park(EVERYONE)},
    "quarterly.index": {"GET": park(EVERYONE)},
    "quarterly.pdf": {"GET": park(EVERYONE)},
    "plans.start": {"POST": park(MANAGERS)},
    "plans.add": {"GET": park(MANAGERS)},
    "plans.add_new": {"POST": park(MANAGERS)},
    "plans.add_from_catalogue": {"POST": park(MANAGERS)},
    "plans.add_from_finding": {"POST": park(MANAGERS)},
    "plans.edit_action": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "plans.move": {"POST": park(MANAGERS)},
    "plans.delete_action": {"POST": park(MANAGERS)},
    "plans.add_note": {"POST": park(MANAGERS)},  # partners and entrepreneurs: actions their organisation owns
    "plans.change_status": {"POST": park(MANAGERS)},  # idem
    "main.update_action": {"POST": park(MANAGERS)},  # idem: the home page's in-place update
    "plans.new_item": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "plans.edit_item": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "plans.delete_item": {"POST": park(MANAGERS)},
    "plans.adopt": {"POST": park(MANAGERS)},
    "calendar.index": {"GET": park(EVERYONE)},
    "calendar.add": {"POST": park(MANAGERS)},
    "calendar.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "calendar.delete": {"POST": park(MANAGERS)},
    "calendar.feed_settings": {"POST": park(MANAGERS)},
    # meetings: entrepreneurs run them only as the working group's chair or secretary
    "meetings.index": {"GET": park(EVERYONE)},
    "meetings.detail": {"GET": park(EVERYONE)},
    "meetings.new": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "meetings.edit": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "meetings.attendance": {"POST": park(MANAGERS)},
    "meetings.cancel": {"POST": park(MANAGERS)},
    "meetings.decide": {"POST": park(MANAGERS)},
    "meetings.invite": {"POST": park(MANAGERS)},
    "meetings.remove_invitee": {"POST": park(MANAGERS)},
    "meetings.send": {"POST": park(MANAGERS)},
    "meetings.preview": {"GET": park(MANAGERS)},
    "meetings.minutes": {"POST": park(MANAGERS)},
    # the award: every stakeholder's signatory signs for their own organisation
    "awards.index": {"GET": park(EVERYONE)},
    "awards.certificate": {"GET": park(EVERYONE)},
    "awards.personal_certificates": {"GET": park(EVERYONE)},
    "awards.sign": {"GET": park(EVERYONE - {AU}), "POST": park(EVERYONE - {AU})},
    "awards.press_release": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "awards.press_release_text": {"GET": park(MANAGERS)},
    "awards.press_release_document": {"GET": park(MANAGERS)},
    "awards.request_signatures": {"POST": park(MANAGERS)},
    "awards.ceremony": {"POST": park(MANAGERS)},
    "awards.send_again": {"POST": park(MANAGERS)},
    "awards.signatory": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "awards.mail_preview": {"GET": park(MANAGERS)},
    "awards.grant": {"POST": park(MANAGERS)},
    # the audit dossier
    "dossier.index": {"GET": park(MANAGERS | {AU})},
    "dossier.download": {"GET": park(MANAGERS | {AU})},
    # the survey: run by the process owners; the (closed) results for partners and the auditor; raw for advisors
    "surveys.index": {"GET": park(MANAGERS)},
    "surveys.definition": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "surveys.definition_download": {"GET": park(MANAGERS)},
    "surveys.copy_definition": {"POST": park(MANAGERS)},
    "surveys.question": {"GET": park(MANAGERS)},
    "surveys.edit_question": {"POST": park(MANAGERS)},
    "surveys.edit_choices": {"POST": park(MANAGERS)},
    "surveys.edit_rows": {"POST": park(MANAGERS)},
    "surveys.edit_columns": {"POST": park(MANAGERS)},
    "surveys.edit_scale": {"POST": park(MANAGERS)},
    "surveys.set_condition": {"POST": park(MANAGERS)},
    "surveys.move_question": {"POST": park(MANAGERS)},
    "surveys.move_to_page": {"POST": park(MANAGERS)},
    "surveys.remove_question": {"POST": park(MANAGERS)},
    "surveys.add_question": {"POST": park(MANAGERS)},
    "surveys.add_page": {"POST": park(MANAGERS)},
    "surveys.rename_page": {"POST": park(MANAGERS)},
    "surveys.letter_text": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "surveys.letter_preview": {"GET": park(MANAGERS)},
    "surveys.create": {"POST": park(MANAGERS)},
    "surveys.open_survey": {"POST": park(MANAGERS)},
    "surveys.close_survey": {"POST": park(MANAGERS)},
    "surveys.reopen_survey": {"POST": park(MANAGERS)},
    "surveys.public_link": {"POST": park(MANAGERS)},
    "survey_invitations.index": {"GET": park(MANAGERS)},
    "survey_invitations.letters": {"GET": park(MANAGERS)},
    "survey_invitations.create": {"POST": park(MANAGERS)},
    "survey_invitations.email": {"POST": park(MANAGERS)},
    "survey_invitations.revoke": {"POST": park(MANAGERS)},
    "survey_invitations.preview": {"GET": park(MANAGERS)},
    "survey_results.index": {"GET": park(MANAGERS | {P, AU})},
    "survey_results.report_pdf": {"GET": park(MANAGERS | {P, AU})},
    "survey_results.response": {"GET": park(MANAGERS)},
    "survey_results.contacts": {"GET": park(MANAGERS)},
    "survey_results.conclusions": {"GET": park(MANAGERS), "POST": park(MANAGERS)},
    "survey_results.remind": {"POST": park(MANAGERS)},
    "survey_results.export": {"GET": park(frozenset({AD}))},
    # cameras: a summary for everyone; the register, checks and legal frame for the readers; the footage log for
    # the camera officer alone
    "cameras.index": {"GET": park(EVERYONE)},
    "cameras.export": {"GET": park(CAMERA_READERS)},
    "camera_checks.index": {"GET": park(CAMERA_READERS)},
    "camera_checks.detail": {"GET": park(CAMERA_READERS)},
    "camera_checks.photo": {"GET": park(CAMERA_READERS)},
    "camera_evaluations.index": {"GET": park(CAMERA_READERS)},
    "camera_evaluations.detail": {"GET": park(CAMERA_READERS)},
    "camera_evaluations.report": {"GET": park(CAMERA_READERS)},
    "camera_health.index": {"GET": park(CAMERA_READERS)},
    "camera_legal.index": {"GET": park(CAMERA_READERS)},
    "camera_legal.document": {"GET": park(CAMERA_READERS)},
    "cameras.network": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "cameras.new_camera": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "cameras.edit_camera": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "cameras.camera_status": {"POST": park(CAMERA_KEEPERS)},
    "cameras.import_cameras": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "camera_health.import_health": {"POST": park(CAMERA_KEEPERS)},
    "camera_legal.edit": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "camera_legal.technology": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "camera_legal.upload": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "camera_legal.delete_document": {"POST": park(CAMERA_KEEPERS)},
    "camera_checks.perform": {"GET": park(frozenset({C})), "POST": park(frozenset({C}))},
    "camera_evaluations.create": {"GET": park(CAMERA_KEEPERS), "POST": park(CAMERA_KEEPERS)},
    "footage.index": {"GET": park(frozenset({C}))},
    "footage.detail": {"GET": park(frozenset({C}))},
    "footage.new": {"GET": park(frozenset({C})), "POST": park(frozenset({C}))},
    # the API (bearer token with read-and-write scope)
    "api-parks.list_parks": {"GET": API_LOGGED_IN},
    "api-parks.get_park": {"GET": api(EVERYONE)},
    "api-actions.list_actions": {"GET": api(EVERYONE)},
    "api-actions.get_action": {"GET": api(EVERYONE)},
    "api-actions.update_action": {"PATCH": api(MANAGERS)},  # partners and entrepreneurs: their own actions only
    "api-cameras.list_cameras": {"GET": api(CAMERA_READERS)},
    "api-cameras.list_health": {"GET": api(CAMERA_READERS)},
    "api-cameras.import_health": {"POST": api(CAMERA_KEEPERS)},
    "api-checks.list_checks": {"GET": api(CAMERA_READERS)},
    "api-companies.list_companies": {"GET": api(MANAGERS | {AU})},
    "api-companies.import_companies": {"POST": api(MANAGERS)},
    "api-figures.list_figures": {"GET": api(EVERYONE)},
    "api-figures.save_figure": {"POST": api(MANAGERS)},  # partners: their own organisation's figures only
    "api-goals.list_goals": {"GET": api(EVERYONE)},
    "api-meetings.list_meetings": {"GET": api(EVERYONE)},
    "api-surveys.list_surveys": {"GET": api(MANAGERS | {P, AU})},
    "api-surveys.survey_results": {"GET": api(MANAGERS | {P, AU})},
}

# A well-formed body, so that an allowed write runs to the end (the API checks the park before it reads the body:
# see test_the_api_checks_the_park_before_the_request).
API_BODIES = {
    "api-actions.update_action": {"note": "Gebeld"},
    "api-cameras.import_health": {
        "periods": [{"camera": "CAM-01", "start": "2026-01-01T00:00", "end": "2026-01-02T00:00", "uptime": 99.0}]
    },
    "api-companies.import_companies": {
        "companies": [{"name": "Matrix BV", "street": "Industrieweg", "house_number": "9", "postcode": "3542AD"}]
    },
    "api-figures.save_figure": {"source": "politie", "category": "overval", "year": 2025, "quarter": 0, "count": 3},
}
DENIED = {401, 403, 404}
ROUTED_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def is_api(endpoint: str) -> bool:
    return endpoint.startswith("api-")


def routed(app) -> dict[str, set[str]]:
    """endpoint -> its methods, from the app's URL map."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        found.setdefault(rule.endpoint, set()).update(rule.methods & ROUTED_METHODS)
    return found


def ids_in(rule) -> list[str]:
    """The rule's integer arguments (ids, and the quarter's number)."""
    return [name for name in rule.arguments if name.endswith("_id") or name == "number"]


CASES = sorted((endpoint, method) for endpoint, methods in EXPECTED.items() for method in methods)


@dataclass(frozen=True)
class Identity:
    """Who sends a request: how they log in (a session key and its session's token, an API secret and their own
    API token id)."""

    session_key: str
    session_token: str
    session_id: int
    api_secret: str
    token_id: int


@dataclass
class Matrix:
    """The world plus a way to send one request inside a savepoint that is rolled back afterwards."""

    app: Flask
    connection: Connection
    world: World
    logins: dict[str, Identity]  # "admin", "own advisor", "other auditor", "no role" ("anonymous" has none)

    def identities(self) -> Iterator[tuple[str, Role | None]]:
        yield "admin", None
        for role in Role:
            yield f"own {role.value}", role
            yield f"other {role.value}", role
        yield "no role", None
        yield "anonymous", None

    def url(self, endpoint: str, identity: str, *, park_id: int | None = None, every_id: int | None = None) -> str:
        rule = next(self.app.url_map.iter_rules(endpoint))
        overrides = self.world.overrides.get(endpoint) or self.world.overrides.get(endpoint.split(".")[0], {})
        values = {name: overrides.get(name, self.world.values.get(name)) for name in rule.arguments}
        if "token_id" in values and identity in self.logins:
            values["token_id"] = self.logins[identity].token_id
        if "session_id" in values and identity in self.logins:
            values["session_id"] = self.logins[identity].session_id
        if park_id is not None:
            values["park_id"] = park_id
        if every_id is not None:
            values |= dict.fromkeys(ids_in(rule), every_id)
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def send(
        self,
        endpoint: str,
        method: str,
        identity: str,
        url: str,
        *,
        inside: Callable[[], object] | None = None,
        body: dict[str, object] | None = None,
    ):
        """The response to one request (an empty form, or a well-formed JSON body for the API, else what `body`
        gives the test client); `inside` runs before the rollback and its result is kept as `response.rows_inside`."""
        login = self.logins.get(identity)
        # the module's own session must not hold a savepoint around ours (releasing it would release ours)
        _db.session.rollback()
        savepoint = self.connection.begin_nested()
        try:
            client = self.app.test_client()
            if is_api(endpoint):
                limiter(self.app).reset()
                headers = {"Authorization": f"Bearer {login.api_secret}"} if login else {}
                sent = body if body is not None else {"json": API_BODIES.get(endpoint)}
                response = client.open(url, method=method, headers=headers, csrf=False, **sent)
            else:
                if login:
                    client.login(SimpleNamespace(session_key=login.session_key), login.session_token)
                response = client.open(url, method=method, data={})
            if inside is not None:
                response.rows_inside = inside()
            response.close()  # only the status and headers count: a file it streams is closed now
            return response
        finally:
            _db.session.rollback()
            savepoint.rollback()
            self.world.restore_files()


@pytest.fixture(scope="module")
def matrix(app) -> Iterator[Matrix]:
    """The world, built once for the module in an outer transaction that is rolled back at the end (on SQLite in
    a schema of its own, dropped afterwards, as the `db` fixture does per test)."""
    with app.app_context():
        if not is_postgres(app):
            _db.create_all()
        try:
            with rolled_back_connection() as connection:
                world = build_world()
                _db.session.commit()
                users = {"admin": world.admin, "no role": world.no_role}
                users |= {f"own {role.value}": user for role, user in world.own.items()}
                users |= {f"other {role.value}": user for role, user in world.other.items()}
                logins = {
                    identity: Identity(
                        session_key=user.session_key,
                        session_token=(token := factories.make_session(user)),
                        session_id=_db.session.scalar(
                            select(UserSession.id).where(UserSession.token_hash == hash_token(token))
                        ),
                        api_secret=world.api_secrets[user.id],
                        token_id=_db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id)),
                    )
                    for identity, user in users.items()
                }
                _db.session.commit()  # the sessions, which every request's rollback would otherwise take along
                yield Matrix(app, connection, world, logins)
        finally:
            if not is_postgres(app):
                _db.drop_all()


def expected(access: Access, identity: str, role: Role | None) -> int | str | None:
    """The declared outcome: None for allowed, else the status (or "login")."""
    if access.public:
        return None
    if identity == "anonymous":
        return access.anonymous
    if identity == "admin" or access.logged_in:
        return None
    strangers_to_the_park = identity.startswith("other") or identity == "no role"
    if strangers_to_the_park and access.other_park is not None:
        return access.other_park
    return None if role in access.roles else access.denied


def outcome(response) -> int | str | None:
    """What the response amounts to: None for allowed, else the status (or "login")."""
    location = response.headers.get("Location", "")
    if response.status_code in {301, 302, 303} and "/inloggen" in location.split("?")[0]:
        return "login"
    if response.status_code in DENIED or response.status_code >= 500:
        return response.status_code
    return None


def test_every_route_is_declared(app):
    routes = routed(app)
    missing = sorted(
        f"{e} {sorted(m - set(EXPECTED.get(e, {})))}" for e, m in routes.items() if m - set(EXPECTED.get(e, {}))
    )
    stale = sorted(
        f"{e} {sorted(set(methods) - routes.get(e, set()))}"
        for e, methods in EXPECTED.items()
        if set(methods) - routes.get(e, set())
    )
    assert not missing, "routes without a declared access in EXPECTED: " + ", ".join(missing)
    assert not stale, "EXPECTED declares routes the app no longer has: " + ", ".join(stale)


@pytest.mark.parametrize(("endpoint", "method"), CASES, ids=[f"{m} {e}" for e, m in CASES])
def test_access(matrix, endpoint, method):
    access = EXPECTED[endpoint][method]
    wrong = []
    for identity, role in matrix.identities():
        url = matrix.url(endpoint, identity)
        response = matrix.send(endpoint, method, identity, url)
        want, got = expected(access, identity, role), outcome(response)
        if got == "login" and access.login_is_allowed and want is None:
            got = None
        if got != want or response.status_code >= 500:
            wrong.append(f"{identity}: {method} {url} -> {response.status_code} (expected {want or 'allowed'})")
        elif is_api(endpoint) and got is not None and response.mimetype != PROBLEM_MIMETYPE:
            wrong.append(f"{identity}: {method} {url} -> {response.status_code} as {response.mimetype}, not a problem")
    assert not wrong, "\n".join(wrong)


def test_objects_of_one_park_are_not_found_through_another(matrix):
    """Admins pass every policy check, so only the loader's park check stands between another park's URL and this
    park's objects: /parken/<other>/.../<object of this park> must be a 404."""
    wrong = []
    for rule in matrix.app.url_map.iter_rules():
        objects = [name for name in ids_in(rule) if name.endswith("_id") and name != "park_id"]
        if "park_id" not in rule.arguments or not objects:
            continue
        url = matrix.url(rule.endpoint, "admin", park_id=matrix.world.other_park.id)
        for method in sorted(rule.methods & ROUTED_METHODS):
            response = matrix.send(rule.endpoint, method, "admin", url)
            if response.status_code != 404:
                wrong.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_ids_that_do_not_exist_or_overflow_are_not_found(matrix):
    """For an admin, who passes every policy check: ids beyond any row, and beyond a 32- and a 64-bit column."""
    wrong = []
    for rule in matrix.app.url_map.iter_rules():
        if not ids_in(rule):
            continue
        for bad in (999_999, 2**31, 2**80):
            url = matrix.url(rule.endpoint, "admin", every_id=bad)
            for method in sorted(rule.methods & ROUTED_METHODS):
                response = matrix.send(rule.endpoint, method, "admin", url)
                if response.status_code != 404:
                    wrong.append(f"{method} {url} ({rule.endpoint}) -> {response.status_code}")
    assert not wrong, "\n".join(wrong)


#: pages of every kind that name a park: a page, an object of the park, a PDF, an export, a photo, a download, a
#: form's POST, and the survey's invitation revoke (which checks by hand instead of through `requires`)
HIDDEN_PARK_SAMPLE = [
    ("parks.detail", "GET"),
    ("plans.action", "GET"),
    ("plans.pdf", "GET"),
    ("plans.xlsx", "GET"),
    ("inspections.report", "GET"),
    ("figures.export", "GET"),
    ("inspections.photo", "GET"),
    ("dossier.download", "GET"),
    ("companies.edit", "POST"),
    ("survey_invitations.revoke", "POST"),
]
NO_SUCH_PARK = 999_999
_CSRF_VALUE = re.compile(rb'name="csrf_token" value="[^"]*"')


def error_page(response, url: str) -> tuple[int, str, bytes]:
    """What a response shows: status, type and body, less what differs by design (the requested address, which the
    language switch sends back, and the form tokens, which vary per session)."""
    body = _CSRF_VALUE.sub(b'name="csrf_token"', response.get_data()).replace(url.encode(), b"<url>")
    return response.status_code, response.mimetype, body


@pytest.mark.parametrize("identity", ["other advisor", "other partner", "no role"])
def test_a_park_one_may_not_see_looks_exactly_like_one_that_does_not_exist(matrix, identity):
    """style.md "This, not that" 3: whether a park (and its objects) exists is not revealed to a user without a
    role there: the same status and the same error page as for a park id that does not exist."""
    wrong = []
    for endpoint, method in HIDDEN_PARK_SAMPLE:
        url, no_such_url = matrix.url(endpoint, identity), matrix.url(endpoint, identity, park_id=NO_SUCH_PARK)
        existing = matrix.send(endpoint, method, identity, url)
        missing = matrix.send(endpoint, method, identity, no_such_url)
        if existing.status_code != 404 or error_page(existing, url) != error_page(missing, no_such_url):
            wrong.append(f"{method} {endpoint}: {existing.status_code} for the park, {missing.status_code} without")
    assert not wrong, "\n".join(wrong)


API_CASES = [(endpoint, method) for endpoint, method in CASES if is_api(endpoint)]
#: what the API must not read before it has checked the park: a query and a body wrong in every way
WRONG_REQUESTS = {
    "a wrong query": {"query_string": {"page": "0", "page_size": "x", "status": "x", "since": "x", "until": "x"}},
    "a body with wrong fields": {"json": {"onbekend": ["x"], "count": "veel", "periods": 1, "companies": 1}},
    "a body that is not JSON": {"data": "geen json", "content_type": "text/plain"},
}


@pytest.mark.parametrize(("endpoint", "method"), API_CASES, ids=[f"{m} {e}" for e, m in API_CASES])
def test_the_api_checks_the_park_before_the_request(matrix, endpoint, method):
    """Another park's token gets the 404 of that park, and a token without the action on a park it sees the 403,
    whatever its query or body: never a 422 or 415 that tells it about the operation's fields."""
    access = EXPECTED[endpoint][method]
    wrong = []
    for identity, role in matrix.identities():
        want = expected(access, identity, role)
        if want is None or identity == "anonymous":
            continue
        for name, request in WRONG_REQUESTS.items():
            if method == "GET" and "query_string" not in request:
                continue  # a GET has no body
            response = matrix.send(endpoint, method, identity, matrix.url(endpoint, identity), body=request)
            if response.status_code != want:
                wrong.append(f"{identity} with {name}: {method} {endpoint} -> {response.status_code} (expected {want})")
    assert not wrong, "\n".join(wrong)


def count_rows() -> tuple[int, int]:
    """Companies (a direct witness) and audit events (every change the app makes is audited)."""
    return (
        _db.session.scalar(select(func.count(Company.id))),
        _db.session.scalar(select(func.count(AuditEvent.id))),
    )


@pytest.mark.parametrize(
    ("endpoint", "identity"),
    [
        ("companies.delete", "own entrepreneur"),
        ("companies.new", "other advisor"),
        ("plans.adopt", "own auditor"),
        ("parks.new", "own entrepreneur"),
        ("api-companies.import_companies", "own auditor"),
    ],
)
def test_a_denied_post_changes_nothing(matrix, endpoint, identity):
    before = count_rows()
    response = matrix.send(endpoint, "POST", identity, matrix.url(endpoint, identity), inside=count_rows)
    assert outcome(response) in DENIED
    assert response.rows_inside == before
