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
from app.stakeholders import declaration, organisations, services
from app.stakeholders.forms import (
    AS_EXTRA_USER,
    AS_REPRESENTATIVE,
    NEW_ORGANISATION,
    AddStakeholderForm,
    InviteRepresentativeForm,
    SignatureForm,
    StakeholderForm,
    WorkingGroupForm,
)
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder

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


def _index_page(park: Park, cycle, submitted: Form | None = None, *, matches=(), **forms: Form):
    can_edit = can(current_actor(), "stakeholders.edit", park)
    context = {
        "park": park,
        "cycle": cycle,
        "stakeholders": _ordered(cycle.stakeholders),
        "missing": services.missing_core_roles(cycle),
        "chair": db.session.get(User, cycle.chair_id) if cycle.chair_id else None,
        "secretary": db.session.get(User, cycle.secretary_id) if cycle.secretary_id else None,
        "can_edit": can_edit,
        "matches": matches,
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


def _chosen_organisation(form: AddStakeholderForm) -> bool:
    """Whether the form names exactly one organisation: an existing one, or a new one with its kind."""
    if form.organisation_id.data and form.new_name.data:
        form.organisation_id.errors.append(_("Kies een bestaande organisatie óf vul een nieuwe in, niet allebei."))
    elif not form.organisation_id.data and not form.new_name.data:
        form.organisation_id.errors.append(_("Kies een organisatie, of vul de naam van een nieuwe organisatie in."))
    elif form.new_name.data and form.new_type.data not in {t.value for t in OrganisationType}:
        form.new_type.errors.append(_("Kies het soort van de nieuwe organisatie."))
    elif not form.new_name.data and db.session.get(Organisation, form.organisation_id.data) is None:
        form.organisation_id.errors.append(_("Kies een organisatie uit de lijst."))
    else:
        return True
    return False


def _match_choices(form: AddStakeholderForm, matches: list[organisations.Match]) -> None:
    options = []
    for match in matches:
        label = _("Gebruik %(name)s (%(type)s)", name=match.organisation.name, type=match.organisation.type.label)
        if match.parks:
            label += " — " + _("doet mee in %(parks)s", parks=", ".join(match.parks))
        options.append((str(match.organisation.id), label))
    if not any(m.exact and m.same_type for m in matches):
        options.append(
            (
                NEW_ORGANISATION,
                _("Maak %(name)s toch aan: het is een andere organisatie", name=" ".join(form.new_name.data.split())),
            )
        )
    form.match.choices = choices(options)


def _add_with_new_organisation(park: Park, form: AddStakeholderForm, add) -> tuple[bool, list]:
    """Add a stakeholder named in the form's "new organisation" fields: show the similar organisations first,
    then use the one chosen, or create the new one once the user confirmed it is different. Returns whether it
    was added, and the similar organisations to show."""
    kind = OrganisationType(form.new_type.data)
    matches = organisations.similar_organisations(form.new_name.data, kind, municipality=park.municipality)
    _match_choices(form, matches)
    chosen = form.match.data
    if matches and chosen not in {choice.value for choice in form.match.choices}:
        exact = next((m for m in matches if m.exact and m.same_type), None)
        if exact is not None:
            form.new_name.errors.append(organisations.duplicate_message(exact.organisation))
        elif form.similar_shown.data or chosen:
            form.match.errors.append(_("Kies of u een bestaande organisatie gebruikt, of toch een nieuwe maakt."))
        return False, matches
    if chosen and chosen != NEW_ORGANISATION:
        organisation = next(m.organisation for m in matches if str(m.organisation.id) == chosen)
        return add(lambda: organisation), matches
    return (
        add(
            lambda: organisations.create_organisation(
                current_actor(),
                park,
                name=form.new_name.data,
                type=kind,
                confirmed_different=chosen == NEW_ORGANISATION,
            )
        ),
        matches,
    )


@bp.route("/toevoegen", methods=["POST"])
@requires("stakeholders.edit", load=load_park)
@form_view
def add(park: Park):
    cycle = active_cycle(park)
    form = _add_form(park, cycle, request.form)
    matches: list[organisations.Match] = []

    def add_to_cycle(organisation) -> bool:
        added = submit(
            form,
            lambda: services.add_stakeholder(
                current_actor(),
                cycle,
                organisation=organisation(),
                role=PpsRole(form.role.data),
                representative_name=form.representative_name.data or "",
                representative_email=form.representative_email.data or "",
                representative_phone=form.representative_phone.data or "",
            ),
        )
        if added.ok:
            flash(_("%(name)s is toegevoegd.", name=added.value.organisation.name), "success")
        return added.ok

    if form.validate_on_submit() and _chosen_organisation(form):
        if form.new_name.data:
            added, matches = _add_with_new_organisation(park, form, add_to_cycle)
        else:
            added = add_to_cycle(lambda: db.session.get(Organisation, form.organisation_id.data))
        if added:
            return redirect(url_for("stakeholders.index", park_id=park.id))
    return _index_page(park, cycle, form, add_form=form, matches=matches)


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


def _invite_form(stakeholder: Stakeholder, formdata=None) -> InviteRepresentativeForm:
    form = InviteRepresentativeForm(formdata=formdata, prefix="invite")
    if services.has_representative(stakeholder):
        current = stakeholder.representative_display
        form.becomes.choices = choices(
            [
                (AS_EXTRA_USER, _("Extra gebruiker: %(name)s blijft de vertegenwoordiger", name=current)),
                (
                    AS_REPRESENTATIVE,
                    _("Maak de nieuwe persoon de vertegenwoordiger, in plaats van %(name)s", name=current),
                ),
            ]
        )
        if formdata is None:
            form.becomes.data = AS_EXTRA_USER
    return form


def _edit_page(stakeholder: Stakeholder, submitted: Form | None = None, **forms: Form):
    context = {
        "park": stakeholder.park,
        "stakeholder": stakeholder,
        "has_representative": services.has_representative(stakeholder),
        "edit_form": forms.get("edit_form") or _edit_form(stakeholder),
        "invite_form": forms.get("invite_form") or _invite_form(stakeholder),
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
    form = _invite_form(stakeholder, request.form)
    if form.validate_on_submit():
        if form.becomes.choices and form.becomes.data not in {None, AS_EXTRA_USER, AS_REPRESENTATIVE}:
            form.becomes.errors.append(_("Kies of de nieuwe persoon de vertegenwoordiger wordt."))
            return _edit_page(stakeholder, form, invite_form=form)
        invited = submit(
            form,
            lambda: services.invite_representative(
                current_actor(),
                stakeholder,
                email=form.email.data,
                name=form.name.data,
                locale=form.locale.data,
                phone=form.phone.data or "",
                make_representative=form.becomes.data == AS_REPRESENTATIVE,
            ),
            field=form.email,
        )
        if invited.ok:
            user, name = invited.value, stakeholder.organisation.name
            if stakeholder.representative_user is user:
                message = _(
                    "%(email)s is uitgenodigd en is nu de vertegenwoordiger van %(name)s.", email=user.email, name=name
                )
            else:
                message = _(
                    "%(email)s is uitgenodigd als extra gebruiker van %(name)s; %(current)s blijft de "
                    "vertegenwoordiger.",
                    email=user.email,
                    name=name,
                    current=stakeholder.representative_display,
                )
            flash(message, "success")
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


@bp.route("/<int:stakeholder_id>/verwijderen", methods=["GET", "POST"])
@requires("stakeholders.edit", load=load_stakeholder)
def remove(stakeholder: Stakeholder):
    if request.method == "GET":
        return render_template(
            "stakeholders/remove.html",
            park=stakeholder.park,
            stakeholder=stakeholder,
            effects=services.removal_effects(stakeholder),
        )
    park_id, name = stakeholder.park.id, stakeholder.organisation.name
    run_or_refuse(lambda: services.remove_stakeholder(current_actor(), stakeholder))
    flash(_("%(name)s doet niet meer mee in deze cyclus.", name=name), "success")
    return redirect(url_for("stakeholders.index", park_id=park_id))
