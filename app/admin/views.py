from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from wtforms import SelectChoice

from app.admin.forms import OrganisationForm
from app.auth import services as auth_services
from app.auth import two_factor
from app.auth.current import current_actor
from app.auth.decorators import load_or_404, requires
from app.auth.forms import ConfirmForm, InviteForm, MembershipForm, TwoFactorRolesForm, UserForm
from app.auth.mails import queue_invitation
from app.auth.models import Membership, Role, User
from app.clock import local_today
from app.extensions import db
from app.forms import Confirm, button_action, choices, form_view, render_form, run_button, run_or_refuse, submit
from app.pages import page_number
from app.parks.models import Park
from app.stakeholders import organisations as organisation_services
from app.stakeholders import services as stakeholder_services
from app.stakeholders.models import Organisation, OrganisationType

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PER_PAGE = 50


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return choices([(0, _("— geen —")), *((o.id, f"{o.name} ({o.type.label})") for o in organisations)])


def _municipalities() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.type == OrganisationType.GEMEENTE).order_by(Organisation.name)
        )
    )


def _organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id) if organisation_id else None


@bp.route("/")
@requires("admin.manage")
def index():
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "organisations": db.session.scalar(select(func.count(Organisation.id))),
        "parks": db.session.scalar(select(func.count(Park.id))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/gebruikers")
@requires("admin.manage")
def users():
    q = request.args.get("q", "").strip()[:200]
    query = select(User).order_by(User.name, User.id)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def invite_user():
    form = InviteForm()
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():

        def invite() -> User:
            user = auth_services.invite_user(
                current_actor(),
                email=form.email.data,
                name=form.name.data,
                organisation=_organisation(form.organisation_id.data),
                locale=form.locale.data,
                is_admin=form.is_admin.data,
            )
            queue_invitation(current_actor(), user)
            return user

        invited = submit(form, invite, field=form.email)
        if invited.ok:
            flash(_("%(email)s is uitgenodigd.", email=invited.value.email), "success")
            return redirect(url_for("admin.edit_user", user_id=invited.value.id))
    return render_form("admin/invite_user.html", form)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def edit_user(user_id: int):
    user = load_or_404(User, user_id)
    form = UserForm(obj=user, prefix="user")
    form.organisation_id.choices = _organisation_choices()
    if request.method == "GET":
        form.organisation_id.data = user.organisation_id or 0
    membership_form = _membership_form()
    if (
        form.validate_on_submit()
        and submit(
            form,
            lambda: auth_services.update_user(
                current_actor(),
                user,
                name=form.name.data,
                organisation=_organisation(form.organisation_id.data),
                is_admin=form.is_admin.data,
                is_active=form.is_active.data,
            ),
        ).ok
    ):
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_form("admin/user.html", form, **_user_page(user, membership_form))


def _user_page(user: User, membership_form: MembershipForm) -> dict:
    """What the user page shows besides its main form."""
    return {
        "user": user,
        "membership_form": membership_form,
        "confirm_form": ConfirmForm(),
        "second_factor": two_factor.factor_of(user),
        "second_factor_required": two_factor.is_required(user, local_today()),
    }


def _membership_form(formdata=None) -> MembershipForm:
    form = MembershipForm(formdata=formdata, prefix="membership")
    parks = db.session.scalars(select(Park).order_by(Park.name)).all()
    form.scope.choices = choices(
        [(f"park:{p.id}", p.name) for p in parks]
        + [(f"gemeente:{m.id}", _("Alle parken van %(name)s", name=m.name)) for m in _municipalities()]
    )
    return form


@bp.route("/gebruikers/<int:user_id>/rollen", methods=["POST"])
@requires("admin.manage")
@form_view
def add_membership(user_id: int):
    user = load_or_404(User, user_id)
    form = _membership_form(request.form)
    if form.validate_on_submit():
        kind, _sep, scope_id = form.scope.data.partition(":")
        target = db.session.get(Park if kind == "park" else Organisation, int(scope_id))
        granted = submit(
            form,
            lambda: auth_services.add_membership(
                current_actor(),
                user,
                role=Role(form.role.data),
                park=target if kind == "park" else None,
                municipality=target if kind == "gemeente" else None,
                ends_on=form.ends_on.data,
                today=local_today(),
            ),
        )
        if granted.ok:
            flash(_("De rol is toegekend."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    user_form = UserForm(obj=user, prefix="user", formdata=None)
    user_form.organisation_id.choices = _organisation_choices()
    user_form.organisation_id.data = user.organisation_id or 0
    page, _status = render_form("admin/user.html", user_form, **_user_page(user, form))
    return page, 400 if form.csrf_failed else 422


@bp.route("/rollen/<int:membership_id>/intrekken", methods=["POST"])
@requires("admin.manage")
def remove_membership(membership_id: int):
    membership = load_or_404(Membership, membership_id)
    user_id = membership.user_id
    run_or_refuse(lambda: auth_services.remove_membership(current_actor(), membership))
    flash(_("De rol is ingetrokken."), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/gebruikers/<int:user_id>/uitnodiging", methods=["POST"])
@requires("admin.manage")
def resend_invitation(user_id: int):
    user = load_or_404(User, user_id)

    def reinvite() -> None:
        auth_services.reinvite(current_actor(), user)
        queue_invitation(current_actor(), user)

    run_or_refuse(reinvite)
    flash(_("De uitnodiging is opnieuw verstuurd naar %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/gebruikers/<int:user_id>/tweestapsverificatie-resetten", methods=["POST"])
@requires("admin.manage")
def reset_two_factor(user_id: int):
    user = load_or_404(User, user_id)
    return button_action(
        lambda: two_factor.reset(current_actor(), user),
        _("De tweestapsverificatie van %(name)s is gereset.", name=user.name),
        url_for("admin.edit_user", user_id=user.id),
        confirm=Confirm(
            _(
                "De tweestapsverificatie van %(name)s resetten? Authenticator, herstelcodes en onthouden apparaten "
                "vervallen.",
                name=user.name,
            ),
            _("Ja, resetten"),
        ),
    )


def _save_organisation(form: OrganisationForm, organisation: Organisation | None) -> bool:
    return submit(
        form,
        lambda: stakeholder_services.save_organisation(
            current_actor(), organisation, name=form.name.data, type=OrganisationType(form.type.data)
        ),
        field=form.name,
    ).ok


@bp.route("/organisaties", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit() and _save_organisation(form, None):
        flash(_("De organisatie is toegevoegd."), "success")
        return redirect(url_for("admin.organisations"))
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.type, Organisation.name)).all()
    return render_form("admin/organisations.html", form, organisations=organisations)


@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def edit_organisation(organisation_id: int):
    organisation = load_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.type.data = organisation.type.value
    if form.validate_on_submit() and _save_organisation(form, organisation):
        flash(_("De organisatie is opgeslagen."), "success")
        return redirect(url_for("admin.organisations"))
    return render_form("admin/organisation.html", form, organisation=organisation, roles_form=_roles_form(organisation))


def _roles_form(organisation: Organisation, formdata=None) -> TwoFactorRolesForm:
    form = TwoFactorRolesForm(formdata=formdata, prefix="two_factor")
    if formdata is None:
        form.roles.data = sorted(role.value for role in two_factor.required_roles(organisation))
    return form


@bp.route("/organisaties/<int:organisation_id>/tweestapsverificatie", methods=["POST"])
@requires("admin.manage")
@form_view
def organisation_two_factor(organisation_id: int):
    organisation = load_or_404(Organisation, organisation_id)
    roles_form = _roles_form(organisation, request.form)
    if (
        roles_form.validate_on_submit()
        and submit(
            roles_form,
            lambda: two_factor.set_required_roles(
                current_actor(), organisation, {Role(value) for value in roles_form.roles.data}
            ),
        ).ok
    ):
        flash(_("De verplichte tweestapsverificatie van %(name)s is opgeslagen.", name=organisation.name), "success")
        return redirect(url_for("admin.edit_organisation", organisation_id=organisation.id))
    form = OrganisationForm(obj=organisation, formdata=None)
    form.type.data = organisation.type.value
    page, _status = render_form("admin/organisation.html", form, organisation=organisation, roles_form=roles_form)
    return page, 400 if roles_form.csrf_failed else 422


@bp.route("/organisaties/<int:organisation_id>/samenvoegen", methods=["GET", "POST"])
@requires("admin.manage")
def merge_organisation(organisation_id: int):
    source = load_or_404(Organisation, organisation_id)
    into_id = request.values.get("into", type=int)
    target = db.session.get(Organisation, into_id) if into_id else None
    if request.method == "POST":
        if target is None:
            flash(_("Kies de organisatie waarin %(name)s opgaat.", name=source.name), "error")
            return redirect(url_for("admin.merge_organisation", organisation_id=source.id)), 303
        name = source.name
        merged = run_button(lambda: organisation_services.merge_organisations(current_actor(), source, into=target))
        if merged.ok:
            flash(_("%(source)s is samengevoegd met %(target)s.", source=name, target=target.name), "success")
            return redirect(url_for("admin.edit_organisation", organisation_id=target.id))
        return redirect(url_for("admin.merge_organisation", organisation_id=source.id, into=target.id))
    others = db.session.scalars(
        select(Organisation).where(Organisation.id != source.id).order_by(Organisation.name, Organisation.id)
    ).all()
    similar = [
        m for m in organisation_services.similar_organisations(source.name, source.type) if m.organisation is not source
    ]
    return render_template(
        "admin/merge_organisation.html",
        organisation=source,
        others=others,
        similar=similar,
        target=target,
        preview=organisation_services.merge_preview(source, target) if target is not None else None,
        confirm_form=ConfirmForm(),
    )
