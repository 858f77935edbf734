"""The legal frame of a camera network: its dates, technology changes, PDF documents and the compliance panel.

`compliance(network, today)` is pure: it turns the frame's dates into OK / due soon / overdue / missing per item.
The services change the frame (`cameras.edit`); everyone with `cameras.view` sees it and its documents. Every change
is audited. Documents are PDFs only (checked: `%PDF-` header, an end-of-file marker, and pdfium must open it), at
most DOCUMENT_MAX_BYTES, stored under camera-documents/ in the app's storage with a random name (app/uploads.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit, uploads
from app.auth.models import User
from app.auth.policy import ensure_can
from app.cameras.models import MAX_RETENTION_DAYS, CameraNetwork, DocumentKind, NetworkDocument, TechnologyChange
from app.errors import DomainError
from app.extensions import db
from app.i18n import LabelledEnum

SUBFOLDER = "camera-documents"
SUFFIX = "pdf"
CONTENT_TYPE = "application/pdf"
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
SIGNAGE_RECHECK_DAYS = 365
DPIA_REVIEW_YEARS = 3
DUE_SOON_DAYS = 60
DESCRIPTION_MAX = 300

#: the frame's dates, in the order of the form and the panel
DATE_FIELDS = ("convenant_signed_on", "register_entered_on", "signage_checked_on", "dpia_on", "masking_confirmed_on")


class Status(LabelledEnum):
    OK = "ok", _l("In orde")
    DUE_SOON = "binnenkort", _l("Binnenkort nodig")
    OVERDUE = "te_laat", _l("Te laat")
    MISSING = "ontbreekt", _l("Ontbreekt")


@dataclass(frozen=True)
class Item:
    """One line of the compliance panel: what it is, its status, the date it was done and when it is due."""

    key: str
    label: str
    status: Status
    done_on: date | None = None
    due_on: date | None = None
    note: str = ""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _due_status(due_on: date, today: date) -> Status:
    if today > due_on:
        return Status.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.OK


def item_labels() -> dict[str, str]:
    """The panel's items by key, in the panel's order, with their words in the current language."""
    return {
        "convenant": _("Convenant met de gemeente"),
        "register": _("Inschrijving in het cameraregister"),
        "signage": _("Bebording op de toegangswegen"),
        "dpia": _("DPIA"),
        "retention": _("Bewaartermijn"),
        "masking": _("Privacymaskering van woningen"),
    }


@dataclass(frozen=True)
class Assessment:
    """An item's key, status and dates, without words (`compliance` adds them); `change` is the technology change
    that makes the DPIA overdue."""

    key: str
    status: Status
    done_on: date | None = None
    due_on: date | None = None
    change: TechnologyChange | None = None


def _present(key: str, done_on: date | None) -> Assessment:
    return Assessment(key, Status.OK if done_on else Status.MISSING, done_on)


def assess(network: CameraNetwork, today: date) -> list[Assessment]:
    """The compliance panel of a network on `today`, without its words (for pages that weigh many networks; it
    reads only the frame's dates, `retention_days` and `technology_changes`).

    Convenant, register entry and masking: missing without a date, else OK. Signage: re-checked yearly (due soon
    within DUE_SOON_DAYS, overdue after). DPIA: due DPIA_REVIEW_YEARS after its date, and at once when a technology
    change is recorded after it. Retention: OK up to MAX_RETENTION_DAYS, overdue above.
    """
    items = [_present("convenant", network.convenant_signed_on), _present("register", network.register_entered_on)]
    if network.signage_checked_on is None:
        items.append(Assessment("signage", Status.MISSING))
    else:
        due = network.signage_checked_on + timedelta(days=SIGNAGE_RECHECK_DAYS)
        items.append(Assessment("signage", _due_status(due, today), network.signage_checked_on, due))
    if network.dpia_on is None:
        items.append(Assessment("dpia", Status.MISSING))
    else:
        later = [change for change in network.technology_changes if change.changed_on > network.dpia_on]
        if later:
            first = min(later, key=lambda change: change.changed_on)
            items.append(Assessment("dpia", Status.OVERDUE, network.dpia_on, first.changed_on, first))
        else:
            due = _add_years(network.dpia_on, DPIA_REVIEW_YEARS)
            items.append(Assessment("dpia", _due_status(due, today), network.dpia_on, due))
    retention_ok = 1 <= network.retention_days <= MAX_RETENTION_DAYS
    items.append(Assessment("retention", Status.OK if retention_ok else Status.OVERDUE))
    items.append(_present("masking", network.masking_confirmed_on))
    return items


def _note(network: CameraNetwork, item: Assessment) -> str:
    if item.change is not None:
        return _("Nieuwe DPIA nodig na de technologiewijziging: %(change)s", change=item.change.description)
    if item.key == "retention":
        return _("%(days)s dagen (hoogstens %(max)s)", days=network.retention_days, max=MAX_RETENTION_DAYS)
    return ""


def compliance(network: CameraNetwork, today: date) -> list[Item]:
    """The compliance panel of a network on `today`: `assess` with the items' words and notes."""
    labels = item_labels()
    return [
        Item(item.key, labels[item.key], item.status, item.done_on, item.due_on, _note(network, item))
        for item in assess(network, today)
    ]


def update_frame(actor: User, network: CameraNetwork, *, dates: dict[str, date | None], today: date) -> list[str]:
    """Set the legal frame's dates (`cameras.edit`); keys are DATE_FIELDS, a missing key is left alone.

    A date in the future is refused (DomainError). Returns the names of the fields that changed; audited as
    `cameras.legal_frame_updated` with the old and new values.
    """
    ensure_can(actor, "cameras.edit", network.park)
    unknown = set(dates) - set(DATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if any(value is not None and value > today for value in dates.values()):
        raise DomainError(_("Een datum van het juridisch kader kan niet in de toekomst liggen."))
    changes: dict[str, list[str | None]] = {}
    for name, value in dates.items():
        old = getattr(network, name)
        if old != value:
            changes[name] = [old.isoformat() if old else None, value.isoformat() if value else None]
            setattr(network, name, value)
    if changes:
        audit.record(actor, "cameras.legal_frame_updated", network, park=network.park, details={"changes": changes})
    db.session.flush()
    return list(changes)


def add_technology_change(
    actor: User, network: CameraNetwork, *, changed_on: date, description: str, today: date
) -> TechnologyChange:
    """Record a change of technology (`cameras.edit`), e.g. "ANPR toegevoegd"; a later DPIA is then due at once.

    DomainError for an empty or too long description or a date in the future.
    """
    ensure_can(actor, "cameras.edit", network.park)
    description = description.strip()
    if not description:
        raise DomainError(_("Beschrijf de wijziging."))
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("De beschrijving is te lang (hoogstens %(n)s tekens).", n=DESCRIPTION_MAX))
    if changed_on > today:
        raise DomainError(_("De datum van de wijziging kan niet in de toekomst liggen."))
    change = TechnologyChange(network=network, changed_on=changed_on, description=description)
    db.session.add(change)
    db.session.flush()
    audit.record(
        actor,
        "cameras.technology_change_added",
        change,
        park=network.park,
        details={"changed_on": changed_on.isoformat(), "description": description},
    )
    db.session.flush()
    return change


# --- documents ---------------------------------------------------------------------------------------------------


def document_max_bytes() -> int:
    return int(current_app.config.get("CAMERA_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))


def read_limit() -> int:
    """How many bytes of an upload to read: one more than a document may have, so that too big is noticed."""
    return document_max_bytes() + 1


def _not_a_pdf() -> DomainError:
    return DomainError(_("Dit bestand is geen PDF. Kies een PDF-document."))


def check_pdf(data: bytes) -> None:
    """Raise DomainError unless `data` is a PDF of at most the size limit that pdfium can open (with a page)."""
    limit = document_max_bytes()
    if len(data) > limit:
        raise DomainError(_("Het document is groter dan %(mb)s MB. Kies een kleiner bestand.", mb=limit // 1024**2))
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _not_a_pdf()
    import pypdfium2 as pdfium

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = pdfium.PdfDocument(data)
            try:
                pages = len(document)
            finally:
                document.close()
    except Exception:  # pdfium raises its own errors for damaged or encrypted files
        raise _not_a_pdf() from None
    if pages < 1:
        raise _not_a_pdf()


def add_document(
    actor: User, network: CameraNetwork, *, kind: DocumentKind, filename: str | None, data: bytes
) -> NetworkDocument:
    """Add a PDF to the legal frame (`cameras.edit`); `check_pdf` refuses anything else.

    The file is written before the row and removed again when the row cannot be written. The caller commits and
    removes the file (`remove_files`) when the commit fails.
    """
    ensure_can(actor, "cameras.edit", network.park)
    check_pdf(data)
    stored_name = uploads.store(SUBFOLDER, SUFFIX, data)
    try:
        document = NetworkDocument(
            network=network,
            kind=kind,
            stored_name=stored_name,
            original_name=uploads.safe_original_name(filename, "document.pdf"),
            size=len(data),
            uploaded_by_id=actor.id,
        )
        db.session.add(document)
        db.session.flush()
        audit.record(
            actor,
            "cameras.document_added",
            document,
            park=network.park,
            details={"kind": kind.value, "name": document.original_name, "size": len(data)},
        )
        db.session.flush()
    except BaseException:
        remove_files([stored_name])
        raise
    return document


def delete_document(actor: User, document: NetworkDocument) -> str:
    """Remove a document's row (`cameras.edit`); returns its stored name, whose file the caller removes after the
    commit."""
    network = document.network
    ensure_can(actor, "cameras.edit", network.park)
    audit.record(
        actor,
        "cameras.document_deleted",
        document,
        park=network.park,
        details={"kind": document.kind.value, "name": document.original_name},
    )
    stored_name = document.stored_name
    network.documents.remove(document)
    db.session.delete(document)
    db.session.flush()
    return stored_name


def read(document: NetworkDocument) -> bytes | None:
    return uploads.read(SUBFOLDER, document.stored_name, SUFFIX)


def remove_files(stored_names: list[str]) -> None:
    uploads.remove_files(SUBFOLDER, stored_names, SUFFIX)


def download_name(document: NetworkDocument) -> str:
    return uploads.download_name(document.original_name, SUFFIX, "document")
