from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.current import current_actor
from app.auth.decorators import load_or_404, requires
from app.auth.forms import ConfirmForm
from app.auth.models import Role
from app.extensions import db
from app.forms import choices, form_view, render_form, render_page, run_or_refuse, submit
from app.links import external_url
from app.sso import services
from app.sso.forms import ProviderForm, RuleForm
from app.sso.models import IdentityLink, IdentityProvider, RoleRule
from app.stakeholders.models import Organisation, OrganisationType

bp = Blueprint("sso_admin", __name__, url_prefix="/beheer/inlogdiensten")


def _municipalities() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.type == OrganisationType.GEMEENTE).order_by(Organisation.name)
        )
    )


def _provider_form(provider: IdentityProvider | None = None, *, from_request: bool = True) -> ProviderForm:
    """The provider form, filled from the request (when it was this form that was posted) or from `provider`."""
    form = ProviderForm(obj=provider, prefix="provider", **({} if from_request else {"formdata": None}))
    form.municipality_id.choices = choices([(0, _("— geen —")), *((m.id, m.name) for m in _municipalities())])
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation_ids.choices = choices((o.id, f"{o.name} ({o.type.label})") for o in organisations)
    if provider is not None and not (from_request and form.is_submitted()):
        form.municipality_id.data = provider.municipality_id or 0
        form.organisation_ids.data = [o.id for o in provider.organisations]
    return form


def _rule_form(provider: IdentityProvider, formdata=None) -> RuleForm:
    form = RuleForm(formdata=formdata, prefix="rule")
    municipalities = [provider.municipality] if provider.municipality is not None else _municipalities()
    form.municipality_id.choices = choices((m.id, m.name) for m in municipalities)
    return form


def _fields(form: ProviderForm) -> services.ProviderFields:
    return services.ProviderFields(
        slug=form.slug.data.strip(),
        name=form.name.data,
        issuer=form.issuer.data.strip(),
        client_id=form.client_id.data,
        client_secret=form.client_secret.data or "",
        client_secret_env=form.client_secret_env.data or "",
        scopes=form.scopes.data,
        groups_claim=form.groups_claim.data,
        enabled=form.enabled.data,
        municipality=db.session.get(Organisation, form.municipality_id.data) if form.municipality_id.data else None,
        organisations=tuple(db.session.get(Organisation, i) for i in form.organisation_ids.data),
    )


@bp.route("/", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def index():
    form = _provider_form()
    if form.validate_on_submit():
        saved = submit(form, lambda: services.save_provider(current_actor(), None, _fields(form)))
        if saved.ok:
            flash(_("De inlogdienst %(name)s is toegevoegd.", name=saved.value.name), "success")
            return redirect(url_for("sso_admin.edit", provider_id=saved.value.id))
    providers = db.session.scalars(select(IdentityProvider).order_by(IdentityProvider.name)).all()
    return render_form("sso/admin/index.html", form, providers=providers)


def _edit_page(provider: IdentityProvider, form: ProviderForm, rule_form: RuleForm, submitted=None):
    linked = db.session.scalar(select(func.count(IdentityLink.id)).where(IdentityLink.provider_id == provider.id))
    return render_page(
        "sso/admin/provider.html",
        submitted,
        provider=provider,
        provider_form=form,
        rule_form=rule_form,
        confirm_form=ConfirmForm(),
        linked=linked,
        callback_url=external_url("sso.callback", slug=provider.slug),
    )


@bp.route("/<int:provider_id>", methods=["GET", "POST"])
@requires("admin.manage")
@form_view
def edit(provider_id: int):
    provider = load_or_404(IdentityProvider, provider_id)
    form = _provider_form(provider)
    if form.validate_on_submit():
        if submit(form, lambda: services.save_provider(current_actor(), provider, _fields(form))).ok:
            flash(_("De inlogdienst %(name)s is opgeslagen.", name=provider.name), "success")
            return redirect(url_for("sso_admin.edit", provider_id=provider.id))
        return _edit_page(provider, form, _rule_form(provider), submitted=form)
    return _edit_page(provider, form, _rule_form(provider), submitted=form if form.is_submitted() else None)


@bp.route("/<int:provider_id>/regels", methods=["POST"])
@requires("admin.manage")
@form_view
def add_rule(provider_id: int):
    provider = load_or_404(IdentityProvider, provider_id)
    rule_form = _rule_form(provider, request.form)
    if rule_form.validate_on_submit():
        added = submit(
            rule_form,
            lambda: services.add_rule(
                current_actor(),
                provider,
                claim_value=rule_form.claim_value.data,
                role=Role(rule_form.role.data),
                municipality=db.session.get(Organisation, rule_form.municipality_id.data),
            ),
        )
        if added.ok:
            flash(_("De regel is toegevoegd; hij geldt vanaf de volgende keer inloggen."), "success")
            return redirect(url_for("sso_admin.edit", provider_id=provider.id))
    return _edit_page(provider, _provider_form(provider, from_request=False), rule_form, submitted=rule_form)


@bp.route("/regels/<int:rule_id>/verwijderen", methods=["POST"])
@requires("admin.manage")
def remove_rule(rule_id: int):
    rule = load_or_404(RoleRule, rule_id)
    provider_id = rule.provider_id
    run_or_refuse(lambda: services.remove_rule(current_actor(), rule))
    flash(_("De regel is verwijderd."), "success")
    return redirect(url_for("sso_admin.edit", provider_id=provider_id))


@bp.route("/organisaties/<int:organisation_id>/wachtwoord", methods=["POST"])
@requires("admin.manage")
def password_login(organisation_id: int):
    organisation = load_or_404(Organisation, organisation_id)
    allowed = request.form.get("toegestaan") == "ja"
    run_or_refuse(lambda: services.set_password_login(current_actor(), organisation, allowed=allowed))
    if allowed:
        flash(_("De mensen van %(name)s kunnen weer met een wachtwoord inloggen.", name=organisation.name), "success")
    else:
        flash(_("De mensen van %(name)s loggen nu alleen via hun inlogdienst in.", name=organisation.name), "success")
    return redirect(url_for("admin.edit_organisation", organisation_id=organisation.id))
