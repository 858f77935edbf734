"""The Content-Security-Policy of every page (set in app/web.py), which a page may widen for its own pictures."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import current_app

# No inline script or style anywhere: the CSP forbids them. Map tiles come from the configured tile host.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {images}; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def content_security_policy(images: Iterable[str] = ()) -> str:
    """The CSP, with images from the tile host and from `images` (origins such as "https://example.org": a
    questionnaire's pictures on another site) besides the site's own."""
    tiles = urlsplit(current_app.config["MAP_TILE_URL"])
    return CSP.format(images=" ".join([f"{tiles.scheme}://{tiles.netloc}", *images]))
