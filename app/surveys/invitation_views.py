"""The advisor's invitation pages of a park's current survey: the personal links per company, their letters and
mails, and revoking a link."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from io import BytesIO

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.current import current_actor
from app.auth.decorators import load_or_404, requires
from app.auth.policy import ensure_can_or_404
from app.extensions import login_manager
from app.forms import Confirm, button_action
from app.links import external_url
from app.mail.preview import preview_page
from app.pages import file_slug
from app.parks.companies import sector_label
from app.parks.loading import load_park
from app.parks.models import Park
from app.surveys import invitations
from app.surveys.letter import letter_pdf
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation
from app.surveys.services import current_survey

bp = Blueprint("survey_invitations", __name__, url_prefix="/parken/<int:park_id>/enquete/uitnodigingen")


def load_survey(park_id: int) -> Survey:
    """The park's current survey; a park without one has no invitation pages (404)."""
    survey = current_survey(load_or_404(Park, park_id))
    if survey is None:
        abort(404)
    return survey


def load_invitation(park_id: int, invitation_id: int) -> SurveyInvitation:
    """An invitation of the park's current survey; any other is a 404."""
    survey = load_survey(park_id)
    invitation = load_or_404(SurveyInvitation, invitation_id)
    if invitation.survey_id != survey.id:
        abort(404)
    return invitation


def _survey_url(park: Park) -> str | None:
    """The survey area's page of the park, for the breadcrumbs, once that area has one."""
    if "surveys.index" not in current_app.view_functions:
        return None
    return url_for("surveys.index", park_id=park.id)


@bp.route("/")
@requires("surveys.manage", load=load_park)
def index(park: Park):
    survey = current_survey(park)
    if survey is None:
        return render_template("surveys/invitations/index.html", park=park, survey=None, survey_url=_survey_url(park))
    rows = sorted(
        survey.invitations,
        key=lambda i: (i.company is None, (i.company.name.lower() if i.company else ""), i.id),
    )
    counts = Counter(invitation.status for invitation in rows)
    invited = {invitation.company_id for invitation in rows}
    return render_template(
        "surveys/invitations/index.html",
        park=park,
        survey=survey,
        survey_url=_survey_url(park),
        sector_label=sector_label,
        rows=rows,
        counts={status: counts.get(status, 0) for status in InvitationStatus},
        not_invited=sum(1 for company in park.companies if company.id not in invited),
        to_mail=len(invitations.mailable(survey)),
        without_email=sum(
            1 for i in rows if i.status in invitations.PENDING and i.company is not None and not i.company.email
        ),
        to_print=len(invitations.printable(survey)),
        public_link=invitations.public_link(survey),
    )


@bp.route("/aanmaken", methods=["POST"])
@requires("surveys.manage", load=load_survey)
def create(survey: Survey):
    return button_action(
        lambda: invitations.invite_companies(current_actor(), survey),
        lambda created: (
            _("Er zijn %(n)s uitnodigingen aangemaakt.", n=len(created))
            if created
            else _("Alle bedrijven in het register hebben al een uitnodiging.")
        ),
        url_for("survey_invitations.index", park_id=survey.park_id),
    )


@bp.route("/versturen", methods=["POST"])
@requires("surveys.manage", load=load_survey)
def email(survey: Survey):
    return button_action(
        lambda: invitations.email_invitations(current_actor(), survey, now=datetime.now(UTC)),
        lambda sent: (
            _("Er staan %(n)s uitnodigingen klaar om per e-mail te worden verstuurd.", n=sent)
            if sent
            else _("Er waren geen uitnodigingen om per e-mail te versturen.")
        ),
        url_for("survey_invitations.index", park_id=survey.park_id),
    )


@bp.route("/brieven.pdf")
@requires("surveys.manage", load=load_survey)
def letters(survey: Survey):
    pdf = letter_pdf(survey, invitations.printable(survey), link_for=invitations.printed_link)
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"brieven-enquete-{file_slug(survey.park.name)}.pdf",
    )


@bp.route("/voorbeeld-mail")
@requires("surveys.manage", load=load_survey)
def preview(survey: Survey):
    reminder = request.args.get("soort") == "herinnering"
    # a sample recipient: the first company that would get the mail, else any invited one; with an example link,
    # so that the preview shows no working personal link
    candidates = invitations.mailable(survey) or [i for i in invitations.printable(survey) if i.company.email]
    invitation = candidates[0] if candidates else None
    build = invitations.reminder_mail if reminder else invitations.invitation_mail
    draft = build(invitation, link_for=_example_link) if invitation is not None else None
    return preview_page(
        draft,
        title=_("herinnering voor de enquête") if reminder else _("uitnodiging voor de enquête"),
        back_url=url_for("survey_invitations.index", park_id=survey.park_id),
        missing=_("Er is nog geen uitnodiging voor een bedrijf met een e-mailadres. Maak eerst de uitnodigingen aan."),
    )


def _example_link(_invitation) -> str:
    return external_url("respond.start", token="voorbeeld")  # noqa: S106 (an example link, not a secret)


@bp.route("/<int:invitation_id>/intrekken", methods=["POST"])
def revoke(park_id: int, invitation_id: int):
    # not `requires`: the policy checks the invitation's park, which the invitation only knows through its survey
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    invitation = load_invitation(park_id, invitation_id)
    ensure_can_or_404(current_user, "surveys.manage", invitation.survey.park)
    name = invitation.company.name if invitation.company else _("een verwijderd bedrijf")
    return button_action(
        lambda: invitations.revoke(current_actor(), invitation, now=datetime.now(UTC)),
        _("De uitnodiging van %(name)s is ingetrokken; de link werkt niet meer.", name=name),
        url_for("survey_invitations.index", park_id=invitation.survey.park_id),
        confirm=Confirm(
            _("De uitnodiging van %(name)s intrekken? De persoonlijke link werkt daarna niet meer.", name=name),
            _("Ja, intrekken"),
        ),
    )
