"""An organisation's letterhead: its logo, return address and signatory, set by its own people or an admin
(`policy.may_edit_organisation`), printed on its letters and certificates."""

from __future__ import annotations

from flask_babel import gettext as _

from app import audit
from app.auth.models import User
from app.auth.policy import may_edit_organisation
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.stakeholders.logos import remove_logo_files, replace_logo
from app.stakeholders.models import Organisation

ADDRESS_MAX_LINES = 4
ADDRESS_LINE_MAX = 80
SIGNATORY_MAX = 200


def ensure_may_edit(actor: User, organisation: Organisation) -> None:
    if not may_edit_organisation(actor, organisation):
        raise NotAllowed(_("U heeft geen rechten voor deze handeling."))


def _one_line(value: str | None, label: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > SIGNATORY_MAX:
        raise DomainError(_("%(label)s is te lang (hoogstens %(n)s tekens).", label=label, n=SIGNATORY_MAX))
    return value


def _address(value: str | None) -> str:
    lines = [" ".join(line.split()) for line in (value or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > ADDRESS_MAX_LINES:
        raise DomainError(_("Een retouradres heeft hoogstens %(n)s regels.", n=ADDRESS_MAX_LINES))
    if any(len(line) > ADDRESS_LINE_MAX for line in lines):
        raise DomainError(_("Een regel van het retouradres heeft hoogstens %(n)s tekens.", n=ADDRESS_LINE_MAX))
    return "\n".join(lines)


def update_letterhead(
    actor: User, organisation: Organisation, *, address: str, signatory_name: str, signatory_function: str
) -> Organisation:
    """Set the return address (at most ADDRESS_MAX_LINES lines) and who signs, name and function. A name without
    a function is fine; a function without a name is not (a letter is signed by a person)."""
    ensure_may_edit(actor, organisation)
    name = _one_line(signatory_name, _("De naam van de ondertekenaar"))
    function = _one_line(signatory_function, _("De functie van de ondertekenaar"))
    if function and not name:
        raise DomainError(_("Vul ook de naam van de ondertekenaar in."))
    organisation.letter_address = _address(address)
    organisation.signatory_name, organisation.signatory_function = name, function
    audit.record(
        actor,
        "stakeholders.letterhead_updated",
        organisation,
        details={"signatory": name, "function": function, "address_lines": organisation.letter_address.count("\n")},
    )
    db.session.flush()
    return organisation


def set_logo(actor: User, organisation: Organisation, data: bytes) -> tuple[str, str | None]:
    """Make the uploaded image the organisation's logo; returns (the stored name of the new logo, the one it
    replaces).

    The upload is checked and re-encoded as every photo (DomainError for anything else). The file is written
    before the row; when the row cannot be written it is removed again. The caller commits, then removes the
    replaced file, or the new one when the commit fails (`logos.remove_logo_files`).
    """
    ensure_may_edit(actor, organisation)
    previous = replace_logo(organisation, data)
    try:
        audit.record(actor, "stakeholders.logo_set", organisation, details={"replaced": previous is not None})
        db.session.flush()
    except BaseException:
        remove_logo_files([organisation.logo_name])
        raise
    return organisation.logo_name, previous


def remove_logo(actor: User, organisation: Organisation) -> str | None:
    """Drop the organisation's logo; returns its stored name, whose file the caller removes after the commit."""
    ensure_may_edit(actor, organisation)
    previous = organisation.logo_name
    if previous is None:
        raise DomainError(_("Deze organisatie heeft geen logo."))
    organisation.logo_name = None
    audit.record(actor, "stakeholders.logo_removed", organisation)
    db.session.flush()
    return previous
