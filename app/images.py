"""Checking an uploaded photo and turning it into a JPEG without metadata, for every area that keeps photos
(inspection findings, camera quality checks).

Only JPEG, PNG and WebP images that Pillow can decode completely are accepted, up to PHOTO_MAX_BYTES and a pixel
limit (decompression bombs). Each is turned upright (EXIF orientation), scaled down to at most MAX_SIDE pixels and
re-encoded as a JPEG without any metadata, so a phone's EXIF block with its GPS position never reaches the
platform.
"""

from __future__ import annotations

import io
import warnings

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps

from app.errors import DomainError

MAX_PIXELS = 40_000_000
MAX_SIDE = 2560
JPEG_QUALITY = 85
FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPE = "image/jpeg"
SUFFIX = "jpg"


def read_limit() -> int:
    """How many bytes of an upload to read: one more than a photo may have, so that too big is noticed."""
    return current_app.config["PHOTO_MAX_BYTES"] + 1


def _is_image_signature(data: bytes) -> bool:
    return (
        data.startswith(b"\xff\xd8\xff")
        or data.startswith(b"\x89PNG\r\n\x1a\n")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


def _not_a_photo() -> DomainError:
    return DomainError(_("Dit bestand is geen foto. Kies een JPEG-, PNG- of WebP-afbeelding."))


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """Check an uploaded image and re-encode it: (JPEG bytes without metadata, width, height).

    Raises DomainError for a file over PHOTO_MAX_BYTES, anything that is not a JPEG, PNG or WebP image that
    decodes completely (a renamed program, an SVG, HTML, GIF, a damaged file), and images over MAX_PIXELS
    (a small file can unpack to gigabytes).
    """
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(data) > limit:
        raise DomainError(_("De foto is groter dan %(mb)s MB. Kies een kleinere foto.", mb=limit // (1024 * 1024)))
    if not data or not _is_image_signature(data):
        raise _not_a_photo()
    try:
        with warnings.catch_warnings():
            # Pillow warns about (and beyond twice its own limit refuses) huge images; both are a refusal here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at a smaller scale: less memory
                image.load()
                upright = ImageOps.exif_transpose(image)
                photo = _flatten(upright)
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # Pillow raises many kinds for damaged or foreign data
        raise _not_a_photo() from None
    photo.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), photo.width, photo.height


def _too_many_pixels() -> DomainError:
    return DomainError(
        _("Deze foto heeft te veel pixels (meer dan %(n)s megapixel). Kies een kleinere foto.", n=MAX_PIXELS // 10**6)
    )


def _flatten(image: Image.Image) -> Image.Image:
    """A new RGB image with the pixels only: no EXIF, ICC profile, comments or other metadata; transparency
    becomes white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: to 8 bits first
        image = image.point(lambda value: value / 256).convert("L")
    flat = Image.new("RGB", image.size)
    flat.paste(image.convert("RGB"))
    return flat
