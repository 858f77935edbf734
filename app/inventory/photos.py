"""Photos of inspection findings: storing and removing them, each checked and stripped of its metadata by
`app.images`. The file lives under findings/ in the app's storage (`app.uploads`) with a random name, outside
`static/`, and is served only through a view that checks the park.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import audit, uploads
from app.auth.models import User
from app.errors import DomainError
from app.extensions import db
from app.images import CONTENT_TYPE, SUFFIX, clean_image
from app.inventory.inspections import ensure_editable
from app.inventory.models import Finding, FindingPhoto

MAX_PHOTOS = 10
SUBFOLDER = "findings"


def read(photo: FindingPhoto) -> bytes | None:
    """The photo's content; None when it is gone or the name is not one of ours (never a key outside ours)."""
    return uploads.read(SUBFOLDER, photo.stored_name, SUFFIX)


def remove_files(stored_names: list[str]) -> None:
    """Remove stored photo files (after the commit that removed their rows); missing files are fine."""
    uploads.remove_files(SUBFOLDER, stored_names, SUFFIX)


def add_photo(actor: User, finding: Finding, *, filename: str | None, data: bytes) -> FindingPhoto:
    """Add a photo to a finding (`inspections.edit`, open cycle), at most MAX_PHOTOS per finding.

    The upload is checked and re-encoded by `clean_image` (DomainError for anything else). The file is written
    before the row; when the row cannot be written the file is removed again. The caller commits, and removes
    the file (`remove_files`) when the commit fails.
    """
    cycle = finding.inspection.cycle
    ensure_editable(actor, cycle)
    if len(finding.photos) >= MAX_PHOTOS:
        raise DomainError(_("Een bevinding heeft hoogstens %(n)s foto's.", n=MAX_PHOTOS))
    jpeg, width, height = clean_image(data)
    stored_name = uploads.store(SUBFOLDER, SUFFIX, jpeg)
    try:
        photo = FindingPhoto(
            finding=finding,
            stored_name=stored_name,
            original_name=uploads.safe_original_name(filename, "foto"),
            content_type=CONTENT_TYPE,
            size=len(jpeg),
            width=width,
            height=height,
        )
        db.session.add(photo)
        db.session.flush()
        audit.record(
            actor,
            "inventory.photo_added",
            photo,
            park=cycle.park,
            details={"finding": finding.id, "name": photo.original_name, "size": len(jpeg)},
        )
        db.session.flush()
    except BaseException:
        remove_files([stored_name])
        raise
    return photo


def delete_photo(actor: User, photo: FindingPhoto) -> str:
    """Remove a photo's row (`inspections.edit`, open cycle); returns its stored name, whose file the caller
    removes after the commit."""
    finding = photo.finding
    cycle = finding.inspection.cycle
    ensure_editable(actor, cycle)
    audit.record(
        actor,
        "inventory.photo_deleted",
        photo,
        park=cycle.park,
        details={"finding": finding.id, "name": photo.original_name},
    )
    stored_name = photo.stored_name
    finding.photos.remove(photo)
    db.session.delete(photo)
    db.session.flush()
    return stored_name


def download_name(photo: FindingPhoto) -> str:
    """A safe file name for the browser: the original name's letters and digits, always ending in .jpg."""
    return uploads.download_name(photo.original_name, SUFFIX, "foto")
