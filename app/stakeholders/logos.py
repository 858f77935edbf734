"""An organisation's logo, printed on its letters and on the certificates it signs: checked and re-encoded like
every uploaded image (`app.images`), kept under logos/ in the app's storage (`app.uploads`), one per organisation."""

from __future__ import annotations

from app import images, uploads
from app.stakeholders.models import Organisation

FOLDER = "logos"


def read_logo(organisation: Organisation) -> bytes | None:
    """The organisation's logo (a JPEG), or None when it has none (or the file is gone)."""
    return uploads.read(FOLDER, organisation.logo_name, images.SUFFIX)


def has_logo(organisation: Organisation) -> bool:
    """Whether the organisation's logo file is there, without reading it."""
    return uploads.exists(FOLDER, organisation.logo_name, images.SUFFIX)


def replace_logo(organisation: Organisation, data: bytes) -> str | None:
    """Check `data` as an image, store it and make it the organisation's logo; returns the stored name of the
    logo it replaces (to remove after the commit), or None.

    Raises DomainError (from `images.clean_image`) for anything that is not a photo-like image; nothing is
    stored then.
    """
    jpeg, _width, _height = images.clean_image(data)
    previous = organisation.logo_name
    organisation.logo_name = uploads.store(FOLDER, images.SUFFIX, jpeg)
    return previous


def remove_logo_files(names: list[str | None]) -> None:
    """Remove replaced or dropped logo files, after the commit that let go of them."""
    uploads.remove_files(FOLDER, [name for name in names if name], images.SUFFIX)
