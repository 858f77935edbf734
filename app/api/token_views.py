"""The profile's page of personal API tokens: create one (its secret is shown once), see them, revoke one."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.api import tokens
from app.api.forms import TokenForm
from app.api.models import ApiScope, ApiToken
from app.auth.current import current_actor
from app.auth.decorators import load_or_404
from app.auth.policy import owns_token
from app.forms import button_action, form_view, render_form, submit

bp = Blueprint("api_tokens", __name__, url_prefix="/profiel/api-sleutels")


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/", methods=["GET", "POST"])
@login_required
@form_view
def index():
    user = current_actor()
    may_write = tokens.may_write(user)
    form = TokenForm(may_write=may_write)
    if form.validate_on_submit():
        created = submit(
            form,
            lambda: tokens.create_token(user, name=form.name.data, scope=ApiScope(form.scope.data), now=_now()),
        )
        if created.ok:
            # The secret goes out in this answer only (never in a redirect, the session or a log).
            return render_template(
                "api/tokens.html",
                form=TokenForm(formdata=None, may_write=may_write),
                tokens=tokens.user_tokens(user),
                new=created.value,
            )
    return render_form("api/tokens.html", form, tokens=tokens.user_tokens(user), new=None)


@bp.route("/<int:token_id>/intrekken", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = load_or_404(ApiToken, token_id)
    if not owns_token(current_actor(), token):
        abort(404)  # another user's token looks like one that does not exist
    return button_action(
        lambda: tokens.revoke_token(current_actor(), token, now=_now()),
        _("De sleutel %(name)s is ingetrokken; hij werkt niet meer.", name=token.name),
        url_for("api_tokens.index"),
    )
