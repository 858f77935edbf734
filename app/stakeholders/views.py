"""The stakeholders of a park's active cycle and their declaration of intent (step 2)."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.current import current_actor
from app.auth.decorators import requires
from app.auth.models import Role, User
from app.auth.policy import can
from app.clock import local_today
from app.extensions import db
from app.forms import Form, choices, form_view, render_form, run_or_refuse, submit
from app.pages import file_slug
from app.parks.loading import load_in_cycle, load_park
from app.parks.models import Park
from app.parks.queries import park_members
from app.parks.services import active_cycle
from app.stakeholders import declaration, services
from app.stakeholders.forms import (
    AddStakeholderForm,
    InviteRepresentativeForm,
    SignatureForm,
    StakeholderForm,
    WorkingGroupForm,
)
from app.stakeholders.models import Organisation, PpsRole, Stakeholder

bp = Blueprint("stakeholders", __name__, url_prefix="/parken/<int:park_id>/deelnemers")


def load_stakeholder(park_id: int, stakeholder_id: int) -> Stakeholder:
    """A stakeholder of the park's active cycle; any other (another park's, a closed cycle's) is a 404."""
    return load_in_cycle(Stakeholder, park_id, stakeholder_id, lambda stakeholder: stakeholder.cycle).obj


def _ordered(stakeholders: list[Stakeholder]) -> list[Stakeholder]:
    order = list(PpsRole)
    return sorted(stakeholders, key=lambda s: (order.index(s.role), s.organisation.name.lower()))


def _park_users(park: Park, role: Role | None = None) -> list[User]:
    """Active users with a current role on the park (only `role` when given), by name."""
    users = {
        m.user.id: m.user
        for m in db.session.scalars(park_members(park, today=local_today()))
        if m.user.is_active and (role is None or m.role == role)
    }
    return sorted(users.values(), key=lambda u: (u.name.lower(), u.id))


def _user(user_id: int) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _add_form(park: Park, cycle, formdata=None) -> AddStakeholderForm:
    form = AddStakeholderForm(formdata=formdata, prefix="add")
    taken = {s.organisation_id for s in cycle.stakeholders}
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))
    form.organisation_id.choices = choices(
        [(0, _("— kies een organisatie —"))]
        + [(o.id, f"{o.name} ({o.type.label})") for o in organisations if o.id not in taken]
    )
    return form


def _group_form(park: Park, cycle, formdata=None) -> WorkingGroupForm:
    form = WorkingGroupForm(formdata=formdata, prefix="group")
    options = choices([(0, _("— nog niet gekozen —")), *((u.id, u.name) for u in _park_users(park, Role.ENTREPRENEUR))])
    form.chair_id.choices = options
    form.secretary_id.choices = list(options)
    if formdata is None:
        form.chair_id.data = cycle.chair_id or 0
        form.secretary_id.data = cycle.secretary_id or 0
    return form


def _index_page(park: Park, cycle, submitted: Form | None = None, **forms: Form):
    can_edit = can(current_actor(), "stakeholders.edit", park)
    context = {
        "park": park,
        "cycle": cycle,
        "stakeholders": _ordered(cycle.stakeholders),
        "missing": services.missing_core_roles(cycle),
        "chair": db.session.get(User, cycle.chair_id) if cycle.chair_id else None,
        "secretary": db.session.get(User, cycle.secretary_id) if cycle.secretary_id else None,
        "can_edit": can_edit,
    }
    if can_edit:
        context["add_form"] = forms.get("add_form") or _add_form(park, cycle)
        context["group_form"] = forms.get("group_form") or _group_form(park, cycle)
    if submitted is None:
        return render_template("stakeholders/index.html", **context)
    return render_form("stakeholders/index.html", submitted, **context)


@bp.route("/")
@requires("stakeholders.view", load=load_park)
def index(park: Park):
    return _index_page(park, active_cycle(park))


@bp.route("/toevoegen", methods=["POST"])
@requires("stakeholders.edit", load=load_park)
@form_view
def add(park: Park):
    cycle = active_cycle(park)
    form = _add_form(park, cycle, request.form)
    if form.validate_on_submit():
        added = submit(
            form,
            lambda: services.add_stakeholder(
                current_actor(),
                cycle,
                organisation=db.session.get(Organisation, form.organisation_id.data),
                role=PpsRole(form.role.data),
                representative_name=form.representative_name.data or "",
                representative_email=form.representative_email.data or "",
                representative_phone=form.representative_phone.data or "",
            ),
        )
        if added.ok:
            flash(_("%(name)s is toegevoegd.", name=added.value.organisation.name), "success")
            return redirect(url_for("stakeholders.index", park_id=park.id))
    return _index_page(park, cycle, form, add_form=form)


@bp.route("/werkgroep", methods=["POST"])
@requires("stakeholders.edit", load=load_park)
@form_view
def working_group(park: Park):
    cycle = active_cycle(park)
    form = _group_form(park, cycle, request.form)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.set_working_group(
                current_actor(),
                cycle,
                chair=_user(form.chair_id.data),
                secretary=_user(form.secretary_id.data),
                today=local_today(),
            ),
        ).ok
    ):
        flash(_("De voorzitter en secretaris van de werkgroep zijn opgeslagen."), "success")
        return redirect(url_for("stakeholders.index", park_id=park.id))
    return _index_page(park, cycle, form, group_form=form)


@bp.route("/intentieverklaring.pdf")
@requires("stakeholders.view", load=load_park)
def declaration_pdf(park: Park):
    pdf = declaration.declaration_pdf(active_cycle(park))
    return send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"intentieverklaring-{file_slug(park.name)}.pdf",
    )


# One stakeholder ---------------------------------------------------------------------------------------


def _edit_form(stakeholder: Stakeholder, formdata=None) -> StakeholderForm:
    form = StakeholderForm(formdata=formdata, obj=stakeholder if formdata is None else None, prefix="edit")
    form.representative_user_id.choices = choices(
        [(0, _("— geen account —")), *((u.id, f"{u.name} ({u.email})") for u in _park_users(stakeholder.park))]
    )
    if formdata is None:
        form.representative_user_id.data = stakeholder.representative_user_id or 0
    return form


def _sign_form(stakeholder: Stakeholder, formdata=None) -> SignatureForm:
    form = SignatureForm(formdata=formdata, prefix="sign")
    if formdata is None:
        form.signed_on.data = stakeholder.declaration_signed_on
        form.signed_by.data = stakeholder.declaration_signed_by or stakeholder.signatory_name
    return form


def _edit_page(stakeholder: Stakeholder, submitted: Form | None = None, **forms: Form):
    context = {
        "park": stakeholder.park,
        "stakeholder": stakeholder,
        "edit_form": forms.get("edit_form") or _edit_form(stakeholder),
        "invite_form": forms.get("invite_form") or InviteRepresentativeForm(formdata=None, prefix="invite"),
        "sign_form": forms.get("sign_form") or _sign_form(stakeholder),
        "invited_role": services.invited_role(stakeholder.role),
    }
    return render_form("stakeholders/edit.html", submitted or context["edit_form"], **context)


@bp.route("/<int:stakeholder_id>", methods=["GET", "POST"])
@requires("stakeholders.edit", load=load_stakeholder)
@form_view
def edit(stakeholder: Stakeholder):
    form = _edit_form(stakeholder, request.form if request.method == "POST" else None)

    def save() -> None:
        actor = current_actor()
        services.set_representative(
            actor,
            stakeholder,
            user=_user(form.representative_user_id.data),
            name=form.representative_name.data or "",
            email=form.representative_email.data or "",
            phone=form.representative_phone.data or "",
            today=local_today(),
        )
        services.set_signatory(
            actor,
            stakeholder,
            name=form.signatory_name.data or "",
            function=form.signatory_function.data or "",
            email=form.signatory_email.data or "",
        )

    if form.validate_on_submit() and submit(form, save).ok:
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=stakeholder.organisation.name), "success")
        return redirect(url_for("stakeholders.index", park_id=stakeholder.park.id))
    return _edit_page(stakeholder, form, edit_form=form)


@bp.route("/<int:stakeholder_id>/uitnodigen", methods=["POST"])
@requires("stakeholders.edit", load=load_stakeholder)
@form_view
def invite(stakeholder: Stakeholder):
    form = InviteRepresentativeForm(prefix="invite")
    if form.validate_on_submit():
        invited = submit(
            form,
            lambda: services.invite_representative(
                current_actor(),
                stakeholder,
                email=form.email.data,
                name=form.name.data,
                locale=form.locale.data,
                phone=form.phone.data or "",
            ),
            field=form.email,
        )
        if invited.ok:
            flash(
                _(
                    "%(email)s is uitgenodigd en is nu de vertegenwoordiger van %(name)s.",
                    email=invited.value.email,
                    name=stakeholder.organisation.name,
                ),
                "success",
            )
            return redirect(url_for("stakeholders.index", park_id=stakeholder.park.id))
    return _edit_page(stakeholder, form, invite_form=form)


@bp.route("/<int:stakeholder_id>/ondertekening", methods=["POST"])
@requires("stakeholders.edit", load=load_stakeholder)
@form_view
def sign(stakeholder: Stakeholder):
    form = _sign_form(stakeholder, request.form)
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: services.record_declaration_signature(
                current_actor(),
                stakeholder,
                signed_on=form.signed_on.data,
                signed_by=form.signed_by.data,
                today=local_today(),
            ),
            field=form.signed_on,
        ).ok
    ):
        flash(_("De ondertekening door %(name)s is vastgelegd.", name=stakeholder.organisation.name), "success")
        return redirect(url_for("stakeholders.index", park_id=stakeholder.park.id))
    return _edit_page(stakeholder, form, sign_form=form)


@bp.route("/<int:stakeholder_id>/verwijderen", methods=["POST"])
@requires("stakeholders.edit", load=load_stakeholder)
def remove(stakeholder: Stakeholder):
    park_id, name = stakeholder.park.id, stakeholder.organisation.name
    run_or_refuse(lambda: services.remove_stakeholder(current_actor(), stakeholder))
    flash(_("%(name)s doet niet meer mee in deze cyclus.", name=name), "success")
    return redirect(url_for("stakeholders.index", park_id=park_id))
