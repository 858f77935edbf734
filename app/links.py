"""Links on this site for someone else to open (mails, PDFs, addresses to pass on), built from BASE_URL, and the
secret tokens of personal links (random, only a digest stored).

Never from the request: its Host header is whatever the client sent, and a password-reset mail built from it
would send the link, and its token, to a forged host.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app


def site_path(endpoint: str, **values: object) -> str:
    """The path of `endpoint` on this site (values it does not take go into the query string), in a request or
    outside one: a job has no request, and a request's own host and script root are not to be trusted."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def base_url() -> str:
    """BASE_URL without a trailing slash: a stored site path appended to it is an absolute link."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values: object) -> str:
    """The absolute link to `endpoint` on BASE_URL, in a request or outside one."""
    return base_url() + site_path(endpoint, **values)


#: secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet, 256 bits
LINK_TOKEN_BYTES = 32
_LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_link_token() -> tuple[str, str]:
    """A fresh secret for a personal link and the digest to store: (token for the link, its digest). Only the
    digest is kept, so that a copy of the database opens no link."""
    token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
    return token, link_token_digest(token)


def link_token_digest(token: str) -> str:
    """The SHA-256 of a link token (hex), to find it by. A token of 256 random bits needs no salt or slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_link_token(token: str | None) -> bool:
    """Whether `token` could be a link token at all (URL-safe base64, not too long or short): anything else is
    unknown without a query."""
    return bool(token) and _LINK_TOKEN.fullmatch(token) is not None
