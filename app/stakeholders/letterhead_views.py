"""An organisation's letterhead page ("Briefpapier en logo"): its logo, return address and signatory, for its own
people and admins (`policy.may_edit_organisation`), and the logo image served after that check."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import images
from app.auth.current import current_actor
from app.auth.decorators import load_or_404
from app.auth.policy import may_edit_organisation
from app.errors import NotAllowed
from app.forms import Confirm, button_action, form_view, render_page, submit
from app.pages import file_slug
from app.stakeholders import letterhead
from app.stakeholders.forms import LetterheadForm, LogoForm
from app.stakeholders.logos import has_logo, read_logo, remove_logo_files
from app.stakeholders.models import Organisation
from app.uploads import send_stored

bp = Blueprint("letterhead", __name__, url_prefix="/organisaties/<int:organisation_id>")


def load_organisation(organisation_id: int) -> Organisation:
    """The organisation, for a user who may set its letterhead (403 for anyone else)."""
    organisation = load_or_404(Organisation, organisation_id)
    if not may_edit_organisation(current_user, organisation):
        raise NotAllowed(_("U heeft geen rechten voor deze handeling."))
    return organisation


def _remove_confirm(organisation: Organisation) -> Confirm:
    return Confirm(_("Het logo van %(name)s verwijderen?", name=organisation.name), _("Ja, verwijderen"))


def _page(organisation: Organisation, form: LetterheadForm, logo_form: LogoForm, submitted=None):
    return render_page(
        "stakeholders/letterhead.html",
        submitted,
        organisation=organisation,
        letterhead_form=form,
        logo_form=logo_form,
        has_logo=has_logo(organisation),
        remove_confirm=_remove_confirm(organisation),
    )


def _to_page(organisation: Organisation):
    return redirect(url_for("letterhead.edit", organisation_id=organisation.id))


@bp.route("/briefpapier", methods=["GET", "POST"])
@login_required
@form_view
def edit(organisation_id: int):
    organisation = load_organisation(organisation_id)
    form = LetterheadForm(obj=organisation)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: letterhead.update_letterhead(
                current_actor(),
                organisation,
                address=form.letter_address.data,
                signatory_name=form.signatory_name.data,
                signatory_function=form.signatory_function.data,
            ),
        )
        if done.ok:
            flash(_("Het briefpapier is opgeslagen."), "success")
            return _to_page(organisation)
    return _page(organisation, form, LogoForm(formdata=None), submitted=form if form.is_submitted() else None)


@bp.route("/briefpapier/logo", methods=["POST"])
@login_required
@form_view
def upload_logo(organisation_id: int):
    organisation = load_organisation(organisation_id)
    logo_form = LogoForm()
    if logo_form.validate_on_submit():
        data = logo_form.logo.data.stream.read(images.read_limit())
        done = submit(
            logo_form,
            lambda: letterhead.set_logo(current_actor(), organisation, data),
            field=logo_form.logo,
            undo=lambda names: remove_logo_files([names[0]]),
        )
        if done.ok:
            remove_logo_files([done.value[1]])
            flash(_("Het logo is opgeslagen."), "success")
            return _to_page(organisation)
    return _page(organisation, LetterheadForm(formdata=None, obj=organisation), logo_form, submitted=logo_form)


@bp.route("/briefpapier/logo/verwijderen", methods=["POST"])
@login_required
def remove_logo(organisation_id: int):
    organisation = load_organisation(organisation_id)
    removed: list[str | None] = []
    response = button_action(
        lambda: removed.append(letterhead.remove_logo(current_actor(), organisation)),
        _("Het logo is verwijderd."),
        url_for("letterhead.edit", organisation_id=organisation.id),
        confirm=_remove_confirm(organisation),
    )
    remove_logo_files(removed)  # after the commit that let go of it
    return response


@bp.route("/logo.jpg")
@login_required
def logo(organisation_id: int):
    organisation = load_organisation(organisation_id)
    return send_stored(
        read_logo(organisation),
        mimetype=images.CONTENT_TYPE,
        download_name=f"logo-{file_slug(organisation.name)}.jpg",
        as_attachment=False,
    )
