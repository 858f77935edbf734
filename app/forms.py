"""The form base class and the one way a form page answers, shared by every area."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice

from app.errors import CSRF_MESSAGE, DomainError
from app.extensions import csrf, db

# C0 control characters except tab, LF and CR: nobody types them, and PostgreSQL cannot store NUL in text at all
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTER_MESSAGE = _l("Dit veld bevat een onzichtbaar stuurteken dat niet is toegestaan. Verwijder het.")


class Form(FlaskForm):
    """A FlaskForm whose CSRF failure is a readable form error instead of a bare field error, and which refuses
    control characters in any submitted text, for every form at once."""

    csrf_failed = False

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.meta.csrf and self.csrf_token.errors:
            self.csrf_token.errors = []
            self.form_errors.append(str(CSRF_MESSAGE))
            self.csrf_failed = True
        for field in self:
            if any(isinstance(raw, str) and CONTROL_CHARACTERS.search(raw) for raw in field.raw_data or ()):
                field.errors = [*field.errors, str(CONTROL_CHARACTER_MESSAGE)]
                valid = False
        return valid


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None


def run_and_commit(
    call: Callable[[], Any],
    refused: Callable[[DomainError], None],
    *,
    undo: Callable[[Any], None] | None = None,
) -> Outcome:
    """Run a service call and commit it. A DomainError rolls the transaction back, so that nothing half-done is
    written, and goes to `refused` to be shown. When the commit itself fails, `undo(value)` reverses what the call
    did outside the database (a stored upload) before the error goes on."""
    try:
        value = call()
    except DomainError as error:
        db.session.rollback()
        refused(error)
        return Outcome(ok=False)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if undo is not None:
            undo(value)
        raise
    return Outcome(ok=True, value=value)


def run_or_refuse(call: Callable[[], Any]) -> Any:
    """Run a service call and commit it, for a request without a form or page to show a refusal on: a DomainError
    rolls the transaction back and goes on to the error page (status 400, or 403 for NotAllowed). Returns what the
    call returned."""

    def refused(error: DomainError) -> None:
        raise error

    return run_and_commit(call, refused).value


def submit(
    form: Form,
    call: Callable[[], Any],
    *,
    field: Field | None = None,
    undo: Callable[[Any], None] | None = None,
) -> Outcome:
    """Run a service call for a validated form and commit it; a DomainError becomes a message instead.

    The message goes on `field` when given, else above the form, and the transaction is rolled back so that
    nothing half-done is written; `undo` as for `run_and_commit`.
    """

    def refused(error: DomainError) -> None:
        (field.errors if field is not None else form.form_errors).extend(error.problems)

    return run_and_commit(call, refused, undo=undo)


def run_button(call: Callable[[], Any]) -> Outcome:
    """Run the service behind a button (a form that is only a button: the CSRF token is checked globally) and
    commit it; a DomainError is flashed as an error instead, with nothing written."""
    return run_and_commit(call, lambda error: flash(error.message, "error"))


#: the field a confirmed destructive button posts (by the confirm dialog, or by the confirmation page without JS)
CONFIRMED = "bevestigd"


@dataclass(frozen=True)
class Confirm:
    """What a destructive button asks before it acts: the question, the words of the button that says yes, and
    where "no" goes (by default where the action would have gone)."""

    question: str
    label: str
    cancel_url: str | None = None


def confirmation_page(confirm: Confirm, cancel_url: str):
    """None when the posted form carries the confirmation; else the page that asks `confirm.question`, whose yes
    posts the same fields again with it (the path without JavaScript; with it, the confirm dialog of
    `_macros/confirm.html` adds the confirmation before the form is sent)."""
    if request.form.get(CONFIRMED) == "ja":
        return None
    fields = [(key, value) for key, value in request.form.items(multi=True) if key not in ("csrf_token", CONFIRMED)]
    return render_template(
        "confirm/page.html",
        confirm=confirm,
        action=request.path,
        fields=fields,
        cancel_url=confirm.cancel_url or cancel_url,
        confirmed=CONFIRMED,
    )


def button_action(
    call: Callable[[], Any],
    message: str | Callable[[Any], str],
    redirect_to: str,
    *,
    confirm: Confirm | None = None,
):
    """`run_button`, then flash `message` (a text, or a function of what the service returned) when it went
    through, and go to `redirect_to` either way. With `confirm`, a post without the confirmation changes
    nothing and shows the confirmation page instead (`confirmation_page`)."""
    if confirm is not None and (page := confirmation_page(confirm, redirect_to)) is not None:
        return page
    done = run_button(call)
    if done.ok:
        flash(message(done.value) if callable(message) else message, "success")
    return redirect(redirect_to)


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs; labels may be lazy translations."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def form_view(view):
    """Mark a view that only changes anything after `form.validate_on_submit()`.

    The form's own CSRF check protects it, so a stale or forged token re-renders the form with the
    user's input and a clear message (status 400) instead of the global error page.
    """
    return csrf.exempt(view)


def render_form(template: str, form: Form, **context: Any):
    """Render a form page: 400 after a CSRF failure, 422 after invalid input, else 200."""
    status = 200
    if form.is_submitted() and (form.errors or form.form_errors):
        status = 400 if form.csrf_failed else 422
    return render_template(template, form=form, **context), status


def render_page(template: str, submitted: Form | None = None, **context: Any):
    """Render a page that holds forms: as `render_form` after one of them (`submitted`) was posted, else with 200."""
    if submitted is None:
        return render_template(template, **context)
    return render_form(template, submitted, **context)
