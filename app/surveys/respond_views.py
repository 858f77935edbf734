"""The respondent's pages: the questionnaire behind a personal or public link, no account needed."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.clock import local_today
from app.csp import content_security_policy
from app.errors import CSRF_MESSAGE, DomainError, TooManyRequests
from app.extensions import csrf, db
from app.surveys import invitations, proof, responses
from app.surveys.definition import image_origins, localised
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation
from app.surveys.services import accepts_answers

bp = Blueprint("respond", __name__, url_prefix="/enquete")


@bp.after_request
def private(response):
    # the link is the respondent's key: no shared cache or search engine may keep the page
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(template: str, status: int = 200, **context):
    return render_template(f"surveys/respond/{template}.html", **context), status


def _unknown_link():
    return _page("unknown", 404)


def _questionnaire(survey: Survey, *, submit_url: str, storage_key: str, challenge_url: str | None = None):
    body, status = _page(
        "survey",
        survey=survey,
        description=localised(survey.definition.get("description"), str(get_locale() or "nl")),
        submit_url=submit_url,
        storage_key=storage_key,
        challenge_url=challenge_url,
    )
    # the questionnaire's pictures on other sites are shown; the Referrer-Policy keeps the link from them
    return body, status, {"Content-Security-Policy": content_security_policy(image_origins(survey.definition))}


@bp.route("/<token>")
def start(token: str):
    invitation = invitations.find_invitation(token)
    if invitation is None or invitation.status == InvitationStatus.REVOKED:
        return _unknown_link()
    survey = invitation.survey
    if invitation.status == InvitationStatus.USED:
        return _page("answered", survey=survey)
    if not accepts_answers(survey, local_today()):
        return _page("closed", survey=survey, today=local_today())
    invitations.mark_opened(invitation)
    db.session.commit()
    return _questionnaire(survey, submit_url=url_for("respond.submit", token=token), storage_key=f"vb-enquete-{token}")


@bp.route("/open/<token>")
def public(token: str):
    survey = invitations.find_public_survey(token)
    if survey is None:
        return _unknown_link()
    if not accepts_answers(survey, local_today()):
        return _page("closed", survey=survey, today=local_today())
    return _questionnaire(
        survey,
        submit_url=url_for("respond.submit_public", token=token),
        storage_key=f"vb-enquete-open-{survey.public_token}",
        challenge_url=url_for("respond.challenge", token=token),
    )


def _error(message: object, status: int = 400, headers: dict | None = None, **more):
    return jsonify(ok=False, message=str(message), **more), status, headers or {}


def _same_site() -> bool:
    """Whether Origin (or else Referer), when the browser sent one, is this site."""
    here = urlsplit(request.host_url)
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value:
            there = urlsplit(value)
            return (there.scheme, there.netloc) == (here.scheme, here.netloc)
    return True


def _refused_request():
    """A JSON error for a post that did not come from the survey page, else None.

    The answer posts are authorised by the unguessable token in the URL, not by a session, so the form CSRF
    token does not apply. What a foreign page could still send without the browser asking first is a simple
    form post: refuse anything but JSON, and any foreign Origin or Referer.
    """
    if not request.is_json or not _same_site():
        return _error(CSRF_MESSAGE)
    return None


def _store(survey: Survey, invitation: SurveyInvitation | None):
    """Store a posted answer set; the JSON reply carries a message for the respondent either way."""
    if (request.content_length or 0) > responses.MAX_PAYLOAD_BYTES:
        return _error(_("Uw antwoorden zijn te groot om te versturen. Maak lange antwoorden korter."))
    try:
        payload = responses.parse_payload(request.get_data(cache=False))
        responses.submit_response(
            survey,
            invitation,
            payload.answers,
            payload.contact,
            now=datetime.now(UTC),
            today=local_today(),
            proof=payload.proof,
        )
    except DomainError as error:
        db.session.rollback()
        # the page fetches a new challenge and sends once more when the proof was the trouble
        more = {"proof": True} if isinstance(error, proof.ProofRefused) else {}
        return _error(error.message, error.status_code, **more)
    db.session.commit()
    return jsonify(ok=True, message=_("Wij hebben uw antwoorden goed ontvangen.")), 201


@bp.route("/<token>/antwoorden", methods=["POST"])
@csrf.exempt
def submit(token: str):
    if (refused := _refused_request()) is not None:
        return refused
    invitation = invitations.find_invitation(token, definition=False)
    if invitation is None or invitation.status == InvitationStatus.REVOKED:
        return _error(_("Deze link is niet (meer) geldig."), 404)
    return _store(invitation.survey, invitation)


@bp.route("/open/<token>/uitdaging")
def challenge(token: str):
    """The proof of work for one answer through the public link, asked for when the answers are sent."""
    survey = invitations.find_public_survey(token, definition=False)
    if survey is None:
        return _error(_("Deze link is niet (meer) geldig."), 404)
    if not accepts_answers(survey, local_today()):
        return _error(responses.NOT_ACCEPTING, 409)
    return jsonify(proof.new_challenge(survey, now=datetime.now(UTC)))


@bp.route("/open/<token>/antwoorden", methods=["POST"])
@csrf.exempt
def submit_public(token: str):
    if (refused := _refused_request()) is not None:
        return refused
    survey = invitations.find_public_survey(token, definition=False)
    if survey is None:
        return _error(_("Deze link is niet (meer) geldig."), 404)
    try:
        proof.ensure_client_may_answer(survey, request.remote_addr)
    except TooManyRequests as error:
        return _error(error.message, 429, {"Retry-After": str(error.retry_after)})
    return _store(survey, None)


#: the short link a letter prints (/e/k7m4-x9wq-3hpr-a2bc): the shortest path a person types from paper
typed = Blueprint("typed_link", __name__, url_prefix="/e")


@typed.after_request
def typed_private(response):
    return private(response)


@typed.route("/<code>", endpoint="open")
def open_typed(code: str):
    invitation = invitations.find_by_typed_code(code)
    if invitation is None:
        return _unknown_link()
    # on to the personal link itself: the questionnaire and its submissions keep one address per invitation
    return redirect(url_for("respond.start", token=invitations.link_token(invitation.link_id)))
