"""The award (step 7): readiness, the signatures, the ceremony date, the certificates and the press release."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.current import current_actor
from app.auth.decorators import may_open, requires
from app.auth.models import User
from app.auth.policy import can, may_sign_award
from app.awards import services, signing
from app.awards.certificates import award_title, certificate_pdf, personal_certificates_pdf
from app.awards.forms import CeremonyForm, PressReleaseForm, SignatoryForm, SignForm
from app.awards.models import Award
from app.awards.press import LANGUAGES, draft_press_release, press_release_docx
from app.awards.readiness import is_ready, readiness
from app.clock import local_today
from app.extensions import db
from app.forms import Form, button_action, form_view, render_form, render_page, submit
from app.mail.preview import preview_page
from app.pages import file_slug
from app.parks.loading import load_in_cycle, load_park
from app.parks.models import CycleStatus, Park
from app.parks.services import active_cycle
from app.parks.steps import evaluate
from app.stakeholders.models import Stakeholder

bp = Blueprint("awards", __name__, url_prefix="/parken/<int:park_id>/waardering")


def utc_now() -> datetime:
    return datetime.now(UTC)


def _granted_award(park: Park) -> Award:
    award = services.find_award(active_cycle(park))
    if award is None or award.awarded_on is None:
        abort(404)
    return award


def load_stakeholder(park_id: int, stakeholder_id: int) -> Stakeholder:
    """A stakeholder of the park's active cycle, or 404."""
    return load_in_cycle(Stakeholder, park_id, stakeholder_id, lambda stakeholder: stakeholder.cycle).obj


def _rows(cycle, award: Award | None) -> list[dict]:
    """Per stakeholder: its authorised signatory, the last signing link (sent, opened, its state) and the signature
    (who, how and when)."""
    signatures = {s.stakeholder_id: s for s in award.signatures} if award is not None else {}
    links = signing.latest_links(award)
    now = utc_now()
    return [
        {
            "stakeholder": s,
            "signature": signatures.get(s.id),
            "link": links.get(s.id),
            "link_state": links[s.id].state(now) if s.id in links else None,
        }
        for s in cycle.stakeholders
    ]


def _ceremony_form(award: Award | None, formdata=None) -> CeremonyForm:
    form = CeremonyForm(formdata=formdata, prefix="ceremony")
    if formdata is None and award is not None:
        form.ceremony_on.data = award.ceremony_on
    return form


def _index_page(park: Park, submitted: Form | None = None, **forms: Form):
    actor = current_actor()
    cycle = active_cycle(park)
    award = services.find_award(cycle)
    steps = readiness(cycle)
    own = services.stakeholder_of(actor, cycle)
    signed = services.signed_stakeholder_ids(award) if award is not None else set()
    can_manage = can(actor, "awards.manage", park)
    step7 = evaluate(cycle, 7)
    context = {
        "park": park,
        "cycle": cycle,
        "award": award,
        "title": award_title(park),
        "steps": steps,
        "ready": is_ready(steps),
        "step7": step7,
        "fixable": {c.fix for c in step7 if c.fix and may_open(actor, c.fix, park)},
        "rows": _rows(cycle, award),
        "requested": award is not None and award.requested_at is not None,
        "granted": award is not None and award.awarded_on is not None,
        "validity": services.validity(park, today=local_today()),
        "can_manage": can_manage,
        "active": cycle.status == CycleStatus.ACTIVE,
        "own": own,
        "may_sign": (
            own is not None
            and award is not None
            and award.requested_at is not None
            and own.id not in signed
            and may_sign_award(actor, park)
        ),
        "requested_by": _user_name(award.requested_by_id) if award is not None else None,
        "awaits_grant": (
            award is not None
            and award.awarded_on is None
            and services.all_signed(award)
            and cycle.status == CycleStatus.ACTIVE
        ),
        "declaration_missing": services.declaration_missing(cycle),
    }
    if can_manage:
        context["ceremony_form"] = forms.get("ceremony_form") or _ceremony_form(award)
    return render_page("awards/index.html", submitted, **context)


def _user_name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user is not None else None


@bp.route("/")
@requires("awards.view", load=load_park)
def index(park: Park):
    return _index_page(park)


@bp.route("/aanvragen", methods=["POST"])
@requires("awards.manage", load=load_park)
def request_signatures(park: Park):
    return button_action(
        lambda: services.request_signatures(current_actor(), active_cycle(park), now=utc_now()),
        lambda result: ngettext(
            "De handtekeningen zijn gevraagd; %(num)s tekenbevoegde kreeg een persoonlijke link.",
            "De handtekeningen zijn gevraagd; %(num)s tekenbevoegden kregen een persoonlijke link.",
            result[1],
        ),
        url_for("awards.index", park_id=park.id),
    )


@bp.route("/uitreiking", methods=["POST"])
@requires("awards.manage", load=load_park)
@form_view
def ceremony(park: Park):
    cycle = active_cycle(park)
    form = _ceremony_form(services.find_award(cycle), request.form)
    if form.validate_on_submit():
        saved = submit(
            form,
            lambda: services.set_ceremony(current_actor(), cycle, on=form.ceremony_on.data),
            field=form.ceremony_on,
        )
        if saved.ok:
            flash(
                _("De datum van de uitreiking is opgeslagen.")
                if form.ceremony_on.data
                else _("De datum van de uitreiking is weggehaald."),
                "success",
            )
            return redirect(url_for("awards.index", park_id=park.id))
    return _index_page(park, form, ceremony_form=form)


# Signing ------------------------------------------------------------------------------------------------------


def _sign_form(stakeholder, formdata=None) -> SignForm:
    """The function is pre-filled only for the pre-filled signatory themselves: anyone else signs in their own."""
    form = SignForm(formdata=formdata, prefix="sign")
    own = stakeholder is not None and (stakeholder.signatory_name or "").casefold() == current_actor().name.casefold()
    if formdata is None and own:
        form.function.data = stakeholder.signatory_function or ""
    return form


def _refusal(park: Park, cycle, award: Award | None, stakeholder) -> str | None:
    """Why the actor cannot sign now, in words, or None."""
    if award is None or award.requested_at is None:
        return _("De handtekeningen zijn nog niet gevraagd.")
    if stakeholder is None:
        return _("Uw organisatie doet niet mee in de samenwerking van dit park; u kunt hier niet tekenen.")
    if stakeholder.id in services.signed_stakeholder_ids(award):
        return _("Er is al getekend namens %(organisation)s.", organisation=stakeholder.organisation.name)
    if not may_sign_award(current_actor(), park):
        return _("U heeft geen rechten voor deze handeling.")
    return None


@bp.route("/tekenen", methods=["GET", "POST"])
@requires("awards.sign", load=load_park)
@form_view
def sign(park: Park):
    cycle = active_cycle(park)
    award = services.find_award(cycle)
    stakeholder = services.stakeholder_of(current_actor(), cycle)
    form = _sign_form(stakeholder, request.form if request.method == "POST" else None)
    refusal = _refusal(park, cycle, award, stakeholder)
    if refusal is not None:
        # nothing to sign: the page says why (a refused post says so with 422; a forged one gets the CSRF 400)
        status = 200
        if request.method == "POST":
            form.validate_on_submit()
            status = 400 if form.csrf_failed else 422
        page = render_template(
            "awards/sign.html", form=form, park=park, award=award, refusal=refusal, title=award_title(park)
        )
        return page, status
    if form.validate_on_submit():
        signed = submit(
            form,
            lambda: services.sign(
                current_actor(),
                award,
                stakeholder,
                function=form.function.data,
                confirmed=bool(form.confirmed.data),
                now=utc_now(),
                client_ip=request.remote_addr,
            ),
        )
        if signed.ok:
            if award.awarded_on is not None:
                message = _("Dank u wel. Iedereen heeft nu getekend: %(park)s heeft de waardering.", park=park.name)
            elif services.all_signed(award):
                message = _("Dank u wel. Iedereen heeft nu getekend; de waardering wacht nog op de intentieverklaring.")
            else:
                message = _(
                    "Dank u wel: u heeft getekend namens %(organisation)s.", organisation=stakeholder.organisation.name
                )
            flash(message, "success")
            return redirect(url_for("awards.index", park_id=park.id))
    return render_form(
        "awards/sign.html",
        form,
        park=park,
        award=award,
        stakeholder=stakeholder,
        title=award_title(park),
        partners=[s.organisation.name for s in cycle.stakeholders],
    )


# The signatories and their links ------------------------------------------------------------------------------


@bp.route("/deelnemers/<int:stakeholder_id>/opnieuw-versturen", methods=["POST"])
@requires("awards.manage", load=load_stakeholder)
def send_again(stakeholder: Stakeholder):
    return button_action(
        lambda: services.send_again(current_actor(), stakeholder, now=utc_now()),
        lambda link: _(
            "Er is een nieuwe link gestuurd naar %(email)s; de vorige link werkt niet meer.", email=link.email
        ),
        url_for("awards.index", park_id=stakeholder.park.id, _anchor="signatures-heading"),
    )


def _signatory_form(stakeholder: Stakeholder, formdata=None) -> SignatoryForm:
    form = SignatoryForm(formdata=formdata, prefix="signatory")
    if formdata is None:
        form.name.data = stakeholder.signatory_name
        form.function.data = stakeholder.signatory_function
        form.email.data = stakeholder.signatory_email
    return form


@bp.route("/deelnemers/<int:stakeholder_id>/tekenbevoegde", methods=["GET", "POST"])
@requires("awards.manage", load=load_stakeholder)
@form_view
def signatory(stakeholder: Stakeholder):
    park = stakeholder.park
    form = _signatory_form(stakeholder, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        changed = submit(
            form,
            lambda: services.change_signatory(
                current_actor(),
                stakeholder,
                name=form.name.data,
                function=form.function.data,
                email=form.email.data,
                now=utc_now(),
            ),
        )
        if changed.ok:
            if changed.value is not None:
                flash(
                    _(
                        "De tekenbevoegde is gewijzigd; %(email)s kreeg een nieuwe link en de vorige link werkt niet "
                        "meer.",
                        email=changed.value.email,
                    ),
                    "success",
                )
            else:
                flash(_("De tekenbevoegde is opgeslagen."), "success")
            return redirect(url_for("awards.index", park_id=park.id, _anchor="signatures-heading"))
    award = services.find_award(stakeholder.cycle)
    return render_form(
        "awards/signatory.html",
        form,
        park=park,
        stakeholder=stakeholder,
        requested=award is not None and award.requested_at is not None,
    )


@bp.route("/deelnemers/<int:stakeholder_id>/voorbeeld-email")
@requires("awards.manage", load=load_stakeholder)
def mail_preview(stakeholder: Stakeholder):
    return preview_page(
        signing.preview(stakeholder),
        title=_("het verzoek om te tekenen aan %(organisation)s", organisation=stakeholder.organisation.name),
        back_url=url_for("awards.index", park_id=stakeholder.park.id),
        missing=_(
            "Van de tekenbevoegde van %(organisation)s is geen e-mailadres bekend: deze e-mail kan nog niet worden "
            "verstuurd.",
            organisation=stakeholder.organisation.name,
        ),
    )


@bp.route("/toekennen", methods=["POST"])
@requires("awards.manage", load=load_park)
def grant(park: Park):
    award = services.find_award(active_cycle(park))
    if award is None:
        abort(404)
    return button_action(
        lambda: services.grant(current_actor(), award, now=utc_now()),
        _("De waardering is toegekend."),
        url_for("awards.index", park_id=park.id),
    )


# Certificates -------------------------------------------------------------------------------------------------


@bp.route("/certificaat.pdf")
@requires("awards.view", load=load_park)
def certificate(park: Park):
    data = certificate_pdf(_granted_award(park))
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"certificaat-{file_slug(park.name)}.pdf",
    )


@bp.route("/oorkondes.pdf")
@requires("awards.view", load=load_park)
def personal_certificates(park: Park):
    data = personal_certificates_pdf(_granted_award(park))
    return send_file(
        BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"oorkondes-{file_slug(park.name)}.pdf",
    )


# The press release --------------------------------------------------------------------------------------------


def _press_form(park: Park, formdata=None, *, fresh: bool = False) -> PressReleaseForm:
    form = PressReleaseForm(formdata=formdata, prefix="press")
    if formdata is None:
        cycle = active_cycle(park)
        award = services.find_award(cycle)
        saved = award.press_release if award is not None else ""
        form.text.data = saved if saved and not fresh else draft_press_release(cycle, award, today=local_today())
    return form


@bp.route("/persbericht", methods=["GET", "POST"])
@requires("awards.manage", load=load_park)
@form_view
def press_release(park: Park):
    cycle = active_cycle(park)
    award = services.find_award(cycle)
    if request.method == "POST":
        form = _press_form(park, request.form)
        if form.validate_on_submit():
            saved = submit(
                form, lambda: services.save_press_release(current_actor(), cycle, text=form.text.data), field=form.text
            )
            if saved.ok:
                flash(_("Het persbericht is opgeslagen."), "success")
                return redirect(url_for("awards.press_release", park_id=park.id))
    else:
        form = _press_form(park, fresh=request.args.get("sjabloon") == "1")
    return render_form(
        "awards/press.html",
        form,
        park=park,
        saved=bool(award is not None and award.press_release),
        granted=award is not None and award.awarded_on is not None,
    )


@bp.route("/persbericht.txt")
@requires("awards.manage", load=load_park)
def press_release_text(park: Park):
    cycle = active_cycle(park)
    award = services.find_award(cycle)
    saved = award.press_release if award is not None else ""
    body = saved or draft_press_release(cycle, award, today=local_today())
    return send_file(
        BytesIO((body.rstrip("\n") + "\n").encode("utf-8")),
        mimetype="text/plain; charset=utf-8",
        as_attachment=True,
        download_name=f"persbericht-{file_slug(park.name)}.txt",
    )


@bp.route("/persbericht.docx")
@requires("awards.manage", load=load_park)
def press_release_document(park: Park):
    """The press release as a Word document, in Dutch or (?taal=en) English; once the award is granted."""
    language = request.args.get("taal", "nl")
    if language not in LANGUAGES:
        abort(404)
    award = _granted_award(park)
    data = press_release_docx(award.cycle, award, today=local_today(), language=language)
    suffix = "" if language == "nl" else f"-{language}"
    return send_file(
        BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=f"persbericht-{file_slug(park.name)}{suffix}.docx",
    )
